# SPDX-License-Identifier: BSD-3-Clause
# C declarations of LERC (Lerc_c_api.h) used by imagecodecs.

cdef extern from 'Lerc_c_api.h' nogil:
    int LERC_VERSION_MAJOR
    int LERC_VERSION_MINOR
    int LERC_VERSION_PATCH

    ctypedef unsigned int lerc_status

    lerc_status lerc_computeCompressedSizeForVersion(
        const void* pData, int codecVersion, unsigned int dataType,
        int nDepth, int nCols, int nRows, int nBands, int nMasks,
        const unsigned char* pValidBytes, double maxZErr,
        unsigned int* numBytes)

    lerc_status lerc_encodeForVersion(
        const void* pData, int codecVersion, unsigned int dataType,
        int nDepth, int nCols, int nRows, int nBands, int nMasks,
        const unsigned char* pValidBytes, double maxZErr,
        unsigned char* pOutBuffer, unsigned int outBufferSize,
        unsigned int* nBytesWritten)

    lerc_status lerc_getBlobInfo(
        const unsigned char* pLercBlob, unsigned int blobSize,
        unsigned int* infoArray, double* dataRangeArray,
        int infoArraySize, int dataRangeArraySize)

    # renamed: the module's lerc_decode function takes the name
    lerc_status lerc_decode_blob 'lerc_decode'(
        const unsigned char* pLercBlob, unsigned int blobSize, int nMasks,
        unsigned char* pValidBytes, int nDepth, int nCols, int nRows,
        int nBands, unsigned int dataType, void* pData)


# Values of Lerc_types.h, a C++ header: lerc_status codes, data types and
# the order of lerc_getBlobInfo's infoArray.
cdef enum:
    LERC_OK = 0
    LERC_FAILED = 1
    LERC_WRONG_PARAM = 2
    LERC_BUFFER_TOO_SMALL = 3
    LERC_NAN = 4
    LERC_HAS_NO_DATA = 5

cdef enum:
    LERC_DT_CHAR = 0
    LERC_DT_UCHAR = 1
    LERC_DT_SHORT = 2
    LERC_DT_USHORT = 3
    LERC_DT_INT = 4
    LERC_DT_UINT = 5
    LERC_DT_FLOAT = 6
    LERC_DT_DOUBLE = 7

cdef enum:
    LERC_INFO_VERSION = 0
    LERC_INFO_DATATYPE = 1
    LERC_INFO_NDIM = 2
    LERC_INFO_NCOLS = 3
    LERC_INFO_NROWS = 4
    LERC_INFO_NBANDS = 5
    LERC_INFO_NVALIDPIXELS = 6
    LERC_INFO_BLOBSIZE = 7
    LERC_INFO_NMASKS = 8
    LERC_INFO_NDEPTH = 9
    LERC_INFO_NUSESNODATA = 10
    LERC_INFO_SIZE = 11
