# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""LERC codec over Esri's LERC library (Limited Error Raster Compression).

Encodes LERC2 blobs, optionally wrapped in a zstd frame or a zlib stream
(compression='zstd' or 'deflate'); decodes LERC1 and LERC2 blobs and either
wrapping, told apart by their magic numbers.

The library checks the bounds of LERC2 blobs but not of LERC1 blobs, whose
decoder trusts every count and offset (and divides by tile counts of zero).
LERC1 blobs are therefore walked here first, reading exactly what the
library will read, and rejected unless every read stays inside the blob.
"""

import math

import numpy

from libc.stdint cimport uint8_t, uint32_t, int32_t, uint64_t
from libc.stdlib cimport malloc, free
from libc.string cimport memcpy, memcmp, memset
from libc.limits cimport INT_MAX, UINT_MAX

from imagecodecs._shared cimport (
    Input, Output, readable, output, new_array, default_threads,
    fresh_output,
)
from imagecodecs._exceptions import LercError
from imagecodecs.libs.lerc cimport *
from imagecodecs.libs.zstd cimport *
from imagecodecs.libs.libdeflate cimport *

# A tiny blob may describe a huge raster, constant ones in particular, so
# sizes are bounded by a ratio only above a floor: the decoder writes the
# whole raster before it finds a damaged blob out. zstd and deflate streams
# expand at most 32768 and 1032 times.
cdef Py_ssize_t MAX_RATIO = 4096
cdef Py_ssize_t MAX_FLOOR = 1 << 26
cdef Py_ssize_t MAX_FLOOR_CONSTANT = 1 << 30
cdef Py_ssize_t ZSTD_MAX_RATIO = 32768
cdef Py_ssize_t DEFLATE_MAX_RATIO = 1032

cdef int DEFAULT_VERSION = 4  # LERC2 version the reference writes

_DATATYPES = {
    numpy.dtype('int8'): LERC_DT_CHAR,
    numpy.dtype('uint8'): LERC_DT_UCHAR,
    numpy.dtype('int16'): LERC_DT_SHORT,
    numpy.dtype('uint16'): LERC_DT_USHORT,
    numpy.dtype('int32'): LERC_DT_INT,
    numpy.dtype('uint32'): LERC_DT_UINT,
    numpy.dtype('float32'): LERC_DT_FLOAT,
    numpy.dtype('float64'): LERC_DT_DOUBLE,
}
_DTYPES = {datatype: dtype for dtype, datatype in _DATATYPES.items()}

_STATUS = {
    LERC_FAILED: 'Failed',
    LERC_WRONG_PARAM: 'WrongParam',
    LERC_BUFFER_TOO_SMALL: 'BufferTooSmall',
    LERC_NAN: 'NaN',
    LERC_HAS_NO_DATA: 'HasNoData',
}


class LERC:
    """LERC codec constants."""

    available = True


def lerc_version():
    """Return the version of the LERC library."""
    return (f'lerc {LERC_VERSION_MAJOR}.{LERC_VERSION_MINOR}.'
            f'{LERC_VERSION_PATCH}')


def lerc_check(data):
    """Return whether data starts with a LERC2 or LERC1 signature."""
    head = bytes(memoryview(data)[:9])
    return head[:5] == b'Lerc2' or head == b'CntZImage'


cdef int _check(lerc_status status, str func) except -1:
    if status != LERC_OK:
        raise LercError(
            f'{func} returned {_STATUS.get(status, status)}')
    return 0


# -- encoding ----------------------------------------------------------------

cdef class _Raster:
    """A C-contiguous array seen as LERC bands, rows, columns and depth."""

    cdef object array
    cdef Input data
    cdef unsigned int datatype
    cdef int depth, cols, rows, bands


cdef _Raster _raster(data, planar):
    """Return the LERC geometry of an array of 1 to 4 dimensions.

    2-D: rows, columns; 3-D: rows, columns, depth (planar: bands, rows,
    columns); 4-D: bands, rows, columns, depth; 1-D: one row.
    """
    cdef _Raster raster = _Raster.__new__(_Raster)
    array = numpy.asarray(data)
    dtype = array.dtype.newbyteorder('=')
    if dtype not in _DATATYPES:
        raise ValueError(f'dtype {array.dtype} not supported by LERC')
    array = numpy.ascontiguousarray(array, dtype)  # 0-D becomes 1-D
    shape = array.shape
    if array.ndim == 1:
        shape = (1, 1, shape[0], 1)
    elif array.ndim == 2:
        shape = (1, shape[0], shape[1], 1)
    elif array.ndim == 3:
        shape = (shape[0], shape[1], shape[2], 1) if planar else (
            1, shape[0], shape[1], shape[2])
    elif array.ndim != 4:
        raise ValueError(f'shape {array.shape} not supported by LERC')
    if any(n > INT_MAX for n in shape):
        raise ValueError(f'shape {array.shape} too large for LERC')
    raster.array = array
    raster.data = readable(array)
    raster.datatype = _DATATYPES[dtype]
    raster.bands, raster.rows, raster.cols, raster.depth = shape
    return raster


cdef object _valid_bytes(masks, _Raster raster, int* nmasks):
    """Return masks as C-contiguous bool array (None without masks)."""
    if masks is None:
        nmasks[0] = 0
        return None
    masks = numpy.ascontiguousarray(masks)
    if masks.dtype != numpy.bool_:
        raise ValueError('masks must be of dtype bool')
    if masks.ndim == 2:
        nmasks[0] = 1
    elif masks.ndim == 3:
        nmasks[0] = masks.shape[0]
    else:
        raise ValueError(f'invalid masks shape {masks.shape}')
    if masks.shape[masks.ndim - 2:] != (raster.rows, raster.cols):
        raise ValueError(f'masks shape {masks.shape} does not match '
                         f'{raster.rows} rows and {raster.cols} columns')
    return masks


cdef Py_ssize_t _blob_bound(_Raster raster, Py_ssize_t maskbytes):
    """Return a size that holds the LERC2 blob of almost any raster.

    Blobs hardly exceed the raw data plus headers; should one not fit, the
    exact size is computed and the encoding repeated.
    """
    cdef Py_ssize_t nbytes = raster.data.size
    return nbytes + (nbytes >> 4) + maskbytes + 256 * raster.bands + 1024


def lerc_encode(data, level=None, masks=None, version=None, planar=None,
                compression=None, compressionargs=None, out=None):
    """Return LERC2 encoded image.

    level: maximum error per pixel (maxZError, default 0: lossless).
    masks: bool array of valid pixels, (rows, columns) or one per band.
    version: LERC2 codec version 2 to 6 (default 4).
    planar: 3-D data are bands, rows, columns (else rows, columns, depth).
    compression: 'zstd' or 'deflate' wraps the blob in a zstd frame or zlib
    stream; compressionargs: {'level': ...} (and 'numthreads' for zstd).
    """
    cdef _Raster raster = _raster(data, planar)
    cdef int nmasks = 0
    valid = _valid_bytes(masks, raster, &nmasks)
    cdef Input validbytes
    cdef const unsigned char* pvalid = NULL
    cdef double maxzerr = 0.0 if level is None else float(level)
    cdef int codec = DEFAULT_VERSION if version is None else int(version)
    cdef Output dst
    cdef unsigned int written = 0
    cdef unsigned int needed = 0
    cdef lerc_status status

    if compression not in (None, 'zstd', 'deflate'):
        raise ValueError(f'compression {compression!r} not supported')
    if valid is not None:
        validbytes = readable(valid)
        pvalid = validbytes.ptr
    dst = _workspace(out if compression is None else None,
                     _blob_bound(raster, 0 if valid is None else valid.nbytes))
    while True:
        with nogil:
            # LERC leaves a few bytes of some blobs unwritten (yet in the
            # checksum): zeros keep the output free of stale memory
            memset(dst.ptr, 0, dst.size)
            status = lerc_encodeForVersion(
                raster.data.ptr, codec, raster.datatype, raster.depth,
                raster.cols, raster.rows, raster.bands, nmasks, pvalid,
                maxzerr, dst.ptr, <unsigned int> min(dst.size, UINT_MAX),
                &written)
        if status != LERC_BUFFER_TOO_SMALL or needed:
            break
        with nogil:
            status = lerc_computeCompressedSizeForVersion(
                raster.data.ptr, codec, raster.datatype, raster.depth,
                raster.cols, raster.rows, raster.bands, nmasks, pvalid,
                maxzerr, &needed)
        _check(status, 'lerc_computeCompressedSizeForVersion')
        dst.grow(needed)
    _check(status, 'lerc_encodeForVersion')
    if compression is None:
        return _deliver(dst, written, out)
    blob = dst.finish(written)
    args = dict(compressionargs or {})
    if compression == 'zstd':
        return _zstd_compress(blob, args.pop('level', None),
                              args.pop('numthreads', None), out, args)
    return _zlib_compress(blob, args.pop('level', None), out, args)



cdef Output _workspace(out, Py_ssize_t size):
    """Return a growable output of `size` bytes the encoders may fill.

    A new object of the kind out= asks for, else scratch memory: LERC and
    zstd need room beyond their result, and given buffers keep their tail.
    """
    return output(out if fresh_output(out) else None, size, LercError, False)


cdef object _deliver(Output work, Py_ssize_t size, out):
    """Return the first `size` bytes of work as out= asks."""
    cdef Output dst
    if fresh_output(out):
        return work.finish(size)
    dst = output(out, size, LercError)
    memcpy(dst.ptr, work.ptr, size)
    return dst.finish(size)


cdef int _no_more(dict args, str compression) except -1:
    if args:
        raise TypeError(f'unexpected {compression} compressionargs '
                        f'{sorted(args)}')
    return 0


cdef object _zstd_compress(blob, level, numthreads, out, dict args):
    """Return the blob in one zstd frame (with content size)."""
    _no_more(args, 'zstd')
    cdef Input src = readable(blob)
    cdef Output dst = _workspace(out, ZSTD_compressBound(src.size))
    cdef int clevel = ZSTD_CLEVEL_DEFAULT if level is None else min(
        max(int(level), ZSTD_minCLevel()), ZSTD_maxCLevel())
    cdef int workers = default_threads(numthreads)
    cdef ZSTD_CCtx* cctx = ZSTD_createCCtx()
    cdef size_t ret
    if cctx == NULL:
        raise MemoryError('ZSTD_createCCtx failed')
    try:
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, clevel)
        if workers > 1:
            ZSTD_CCtx_setParameter(cctx, ZSTD_c_nbWorkers, workers)
        with nogil:
            ret = ZSTD_compress2(cctx, dst.ptr, dst.size, src.ptr, src.size)
        if ZSTD_isError(ret):
            raise LercError(
                f'ZSTD_compress2: {ZSTD_getErrorName(ret).decode()}')
        return _deliver(dst, <Py_ssize_t> ret, out)
    finally:
        ZSTD_freeCCtx(cctx)


cdef object _zlib_compress(blob, level, out, dict args):
    """Return the blob as a zlib stream (libdeflate)."""
    _no_more(args, 'deflate')
    cdef Input src = readable(blob)
    cdef int clevel = 6 if level is None or level < 0 else min(int(level),
                                                                12)
    cdef libdeflate_compressor* compressor = libdeflate_alloc_compressor(
        clevel)
    cdef Output dst
    cdef size_t size
    if compressor == NULL:
        raise MemoryError('libdeflate_alloc_compressor failed')
    try:
        dst = _workspace(out, libdeflate_zlib_compress_bound(compressor,
                                                             src.size))
        with nogil:
            size = libdeflate_zlib_compress(compressor, src.ptr, src.size,
                                            dst.ptr, dst.size)
        if size == 0:
            raise LercError('libdeflate_zlib_compress failed')
        return _deliver(dst, <Py_ssize_t> size, out)
    finally:
        libdeflate_free_compressor(compressor)


# -- decoding ----------------------------------------------------------------

def lerc_decode(data, masks=None, out=None):
    """Return decoded LERC image, and its masks if masks is not None/False.

    Shapes: (rows, columns), (rows, columns, depth), (bands, rows, columns)
    or (bands, rows, columns, depth). Invalid pixels are zero. masks=True
    returns new bool masks of valid pixels ((rows, columns), or one per
    band), an array is filled; (image, None) if the blob has no masks.
    """
    cdef Input src = readable(data)
    cdef unsigned int info[LERC_INFO_SIZE]
    cdef double ranges[3]
    cdef Output dst
    cdef Output valid_dst
    cdef unsigned char* pvalid = NULL
    cdef int nmasks = 0
    cdef int depth, cols, rows, bands
    cdef unsigned int datatype, nblob
    cdef tuple shape, maskshape
    cdef lerc_status status
    cdef bint lerc1
    if data is out and out is not None:
        raise ValueError('cannot decode in place')
    if src.size == 0:
        raise LercError('empty input')
    blob = _unwrap(src)
    if blob is not None:
        src = readable(blob)
    lerc1 = src.size >= 9 and memcmp(src.ptr, b'CntZImage', 9) == 0
    if lerc1:
        _lerc1_validate(src)
    with nogil:
        status = lerc_getBlobInfo(src.ptr, <unsigned int> min(src.size,
                                                              UINT_MAX),
                                  info, ranges, LERC_INFO_SIZE, 3)
    _check(status, 'lerc_getBlobInfo')

    for i in (LERC_INFO_NDEPTH, LERC_INFO_NCOLS, LERC_INFO_NROWS,
              LERC_INFO_NBANDS):
        if not 0 < info[i] <= INT_MAX:
            raise LercError('invalid blob info')
    datatype = info[LERC_INFO_DATATYPE]
    depth = info[LERC_INFO_NDEPTH]
    cols = info[LERC_INFO_NCOLS]
    rows = info[LERC_INFO_NROWS]
    bands = info[LERC_INFO_NBANDS]
    nblob = info[LERC_INFO_BLOBSIZE]
    if datatype not in _DTYPES:
        raise LercError(f'invalid data type {datatype}')
    if nblob > src.size:
        raise LercError(f'data truncated: {src.size} < {nblob} bytes')
    dtype = _DTYPES[datatype]
    nbytes = math.prod((depth, cols, rows, bands, dtype.itemsize))
    if nbytes > max(MAX_FLOOR_CONSTANT if ranges[0] == ranges[1]
                    else MAX_FLOOR, src.size * MAX_RATIO):
        raise LercError(f'corrupt blob: {nbytes} bytes from {src.size}')
    shape = (rows, cols)
    if depth > 1:
        shape += (depth,)
    if bands > 1:
        shape = (bands,) + shape

    result = new_array(out, shape, dtype, LercError)
    dst = output(result, result.nbytes, LercError)
    validmasks = None
    if info[LERC_INFO_NMASKS]:  # the library wants them even if unused
        nmasks = info[LERC_INFO_NMASKS]
        maskshape = (rows, cols)
        if nmasks > 1:
            maskshape = (nmasks,) + maskshape
        validmasks = new_array(
            None if masks is None or isinstance(masks, bool) else masks,
            maskshape, numpy.bool_, LercError)
        valid_dst = output(validmasks, validmasks.nbytes, LercError)
        pvalid = valid_dst.ptr
        if lerc1:  # LERC2 zeroes invalid pixels, LERC1 skips them
            memset(dst.ptr, 0, dst.size)
    with nogil:
        status = lerc_decode_blob(src.ptr, nblob, nmasks, pvalid, depth,
                                  cols, rows, bands, datatype, dst.ptr)
    _check(status, 'lerc_decode')
    if masks is None or masks is False:
        return result
    return result, validmasks


cdef object _unwrap(Input src):
    """Return the zstd or zlib content of data, None if not wrapped."""
    cdef const uint8_t* p = src.ptr
    if src.size >= 4 and memcmp(p, b'\x28\xb5\x2f\xfd', 4) == 0:
        return _zstd_decompress(src)
    if src.size >= 2 and p[0] & 0x0F == 8 and p[0] >> 4 <= 7 and (
            (p[0] << 8) | p[1]) % 31 == 0:
        return _zlib_decompress(src)
    return None


cdef object _zstd_decompress(Input src):
    """Return the content of zstd frames, bounded by zstd's ratio."""
    cdef unsigned long long size = ZSTD_getFrameContentSize(src.ptr,
                                                            src.size)
    cdef Py_ssize_t limit = src.size * ZSTD_MAX_RATIO + 4096
    cdef ZSTD_DCtx* dctx
    cdef ZSTD_inBuffer inbuf
    cdef ZSTD_outBuffer outbuf
    cdef Output dst
    cdef size_t ret = 0, inpos, outpos
    if size == ZSTD_CONTENTSIZE_ERROR:
        raise LercError('invalid zstd frame')
    if size != ZSTD_CONTENTSIZE_UNKNOWN and size > <unsigned long long> limit:
        raise LercError(f'corrupt zstd frame: content size {size}')
    dst = output(None, min(limit, 4 * src.size + 65536)
                 if size == ZSTD_CONTENTSIZE_UNKNOWN else size, LercError)
    dctx = ZSTD_createDCtx()
    if dctx == NULL:
        raise MemoryError('ZSTD_createDCtx failed')
    try:
        inbuf.src = src.ptr
        inbuf.size = src.size
        inbuf.pos = 0
        outbuf.pos = 0
        while True:  # one frame; what follows it is ignored
            outbuf.dst = dst.ptr
            outbuf.size = dst.size
            inpos = inbuf.pos
            outpos = outbuf.pos
            with nogil:
                ret = ZSTD_decompressStream(dctx, &outbuf, &inbuf)
            if ZSTD_isError(ret):
                raise LercError(
                    f'zstd: {ZSTD_getErrorName(ret).decode()}')
            if ret == 0:
                break
            if outbuf.pos == outbuf.size:
                if dst.size >= limit:
                    raise LercError('corrupt zstd frame: too large')
                dst.grow(min(limit, 2 * dst.size))
            elif inbuf.pos == inbuf.size or (
                    inbuf.pos == inpos and outbuf.pos == outpos):
                raise LercError('zstd frame truncated')
        return dst.finish(<Py_ssize_t> outbuf.pos)
    finally:
        ZSTD_freeDCtx(dctx)


cdef object _zlib_decompress(Input src):
    """Return the content of a zlib stream, bounded by deflate's ratio."""
    cdef Py_ssize_t limit = src.size * DEFLATE_MAX_RATIO + 4096
    cdef libdeflate_decompressor* decompressor
    cdef libdeflate_result result
    cdef Output dst = output(None, min(limit, 4 * src.size + 65536),
                             LercError)
    cdef size_t size = 0
    decompressor = libdeflate_alloc_decompressor()
    if decompressor == NULL:
        raise MemoryError('libdeflate_alloc_decompressor failed')
    try:
        while True:
            with nogil:
                result = libdeflate_zlib_decompress(
                    decompressor, src.ptr, src.size, dst.ptr, dst.size,
                    &size)
            if result != LIBDEFLATE_INSUFFICIENT_SPACE:
                break
            if dst.size >= limit:
                raise LercError('corrupt zlib stream: too large')
            dst.grow(min(limit, 4 * dst.size))
        if result != LIBDEFLATE_SUCCESS:
            raise LercError('invalid or truncated zlib stream')
        return dst.finish(<Py_ssize_t> size)
    finally:
        libdeflate_free_decompressor(decompressor)


# -- LERC1 validation ---------------------------------------------------------
#
# A LERC1 band: 'CntZImage ', version 11, type 8, height, width (int32),
# maxZError (float64); unless it is a later band, a count part; a z part.
# A part: tiles vertically and horizontally, byte count (int32), maximum
# (float32), then its bytes: an RLE bit mask or a constant (count part
# without tiles), or tiles of a flag byte and raw floats or an offset and
# bit-stuffed unsigned integers. All little endian.
#
# The walk mirrors the library's reads. OK: it reads inside the blob;
# REJECT: the library refuses the band without reading further; UNSAFE:
# the library would read outside the blob, read memory it never wrote,
# or divide by zero.

cdef enum:
    L1_OK = 0
    L1_REJECT = 1
    L1_UNSAFE = 2
    L1_MAX_SIDE = 20000  # the library's limit
    L1_HEADER = 34  # signature to maxZError
    L1_FIRST_BAND = 67  # header, two part headers and a byte
    L1_LATER_BAND = 51  # header, one part header and a byte


cdef struct _Cursor:
    const uint8_t* ptr
    const uint8_t* end


cdef struct _Image:
    int width
    int height
    uint8_t* valid  # count > 0 per pixel
    bint allvalid  # the decoder ignores the mask for bit-stuffed z tiles


cdef inline bint _take(_Cursor* c, size_t n, const uint8_t** p) noexcept nogil:
    if <size_t> (c.end - c.ptr) < n:
        return False
    p[0] = c.ptr
    c.ptr += n
    return True


cdef inline uint32_t _u32(const uint8_t* p) noexcept nogil:
    return p[0] | (<uint32_t> p[1] << 8) | (<uint32_t> p[2] << 16) | (
        <uint32_t> p[3] << 24)


cdef inline int32_t _i32(const uint8_t* p) noexcept nogil:
    return <int32_t> _u32(p)


cdef inline float _f32(const uint8_t* p) noexcept nogil:
    cdef uint32_t bits = _u32(p)
    cdef float value
    memcpy(&value, &bits, 4)
    return value


cdef inline double _f64(const uint8_t* p) noexcept nogil:
    cdef uint64_t bits = _u32(p) | (<uint64_t> _u32(p + 4) << 32)
    cdef double value
    memcpy(&value, &bits, 8)
    return value


cdef int _lerc1_validate(Input src) except -1:
    """Raise LercError unless the library reads the LERC1 blob safely."""
    cdef _Cursor cursor
    cdef _Image image
    cdef int status = L1_OK
    cdef int bands = 0
    cdef const uint8_t* p = src.ptr
    cursor.ptr = src.ptr
    cursor.end = src.ptr + src.size
    if src.size < L1_FIRST_BAND or memcmp(p, b'CntZImage ', 10) != 0:
        raise LercError('invalid LERC1 header')
    image.height = _i32(p + 18)
    image.width = _i32(p + 22)
    if not (0 < image.height <= L1_MAX_SIDE and
            0 < image.width <= L1_MAX_SIDE):
        raise LercError(f'invalid LERC1 size {image.height}x{image.width}')
    image.valid = <uint8_t*> malloc(<size_t> image.width * image.height)
    if image.valid == NULL:
        raise MemoryError('cannot allocate LERC1 mask')
    try:
        with nogil:
            # the library reads bands while a later band header could fit
            while <size_t> (cursor.ptr - src.ptr) + L1_LATER_BAND < <size_t> (
                    src.size):
                status = _lerc1_band(&cursor, &image, bands > 0)
                if status != L1_OK:
                    break
                bands += 1
    finally:
        free(image.valid)
    if status == L1_UNSAFE or bands == 0:
        raise LercError('corrupt LERC1 blob')
    return 0


cdef int _lerc1_band(_Cursor* c, _Image* image, bint later) noexcept nogil:
    cdef const uint8_t* p
    cdef int status
    if not _take(c, L1_HEADER, &p):
        return L1_UNSAFE
    if (memcmp(p, b'CntZImage ', 10) != 0 or _i32(p + 10) != 11
            or _i32(p + 14) != 8 or _i32(p + 18) > L1_MAX_SIDE
            or _i32(p + 22) > L1_MAX_SIDE or _f64(p + 26) > 1e12):
        return L1_REJECT  # what the library checks; later bands keep the
    image.allvalid = False  # first band's size and counts
    if not later:
        memset(image.valid, 0, <size_t> image.width * image.height)
        status = _lerc1_part(c, image, False)
        if status != L1_OK:
            return status
    return _lerc1_part(c, image, True)


cdef int _lerc1_part(_Cursor* c, _Image* image, bint zpart) noexcept nogil:
    cdef const uint8_t* p
    cdef _Cursor part
    cdef int vert, hori, nbytes, status
    cdef float maximum
    cdef size_t k, npixels = <size_t> image.width * image.height
    if not _take(c, 16, &p):
        return L1_UNSAFE
    vert = _i32(p)
    hori = _i32(p + 4)
    nbytes = _i32(p + 8)
    maximum = _f32(p + 12)
    if nbytes < 0 or not _take(c, nbytes, &part.ptr):
        return L1_UNSAFE
    part.end = part.ptr + nbytes
    if not zpart and vert == 0 and hori == 0:
        if nbytes == 0:  # constant count
            memset(image.valid, maximum > 0, npixels)
            image.allvalid = maximum > 0
            return L1_OK
        return _lerc1_rle_mask(&part, image)
    if not (0 < vert <= image.height and 0 < hori <= image.width):
        return L1_UNSAFE  # zero divides; more tiles than pixels loop long
    return _lerc1_tiles(&part, image, zpart, vert, hori)


cdef int _lerc1_rle_mask(_Cursor* c, _Image* image) noexcept nogil:
    """Walk the RLE bit mask of valid pixels; it must fill the mask."""
    cdef size_t size = (<size_t> image.width * image.height + 7) >> 3
    cdef size_t fake = <size_t> image.width * image.height * 2
    cdef size_t index = 0, run, used
    cdef size_t remaining  # what the library believes is left
    cdef const uint8_t* p
    cdef uint8_t* bits = <uint8_t*> malloc(size)
    cdef int count, status = L1_OK
    cdef size_t k
    if bits == NULL:
        return L1_UNSAFE
    # the library passes width * height * 2 as the RLE length, not the
    # part's byte count
    remaining = fake - 2 if fake >= 2 else 0
    while True:
        if not _take(c, 2, &p):
            status = L1_UNSAFE
            break
        count = <short> (p[0] | (p[1] << 8))
        if count == -32768:
            break
        run = -count if count <= 0 else count
        used = 1 if count <= 0 else run
        if remaining < used + 2 or index + run > size:
            status = L1_REJECT
            break
        if not _take(c, used, &p):
            status = L1_UNSAFE
            break
        if count > 0:
            memcpy(bits + index, p, run)
        else:
            memset(bits + index, p[0], run)
        index += run
        remaining -= used + 2
    if status == L1_OK and index != size:
        status = L1_UNSAFE  # the rest of the mask would be uninitialized
    if status == L1_OK:
        for k in range(<size_t> image.width * image.height):
            image.valid[k] = (bits[k >> 3] >> (7 - (k & 7))) & 1
    free(bits)
    return status


cdef int _lerc1_tiles(_Cursor* c, _Image* image, bint zpart, int vert,
                      int hori) noexcept nogil:
    """Walk the tiles in the library's order (the last row and column of
    tiles take the remainders)."""
    cdef int itile, jtile, i0, j0, tileh, tilew, status
    for itile in range(vert + 1):
        tileh = image.height // vert
        i0 = itile * tileh
        if itile == vert:
            tileh = image.height % vert
        if tileh == 0:
            continue
        for jtile in range(hori + 1):
            tilew = image.width // hori
            j0 = jtile * tilew
            if jtile == hori:
                tilew = image.width % hori
            if tilew == 0:
                continue
            if zpart:
                status = _lerc1_z_tile(c, image, i0, tileh, j0, tilew)
            else:
                status = _lerc1_count_tile(c, image, i0, tileh, j0, tilew)
            if status != L1_OK:
                return status
    return L1_OK


cdef int _lerc1_offset(_Cursor* c, uint8_t flag, float* offset) noexcept nogil:
    """Walk a tile's offset: 4, 2 or 1 bytes as bits 6-7 of flag say."""
    cdef const uint8_t* p
    cdef int bits67 = flag >> 6
    cdef int n = 4 if bits67 == 0 else 3 - bits67
    if n == 0:
        return L1_REJECT
    if not _take(c, n, &p):
        return L1_UNSAFE
    if n == 1:
        offset[0] = <signed char> p[0]
    elif n == 2:
        offset[0] = <short> (p[0] | (p[1] << 8))
    else:
        offset[0] = _f32(p)
    return L1_OK


cdef int _lerc1_stuffed(_Cursor* c, size_t needed, const uint8_t** data,
                        int* numbits) noexcept nogil:
    """Walk bit-stuffed integers; the tile reads `needed` of them."""
    cdef const uint8_t* p
    cdef uint8_t head
    cdef int bits67, n
    cdef uint64_t count, total
    if not _take(c, 1, &p):
        return L1_UNSAFE
    head = p[0]
    bits67 = head >> 6
    n = 4 if bits67 == 0 else 3 - bits67
    if n == 0:
        return L1_REJECT
    if not _take(c, n, &p):
        return L1_UNSAFE
    count = p[0] if n == 1 else (p[0] | (p[1] << 8)) if n == 2 else _u32(p)
    numbits[0] = head & 63
    if numbits[0] >= 32:
        return L1_REJECT
    total = count * <uint64_t> numbits[0]
    if total + 31 > UINT_MAX or count < needed or (count == 0 and needed):
        return L1_UNSAFE  # 32-bit overflow or reads past the values
    data[0] = c.ptr
    if total and not _take(c, <size_t> ((total + 7) // 8), &p):
        return L1_UNSAFE
    return L1_OK


cdef inline uint32_t _stuffed_word(const uint8_t* data, uint64_t nbytes,
                                   uint64_t index) noexcept nogil:
    """Return word `index` as the library sees it: a little-endian uint32,
    the bytes of a short last word moved to its top."""
    cdef uint64_t start = 4 * index
    cdef uint64_t n = min(<uint64_t> 4, nbytes - start) if nbytes > start \
        else 0
    cdef uint32_t word = 0
    cdef uint64_t i
    for i in range(n):
        word |= <uint32_t> data[start + i] << (8 * i)
    if 0 < n < 4:
        word <<= 8 * (4 - n)
    return word


cdef inline uint32_t _stuffed_value(const uint8_t* data, uint64_t nbytes,
                                    int numbits,
                                    uint64_t index) noexcept nogil:
    """Return integer `index`: numbits from the top of the words down."""
    cdef uint64_t position = index * numbits
    cdef uint64_t word = position >> 5
    cdef int shift = position & 31
    cdef uint32_t value
    if numbits == 0:
        return 0
    value = (_stuffed_word(data, nbytes, word) << shift) >> (32 - numbits)
    if 32 - shift < numbits:
        value |= _stuffed_word(data, nbytes, word + 1) >> (
            64 - shift - numbits)
    return value


cdef int _lerc1_count_tile(_Cursor* c, _Image* image, int i0, int tileh,
                           int j0, int tilew) noexcept nogil:
    cdef const uint8_t* p
    cdef const uint8_t* data
    cdef uint8_t flag
    cdef float offset = 0
    cdef int numbits, i, j, status
    cdef size_t k = 0, npixels = <size_t> tileh * tilew
    cdef uint64_t nbytes
    if not _take(c, 1, &p):
        return L1_UNSAFE
    flag = p[0]
    if flag == 2 or flag == 3 or flag == 4:  # constant 0, -1 or 1
        for i in range(i0, i0 + tileh):
            memset(image.valid + <size_t> i * image.width + j0, flag == 4,
                   tilew)
        return L1_OK
    if flag & 63 > 4:
        return L1_REJECT
    if flag == 0:  # raw float32 counts
        if not _take(c, 4 * npixels, &p):
            return L1_UNSAFE
        for i in range(i0, i0 + tileh):
            for j in range(j0, j0 + tilew):
                image.valid[<size_t> i * image.width + j] = _f32(p + 4 * k) > 0
                k += 1
        return L1_OK
    status = _lerc1_offset(c, flag, &offset)
    if status != L1_OK:
        return status
    status = _lerc1_stuffed(c, npixels, &data, &numbits)
    if status != L1_OK:
        return status
    nbytes = <uint64_t> (c.ptr - data)
    for i in range(i0, i0 + tileh):
        for j in range(j0, j0 + tilew):
            image.valid[<size_t> i * image.width + j] = (
                offset + <float> _stuffed_value(data, nbytes, numbits, k)
            ) > 0
            k += 1
    return L1_OK


cdef int _lerc1_z_tile(_Cursor* c, _Image* image, int i0, int tileh, int j0,
                       int tilew) noexcept nogil:
    cdef const uint8_t* p
    cdef const uint8_t* data
    cdef uint8_t flag
    cdef float offset = 0
    cdef int numbits, i, status
    cdef size_t j, valid = 0
    if not _take(c, 1, &p):
        return L1_UNSAFE
    flag = p[0] & 63
    if flag == 2:  # constant 0
        return L1_OK
    if flag > 3:
        return L1_REJECT
    for i in range(i0, i0 + tileh):
        for j in range(<size_t> j0, <size_t> (j0 + tilew)):
            valid += image.valid[<size_t> i * image.width + j]
    if flag == 0:  # raw float32 values of the valid pixels
        return L1_OK if _take(c, 4 * valid, &p) else L1_UNSAFE
    status = _lerc1_offset(c, p[0], &offset)
    if status != L1_OK or flag == 3:  # 3: constant offset
        return status
    return _lerc1_stuffed(
        c, <size_t> tileh * tilew if image.allvalid else valid, &data,
        &numbits)
