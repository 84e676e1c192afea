# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""GIF codec over giflib.

giflib allocates every frame at the size its image descriptor claims
before it reads the frame's data, so the file's structure is walked here
first: frames larger than their LZW data can describe, and files cut short,
are refused before giflib sees them.
"""

import numpy

from libc.stdint cimport uint8_t
from libc.stdlib cimport malloc, realloc, free
from libc.string cimport memcpy, memcmp, memset

from imagecodecs._shared cimport Input, Output, readable, output, new_array
from imagecodecs._exceptions import GifError, error_as
from imagecodecs.libs.gif cimport *

# An LZW code stands for at most 4096 pixels and takes at least 12 bits
# once the table is full: 4096 pixels per byte is more than any frame's
# data can describe.
cdef Py_ssize_t MAX_PIXELS_PER_BYTE = 4096
# Canvases (frames times screen) beyond this many pixels must also be
# covered by the data at that ratio: a small file cannot ask for more.
cdef Py_ssize_t MAX_CANVAS_PIXELS = 1 << 28


class GIF:
    """GIF codec constants."""

    available = True


def gif_version():
    """Return the version of giflib."""
    return f'giflib {GIFLIB_MAJOR}.{GIFLIB_MINOR}.{GIFLIB_RELEASE}'


def gif_check(data):
    """Return whether data starts with a GIF signature."""
    return bytes(memoryview(data)[:6]) in (b'GIF87a', b'GIF89a')


cdef str _message(int error):
    cdef const char* text = GifErrorString(error)
    return f'error {error}' if text == NULL else text.decode()


# -- decoding ----------------------------------------------------------------

ctypedef struct _Reader:
    const uint8_t* data
    Py_ssize_t size
    Py_ssize_t pos


cdef int _read(GifFileType* gif, GifByteType* buf, int size) noexcept nogil:
    cdef _Reader* reader = <_Reader*> gif.UserData
    cdef Py_ssize_t n = reader.size - reader.pos
    if size < 0:
        return 0
    if n > size:
        n = size
    memcpy(buf, reader.data + reader.pos, n)
    reader.pos += n
    return <int> n


cdef Py_ssize_t _skip_blocks(const uint8_t* p, Py_ssize_t size,
                             Py_ssize_t* pos) noexcept nogil:
    """Skip data sub-blocks up to their terminator; return their total
    length, -1 if the data ends first."""
    cdef Py_ssize_t total = 0
    cdef Py_ssize_t n
    while True:
        if pos[0] >= size:
            return -1
        n = p[pos[0]]
        pos[0] += 1
        if n == 0:
            return total
        pos[0] += n
        total += n


cdef tuple _walk(Input src):
    """Return the number of frames and the canvas height and width.

    Raise GifError if the structure is truncated or corrupt, or a frame
    claims more pixels than its data can hold.
    """
    cdef const uint8_t* p = src.ptr
    cdef Py_ssize_t size = src.size
    cdef Py_ssize_t pos = 13
    cdef Py_ssize_t height, width, left, top, w, h, nbytes
    cdef int frames = 0
    cdef uint8_t flags
    if size < 13 or (memcmp(p, b'GIF87a', 6) != 0
                     and memcmp(p, b'GIF89a', 6) != 0):
        raise GifError('not a GIF file')
    width = p[6] | (p[7] << 8)
    height = p[8] | (p[9] << 8)
    if p[10] & 0x80:
        pos += 3 * (2 << (p[10] & 7))
    while True:
        if pos >= size:
            raise GifError('GIF file truncated')
        if p[pos] == 0x3B:  # trailer
            break
        if p[pos] == 0x21:  # extension
            pos += 2
            if _skip_blocks(p, size, &pos) < 0:
                raise GifError('GIF file truncated')
        elif p[pos] == 0x2C:  # image descriptor
            if pos + 11 > size:
                raise GifError('GIF file truncated')
            left = p[pos + 1] | (p[pos + 2] << 8)
            top = p[pos + 3] | (p[pos + 4] << 8)
            w = p[pos + 5] | (p[pos + 6] << 8)
            h = p[pos + 7] | (p[pos + 8] << 8)
            flags = p[pos + 9]
            pos += 10
            if flags & 0x80:
                pos += 3 * (2 << (flags & 7))
            pos += 1  # LZW minimum code size
            nbytes = _skip_blocks(p, size, &pos)
            if nbytes < 0:
                raise GifError('GIF file truncated')
            if w == 0 or h == 0 or w * h > nbytes * MAX_PIXELS_PER_BYTE:
                raise GifError(f'corrupt frame {frames}: {w} x {h} pixels '
                               f'from {nbytes} bytes')
            width = max(width, left + w)
            height = max(height, top + h)
            frames += 1
        else:
            raise GifError(f'corrupt GIF file: record {p[pos]:#x} at {pos}')
    if frames == 0:
        raise GifError('GIF file has no images')
    if <object> frames * width * height > max(MAX_CANVAS_PIXELS,
                                     size * MAX_PIXELS_PER_BYTE):
        raise GifError(f'{frames} frames of {width} x {height} pixels are '
                       f'too large for {size} bytes')
    return frames, height, width


ctypedef struct _Frame:
    const uint8_t* raster
    int left, top, width, height
    const GifColorType* colors
    int ncolors
    int transparent
    int disposal


cdef void _draw(uint8_t* canvas, Py_ssize_t width, int channels,
                const _Frame* frame) noexcept nogil:
    """Paint a frame's opaque pixels of valid indices onto the canvas."""
    cdef Py_ssize_t x, y
    cdef int index
    cdef uint8_t* pixel
    cdef const uint8_t* row
    for y in range(frame.height):
        row = frame.raster + y * frame.width
        pixel = canvas + ((frame.top + y) * width + frame.left) * channels
        for x in range(frame.width):
            index = row[x]
            if index != frame.transparent and index < frame.ncolors:
                pixel[0] = frame.colors[index].Red
                pixel[1] = frame.colors[index].Green
                pixel[2] = frame.colors[index].Blue
                if channels == 4:
                    pixel[3] = 255
            pixel += channels


cdef void _fill(uint8_t* canvas, Py_ssize_t width, int channels,
                int top, int left, int height, int rectwidth,
                const uint8_t* color) noexcept nogil:
    """Fill a rectangle of the canvas with one color (and alpha)."""
    cdef Py_ssize_t x, y
    cdef uint8_t* pixel
    for y in range(height):
        pixel = canvas + ((top + y) * width + left) * channels
        for x in range(rectwidth):
            memcpy(pixel, color, channels)
            pixel += channels


cdef void _place(uint8_t* canvas, Py_ssize_t width,
                 const _Frame* frame) noexcept nogil:
    """Copy a frame's indices into an index canvas."""
    cdef Py_ssize_t y
    for y in range(frame.height):
        memcpy(canvas + (frame.top + y) * width + frame.left,
               frame.raster + y * frame.width, frame.width)


def gif_decode(data, index=None, asrgb=True, out=None):
    """Return decoded GIF image.

    All frames composed as an animation shows them, (frames, height,
    width, 3) uint8 RGB, or RGBA if the first frame has a transparent
    color; a file of one frame without the frames axis. Where no frame
    painted, pixels are black (and transparent). index: that frame only
    (negative counts from the end) on black, disposal ignored.
    asrgb=False: the color indices of each frame on a canvas of zeros.
    The canvas is the logical screen, enlarged to hold every frame.
    """
    cdef Input src = readable(data)
    cdef _Reader reader
    cdef GifFileType* gif = NULL
    cdef GraphicsControlBlock gcb
    cdef _Frame* frames = NULL
    cdef _Frame* frame
    cdef SavedImage* image
    cdef ColorMapObject* colormap
    cdef uint8_t* canvas = NULL
    cdef uint8_t* previous = NULL
    cdef uint8_t* dst
    cdef uint8_t background[4]
    cdef Py_ssize_t height, width, framesize, i
    cdef int nframes, error = 0, ret, channels, first, last
    cdef bint rgb = bool(asrgb)
    cdef bint missing = False
    cdef bint single = index is not None
    cdef Output buffer

    nframes, height, width = _walk(src)
    if single:
        i = int(index)
        if i < 0:
            i += nframes
        if not 0 <= i < nframes:
            raise error_as(GifError, IndexError)(
                f'index {index} out of range for {nframes} frames')
        first = <int> i
        last = first + 1
    else:
        first = 0
        last = nframes
    reader.data = src.ptr
    reader.size = src.size
    reader.pos = 0
    try:
        with nogil:
            gif = DGifOpen(&reader, _read, &error)
            if gif != NULL:
                ret = DGifSlurp(gif)
        if gif == NULL:
            raise GifError(f'DGifOpen failed: {_message(error)}')
        if ret != GIF_OK:
            raise GifError(f'DGifSlurp failed: {_message(gif.Error)}')
        if gif.ImageCount != nframes:
            raise GifError(f'{gif.ImageCount} frames, expected {nframes}')

        frames = <_Frame*> malloc(nframes * sizeof(_Frame))
        if frames == NULL:
            raise MemoryError('cannot allocate frame list')
        for i in range(nframes):
            image = &gif.SavedImages[i]
            frame = &frames[i]
            frame.raster = image.RasterBits
            frame.left = image.ImageDesc.Left
            frame.top = image.ImageDesc.Top
            frame.width = image.ImageDesc.Width
            frame.height = image.ImageDesc.Height
            # the canvas holds every frame: checked, not trusted
            if (frame.raster == NULL or frame.left < 0 or frame.top < 0
                    or frame.width <= 0 or frame.height <= 0
                    or frame.left + frame.width > width
                    or frame.top + frame.height > height):
                raise GifError(f'corrupt frame {i}')
            colormap = image.ImageDesc.ColorMap
            if colormap == NULL:
                colormap = gif.SColorMap
            if colormap == NULL or colormap.Colors == NULL:
                frame.colors = NULL
                frame.ncolors = 0
                missing = missing or first <= i < last
            else:
                frame.colors = colormap.Colors
                frame.ncolors = min(max(colormap.ColorCount, 0), 256)
            frame.transparent = NO_TRANSPARENT_COLOR
            frame.disposal = 0
            if DGifSavedExtensionToGCB(gif, <int> i, &gcb) == GIF_OK:
                frame.transparent = gcb.TransparentColor
                frame.disposal = gcb.DisposalMode

        if not rgb:
            shape = (height, width)
            if not single and nframes > 1:
                shape = (nframes,) + shape
            result = new_array(out, shape, numpy.uint8, GifError, data)
            buffer = output(result, result.nbytes, GifError)
            framesize = height * width
            with nogil:
                memset(buffer.ptr, 0, buffer.size)
                for i in range(first, last):
                    _place(buffer.ptr + (i - first) * framesize, width,
                           &frames[i])
            return result

        if missing:
            raise GifError('no color table for a frame')
        channels = 3 if frames[0].transparent == NO_TRANSPARENT_COLOR else 4
        # black, transparent in RGBA: the background color field is
        # ignored, as by the reference and by web browsers
        memset(background, 0, 4)
        shape = (height, width, channels)
        if not single and nframes > 1:
            shape = (nframes,) + shape
        result = new_array(out, shape, numpy.uint8, GifError, data)
        buffer = output(result, result.nbytes, GifError)
        framesize = height * width * channels
        canvas = <uint8_t*> malloc(framesize)
        previous = <uint8_t*> malloc(framesize)
        if canvas == NULL or previous == NULL:
            raise MemoryError('cannot allocate canvas')
        with nogil:
            _fill(canvas, width, channels, 0, 0, <int> height, <int> width,
                  background)
            for i in range(first, last):
                frame = &frames[i]
                if not single and frame.disposal == DISPOSE_PREVIOUS:
                    memcpy(previous, canvas, framesize)
                _draw(canvas, width, channels, frame)
                memcpy(buffer.ptr + (i - first) * framesize, canvas,
                       framesize)
                if single:
                    break
                # how the frame leaves the canvas for the next one
                if frame.disposal == DISPOSE_BACKGROUND:
                    _fill(canvas, width, channels, frame.top, frame.left,
                          frame.height, frame.width, background)
                elif frame.disposal == DISPOSE_PREVIOUS:
                    memcpy(canvas, previous, framesize)
        return result
    finally:
        free(canvas)
        free(previous)
        free(frames)
        if gif != NULL:
            DGifCloseFile(gif, &error)


# -- encoding ----------------------------------------------------------------

ctypedef struct _Writer:
    uint8_t* data
    Py_ssize_t size
    Py_ssize_t capacity
    bint failed


cdef int _write(GifFileType* gif, const GifByteType* buf,
                int size) noexcept nogil:
    cdef _Writer* writer = <_Writer*> gif.UserData
    cdef Py_ssize_t capacity
    cdef uint8_t* data
    if size <= 0:
        return 0
    if writer.size + size > writer.capacity:
        capacity = max(writer.capacity * 2, writer.size + size + 4096)
        data = <uint8_t*> realloc(writer.data, capacity)
        if data == NULL:
            writer.failed = True
            return 0
        writer.data = data
        writer.capacity = capacity
    memcpy(writer.data + writer.size, buf, size)
    writer.size += size
    return size


def gif_encode(data, colormap=None, out=None):
    """Return GIF encoded image.

    data: uint8 color indices, (height, width) for one frame or (frames,
    height, width). colormap: up to 256 RGB entries, uint8 of shape
    (colors, 3), padded to 256 with black; default: a gray ramp.
    """
    array = numpy.asarray(data)
    if array.dtype != numpy.uint8 or array.ndim not in (2, 3):
        raise error_as(GifError, ValueError)(
            f'invalid data shape {array.shape} or dtype {array.dtype}')
    if array.ndim == 2:
        array = array[numpy.newaxis]
    nframes, height, width = array.shape
    if array.size == 0 or height > 65535 or width > 65535:
        raise GifError(f'cannot encode an image of shape {array.shape}')
    array = numpy.ascontiguousarray(array)
    if colormap is None:
        table = numpy.repeat(numpy.arange(256, dtype=numpy.uint8), 3)
    else:
        table = numpy.asarray(colormap)
        if (table.dtype != numpy.uint8 or table.ndim != 2
                or table.shape[1] != 3 or not 0 < table.shape[0] <= 256):
            raise error_as(GifError, ValueError)(
                f'invalid colormap shape {table.shape} or dtype '
                f'{table.dtype}')
        table = numpy.concatenate(
            [table.reshape(-1),
             numpy.zeros(3 * (256 - table.shape[0]), numpy.uint8)])
    cdef Input src = readable(array)
    cdef Input colors = readable(numpy.ascontiguousarray(table))
    cdef _Writer writer
    cdef GifFileType* gif = NULL
    cdef ColorMapObject* cmap = NULL
    cdef uint8_t* row = NULL
    cdef int error = 0, ret = GIF_OK, closed
    cdef Py_ssize_t i, y, h = height, w = width, n = nframes
    cdef Output dst
    writer.data = NULL
    writer.size = 0
    writer.capacity = 0
    writer.failed = False
    try:
        cmap = GifMakeMapObject(256, <const GifColorType*> colors.ptr)
        # EGifPutLine masks the line it is given in place: rows are copied
        row = <uint8_t*> malloc(w)
        if cmap == NULL or row == NULL:
            raise MemoryError('cannot allocate color map')
        with nogil:
            gif = EGifOpen(&writer, _write, &error)
            if gif != NULL:
                EGifSetGifVersion(gif, False)
                ret = EGifPutScreenDesc(gif, <int> w, <int> h, 8, 0, cmap)
                i = 0
                while ret == GIF_OK and i < n:
                    ret = EGifPutImageDesc(gif, 0, 0, <int> w, <int> h,
                                           False, NULL)
                    y = 0
                    while ret == GIF_OK and y < h:
                        memcpy(row, src.ptr + (i * h + y) * w, w)
                        ret = EGifPutLine(gif, row, <int> w)
                        y += 1
                    i += 1
                if ret != GIF_OK:
                    error = gif.Error
                # writes the trailer and frees gif, also after a failure
                closed = EGifCloseFile(gif, &error if ret == GIF_OK
                                       else NULL)
                gif = NULL
                if ret == GIF_OK and closed != GIF_OK:
                    ret = GIF_ERROR
        if writer.failed:
            raise MemoryError('cannot allocate GIF output')
        if ret != GIF_OK:
            raise GifError(f'GIF encoding failed: {_message(error)}')
        dst = output(out, writer.size, GifError)
        with nogil:
            memcpy(dst.ptr, writer.data, writer.size)
        return dst.finish(writer.size)
    finally:
        free(row)
        free(writer.data)
        if cmap != NULL:
            GifFreeMapObject(cmap)
