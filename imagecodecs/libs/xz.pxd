# SPDX-License-Identifier: BSD-3-Clause
# C declarations of liblzma (lzma.h, from xz) used by imagecodecs.

from libc.stdint cimport uint8_t, uint32_t, uint64_t

cdef extern from 'lzma.h' nogil:
    ctypedef enum lzma_ret:
        LZMA_OK
        LZMA_STREAM_END
        LZMA_NO_CHECK
        LZMA_UNSUPPORTED_CHECK
        LZMA_GET_CHECK
        LZMA_MEM_ERROR
        LZMA_MEMLIMIT_ERROR
        LZMA_FORMAT_ERROR
        LZMA_OPTIONS_ERROR
        LZMA_DATA_ERROR
        LZMA_BUF_ERROR
        LZMA_PROG_ERROR

    ctypedef enum lzma_action:
        LZMA_RUN
        LZMA_FINISH

    ctypedef enum lzma_check_t 'lzma_check':
        LZMA_CHECK_NONE
        LZMA_CHECK_CRC32
        LZMA_CHECK_CRC64
        LZMA_CHECK_SHA256

    uint32_t LZMA_CONCATENATED
    uint32_t LZMA_PRESET_EXTREME

    ctypedef struct lzma_stream:
        const uint8_t* next_in
        size_t avail_in
        uint64_t total_in
        uint8_t* next_out
        size_t avail_out
        uint64_t total_out

    const char* lzma_version_string()
    size_t lzma_stream_buffer_bound(size_t uncompressed_size)
    lzma_ret lzma_easy_encoder(lzma_stream* strm, uint32_t preset,
                               lzma_check_t check)
    lzma_ret lzma_auto_decoder(lzma_stream* strm, uint64_t memlimit,
                               uint32_t flags)
    lzma_ret lzma_code(lzma_stream* strm, lzma_action action)
    uint64_t lzma_memusage(const lzma_stream* strm)
    void lzma_end(lzma_stream* strm)
