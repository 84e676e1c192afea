# SPDX-License-Identifier: BSD-3-Clause
# C declarations of LZHAM (lzham.h) used by imagecodecs.

cdef extern from 'lzham.h' nogil:
    ctypedef unsigned char lzham_uint8
    ctypedef signed int lzham_int32
    ctypedef unsigned int lzham_uint32
    ctypedef unsigned int lzham_bool

    int LZHAM_MIN_DICT_SIZE_LOG2
    char* LZHAM_Z_VERSION

    # zlib-style constants the public enums mirror
    int LZHAM_Z_DEFAULT_COMPRESSION
    int LZHAM_Z_NO_COMPRESSION
    int LZHAM_Z_BEST_COMPRESSION
    int LZHAM_Z_BEST_SPEED
    int LZHAM_Z_UBER_COMPRESSION
    int LZHAM_Z_DEFAULT_STRATEGY
    int LZHAM_Z_FILTERED
    int LZHAM_Z_HUFFMAN_ONLY
    int LZHAM_Z_RLE
    int LZHAM_Z_FIXED
    int LZHAM_Z_DEFAULT_WINDOW_BITS

    ctypedef enum lzham_compress_status_t:
        LZHAM_COMP_STATUS_NOT_FINISHED
        LZHAM_COMP_STATUS_NEEDS_MORE_INPUT
        LZHAM_COMP_STATUS_HAS_MORE_OUTPUT
        LZHAM_COMP_STATUS_SUCCESS
        LZHAM_COMP_STATUS_FIRST_FAILURE_CODE

    ctypedef enum lzham_compress_level:
        LZHAM_COMP_LEVEL_FASTEST
        LZHAM_COMP_LEVEL_FASTER
        LZHAM_COMP_LEVEL_DEFAULT
        LZHAM_COMP_LEVEL_BETTER
        LZHAM_COMP_LEVEL_UBER

    enum:
        LZHAM_COMP_FLAG_EXTREME_PARSING
        LZHAM_COMP_FLAG_DETERMINISTIC_PARSING
        LZHAM_COMP_FLAG_WRITE_ZLIB_STREAM

    ctypedef void* lzham_compress_state_ptr

    ctypedef struct lzham_compress_params:
        lzham_uint32 m_struct_size
        lzham_uint32 m_dict_size_log2
        lzham_compress_level m_level
        lzham_uint32 m_table_update_rate
        lzham_int32 m_max_helper_threads
        lzham_uint32 m_compress_flags
        lzham_uint32 m_num_seed_bytes
        const void* m_pSeed_bytes
        lzham_uint32 m_table_max_update_interval
        lzham_uint32 m_table_update_interval_slow_rate

    lzham_compress_state_ptr lzham_compress_init(
        const lzham_compress_params* pParams)
    lzham_uint32 lzham_compress_deinit(lzham_compress_state_ptr pState)
    lzham_compress_status_t lzham_compress(
        lzham_compress_state_ptr pState,
        const lzham_uint8* pIn_buf, size_t* pIn_buf_size,
        lzham_uint8* pOut_buf, size_t* pOut_buf_size,
        lzham_bool no_more_input_bytes_flag)

    ctypedef enum lzham_decompress_status_t:
        LZHAM_DECOMP_STATUS_NOT_FINISHED
        LZHAM_DECOMP_STATUS_HAS_MORE_OUTPUT
        LZHAM_DECOMP_STATUS_NEEDS_MORE_INPUT
        LZHAM_DECOMP_STATUS_SUCCESS
        LZHAM_DECOMP_STATUS_FIRST_FAILURE_CODE
        LZHAM_DECOMP_STATUS_FAILED_INITIALIZING
        LZHAM_DECOMP_STATUS_FAILED_DEST_BUF_TOO_SMALL
        LZHAM_DECOMP_STATUS_FAILED_EXPECTED_MORE_RAW_BYTES
        LZHAM_DECOMP_STATUS_FAILED_BAD_CODE
        LZHAM_DECOMP_STATUS_FAILED_ADLER32
        LZHAM_DECOMP_STATUS_FAILED_BAD_RAW_BLOCK
        LZHAM_DECOMP_STATUS_FAILED_BAD_COMP_BLOCK_SYNC_CHECK
        LZHAM_DECOMP_STATUS_FAILED_BAD_ZLIB_HEADER
        LZHAM_DECOMP_STATUS_FAILED_NEED_SEED_BYTES
        LZHAM_DECOMP_STATUS_FAILED_BAD_SEED_BYTES
        LZHAM_DECOMP_STATUS_FAILED_BAD_SYNC_BLOCK
        LZHAM_DECOMP_STATUS_INVALID_PARAMETER

    enum:
        LZHAM_DECOMP_FLAG_OUTPUT_UNBUFFERED
        LZHAM_DECOMP_FLAG_COMPUTE_ADLER32
        LZHAM_DECOMP_FLAG_READ_ZLIB_STREAM

    ctypedef void* lzham_decompress_state_ptr

    ctypedef struct lzham_decompress_params:
        lzham_uint32 m_struct_size
        lzham_uint32 m_dict_size_log2
        lzham_uint32 m_table_update_rate
        lzham_uint32 m_decompress_flags
        lzham_uint32 m_num_seed_bytes
        const void* m_pSeed_bytes
        lzham_uint32 m_table_max_update_interval
        lzham_uint32 m_table_update_interval_slow_rate

    lzham_decompress_state_ptr lzham_decompress_init(
        const lzham_decompress_params* pParams)
    lzham_uint32 lzham_decompress_deinit(lzham_decompress_state_ptr pState)
    lzham_decompress_status_t lzham_decompress(
        lzham_decompress_state_ptr pState,
        const lzham_uint8* pIn_buf, size_t* pIn_buf_size,
        lzham_uint8* pOut_buf, size_t* pOut_buf_size,
        lzham_bool no_more_input_bytes_flag)

    const char* lzham_z_version()
