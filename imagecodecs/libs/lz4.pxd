# SPDX-License-Identifier: BSD-3-Clause
# C declarations of LZ4 (lz4.h, lz4hc.h, lz4frame.h) used by imagecodecs,
# and the few helpers that the _lz4 and _lz4f modules share.

cdef extern from 'lz4.h' nogil:
    int LZ4_VERSION_MAJOR
    int LZ4_VERSION_MINOR
    int LZ4_VERSION_RELEASE
    int LZ4_MAX_INPUT_SIZE

    const char* LZ4_versionString()
    int LZ4_compressBound(int inputSize)
    int LZ4_compress_fast(const char* src, char* dst, int srcSize,
                          int dstCapacity, int acceleration)
    int LZ4_decompress_safe(const char* src, char* dst, int compressedSize,
                            int dstCapacity)


cdef extern from 'lz4hc.h' nogil:
    int LZ4HC_CLEVEL_MIN
    int LZ4HC_CLEVEL_DEFAULT
    int LZ4HC_CLEVEL_OPT_MIN
    int LZ4HC_CLEVEL_MAX

    int LZ4_compress_HC(const char* src, char* dst, int srcSize,
                        int dstCapacity, int compressionLevel)


cdef extern from 'lz4frame.h' nogil:
    int LZ4F_VERSION
    int LZ4F_HEADER_SIZE_MAX

    ctypedef size_t LZ4F_errorCode_t

    ctypedef enum LZ4F_blockSizeID_t:
        LZ4F_default
        LZ4F_max64KB
        LZ4F_max256KB
        LZ4F_max1MB
        LZ4F_max4MB

    ctypedef enum LZ4F_blockMode_t:
        LZ4F_blockLinked
        LZ4F_blockIndependent

    ctypedef enum LZ4F_contentChecksum_t:
        LZ4F_noContentChecksum
        LZ4F_contentChecksumEnabled

    ctypedef enum LZ4F_blockChecksum_t:
        LZ4F_noBlockChecksum
        LZ4F_blockChecksumEnabled

    ctypedef enum LZ4F_frameType_t:
        LZ4F_frame
        LZ4F_skippableFrame

    ctypedef struct LZ4F_frameInfo_t:
        LZ4F_blockSizeID_t blockSizeID
        LZ4F_blockMode_t blockMode
        LZ4F_contentChecksum_t contentChecksumFlag
        LZ4F_frameType_t frameType
        unsigned long long contentSize
        unsigned dictID
        LZ4F_blockChecksum_t blockChecksumFlag

    ctypedef struct LZ4F_preferences_t:
        LZ4F_frameInfo_t frameInfo
        int compressionLevel
        unsigned autoFlush
        unsigned favorDecSpeed
        unsigned reserved[3]

    ctypedef struct LZ4F_dctx:
        pass

    ctypedef struct LZ4F_decompressOptions_t:
        unsigned stableDst
        unsigned skipChecksums
        unsigned reserved1
        unsigned reserved0

    unsigned LZ4F_isError(LZ4F_errorCode_t code)
    const char* LZ4F_getErrorName(LZ4F_errorCode_t code)
    size_t LZ4F_compressFrameBound(size_t srcSize,
                                   const LZ4F_preferences_t* preferencesPtr)
    size_t LZ4F_compressFrame(void* dstBuffer, size_t dstCapacity,
                              const void* srcBuffer, size_t srcSize,
                              const LZ4F_preferences_t* preferencesPtr)
    LZ4F_errorCode_t LZ4F_createDecompressionContext(LZ4F_dctx** dctxPtr,
                                                     unsigned version)
    LZ4F_errorCode_t LZ4F_freeDecompressionContext(LZ4F_dctx* dctx)
    size_t LZ4F_decompress(LZ4F_dctx* dctx, void* dstBuffer,
                           size_t* dstSizePtr, const void* srcBuffer,
                           size_t* srcSizePtr,
                           const LZ4F_decompressOptions_t* dOptPtr)


# Shared by _lz4 and _lz4f.

cdef enum:
    # No LZ4 sequence expands more than this: one more byte of a length
    # field adds 255 bytes of output. Larger size claims are corrupt.
    LZ4_MAX_RATIO = 256
    LZ4_RATIO_SLACK = 1024


cdef inline bint lz4_size_plausible(unsigned long long size,
                                    Py_ssize_t compressed) noexcept nogil:
    """Return whether `compressed` bytes of LZ4 can expand to `size`."""
    return size <= (<unsigned long long> compressed * LZ4_MAX_RATIO
                    + LZ4_RATIO_SLACK)


cdef inline int lz4_level(object level, int default, int low,
                          int high) except? -1:
    """Return level as an int clamped to [low, high]; None is default."""
    return default if level is None else min(max(int(level), low), high)


cdef inline str lz4_library_version():
    return f'lz4 {LZ4_versionString().decode()}'
