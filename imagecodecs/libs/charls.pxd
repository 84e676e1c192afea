# SPDX-License-Identifier: BSD-3-Clause
# C declarations of CharLS (charls/charls.h) used by imagecodecs. The C API
# reports every failure as a charls_jpegls_errc code: no C++ exception
# crosses it.

from libc.stdint cimport int32_t, uint32_t

cdef extern from 'charls/charls.h' nogil:
    int CHARLS_VERSION_MAJOR
    int CHARLS_VERSION_MINOR
    int CHARLS_VERSION_PATCH

    ctypedef enum charls_jpegls_errc:
        CHARLS_JPEGLS_ERRC_SUCCESS
        CHARLS_JPEGLS_ERRC_DESTINATION_BUFFER_TOO_SMALL
        CHARLS_JPEGLS_ERRC_NOT_ENOUGH_MEMORY

    ctypedef enum charls_interleave_mode:
        CHARLS_INTERLEAVE_MODE_NONE
        CHARLS_INTERLEAVE_MODE_LINE
        CHARLS_INTERLEAVE_MODE_SAMPLE

    ctypedef int32_t charls_spiff_color_space
    ctypedef int32_t charls_spiff_resolution_units

    cdef enum:
        CHARLS_SPIFF_COLOR_SPACE_NONE
        CHARLS_SPIFF_COLOR_SPACE_GRAYSCALE
        CHARLS_SPIFF_COLOR_SPACE_RGB
        CHARLS_SPIFF_RESOLUTION_UNITS_ASPECT_RATIO

    ctypedef struct charls_frame_info:
        uint32_t width
        uint32_t height
        int32_t bits_per_sample
        int32_t component_count

    ctypedef struct charls_jpegls_decoder:
        pass

    ctypedef struct charls_jpegls_encoder:
        pass

    const char* charls_get_error_message(charls_jpegls_errc error_value)

    charls_jpegls_decoder* charls_jpegls_decoder_create()
    void charls_jpegls_decoder_destroy(const charls_jpegls_decoder* decoder)
    charls_jpegls_errc charls_jpegls_decoder_set_source_buffer(
        charls_jpegls_decoder* decoder, const void* source_buffer,
        size_t source_size_bytes)
    charls_jpegls_errc charls_jpegls_decoder_read_header(
        charls_jpegls_decoder* decoder)
    charls_jpegls_errc charls_jpegls_decoder_get_frame_info(
        const charls_jpegls_decoder* decoder, charls_frame_info* frame_info)
    charls_jpegls_errc charls_jpegls_decoder_get_interleave_mode(
        const charls_jpegls_decoder* decoder,
        charls_interleave_mode* interleave_mode)
    charls_jpegls_errc charls_jpegls_decoder_get_destination_size(
        const charls_jpegls_decoder* decoder, uint32_t stride,
        size_t* destination_size_bytes)
    charls_jpegls_errc charls_jpegls_decoder_decode_to_buffer(
        charls_jpegls_decoder* decoder, void* destination_buffer,
        size_t destination_size_bytes, uint32_t stride)

    charls_jpegls_encoder* charls_jpegls_encoder_create()
    void charls_jpegls_encoder_destroy(const charls_jpegls_encoder* encoder)
    charls_jpegls_errc charls_jpegls_encoder_set_frame_info(
        charls_jpegls_encoder* encoder, const charls_frame_info* frame_info)
    charls_jpegls_errc charls_jpegls_encoder_set_near_lossless(
        charls_jpegls_encoder* encoder, int32_t near_lossless)
    charls_jpegls_errc charls_jpegls_encoder_set_interleave_mode(
        charls_jpegls_encoder* encoder,
        charls_interleave_mode interleave_mode)
    charls_jpegls_errc charls_jpegls_encoder_get_estimated_destination_size(
        const charls_jpegls_encoder* encoder, size_t* size_in_bytes)
    charls_jpegls_errc charls_jpegls_encoder_set_destination_buffer(
        charls_jpegls_encoder* encoder, void* destination_buffer,
        size_t destination_size_bytes)
    charls_jpegls_errc charls_jpegls_encoder_write_standard_spiff_header(
        charls_jpegls_encoder* encoder, charls_spiff_color_space color_space,
        charls_spiff_resolution_units resolution_units,
        uint32_t vertical_resolution, uint32_t horizontal_resolution)
    charls_jpegls_errc charls_jpegls_encoder_encode_from_buffer(
        charls_jpegls_encoder* encoder, const void* source_buffer,
        size_t source_size_bytes, uint32_t stride)
    charls_jpegls_errc charls_jpegls_encoder_get_bytes_written(
        const charls_jpegls_encoder* encoder, size_t* bytes_written)
