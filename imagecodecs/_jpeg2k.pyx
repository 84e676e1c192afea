# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""JPEG 2000 codec over the OpenJPEG library.

Decodes J2K codestreams and JP2 files from memory and encodes either. The
library reads and writes through streams whose callbacks here work on a
buffer: the input for decoding, a growable block for encoding (the JP2
writer seeks back to fill in box lengths). Its messages go to handlers that
collect them: errors become the text of Jpeg2kError, warnings and infos are
printed only when asked (verbose).
"""

import enum
import sys

import numpy

from libc.stdint cimport (
    uint8_t, int8_t, uint16_t, int16_t, uint32_t, int32_t, int64_t,
    SIZE_MAX,
)
from libc.stdlib cimport malloc, realloc, free
from libc.string cimport memcpy, memset, memcmp, strlen

from imagecodecs._shared cimport (
    Input, Output, readable, output, new_array, default_threads,
)
from imagecodecs._shared import enum_value
from imagecodecs._exceptions import Jpeg2kError, error_as
from imagecodecs.libs.openjpeg cimport *

# A codestream can describe a huge image in a few bytes (a constant image
# costs a byte per packet), and the library allocates the whole image as
# int32 before it finds a damaged stream out. Images are bounded to this
# many samples per input byte above a floor, unless out= gives the room.
cdef Py_ssize_t MAX_RATIO = 4096
cdef Py_ssize_t MAX_FLOOR = 1 << 28

# highest precision per sample size the encoder writes: the library's
# block coder keeps 6 fraction bits in 32-bit integers
cdef int MAX_PREC32 = 26

cdef const char* J2K_MAGIC = b'\xff\x4f\xff\x51'
cdef const char* JP2_MAGIC = b'\x00\x00\x00\x0cjP  \r\n\x87\n'
cdef const char* JP2_RAW_MAGIC = b'\r\n\x87\n'

ctypedef fused sample_t:
    uint8_t
    int8_t
    uint16_t
    int16_t
    uint32_t
    int32_t


class JPEG2K:
    """JPEG2K codec constants."""

    available = True

    class CODEC(enum.IntEnum):
        """JPEG 2000 file formats."""

        JP2 = OPJ_CODEC_JP2  # default of the encoder
        J2K = OPJ_CODEC_J2K

    class CLRSPC(enum.IntEnum):
        """JPEG 2000 color spaces (JP2 colr box)."""

        UNSPECIFIED = OPJ_CLRSPC_UNSPECIFIED
        SRGB = OPJ_CLRSPC_SRGB
        GRAY = OPJ_CLRSPC_GRAY
        SYCC = OPJ_CLRSPC_SYCC
        EYCC = OPJ_CLRSPC_EYCC
        CMYK = OPJ_CLRSPC_CMYK


def jpeg2k_version():
    """Return the version of the OpenJPEG library."""
    return 'openjpeg ' + opj_version().decode()


cdef int _format(const uint8_t* data, Py_ssize_t size) noexcept nogil:
    """Return the OPJ_CODEC_* of data by its magic number, or -1."""
    if size >= 4 and memcmp(data, J2K_MAGIC, 4) == 0:
        return OPJ_CODEC_J2K
    if size >= 12 and memcmp(data, JP2_MAGIC, 12) == 0:
        return OPJ_CODEC_JP2
    if size >= 4 and memcmp(data, JP2_RAW_MAGIC, 4) == 0:
        return OPJ_CODEC_JP2
    return -1


cdef int _kind(dtype) except -1:
    """Return the index of dtype in sample_t's order."""
    return {('u', 1): 0, ('i', 1): 1, ('u', 2): 2, ('i', 2): 3,
            ('u', 4): 4, ('i', 4): 5}[(dtype.kind, dtype.itemsize)]


def jpeg2k_check(data):
    """Return whether data starts with a J2K or JP2 signature."""
    cdef Input src = readable(data)
    return _format(src.ptr, src.size) >= 0


# -- messages ----------------------------------------------------------------

cdef enum:
    ERRORS_SIZE = 2048
    TEXT_SIZE = 8192


cdef struct _Messages:
    int verbose
    size_t errlen
    size_t textlen
    char errors[ERRORS_SIZE]
    char text[TEXT_SIZE]


cdef void _append(char* buffer, size_t* length, size_t size,
                  const char* prefix, const char* msg) noexcept nogil:
    """Append prefix and msg, truncated to the buffer.

    Worker threads of the library may report at once: the length is read
    once, so whatever the interleaving every write stays inside.
    """
    cdef size_t start = length[0]
    cdef size_t n
    if start >= size - 1:
        return
    n = min(strlen(prefix), size - 1 - start)
    memcpy(buffer + start, prefix, n)
    start += n
    n = min(strlen(msg), size - 1 - start)
    memcpy(buffer + start, msg, n)
    start += n
    buffer[start] = 0
    length[0] = start


cdef void _on_error(const char* msg, void* data) noexcept nogil:
    cdef _Messages* m = <_Messages*> data
    _append(m.errors, &m.errlen, ERRORS_SIZE, b'', msg)


cdef void _on_warning(const char* msg, void* data) noexcept nogil:
    cdef _Messages* m = <_Messages*> data
    if m.verbose >= 2:
        _append(m.text, &m.textlen, TEXT_SIZE, b'JPEG2K warning: ', msg)


cdef void _on_info(const char* msg, void* data) noexcept nogil:
    cdef _Messages* m = <_Messages*> data
    if m.verbose >= 3:
        _append(m.text, &m.textlen, TEXT_SIZE, b'JPEG2K info: ', msg)


cdef int _handlers(opj_codec_t* codec, _Messages* m, verbose) except -1:
    memset(m, 0, sizeof(_Messages))
    m.verbose = 0 if verbose is None else int(verbose)
    opj_set_error_handler(codec, _on_error, m)
    opj_set_warning_handler(codec, _on_warning, m)
    opj_set_info_handler(codec, _on_info, m)
    return 0


cdef object _emit(_Messages* m):
    """Print the warnings and infos collected (verbose > 1)."""
    if m.textlen:
        sys.stderr.write(m.text[:m.textlen].decode(errors='replace'))
        m.textlen = 0


cdef object _fail(_Messages* m, str func):
    """Return the Jpeg2kError of a failed call with the library's errors."""
    _emit(m)
    text = m.errors[:m.errlen].decode(errors='replace')
    text = '; '.join(line.strip() for line in text.splitlines()
                     if line.strip())
    return Jpeg2kError(f'{func} failed: {text}' if text else f'{func} failed')


cdef int _threads(opj_codec_t* codec, numthreads, _Messages* m) except -1:
    cdef int n = default_threads(numthreads)
    if n > 1 and opj_has_thread_support():
        if not opj_codec_set_threads(codec, n):
            raise _fail(m, 'opj_codec_set_threads')
    return 0


# -- streams over memory -----------------------------------------------------

cdef struct _Reader:
    const uint8_t* data
    size_t size
    size_t pos


cdef OPJ_SIZE_T _read(void* buffer, OPJ_SIZE_T nbytes,
                      void* user) noexcept nogil:
    cdef _Reader* r = <_Reader*> user
    cdef size_t n = r.size - r.pos
    if n == 0:
        return <OPJ_SIZE_T> -1  # the library's end of stream
    if nbytes < n:
        n = nbytes
    memcpy(buffer, r.data + r.pos, n)
    r.pos += n
    return n


cdef OPJ_OFF_T _read_skip(OPJ_OFF_T nbytes, void* user) noexcept nogil:
    cdef _Reader* r = <_Reader*> user
    if nbytes < 0:
        if <uint64_t> (-nbytes) > r.pos:
            return -1
        r.pos -= <size_t> (-nbytes)
        return nbytes
    if <uint64_t> nbytes > r.size - r.pos:
        r.pos = r.size
        return -1
    r.pos += <size_t> nbytes
    return nbytes


cdef OPJ_BOOL _read_seek(OPJ_OFF_T offset, void* user) noexcept nogil:
    cdef _Reader* r = <_Reader*> user
    if offset < 0 or <uint64_t> offset > r.size:
        return OPJ_FALSE
    r.pos = <size_t> offset
    return OPJ_TRUE


cdef struct _Writer:
    uint8_t* data
    size_t size  # bytes written: the high-water mark
    size_t capacity
    size_t pos


cdef bint _reserve(_Writer* w, size_t end) noexcept nogil:
    cdef size_t capacity
    cdef uint8_t* data
    if end <= w.capacity:
        return True
    capacity = max(end, <size_t> 65536)
    if w.capacity < SIZE_MAX // 2:
        capacity = max(capacity, 2 * w.capacity)
    data = <uint8_t*> realloc(w.data, capacity)
    if data == NULL:
        return False
    w.data = data
    w.capacity = capacity
    return True


cdef OPJ_SIZE_T _write(void* buffer, OPJ_SIZE_T nbytes,
                       void* user) noexcept nogil:
    cdef _Writer* w = <_Writer*> user
    if nbytes > SIZE_MAX - w.pos or not _reserve(w, w.pos + nbytes):
        return <OPJ_SIZE_T> -1
    if w.pos > w.size:  # a gap skipped over: never leave it unset
        memset(w.data + w.size, 0, w.pos - w.size)
    memcpy(w.data + w.pos, buffer, nbytes)
    w.pos += nbytes
    if w.pos > w.size:
        w.size = w.pos
    return nbytes


cdef OPJ_BOOL _write_seek(OPJ_OFF_T offset, void* user) noexcept nogil:
    cdef _Writer* w = <_Writer*> user
    if offset < 0 or <uint64_t> offset > <uint64_t> (SIZE_MAX // 2):
        return OPJ_FALSE
    w.pos = <size_t> offset
    return OPJ_TRUE


cdef OPJ_OFF_T _write_skip(OPJ_OFF_T nbytes, void* user) noexcept nogil:
    cdef _Writer* w = <_Writer*> user
    if not _write_seek(<OPJ_OFF_T> w.pos + nbytes, user):
        return -1
    return nbytes


# -- sample copies ------------------------------------------------------------

cdef void _to_image(const sample_t* src, opj_image_t* image,
                    size_t npixels, bint planar) noexcept nogil:
    """Copy interleaved or planar samples into the image's components."""
    cdef size_t ncomps = image.numcomps
    cdef size_t c, i
    cdef OPJ_INT32* dst
    cdef const sample_t* plane
    for c in range(ncomps):
        dst = image.comps[c].data
        if planar or ncomps == 1:
            plane = src + c * npixels
            for i in range(npixels):
                dst[i] = <OPJ_INT32> plane[i]
        else:
            for i in range(npixels):
                dst[i] = <OPJ_INT32> src[i * ncomps + c]


cdef void _from_image(opj_image_t* image, sample_t* dst, size_t first,
                      size_t npixels, bint planar) noexcept nogil:
    """Copy components `first` on (all of npixels) into the output."""
    cdef size_t ncomps = image.numcomps
    cdef size_t c, i
    cdef const OPJ_INT32* src
    cdef sample_t* plane
    for c in range(first, ncomps):
        src = image.comps[c].data
        if planar or ncomps == 1:
            plane = dst + c * npixels
            for i in range(npixels):
                plane[i] = <sample_t> src[i]
        else:
            for i in range(npixels):
                dst[i * ncomps + c] = <sample_t> src[i]


cdef inline int _clamp(int value, int upper) noexcept nogil:
    return 0 if value < 0 else upper if value > upper else value


cdef inline size_t _chroma_index(size_t i, size_t origin, size_t sub,
                                 size_t n) noexcept nogil:
    """Return the chroma sample covering luma sample i (clamped).

    Chroma sample k lies at sub * (ceil(origin / sub) + k) on the grid.
    """
    cdef size_t first = (origin + sub - 1) // sub
    cdef size_t k = (origin + i) // sub
    k = k - first if k >= first else 0
    return k if k < n else n - 1


cdef void _sycc_to_rgb(opj_image_t* image, sample_t* dst, bint planar
                       ) noexcept nogil:
    """Convert the first three components (Y, Cb, Cr; chroma possibly
    subsampled by two) to full size RGB in the output; copy the rest."""
    cdef opj_image_comp_t* luma = &image.comps[0]
    cdef opj_image_comp_t* cbcomp = &image.comps[1]
    cdef opj_image_comp_t* crcomp = &image.comps[2]
    cdef size_t w = luma.w, h = luma.h, ncomps = image.numcomps
    cdef size_t npixels = w * h
    cdef size_t i, j, ci, cj, k, pos
    cdef int offset = 1 << (luma.prec - 1)
    cdef int upper = (1 << luma.prec) - 1
    cdef int y, cb, cr
    cdef int rgb[3]
    for i in range(h):
        ci = _chroma_index(i, image.y0, cbcomp.dy, cbcomp.h)
        for j in range(w):
            cj = _chroma_index(j, image.x0, cbcomp.dx, cbcomp.w)
            y = luma.data[i * w + j]
            cb = cbcomp.data[ci * cbcomp.w + cj] - offset
            cr = crcomp.data[ci * crcomp.w + cj] - offset
            # ITU-R BT.601 full range, as JP2 defines sYCC
            rgb[0] = _clamp(y + <int> (1.402 * <float> cr), upper)
            rgb[1] = _clamp(
                y - <int> (0.344 * <float> cb + 0.714 * <float> cr), upper)
            rgb[2] = _clamp(y + <int> (1.772 * <float> cb), upper)
            pos = i * w + j
            for k in range(3):
                if planar:
                    dst[k * npixels + pos] = <sample_t> rgb[k]
                else:
                    dst[pos * ncomps + k] = <sample_t> rgb[k]
    _from_image(image, dst, 3, npixels, planar)


# -- decoding -----------------------------------------------------------------

cdef bint _is_sycc(opj_image_t* image):
    """Return whether the components are sYCC to convert to RGB.

    JP2 says so in its colr box; a bare codestream with a full size first
    component and subsampled second is taken for YCbCr too.
    """
    cdef opj_image_comp_t* comps = image.comps
    if image.numcomps < 3:
        return False
    if image.color_space == OPJ_CLRSPC_SYCC:
        return True
    return (image.numcomps == 3 and comps[0].dx == comps[0].dy
            and comps[1].dx != 1)


cdef tuple _decoded_geometry(opj_image_t* image, bint* sycc):
    """Return (height, width) of the output or raise Jpeg2kError."""
    cdef opj_image_comp_t* comps = image.comps
    cdef OPJ_UINT32 c
    for c in range(image.numcomps):
        if comps[c].data == NULL:
            raise Jpeg2kError(f'component {c} was not decoded')
    sycc[0] = _is_sycc(image)
    if sycc[0]:
        subsampling = ((comps[1].dx, comps[1].dy), (comps[2].dx, comps[2].dy))
        if (comps[0].dx != 1 or comps[0].dy != 1 or comps[0].sgnd
                or comps[1].w == 0 or comps[1].h == 0
                or subsampling[0] != subsampling[1]
                or subsampling[0] not in ((1, 1), (2, 1), (2, 2))
                or comps[2].w != comps[1].w or comps[2].h != comps[1].h):
            raise Jpeg2kError('sYCC with subsampling '
                              f'{subsampling} not supported')
        others = range(3, image.numcomps)
    else:
        others = range(1, image.numcomps)
    for c in others:
        if comps[c].w != comps[0].w or comps[c].h != comps[0].h:
            raise Jpeg2kError('components of different sizes not supported')
    return comps[0].h, comps[0].w


cdef object _decoded_dtype(opj_image_t* image):
    """Return the dtype that holds every component's samples."""
    cdef OPJ_UINT32 c, prec = 0
    cdef bint signed = image.comps[0].sgnd != 0
    for c in range(image.numcomps):
        if image.comps[c].prec == 0 or image.comps[c].prec > 31:
            raise Jpeg2kError(f'invalid precision {image.comps[c].prec}')
        if (image.comps[c].sgnd != 0) != signed:
            raise Jpeg2kError('components of mixed signedness not supported')
        prec = max(prec, image.comps[c].prec)
    size = 1 if prec <= 8 else 2 if prec <= 16 else 4
    return numpy.dtype(f'{"i" if signed else "u"}{size}')


cdef int _bound(opj_image_t* image, Py_ssize_t insize, object out) except -1:
    """Refuse headers whose image exceeds what the input can describe."""
    if image.numcomps == 0 or image.x1 <= image.x0 or image.y1 <= image.y0:
        raise Jpeg2kError('invalid image size or number of components')
    samples = (<Py_ssize_t> (image.x1 - image.x0)
               * <Py_ssize_t> (image.y1 - image.y0)
               * <Py_ssize_t> image.numcomps)
    if samples <= max(MAX_FLOOR, MAX_RATIO * insize):
        return 0
    if out is not None and not isinstance(out, (int, type)):
        try:
            if memoryview(out).nbytes >= samples:
                return 0
        except TypeError:
            pass
    raise Jpeg2kError(f'image of {samples} samples in {insize} bytes '
                      'exceeds the size limit')


def jpeg2k_decode(data, planar=None, verbose=0, numthreads=None, out=None):
    """Return image decoded from J2K codestream or JP2 file.

    planar: return samples as (components, rows, columns), else
    (rows, columns, components); one component gives (rows, columns).
    verbose: print the library's warnings (2) and infos (3) to stderr.
    numthreads: number of threads (default one, 0: all cores).
    """
    cdef Input src = readable(data)
    cdef int codecformat = _format(src.ptr, src.size)
    cdef opj_codec_t* codec = NULL
    cdef opj_stream_t* stream = NULL
    cdef opj_image_t* image = NULL
    cdef opj_dparameters_t parameters
    cdef _Messages messages
    cdef _Reader reader
    cdef OPJ_BOOL ok
    cdef bint sycc = False
    cdef bint inplanar = bool(planar)
    cdef size_t npixels

    if codecformat < 0:
        raise Jpeg2kError('not a J2K or JP2 data stream')
    reader.data = src.ptr
    reader.size = src.size
    reader.pos = 0
    try:
        codec = opj_create_decompress(<OPJ_CODEC_FORMAT> codecformat)
        if codec == NULL:
            raise Jpeg2kError('opj_create_decompress failed')
        _handlers(codec, &messages, verbose)
        opj_set_default_decoder_parameters(&parameters)
        if not opj_setup_decoder(codec, &parameters):
            raise _fail(&messages, 'opj_setup_decoder')
        _threads(codec, numthreads, &messages)
        stream = opj_stream_create(65536, OPJ_STREAM_READ)
        if stream == NULL:
            raise Jpeg2kError('opj_stream_create failed')
        opj_stream_set_read_function(stream, _read)
        opj_stream_set_skip_function(stream, _read_skip)
        opj_stream_set_seek_function(stream, _read_seek)
        opj_stream_set_user_data(stream, &reader, NULL)
        opj_stream_set_user_data_length(stream, src.size)

        with nogil:
            ok = opj_read_header(stream, codec, &image)
        if not ok or image == NULL:
            raise _fail(&messages, 'opj_read_header')
        _bound(image, src.size, out)
        dtype = _decoded_dtype(image)

        with nogil:
            ok = opj_decode(codec, stream, image)
            if ok:
                ok = opj_end_decompress(codec, stream)
        if not ok:
            raise _fail(&messages, 'opj_decode')
        _emit(&messages)

        height, width = _decoded_geometry(image, &sycc)
        # the header bounded the image; the decoded one is no larger
        dtype = _decoded_dtype(image)
        ncomps = image.numcomps
        if ncomps == 1:
            shape = (height, width)
        elif inplanar:
            shape = (ncomps, height, width)
        else:
            shape = (height, width, ncomps)
        result = new_array(out, shape, dtype, Jpeg2kError, source=data)
        _fill(image, result, sycc, inplanar)
        return result
    finally:
        if stream != NULL:
            opj_stream_destroy(stream)
        if codec != NULL:
            opj_destroy_codec(codec)
        if image != NULL:
            opj_image_destroy(image)


cdef void _copy(opj_image_t* image, sample_t* dst, bint sycc,
                bint planar) noexcept nogil:
    """Copy (or convert from sYCC) all components into the output."""
    if sycc:
        _sycc_to_rgb(image, dst, planar)
    else:
        _from_image(image, dst, 0, <size_t> image.comps[0].w
                    * image.comps[0].h, planar)


cdef int _fill(opj_image_t* image, result, bint sycc,
               bint planar) except -1:
    """Copy the decoded components into the result array."""
    cdef Input dst = readable(result)  # a writable array: same memory
    cdef void* ptr = <void*> dst.ptr
    cdef int kind = _kind(result.dtype)
    with nogil:
        if kind == 0:
            _copy(image, <uint8_t*> ptr, sycc, planar)
        elif kind == 1:
            _copy(image, <int8_t*> ptr, sycc, planar)
        elif kind == 2:
            _copy(image, <uint16_t*> ptr, sycc, planar)
        elif kind == 3:
            _copy(image, <int16_t*> ptr, sycc, planar)
        elif kind == 4:
            _copy(image, <uint32_t*> ptr, sycc, planar)
        else:
            _copy(image, <int32_t*> ptr, sycc, planar)
    return 0


# -- encoding -----------------------------------------------------------------

cdef int _max_resolutions(Py_ssize_t side):
    """Return the most resolutions whose smallest keeps 8 samples a side."""
    cdef int levels = 0
    while (side >> (levels + 1)) >= 8 and levels < 32:
        levels += 1
    return levels + 1


def jpeg2k_encode(data, level=None, codecformat=None, colorspace=None,
                  planar=None, tile=None, bitspersample=None,
                  resolutions=None, reversible=None, mct=True, verbose=0,
                  numthreads=None, out=None):
    """Return JPEG 2000 (JP2 file or J2K codestream) encoded image.

    data: 2-D array (gray) or 3-D array of (rows, columns, components), or
    with planar=True (components, rows, columns); by default 3-D arrays of
    at most 4 leading and more than 4 trailing samples are taken as planar.
    Integers of 8, 16 or 32 bits (at most 26 bits of precision).
    level: PSNR in dB of lossy compression (irreversible wavelet); below 1
    (default) lossless. reversible: use the reversible wavelet (default:
    for lossless). codecformat: JPEG2K.CODEC (default JP2). colorspace:
    JPEG2K.CLRSPC (default GRAY for 1 or 2, SRGB for 3 or 4 components).
    tile: (rows, columns) of tiles. bitspersample: precision within the
    sample size. resolutions: number of resolution levels (default 6,
    fewer for small images). mct: use the multiple component transform for
    three component sRGB. verbose: print warnings (2) and infos (3).
    numthreads: number of threads (default one, 0: all cores).
    """
    cdef opj_codec_t* codec = NULL
    cdef opj_stream_t* stream = NULL
    cdef opj_image_t* image = NULL
    cdef opj_image_cmptparm_t* parms = NULL
    cdef opj_cparameters_t parameters
    cdef _Messages messages
    cdef _Writer writer
    cdef Input src
    cdef const void* ptr
    cdef OPJ_BOOL ok
    cdef OPJ_UINT32 c
    cdef size_t npixels
    cdef int prec, ncomps, height, width, i
    cdef bint inplanar
    cdef double quality
    cdef int kind
    cdef Output dst
    cdef OPJ_COLOR_SPACE clrspc

    array = numpy.asarray(data)
    dtype = array.dtype
    if (dtype.kind not in 'ui' or dtype.itemsize not in (1, 2, 4)
            or array.ndim not in (2, 3)):
        raise error_as(Jpeg2kError, ValueError)(
            f'invalid data shape {array.shape} or dtype {dtype}')
    array = numpy.ascontiguousarray(array, dtype.newbyteorder('='))
    shape = array.shape
    if array.ndim == 2:
        inplanar = True
        shape = (1, shape[0], shape[1])
    else:
        if planar is None:
            planar = shape[0] <= 4 and shape[2] > 4
        inplanar = bool(planar)
        if not inplanar:
            shape = (shape[2], shape[0], shape[1])
    if array.size == 0:
        raise Jpeg2kError(f'cannot encode empty image of shape {array.shape}')
    if shape[0] > 16384 or shape[1] >= 1 << 31 or shape[2] >= 1 << 31:
        raise Jpeg2kError(f'image shape {array.shape} too large')
    ncomps, height, width = shape

    codec_format = enum_value(codecformat, JPEG2K.CODEC, JPEG2K.CODEC.JP2,
                              'JPEG2K')
    color_space = enum_value(
        colorspace, JPEG2K.CLRSPC,
        JPEG2K.CLRSPC.GRAY if ncomps <= 2 else JPEG2K.CLRSPC.SRGB
        if ncomps <= 4 else JPEG2K.CLRSPC.UNSPECIFIED, 'JPEG2K')

    # precision within the sample size: outside its range the default
    bps = 0 if bitspersample is None else int(bitspersample)
    if dtype.itemsize == 1:
        prec = bps if 0 < bps <= 8 else 8
    elif dtype.itemsize == 2:
        prec = bps if 8 < bps <= 16 else 16
    else:
        prec = bps if 16 < bps <= MAX_PREC32 else MAX_PREC32

    quality = 0.0 if level is None else float(level)
    lossy = quality >= 1.0

    opj_set_default_encoder_parameters(&parameters)
    parameters.tcp_numlayers = 1
    if lossy:
        # one layer at the PSNR asked; resolution-major order with
        # precincts, so that readers can fetch low resolutions
        parameters.tcp_distoratio[0] = <float> quality
        parameters.cp_fixed_quality = 1
        parameters.prog_order = OPJ_RPCL
    else:
        parameters.tcp_rates[0] = 0
        parameters.cp_disto_alloc = 1
    parameters.irreversible = (not reversible) if reversible is not None \
        else lossy
    parameters.tcp_mct = 1 if (mct and ncomps == 3
                               and color_space == OPJ_CLRSPC_SRGB) else 0

    side = min(height, width)
    if tile is not None:
        tileheight, tilewidth = (int(n) for n in tile)
        if not (0 < tileheight < 1 << 31 and 0 < tilewidth < 1 << 31):
            raise error_as(Jpeg2kError, ValueError)(f'invalid tile {tile}')
        parameters.tile_size_on = OPJ_TRUE
        parameters.cp_tx0 = 0
        parameters.cp_ty0 = 0
        parameters.cp_tdx = tilewidth
        parameters.cp_tdy = tileheight
        side = min(side, tileheight, tilewidth)
    nres = 6 if resolutions is None else int(resolutions)
    parameters.numresolution = max(1, min(nres, _max_resolutions(side)))
    if lossy:
        parameters.csty |= 0x01
        parameters.res_spec = parameters.numresolution
        for i in range(parameters.numresolution):
            parameters.prcw_init[i] = 256
            parameters.prch_init[i] = 256

    memset(&writer, 0, sizeof(_Writer))
    src = readable(array)
    ptr = <const void*> src.ptr
    npixels = <size_t> height * width
    try:
        parms = <opj_image_cmptparm_t*> malloc(
            ncomps * sizeof(opj_image_cmptparm_t))
        if parms == NULL:
            raise MemoryError('cannot allocate component parameters')
        memset(parms, 0, ncomps * sizeof(opj_image_cmptparm_t))
        for c in range(<OPJ_UINT32> ncomps):
            parms[c].dx = 1
            parms[c].dy = 1
            parms[c].w = width
            parms[c].h = height
            parms[c].prec = prec
            parms[c].sgnd = dtype.kind == 'i'
        clrspc = <OPJ_COLOR_SPACE> (<int> color_space)
        with nogil:
            image = opj_image_create(ncomps, parms, clrspc)
        if image == NULL:
            raise MemoryError('opj_image_create failed')
        image.x0 = 0
        image.y0 = 0
        image.x1 = width
        image.y1 = height
        kind = _kind(dtype)
        with nogil:
            if kind == 0:
                _to_image(<const uint8_t*> ptr, image, npixels, inplanar)
            elif kind == 1:
                _to_image(<const int8_t*> ptr, image, npixels, inplanar)
            elif kind == 2:
                _to_image(<const uint16_t*> ptr, image, npixels, inplanar)
            elif kind == 3:
                _to_image(<const int16_t*> ptr, image, npixels, inplanar)
            elif kind == 4:
                _to_image(<const uint32_t*> ptr, image, npixels, inplanar)
            else:
                _to_image(<const int32_t*> ptr, image, npixels, inplanar)

        codec = opj_create_compress(<OPJ_CODEC_FORMAT> (<int> codec_format))
        if codec == NULL:
            raise Jpeg2kError('opj_create_compress failed')
        _handlers(codec, &messages, verbose)
        with nogil:
            ok = opj_setup_encoder(codec, &parameters, image)
        if not ok:
            raise _fail(&messages, 'opj_setup_encoder')
        _threads(codec, numthreads, &messages)
        stream = opj_stream_create(65536, OPJ_STREAM_WRITE)
        if stream == NULL:
            raise Jpeg2kError('opj_stream_create failed')
        opj_stream_set_write_function(stream, _write)
        opj_stream_set_skip_function(stream, _write_skip)
        opj_stream_set_seek_function(stream, _write_seek)
        opj_stream_set_user_data(stream, &writer, NULL)
        with nogil:
            ok = opj_start_compress(codec, image, stream)
            if ok:
                ok = opj_encode(codec, stream)
            if ok:
                ok = opj_end_compress(codec, stream)
        if not ok:
            raise _fail(&messages, 'opj_encode')
        _emit(&messages)
        dst = output(out, <Py_ssize_t> writer.size, Jpeg2kError)
        with nogil:
            memcpy(dst.ptr, writer.data, writer.size)
        return dst.finish(<Py_ssize_t> writer.size)
    finally:
        if stream != NULL:
            opj_stream_destroy(stream)
        if codec != NULL:
            opj_destroy_codec(codec)
        if image != NULL:
            opj_image_destroy(image)
        free(parms)
        free(writer.data)


# names of the 2024 interface
j2k_encode = jpeg2k_encode
j2k_decode = jpeg2k_decode
