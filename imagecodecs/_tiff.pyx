# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False
"""TIFF codec over libtiff, reading and writing files in memory.

libtiff's errors and warnings are recorded per handle (see _c/tiffmem.c):
errors become TiffError with libtiff's message, warnings are printed to
stderr only with verbose. Sizes a file claims are checked against the
size of the file before anything is allocated for them.
"""

import datetime as _datetime
import enum
import math
import sys

import numpy

from libc.stdint cimport uint8_t, uint16_t, uint32_t, uint64_t, int64_t
from libc.string cimport memcpy, memset

from imagecodecs._shared cimport (
    Input, Output, readable, output, new_array, IMCD_MEMORY,
    imcd_status_message,
)
from imagecodecs._shared import enum_value
from imagecodecs._exceptions import TiffError, error_as
from imagecodecs.libs.tiff cimport *

# A small file may hold a huge image, compressed: claimed sizes above this
# floor must be explained by the data at the best ratio of the compression.
cdef int64_t SIZE_FLOOR = 1 << 28
cdef int64_t SEGMENT_FLOOR = 1 << 26
# bytes out per byte in, at most; uncompressed data, at most its own size
_RATIO = {1: 1, 32773: 128, 8: 1032, 32946: 1032, 5: 4096}
_RATIO_DEFAULT = 32768


class TIFF:
    """TIFF codec constants."""

    available = True

    class COMPRESSION(enum.IntEnum):
        """TIFF compression schemes."""

        NONE = 1
        CCITTRLE = 2
        CCITTFAX3 = 3
        CCITTFAX4 = 4
        LZW = 5
        JPEG = 7
        PACKBITS = 32773
        DEFLATE = 32946
        ADOBE_DEFLATE = 8
        LZMA = 34925
        ZSTD = 50000
        WEBP = 50001
        LERC = 34887
        PIXARLOG = 32909

    class ENDIAN(enum.IntEnum):
        """TIFF byte orders ('MM' and 'II')."""

        BIG = 19789
        LITTLE = 18761

    class EXTRASAMPLE(enum.IntEnum):
        """TIFF extra sample kinds."""

        UNSPECIFIED = 0
        ASSOCALPHA = 1
        UNASSALPHA = 2

    class FILETYPE(enum.IntEnum):
        """TIFF NewSubfileType flags."""

        REDUCEDIMAGE = 1
        PAGE = 2
        MASK = 4

    class PHOTOMETRIC(enum.IntEnum):
        """TIFF photometric interpretations."""

        MINISWHITE = 0
        MINISBLACK = 1
        RGB = 2
        PALETTE = 3
        MASK = 4
        SEPARATED = 5
        YCBCR = 6

    class PLANARCONFIG(enum.IntEnum):
        """TIFF planar configurations."""

        CONTIG = 1
        SEPARATE = 2

    class PREDICTOR(enum.IntEnum):
        """TIFF predictors."""

        NONE = 1
        HORIZONTAL = 2
        FLOATINGPOINT = 3

    class RESUNIT(enum.IntEnum):
        """TIFF resolution units."""

        NONE = 1
        INCH = 2
        CENTIMETER = 3

    class VERSION(enum.IntEnum):
        """TIFF file format versions."""

        CLASSIC = 42
        BIG = 43


# libtiff prints through its global handlers only what no handle catches;
# nothing of it should reach the process's stderr
TIFFSetErrorHandler(NULL)
TIFFSetWarningHandler(NULL)


def tiff_version():
    """Return the version of libtiff."""
    text = TIFFGetVersion().decode()
    version = text.split('Version ', 1)[-1].split()[0] if text else '?'
    return f'libtiff {version}'


def tiff_check(data):
    """Return whether data starts with a TIFF or BigTIFF header."""
    head = bytes(memoryview(data)[:4])
    return head in (b'II*\x00', b'MM\x00*', b'II+\x00', b'MM\x00+',
                    b'EP*\x00')


# -- decoding -----------------------------------------------------------------

cdef class _Handle:
    """A libtiff handle over memory; freed with the object."""

    cdef imcd_tiff h
    cdef bint opened
    cdef Input src
    cdef int verbose

    def __dealloc__(self):
        if self.opened:
            imcd_tiff_free(&self.h)

    cdef int open(self, Input src, const char* mode, int64_t maxalloc,
                  int verbose) except -1:
        cdef Py_ssize_t status
        cdef const uint8_t* ptr = NULL
        cdef size_t size = 0
        self.src = src
        self.verbose = verbose
        if src is not None:
            ptr = src.ptr
            size = <size_t> src.size
        with nogil:
            status = imcd_tiff_open(&self.h, ptr, size, mode, maxalloc,
                                    verbose)
        if status < 0:
            self.fail(status)
        self.opened = True
        return 0

    cdef int fail(self, Py_ssize_t status) except -1:
        self.warn()
        if status == IMCD_MEMORY:
            raise MemoryError('libtiff: out of memory')
        message = self.h.error.decode(errors='replace')
        raise TiffError(message or imcd_status_message(status).decode())

    cdef void warn(self):
        if self.verbose and self.h.warnings[0] != 0:
            sys.stderr.write(self.h.warnings.decode(errors='replace'))
            self.h.warnings[0] = 0

    cdef object error(self, str message):
        """Return libtiff's message if it has one, else `message`."""
        text = self.h.error.decode(errors='replace')
        return text or message


cdef object _dtype(imcd_tiff_page* page):
    """Return the NumPy dtype of a page's samples, or raise."""
    cdef int bits = page.bitspersample
    cdef int fmt = page.sampleformat
    if fmt in (1, 4):  # unsigned, void
        if bits == 1:
            return numpy.dtype(numpy.bool_)
        for size in (1, 2, 4, 8):
            if bits <= size * 8:
                if bits == 24 or bits % 8 != 0 or bits == size * 8:
                    return numpy.dtype(f'u{size}')
                break
    elif fmt == 2 and bits in (8, 16, 32, 64):
        return numpy.dtype(f'i{bits // 8}')
    elif fmt == 3 and bits in (16, 32, 64):
        return numpy.dtype(f'f{bits // 8}')
    elif fmt == 6 and bits in (64, 128):
        return numpy.dtype(f'c{bits // 8}')
    raise TiffError(
        f'{bits}-bit samples of SampleFormat {fmt} not supported')


cdef tuple _shape(imcd_tiff_page* page, bint asrgb):
    if asrgb:
        return (page.length, page.width, 4)
    depth = (page.depth,) if page.depth > 1 else ()
    samples = (page.samples,) if page.samples > 1 else ()
    if page.planarconfig == 2:
        return samples + depth + (page.length, page.width)
    return depth + (page.length, page.width) + samples


cdef int64_t _packed_size(imcd_tiff_page* page):
    """Return the bytes the page's samples take in the file, decoded."""
    cdef int64_t spp = 1 if page.planarconfig == 2 else page.samples
    cdef int64_t planes = page.samples if page.planarconfig == 2 else 1
    row = (page.width * spp * page.bitspersample + 7) // 8
    return row * page.length * page.depth * planes


cdef class _Page:
    cdef imcd_tiff_page info
    cdef object dtype
    cdef tuple shape
    cdef int64_t packed


cdef _Page _read_page_info(_Handle handle, bint asrgb):
    cdef _Page page = _Page.__new__(_Page)
    cdef Py_ssize_t status
    with nogil:
        status = imcd_tiff_page_info(&handle.h, &page.info)
    if status < 0:
        handle.fail(status)
    page.dtype = numpy.dtype(numpy.uint8) if asrgb else _dtype(&page.info)
    page.shape = _shape(&page.info, asrgb)
    page.packed = _packed_size(&page.info)
    return page


cdef int _plausible(list pages, Py_ssize_t size) except -1:
    """Raise unless the file can hold the pages it claims."""
    cdef _Page page
    cdef int64_t segment
    total = 0
    needed = 0.0
    for page in pages:
        compression = page.info.compression
        ratio = _RATIO.get(compression, _RATIO_DEFAULT)
        if compression == 1 and page.packed > size:
            raise TiffError(f'image of {page.packed} bytes cannot be stored '
                            f'uncompressed in {size} bytes')
        segment = imcd_tiff_segment_size(&page.info)
        if segment < 0 or segment > max(SEGMENT_FLOOR, 2 * page.packed):
            raise TiffError(f'implausible strip or tile size {segment}')
        total += max(page.packed, numpy.dtype(page.dtype).itemsize
                     * math.prod(page.shape))
        needed += page.packed / ratio
    if total > SIZE_FLOOR and needed > size:
        raise TiffError(f'image of {total} bytes is implausible for '
                        f'{size} bytes of compressed data')
    return 0


cdef int _set_directory(_Handle handle, Py_ssize_t index) except -1:
    cdef int ok
    with nogil:
        ok = TIFFSetDirectory(handle.h.tif, <tdir_t> index)
    if not ok:
        raise TiffError(handle.error(f'cannot read directory {index}'))
    return 0


def tiff_decode(data, index=0, asrgb=False, verbose=0, out=None):
    """Return decoded TIFF image.

    index: the directory (page) to decode; None: all pages of the first
    page's shape and dtype, stacked; a sequence or slice: those pages,
    stacked (they must match). Negative indices count from the end.
    asrgb: return RGBA, uint8, as libtiff converts the page.
    Pages of several samples are (length, width, samples), planar ones
    (samples, length, width); volumes have a leading depth.
    """
    cdef Input src = readable(data)
    cdef _Handle handle = _Handle()
    cdef _Page page
    cdef Py_ssize_t status = 0
    cdef Py_ssize_t count
    cdef int itemsize
    cdef bint rgb = bool(asrgb)
    cdef uint8_t* dst
    cdef Py_ssize_t dstsize

    handle.open(src, b'r', (1 << 28) + 64 * <int64_t> src.size,
                1 if verbose else 0)
    with nogil:
        count = TIFFNumberOfDirectories(handle.h.tif)
    if handle.h.error[0] != 0:
        # a directory chain that leads out of the file: truncated
        raise TiffError(handle.error(''))
    stack = True
    if index is None:
        stack = None  # decided by how many pages match
        indices = range(count)
    elif isinstance(index, slice):
        indices = range(count)[index]
    elif isinstance(index, (int, numpy.integer)):
        stack = False
        indices = [int(index)]
    else:
        indices = [int(i) for i in index]
    selected = []
    pages = []
    for i in indices:
        if i < 0:
            i += count
        if not 0 <= i < count:
            raise error_as(TiffError, IndexError)('directory out of range')
        _set_directory(handle, i)
        page = _read_page_info(handle, rgb)
        if pages and (page.shape != (<_Page> pages[0]).shape
                      or page.dtype != (<_Page> pages[0]).dtype):
            if index is None:
                continue
            raise error_as(TiffError, ValueError)(
                f'incompatible directory {i}')
        selected.append(i)
        pages.append(page)
    if not pages:
        raise error_as(TiffError, IndexError)('no directory selected')
    _plausible(pages, src.size)

    first = <_Page> pages[0]
    if stack is None:
        stack = len(pages) > 1
    shape = ((len(pages),) + first.shape) if stack else first.shape
    result = new_array(out, shape, first.dtype, TiffError, source=data)
    flat = result.reshape(len(pages), -1).view(numpy.uint8)
    itemsize = first.dtype.itemsize
    for n, i in enumerate(selected):
        page = pages[n]
        _set_directory(handle, i)
        view = flat[n]
        dst = <uint8_t*> <size_t> view.ctypes.data
        dstsize = view.size
        # a fresh page_info sets JPEGCOLORMODE again for this directory
        with nogil:
            status = imcd_tiff_page_info(&handle.h, &page.info)
            if status >= 0:
                if rgb:
                    status = imcd_tiff_read_rgba(
                        &handle.h, page.info.width, page.info.length, dst,
                        dstsize)
                else:
                    status = imcd_tiff_read_page(&handle.h, &page.info,
                                                 itemsize, dst, dstsize)
        if status < 0 or handle.h.error[0] != 0:
            # libtiff may report an error yet carry on: a damaged file
            handle.fail(min(status, -1))
    handle.warn()
    return result


# -- encoding -----------------------------------------------------------------

_COMPRESSION_NAMES = {'zlib': 8, 'deflate': 8, 'adobe_deflate': 8,
                      'jpeg': 7, 'none': 1, 'lzw': 5}
_SUBCODECS = {None: 0, 'none': 0, 'deflate': 1, 'zlib': 1, 'zstd': 2,
              0: 0, 1: 1, 2: 2}
_BYTEORDERS = {'<': b'l', 'little': b'l', 'II': b'l', 18761: b'l',
               '>': b'b', 'big': b'b', 'MM': b'b', 19789: b'b'}


cdef int _compression(value, level) except -1:
    if value is None:
        return 1 if level is None else 8
    if isinstance(value, str):
        key = value.lower()
        if key in _COMPRESSION_NAMES:
            return _COMPRESSION_NAMES[key]
    return enum_value(value, TIFF.COMPRESSION, 1, 'TIFF')


cdef bytes _byteorder(value):
    if value is None or value == '=':
        return b'b' if sys.byteorder == 'big' else b'l'
    if isinstance(value, enum.Enum):
        value = int(value)
    try:
        return _BYTEORDERS[value]
    except (KeyError, TypeError):
        raise ValueError(f'invalid TIFF byteorder {value!r}') from None


cdef tuple _sample_format(object dtype):
    """Return BitsPerSample and SampleFormat of a dtype."""
    kind = dtype.kind
    if kind == 'b':
        return 1, 1
    if kind in 'ui':
        return dtype.itemsize * 8, 1 if kind == 'u' else 2
    if kind == 'f' and dtype.itemsize in (2, 4, 8):
        return dtype.itemsize * 8, 3
    if kind == 'c' and dtype.itemsize in (8, 16):
        return dtype.itemsize * 8, 6
    raise ValueError(f'dtype {dtype} not supported by TIFF')


cdef tuple _layout(tuple shape, int photometric, int planar, bint samples):
    """Return pages, length, width, samples of an array shape.

    Contiguous samples are the last axis, planar ones the third last;
    axes before the image are pages.
    """
    if len(shape) == 0:
        shape = (1, 1)
    elif len(shape) == 1:
        shape = (1,) + shape
    if samples and len(shape) >= 3:
        if planar == 2:
            spp, length, width = shape[-3:]
        else:
            length, width, spp = shape[-3:]
        lead = shape[:-3]
    else:
        spp = 1
        length, width = shape[-2:]
        lead = shape[:-2]
    return math.prod(lead), length, width, spp


def tiff_encode(data, level=None, bigtiff=None, append=None,
                photometric=None, planarconfig=None, extrasamples=None,
                tile=None, rowsperstrip=None, bitspersample=None,
                compression=None, predictor=None, description=None,
                datetime=None, resolution=None, subfiletype=0, software=None,
                verbose=0, out=None, *, byteorder=None, extrasample=None,
                subcodec=None, colormap=None, iccprofile=None,
                resolutionunit=None, appendto=None):
    """Return TIFF encoded image.

    2-D arrays are one grayscale page; a last axis of 3 or 4 samples is
    RGB (with alpha); planarconfig='separate' takes the samples from the
    third last axis; leading axes are pages. append (appendto): bytes of a
    TIFF file to which the pages are added.
    """
    cdef _Handle handle = _Handle()
    cdef imcd_tiff_page page
    cdef Input src
    cdef Input prior = None
    cdef Output dst
    cdef Py_ssize_t status
    cdef Py_ssize_t pagesize
    cdef int itemsize
    cdef int i
    cdef const uint8_t* ptr
    cdef uint16_t* extra
    cdef uint32_t count
    cdef tiff* tif
    cdef const char* icc_ptr
    cdef const char* text_ptr
    cdef Py_ssize_t size

    array = numpy.asarray(data)
    if array.dtype.byteorder not in '=|':
        array = array.astype(array.dtype.newbyteorder('='))
    array = numpy.ascontiguousarray(array).reshape(array.shape)
    if array.size == 0:
        raise error_as(TiffError, ValueError)(
            f'cannot encode an empty array of shape {array.shape}')
    bits, sampleformat = _sample_format(array.dtype)
    itemsize = array.dtype.itemsize
    if bitspersample is not None:
        # whole bytes other than the dtype's (24) are integers in the
        # file's byte order to libtiff, a bit stream to others: refused
        if array.dtype.kind not in 'ub' or not (
                1 <= int(bitspersample) <= bits) or (
                int(bitspersample) % 8 == 0 and int(bitspersample) != bits):
            raise ValueError(
                f'invalid bitspersample {bitspersample} for {array.dtype}')
        bits = int(bitspersample)
    comp = _compression(compression, level)
    if not TIFFIsCODECConfigured(<uint16_t> comp):
        raise ValueError(f'compression {comp} not supported')
    planar = enum_value(planarconfig, TIFF.PLANARCONFIG, 0, 'TIFF')
    shape = array.shape
    if photometric is None:
        if planar == 2 and len(shape) >= 3 and shape[-3] in (3, 4):
            photo = 2
        elif planar != 2 and len(shape) >= 3 and shape[-1] in (3, 4):
            photo = 2
        else:
            photo = 1
    else:
        photo = enum_value(photometric, TIFF.PHOTOMETRIC, 1, 'TIFF')
    extra_kind = extrasample
    if extra_kind is None and extrasamples is not None:
        extra_kind = extrasamples
    has_samples = (photo in (2, 5, 6) or planar != 0 or
                   extra_kind is not None)
    npages, length, width, spp = _layout(shape, photo, planar, has_samples)
    if planar == 0:
        planar = 1
    if photo in (2, 6) and spp < 3:
        raise ValueError(f'{TIFF.PHOTOMETRIC(photo).name} needs 3 samples')
    if photo == 3 and colormap is None:
        raise ValueError('palette image requires colormap')
    if max(length, width) > 0xFFFFFFFF or spp > 0xFFFF:
        raise ValueError(f'shape {shape} too large for TIFF')
    if photo in (2, 6):
        nextra = spp - 3
    elif photo == 5:
        nextra = max(spp - 4, 0)
    else:
        nextra = spp - 1
    extras = [0] * nextra
    if nextra:
        if isinstance(extra_kind, (list, tuple)):
            for n, kind in enumerate(extra_kind[:nextra]):
                extras[n] = int(kind)
        elif extra_kind is not None:
            extras[0] = int(extra_kind)
        elif photo == 2:
            extras[0] = 2  # an RGBA's fourth sample is its alpha
    if predictor is True:
        predictor = 3 if array.dtype.kind == 'f' else 2
    elif predictor is False or predictor is None:
        predictor = 1
    else:
        predictor = enum_value(predictor, TIFF.PREDICTOR, 1, 'TIFF')
    if comp == 1:
        predictor = 1  # predictors apply only to compressed data
    if appendto is None:
        appendto = append
    if tile is not None:
        tile = tuple(int(t) for t in tile)
        if len(tile) != 2 or min(tile) < 1 or tile[0] % 16 or tile[1] % 16:
            raise ValueError(f'invalid tile {tile}: multiples of 16 needed')
    if rowsperstrip is not None and int(rowsperstrip) < 1:
        raise ValueError(f'invalid rowsperstrip {rowsperstrip}')
    if colormap is not None:
        cmap = numpy.ascontiguousarray(colormap, numpy.uint16)
        if cmap.shape != (3, 1 << bits):
            raise ValueError(f'colormap must be of shape (3, {1 << bits})')

    if appendto is not None:
        prior = readable(appendto)
        mode = b'a'
    else:
        mode = b'w' + _byteorder(byteorder)
        if bigtiff is None:
            bigtiff = array.nbytes > (1 << 32) - (1 << 25)
        if bigtiff:
            mode += b'8'
    handle.open(prior, mode, 0, 1 if verbose else 0)

    memset(&page, 0, sizeof(page))
    page.width = width
    page.length = length
    page.depth = 1
    page.samples = spp
    page.bitspersample = bits
    page.sampleformat = sampleformat
    page.planarconfig = planar
    page.photometric = photo
    page.compression = comp
    if tile is not None:
        page.tiled = 1
        page.tilelength, page.tilewidth = tile
        page.tiledepth = 1
    else:
        page.rowsperstrip = length if rowsperstrip is None else min(
            int(rowsperstrip), length)
    array = array.reshape(-1)
    pagesize = length * width * spp
    src = readable(array)
    description = _text(description)
    software = _text(software)
    datetime = _text(datetime)
    extra_array = numpy.array(extras, numpy.uint16)
    tif = handle.h.tif
    for n in range(npages):
        _tag(handle, TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, page.width))
        _tag(handle, TIFFSetField(tif, TIFFTAG_IMAGELENGTH, page.length))
        _tag(handle, TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE,
                                  <int> page.bitspersample))
        _tag(handle, TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL,
                                  <int> page.samples))
        _tag(handle, TIFFSetField(tif, TIFFTAG_SAMPLEFORMAT,
                                  <int> page.sampleformat))
        _tag(handle, TIFFSetField(tif, TIFFTAG_COMPRESSION,
                                  <int> page.compression))
        _tag(handle, TIFFSetField(tif, TIFFTAG_PHOTOMETRIC,
                                  <int> page.photometric))
        if spp > 1:
            _tag(handle, TIFFSetField(tif, TIFFTAG_PLANARCONFIG,
                                      <int> page.planarconfig))
        if nextra:
            extra = <uint16_t*> <size_t> extra_array.ctypes.data
            _tag(handle, TIFFSetField(tif, TIFFTAG_EXTRASAMPLES,
                                      <int> nextra, extra))
        if subfiletype:
            _tag(handle, TIFFSetField(tif, TIFFTAG_SUBFILETYPE,
                                      <uint32_t> int(subfiletype)))
        if page.tiled:
            _tag(handle, TIFFSetField(tif, TIFFTAG_TILEWIDTH,
                                      page.tilewidth))
            _tag(handle, TIFFSetField(tif, TIFFTAG_TILELENGTH,
                                      page.tilelength))
        else:
            _tag(handle, TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP,
                                      page.rowsperstrip))
        if predictor != 1:
            _tag(handle, TIFFSetField(tif, TIFFTAG_PREDICTOR,
                                      <int> predictor))
        _codec_options(handle, comp, level, subcodec, photo)
        if resolution is not None:
            _tag(handle, TIFFSetField(tif, TIFFTAG_XRESOLUTION,
                                      <double> float(resolution[0])))
            _tag(handle, TIFFSetField(tif, TIFFTAG_YRESOLUTION,
                                      <double> float(resolution[1])))
            if resolutionunit is not None:
                _tag(handle, TIFFSetField(
                    tif, TIFFTAG_RESOLUTIONUNIT, <int> enum_value(
                        resolutionunit, TIFF.RESUNIT, 2, 'TIFF')))
        else:
            _tag(handle, TIFFSetField(tif, TIFFTAG_XRESOLUTION, <double> 1))
            _tag(handle, TIFFSetField(tif, TIFFTAG_YRESOLUTION, <double> 1))
            _tag(handle, TIFFSetField(
                tif, TIFFTAG_RESOLUTIONUNIT, <int> enum_value(
                    resolutionunit, TIFF.RESUNIT, 1, 'TIFF')))
        if description is not None:
            text_ptr = description
            _tag(handle, TIFFSetField(tif, TIFFTAG_IMAGEDESCRIPTION, text_ptr))
        if software is not None:
            text_ptr = software
            _tag(handle, TIFFSetField(tif, TIFFTAG_SOFTWARE, text_ptr))
        if datetime is not None:
            text_ptr = datetime
            _tag(handle, TIFFSetField(tif, TIFFTAG_DATETIME, text_ptr))
        if colormap is not None:
            ptr = <const uint8_t*> <size_t> cmap.ctypes.data
            count = 1 << bits
            _tag(handle, TIFFSetField(
                tif, TIFFTAG_COLORMAP, <uint16_t*> ptr,
                <uint16_t*> ptr + count, <uint16_t*> ptr + 2 * count))
        if iccprofile is not None:
            icc = bytes(iccprofile)
            icc_ptr = icc
            _tag(handle, TIFFSetField(tif, TIFFTAG_ICCPROFILE,
                                      <uint32_t> len(icc), icc_ptr))
        ptr = src.ptr + <Py_ssize_t> n * pagesize * itemsize
        with nogil:
            status = imcd_tiff_write_page(&handle.h, &page, itemsize, ptr,
                                          pagesize * itemsize)
        if status < 0:
            handle.fail(status)
        if handle.h.error[0] != 0:
            handle.fail(-1)
    with nogil:
        imcd_tiff_close(&handle.h)
    if handle.h.error[0] != 0:
        handle.fail(-1)
    handle.warn()
    size = handle.h.size
    dst = output(out, size, TiffError)
    with nogil:
        memcpy(dst.ptr, handle.h.data, size)
    return dst.finish(size)


cdef object _text(value):
    if value is None:
        return None
    if isinstance(value, _datetime.datetime):
        value = value.strftime('%Y:%m:%d %H:%M:%S')
    if isinstance(value, str):
        value = value.encode()
    return bytes(value) + b'\x00'


cdef int _tag(_Handle handle, int ok) except -1:
    if not ok:
        raise TiffError(handle.error('TIFFSetField failed'))
    return 0


cdef int _codec_options(_Handle handle, int comp, level, subcodec,
                        int photo) except -1:
    cdef tiff* tif = handle.h.tif
    if comp in (8, 32946):
        if level is not None:
            _tag(handle, TIFFSetField(tif, TIFFTAG_ZIPQUALITY,
                                      <int> int(level)))
    elif comp == 50000:
        if level is not None:
            _tag(handle, TIFFSetField(tif, TIFFTAG_ZSTD_LEVEL,
                                      <int> int(level)))
    elif comp == 34925:
        if level is not None:
            _tag(handle, TIFFSetField(tif, TIFFTAG_LZMAPRESET,
                                      <int> int(level)))
    elif comp == 7:
        if level is not None:
            _tag(handle, TIFFSetField(tif, TIFFTAG_JPEGQUALITY,
                                      <int> int(level)))
        if photo == 6:
            # the input is RGB; libjpeg converts it to YCbCr
            _tag(handle, TIFFSetField(tif, TIFFTAG_JPEGCOLORMODE,
                                      JPEGCOLORMODE_RGB))
    elif comp == 50001:
        if level is None or int(level) >= 100:
            _tag(handle, TIFFSetField(tif, TIFFTAG_WEBP_LOSSLESS, <int> 1))
        else:
            _tag(handle, TIFFSetField(tif, TIFFTAG_WEBP_LEVEL,
                                      <int> int(level)))
    elif comp == 34887:
        if level is not None:
            _tag(handle, TIFFSetField(tif, TIFFTAG_LERC_MAXZERROR,
                                      <double> float(level)))
        if subcodec is not None:
            key = subcodec.lower() if isinstance(subcodec, str) else subcodec
            if key not in _SUBCODECS:
                raise ValueError(f'invalid LERC subcodec {subcodec!r}')
            _tag(handle, TIFFSetField(tif, TIFFTAG_LERC_ADD_COMPRESSION,
                                      <int> _SUBCODECS[key]))
    return 0
