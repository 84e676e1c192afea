# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""MOZJPEG codec over mozjpeg: 8-bit baseline and progressive JPEG.

The codec is JPEG8's C glue (imagecodecs/_c/jpeg8.c) and Python layer
(_jpeglib.pxi) compiled against the vendored mozjpeg, whose symbols are
prefixed mozjpeg_ (and the glue's imcd_mozjpeg_, see _c/mozjpeg.h), so
that this module and JPEG8's libjpeg-turbo live in one process without
binding each other's functions.

Only 8-bit DCT streams are encoded and decoded, the images mozjpeg is
made for; JPEG8 handles 12-bit and lossless streams.
"""

# first: renames the glue's functions declared in _jpeglib.pxi
cdef extern from 'mozjpeg.h':
    pass

from imagecodecs._exceptions import MozjpegError, error_as

_Error = MozjpegError
_ValueError = error_as(MozjpegError, ValueError)

include '_jpeglib.pxi'


class MOZJPEG:
    """MOZJPEG codec constants."""

    available = True

    CS = _colorspace_enum('MOZJPEG')


def mozjpeg_version():
    """Return the mozjpeg version."""
    return f'mozjpeg {_library_version()[0]}'


def mozjpeg_check(data):
    """Return whether data starts like a JPEG stream (SOI and a marker)."""
    return _check(data)


def mozjpeg_decode(data, tables=None, header=None, colorspace=None,
                   outcolorspace=None, shape=None, out=None):
    """Return decoded 8-bit JPEG image.

    uint8 of shape (height, width) or (height, width, samples); 12-bit and
    lossless streams raise MozjpegError (use jpeg8_decode). `tables` is an
    abbreviated stream of tables (TIFF JPEGTables); `header` (a TIFF JPEG
    header of a strip or tile) is prepended and an EOI marker appended.
    `colorspace` overrides the stream's colour space and `outcolorspace`
    selects the output's (MOZJPEG.CS or names). `shape` gives the height
    and width of streams whose frame header has 0 there.
    """
    cdef int jcs = _colorspace(colorspace)
    cdef int ocs = _colorspace(outcolorspace)
    data = _with_header(data, header)
    return _decode(_input(data, shape), tables, jcs, ocs, out, data, True)


def mozjpeg_encode(data, level=None, colorspace=None, outcolorspace=None,
                   subsampling=None, optimize=None, smoothing=None,
                   notrellis=None, quanttable=None, progressive=None,
                   out=None):
    """Return JPEG encoded image.

    `data`: uint8 array of shape (height, width) or (height, width, 1 to
    4 samples). `level`: quality 0 to 100 (75, mozjpeg's default).
    `colorspace`, `outcolorspace`, `subsampling` and `smoothing` as for
    jpeg8_encode.

    By default mozjpeg's own compression profile applies (its
    JCP_MAX_COMPRESSION): optimized Huffman tables, progressive scans
    searched for the smallest, trellis quantisation and quantisation
    table 3. `optimize=False` selects its libjpeg-compatible profile
    instead (JCP_FASTEST: standard Huffman tables, one scan, no trellis,
    the JPEG standard's tables), as libjpeg without optimize would write.
    The other parameters override either profile: `notrellis` True (or
    False) disables (enables) trellis quantisation, `quanttable` 0 to 8
    selects mozjpeg's base quantisation table (0 the JPEG standard's), and
    `progressive` True (False) writes progressive scans (one scan).
    """
    cdef imcd_jpeg8_params params
    data = _image(data, 1)
    _params(&params, data, 8, level, colorspace, outcolorspace, subsampling,
            optimize, smoothing)
    if notrellis is not None:
        params.trellis = 0 if notrellis else 1
    if quanttable is not None:
        params.quant_table = int(quanttable)
        if not 0 <= params.quant_table <= 8:
            raise _ValueError(f'invalid quanttable {quanttable}: 0 to 8')
    if progressive is not None:
        params.progressive = 1 if progressive else 0
    return _encode(data, &params, out)
