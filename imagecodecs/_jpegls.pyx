# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""JPEGLS codec over CharLS (JPEG-LS, ITU-T T.87 / ISO 14495-1).

Arrays of uint8 or uint16, (height, width) or (height, width, 1, 3 or 4),
are written with 8 or 16 bits per sample as their dtype says, after a
SPIFF header (grayscale, RGB or no colour space; square pixels). Any frame CharLS reads decodes: 2 to 8 bits per sample to
uint8, 9 to 16 to uint16, one component to (height, width), more to
(height, width, components) whatever the interleave mode of the scans.
"""

import math
import numbers

import numpy

from libc.stdint cimport int32_t, uint8_t, uint32_t

from imagecodecs._shared cimport Input, Output, readable, output, new_array
from imagecodecs._exceptions import JpeglsError, error_as
from imagecodecs.libs.charls cimport *

_JpeglsValueError = error_as(JpeglsError, ValueError)

# A stream codes each line of a scan in at least one bit, and a flat image
# in little more, so a header may claim a frame far beyond its data. Frames
# beyond the floor must come with at least 1/MAX_RATIO of their size.
cdef Py_ssize_t MAX_RATIO = 16384
cdef Py_ssize_t MAX_FLOOR = 1 << 26
cdef Py_ssize_t MAX_RUN = 1 << 15  # samples one bit of run mode codes

# room beyond the size CharLS estimates (raw size, headers and SPIFF
# header): noise may take more, and the encoder wants spare room
cdef Py_ssize_t ENCODE_SLACK = 4096


class JPEGLS:
    """JPEGLS codec constants."""

    available = True


def jpegls_version():
    """Return the version of the CharLS library."""
    return (f'charls {CHARLS_VERSION_MAJOR}.{CHARLS_VERSION_MINOR}.'
            f'{CHARLS_VERSION_PATCH}')


def jpegls_check(data):
    """Return None: like the reference, do not test for a signature."""
    return None


cdef int _check(charls_jpegls_errc errc, str func) except -1:
    if errc == CHARLS_JPEGLS_ERRC_SUCCESS:
        return 0
    if errc == CHARLS_JPEGLS_ERRC_NOT_ENOUGH_MEMORY:
        raise MemoryError(f'{func} failed: out of memory')
    raise JpeglsError(
        f'{func} returned {charls_get_error_message(errc).decode()}')


# -- encoding ----------------------------------------------------------------

def jpegls_encode(data, level=None, out=None):
    """Return JPEG-LS encoded image.

    data: uint8 or uint16 array of shape (height, width) or
    (height, width, components) with 1, 3 or 4 components.
    level: NEAR, the largest difference of a decoded sample from its value
    (0 or None: lossless; up to half the dtype's maximum).
    """
    array = numpy.asarray(data)
    if array.dtype.kind != 'u' or array.dtype.itemsize not in (1, 2) or (
            array.ndim not in (2, 3)):
        raise _JpeglsValueError(
            f'invalid data shape {array.shape} or dtype {array.dtype}')
    if array.ndim == 3 and array.shape[2] not in (1, 3, 4):
        raise _JpeglsValueError(
            f'invalid shape {array.shape}: 1, 3 or 4 components expected')
    array = numpy.ascontiguousarray(array, array.dtype.newbyteorder('='))

    cdef Input src = readable(array)
    cdef charls_frame_info frame
    cdef int32_t near = _near(level, array.dtype.itemsize)
    cdef charls_interleave_mode mode
    cdef charls_spiff_color_space space
    cdef Output dst
    cdef Py_ssize_t bound
    cdef size_t estimate = 0
    cdef size_t written = 0
    cdef charls_jpegls_errc errc

    components = 1 if array.ndim == 2 else array.shape[2]
    if max(array.shape) > 0xFFFFFFFF:
        raise JpeglsError(f'shape {array.shape} too large')
    frame.height = array.shape[0]
    frame.width = array.shape[1]
    frame.bits_per_sample = 8 * array.dtype.itemsize
    frame.component_count = components
    # samples are interleaved in memory; CharLS reads them so in line and
    # sample mode (the reference chooses sample mode for RGB only)
    mode = (CHARLS_INTERLEAVE_MODE_NONE if components == 1 else
            CHARLS_INTERLEAVE_MODE_SAMPLE if components == 3 else
            CHARLS_INTERLEAVE_MODE_LINE)
    space = (CHARLS_SPIFF_COLOR_SPACE_GRAYSCALE if components == 1 else
             CHARLS_SPIFF_COLOR_SPACE_RGB if components == 3 else
             CHARLS_SPIFF_COLOR_SPACE_NONE)

    encoder = _configured(&frame, near, mode)
    _check(charls_jpegls_encoder_get_estimated_destination_size(
        encoder.ptr, &estimate),
        'charls_jpegls_encoder_get_estimated_destination_size')
    bound = <Py_ssize_t> estimate + ENCODE_SLACK
    dst = output(out, bound, JpeglsError, False)
    # CharLS wants room beyond its result: a smaller given output gets
    # the result copied from a workspace
    errc = _encode(encoder, src, dst, bound, space, &written)
    if errc == CHARLS_JPEGLS_ERRC_DESTINATION_BUFFER_TOO_SMALL:
        # noise beyond the estimate: retry with the worst case, where every
        # sample takes an escape code of up to 4 times its size and every
        # byte after 0xFF a stuffed bit
        bound = src.size * 4 + src.size // 2 + ENCODE_SLACK
        if dst.growable:
            dst.grow(bound)
        encoder = _configured(&frame, near, mode)
        errc = _encode(encoder, src, dst, bound, space, &written)
    _check(errc, 'charls_jpegls_encoder_encode_from_buffer')
    dst.commit(<Py_ssize_t> written)
    return dst.finish(<Py_ssize_t> written)


cdef _Encoder _configured(charls_frame_info* frame, int32_t near,
                          charls_interleave_mode mode):
    cdef _Encoder encoder = _Encoder()
    _check(charls_jpegls_encoder_set_frame_info(encoder.ptr, frame),
           'charls_jpegls_encoder_set_frame_info')
    _check(charls_jpegls_encoder_set_near_lossless(encoder.ptr, near),
           'charls_jpegls_encoder_set_near_lossless')
    _check(charls_jpegls_encoder_set_interleave_mode(encoder.ptr, mode),
           'charls_jpegls_encoder_set_interleave_mode')
    return encoder


cdef int32_t _near(level, int itemsize) except -1:
    """Return the NEAR parameter of level: negative is lossless; more than
    half the largest sample value cannot be decoded."""
    if level is None:
        return 0
    if not isinstance(level, numbers.Real):
        raise TypeError(f'level must be a number, not {type(level).__name__}')
    near = max(int(level), 0)
    limit = min(255, ((1 << (8 * itemsize)) - 1) // 2)
    if near > limit:
        raise _JpeglsValueError(
            f'level {level} outside the range [0, {limit}]')
    return near


cdef charls_jpegls_errc _encode(_Encoder encoder, Input src, Output dst,
                                Py_ssize_t bound,
                                charls_spiff_color_space space,
                                size_t* written) except *:
    """Write SPIFF header and image to a workspace of dst with room for
    `bound` bytes; return the CharLS status."""
    cdef charls_jpegls_errc errc
    cdef uint8_t* ptr = dst.workspace(bound)
    cdef size_t room = dst.size if ptr == dst.ptr else max(bound, 1)
    with nogil:
        errc = charls_jpegls_encoder_set_destination_buffer(
            encoder.ptr, ptr, room)
        if errc == CHARLS_JPEGLS_ERRC_SUCCESS:
            # square pixels: the image says nothing of its resolution
            errc = charls_jpegls_encoder_write_standard_spiff_header(
                encoder.ptr, space, CHARLS_SPIFF_RESOLUTION_UNITS_ASPECT_RATIO,
                1, 1)
        if errc == CHARLS_JPEGLS_ERRC_SUCCESS:
            errc = charls_jpegls_encoder_encode_from_buffer(
                encoder.ptr, src.ptr, <size_t> src.size, 0)
        if errc == CHARLS_JPEGLS_ERRC_SUCCESS:
            errc = charls_jpegls_encoder_get_bytes_written(encoder.ptr,
                                                           written)
    return errc


cdef class _Encoder:
    cdef charls_jpegls_encoder* ptr

    def __cinit__(self):
        self.ptr = charls_jpegls_encoder_create()
        if self.ptr == NULL:
            raise MemoryError('charls_jpegls_encoder_create failed')

    def __dealloc__(self):
        charls_jpegls_encoder_destroy(self.ptr)


cdef class _Decoder:
    cdef charls_jpegls_decoder* ptr

    def __cinit__(self):
        self.ptr = charls_jpegls_decoder_create()
        if self.ptr == NULL:
            raise MemoryError('charls_jpegls_decoder_create failed')

    def __dealloc__(self):
        charls_jpegls_decoder_destroy(self.ptr)


# -- decoding ----------------------------------------------------------------

def jpegls_decode(data, out=None):
    """Return decoded JPEG-LS image.

    uint8 for up to 8 bits per sample, else uint16; (height, width) or
    (height, width, components).
    """
    cdef Input src = readable(data)
    cdef charls_frame_info frame
    cdef charls_interleave_mode mode
    cdef size_t needed = 0
    cdef charls_jpegls_errc errc
    cdef _Decoder decoder = _Decoder()
    cdef Py_ssize_t size
    if data is out and out is not None:
        raise ValueError('cannot decode in place')

    with nogil:
        size = _end_of_image(src.ptr, src.size)
    if size < 0:
        raise JpeglsError('no end of image marker: truncated stream')
    with nogil:
        errc = charls_jpegls_decoder_set_source_buffer(
            decoder.ptr, src.ptr, <size_t> size)
        if errc == CHARLS_JPEGLS_ERRC_SUCCESS:
            errc = charls_jpegls_decoder_read_header(decoder.ptr)
    _check(errc, 'charls_jpegls_decoder_read_header')
    _check(charls_jpegls_decoder_get_frame_info(decoder.ptr, &frame),
           'charls_jpegls_decoder_get_frame_info')
    _check(charls_jpegls_decoder_get_interleave_mode(decoder.ptr, &mode),
           'charls_jpegls_decoder_get_interleave_mode')

    components = frame.component_count
    dtype = numpy.dtype(numpy.uint8 if frame.bits_per_sample <= 8
                        else numpy.uint16)
    _plausible(size, frame, mode, dtype.itemsize)
    _check(charls_jpegls_decoder_get_destination_size(decoder.ptr, 0,
                                                      &needed),
           'charls_jpegls_decoder_get_destination_size')
    shape = (frame.height, frame.width)
    if components > 1:
        shape += (components,)
    if needed != math.prod(shape) * dtype.itemsize:
        raise JpeglsError(f'unexpected destination size {needed}')

    result = new_array(out, shape, dtype, JpeglsError, data)
    if components > 1 and mode == CHARLS_INTERLEAVE_MODE_NONE:
        # CharLS writes one plane per component
        planes = numpy.empty((components, frame.height, frame.width), dtype)
        _decode_to(decoder, planes)
        numpy.copyto(result, planes.transpose(1, 2, 0))
    else:
        _decode_to(decoder, result)
    return result


cdef Py_ssize_t _end_of_image(const uint8_t* data,
                              Py_ssize_t size) noexcept nogil:
    """Return the size of data up to its last EOI marker, -1 if none.

    CharLS 2.4 loops forever on a scan that runs into the end of its
    buffer, for its bit reader then takes a negative count of bits left
    for bits. A buffer ending in EOI stops the reader at a marker, and
    CharLS ignores what follows EOI anyway.
    """
    cdef Py_ssize_t i = size - 2
    while i >= 0:
        if data[i] == 0xFF and data[i + 1] == 0xD9:
            return i + 2
        i -= 1
    return -1


cdef int _decode_to(_Decoder decoder, array) except -1:
    cdef Output dst = output(array, array.nbytes, JpeglsError)
    cdef charls_jpegls_errc errc
    with nogil:
        errc = charls_jpegls_decoder_decode_to_buffer(
            decoder.ptr, dst.ptr, <size_t> dst.size, 0)
    _check(errc, 'charls_jpegls_decoder_decode_to_buffer')
    return 0


cdef int _plausible(Py_ssize_t size, charls_frame_info frame,
                    charls_interleave_mode mode, int itemsize) except -1:
    """Raise unless `size` bytes can hold the frame, before allocating."""
    height = int(frame.height)
    width = int(frame.width)
    components = int(frame.component_count)
    lines = height * (components if mode == CHARLS_INTERLEAVE_MODE_NONE
                      else 1)
    bits = lines * -(-width // MAX_RUN)
    nbytes = height * width * components * itemsize
    if bits > 8 * size or nbytes > max(MAX_FLOOR, size * MAX_RATIO):
        raise JpeglsError(f'corrupt stream: {height} x {width} x '
                          f'{components} samples in {size} bytes')
    return 0
