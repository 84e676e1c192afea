# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""JPEG8 and JPEG codecs over libjpeg-turbo 3.

One library decodes and encodes 8 and 12-bit DCT streams and lossless
(SOF3) streams of 2 to 16 bits, so JPEG8.all_precisions is True. All calls
into libjpeg go through imagecodecs/_c/jpeg8.c, which catches the
library's error exits (they jump) before they can reach Python frames; the
Python side shared with MOZJPEG is _jpeglib.pxi.

Lossless streams that libjpeg refuses (Huffman symbol 16 or predictor 0,
written by cameras into DNG files) are decoded by our own SOF3 decoder,
imagecodecs/_c/ljpeg.c. JPEG is JPEG8 plus jpeg_decode's TIFF `header`.
"""

from libc.stdint cimport uint8_t, uint16_t

from imagecodecs._exceptions import Jpeg8Error, error_as

_Error = Jpeg8Error
_ValueError = error_as(Jpeg8Error, ValueError)

include '_jpeglib.pxi'

from imagecodecs.libs.imcd_ljpeg cimport (
    imcd_ljpeg_info, imcd_ljpeg_info_read, imcd_ljpeg_decode,
)


class JPEG8:
    """JPEG8 codec constants."""

    available = True
    legacy = False
    all_precisions = True

    CS = _colorspace_enum('JPEG8')


JPEG = JPEG8


def jpeg8_version():
    """Return the libjpeg-turbo version and the libjpeg API it emulates."""
    library, api = _library_version()
    return f'libjpeg_turbo {library}/{api}'


def jpeg8_check(data):
    """Return whether data starts like a JPEG stream (SOI and a marker)."""
    return _check(data)


def jpeg8_decode(data, tables=None, colorspace=None, outcolorspace=None,
                 shape=None, out=None):
    """Return decoded JPEG image.

    8 and 12-bit DCT and 2 to 16-bit lossless streams; uint8 up to 8 bits
    per sample, else uint16; shape (height, width) or (height, width,
    samples). `tables` is an abbreviated stream of tables (TIFF
    JPEGTables). `colorspace` overrides the stream's colour space and
    `outcolorspace` selects the output's (JPEG8.CS or names). CMYK is
    returned as stored (Adobe files store it inverted). `shape` gives the
    height and width of streams whose frame header has 0 there.
    """
    cdef int jcs = _colorspace(colorspace)
    cdef int ocs = _colorspace(outcolorspace)
    cdef Input src = _input(data, shape)
    try:
        return _decode(src, tables, jcs, ocs, out, data, False)
    except Jpeg8Error:
        # libjpeg refuses some lossless streams that camera raw files hold
        # (Huffman symbol 16, predictor 0): our own SOF3 decoder reads them
        if tables is not None or colorspace is not None or not _is_lossless(
                src):
            raise
        result = _decode_ljpeg(src, out, data)
        if result is None:
            raise
        return result


cdef object _decode_ljpeg(Input src, object out, object data):
    """Return the stream decoded by our lossless JPEG decoder, or None."""
    cdef imcd_ljpeg_info info
    cdef Output dst
    cdef Py_ssize_t status
    cdef int itemsize
    with nogil:
        status = imcd_ljpeg_info_read(src.ptr, src.size, &info)
    if status < 0 or info.height < 1 or info.width < 1:
        return None
    itemsize = 1 if info.precision <= 8 else 2
    if info.components == 1:
        shape = (info.height, info.width)
    else:
        shape = (info.height, info.width, info.components)
    result = new_array(out, shape, numpy.uint8 if itemsize == 1
                       else numpy.uint16, Jpeg8Error, data)
    dst = output(result, result.nbytes, Jpeg8Error)
    with nogil:
        status = imcd_ljpeg_decode(src.ptr, src.size, dst.ptr, dst.size,
                                   itemsize, NULL, 0, 0)
    return None if status < 0 else result


def jpeg8_encode(data, level=None, colorspace=None, outcolorspace=None,
                 subsampling=None, optimize=None, smoothing=None,
                 lossless=None, predictor=None, bitspersample=None,
                 validate=None, out=None):
    """Return JPEG encoded image.

    `data`: uint8 or uint16 array of shape (height, width) or (height,
    width, 1 to 4 samples). `level`: quality 0 to 100 (95). `colorspace`:
    of the samples (GRAYSCALE, RGB, CMYK or other JPEG8.CS; default by
    sample count); `outcolorspace`: of the stream (YCbCr for RGB).
    `subsampling`: '444', '422', '420', '411', '440' or (h, v) factors.
    `lossless`: SOF3 with `predictor` 1 to 7 (1; 0 writes a DCT stream).
    `bitspersample`: 8 for uint8 and 12 for uint16 DCT streams, 2 to 8
    (uint8) or 2 to 16 (uint16) lossless. Samples above the precision are
    clipped. `validate` is accepted for compatibility and has no effect.
    """
    cdef imcd_jpeg8_params params
    del validate
    data = _image(data, 2)
    itemsize = data.itemsize
    predictor = (1 if predictor is None else int(predictor)) if lossless \
        else 0
    if bitspersample is None:
        precision = (16 if predictor else 12) if itemsize == 2 else 8
    else:
        precision = int(bitspersample)
    if predictor:
        valid = 2 <= precision <= 8 * itemsize
    else:
        valid = precision == (12 if itemsize == 2 else 8)
    if not valid:
        raise _ValueError(f'invalid bitspersample={bitspersample} for '
                          f'{data.dtype} {"lossless" if predictor else "DCT"}')
    _params(&params, data, precision, 95 if level is None else level,
            colorspace, outcolorspace, subsampling, optimize, smoothing)
    params.predictor = predictor
    return _encode(data, &params, out)


jpeg_check = jpeg8_check
jpeg_version = jpeg8_version


def jpeg_decode(data, /, *, tables=None, header=None, colorspace=None,
                outcolorspace=None, shape=None, bitspersample=None,
                out=None):
    """Return decoded JPEG image (see jpeg8_decode).

    `header` (a TIFF JPEG header of a strip or tile) is prepended and an
    EOI marker appended. `bitspersample` is accepted and not needed.
    """
    del bitspersample
    return jpeg8_decode(_with_header(data, header), tables=tables,
                        colorspace=colorspace, outcolorspace=outcolorspace,
                        shape=shape, out=out)


cdef bint _is_lossless(Input src):
    cdef int marker = 0
    return (imcd_jpeg8_find_sof(src.ptr, src.size, &marker) >= 0
            and marker == 0xC3)


def jpeg_encode(data, /, level=None, *, colorspace=None, outcolorspace=None,
                subsampling=None, optimize=None, smoothing=None,
                lossless=None, predictor=None, bitspersample=None, out=None):
    """Return JPEG encoded image (see jpeg8_encode)."""
    return jpeg8_encode(data, level=level, colorspace=colorspace,
                        outcolorspace=outcolorspace, subsampling=subsampling,
                        optimize=optimize, smoothing=smoothing,
                        lossless=lossless, predictor=predictor,
                        bitspersample=bitspersample, out=out)
