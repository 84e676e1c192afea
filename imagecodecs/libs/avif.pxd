# SPDX-License-Identifier: BSD-3-Clause
# C declarations of libavif (avif/avif.h) used by imagecodecs.

from libc.stdint cimport uint8_t, uint16_t, uint32_t, uint64_t


cdef extern from 'avif/avif.h' nogil:
    ctypedef int avifBool

    int AVIF_VERSION_MAJOR
    int AVIF_VERSION_MINOR
    int AVIF_VERSION_PATCH

    int AVIF_DEFAULT_IMAGE_SIZE_LIMIT
    int AVIF_DEFAULT_IMAGE_DIMENSION_LIMIT
    int AVIF_DEFAULT_IMAGE_COUNT_LIMIT
    int AVIF_QUALITY_DEFAULT
    int AVIF_QUALITY_WORST
    int AVIF_QUALITY_LOSSLESS
    int AVIF_SPEED_DEFAULT
    int AVIF_SPEED_SLOWEST
    int AVIF_SPEED_FASTEST

    const char* avifVersion()
    void avifCodecVersions(char outBuffer[256])

    ctypedef enum avifResult:
        AVIF_RESULT_OK
        AVIF_RESULT_OUT_OF_MEMORY

    const char* avifResultToString(avifResult result)

    ctypedef struct avifRWData:
        uint8_t* data
        size_t size

    void avifRWDataFree(avifRWData* raw)

    ctypedef enum avifPixelFormat:
        AVIF_PIXEL_FORMAT_NONE
        AVIF_PIXEL_FORMAT_YUV444
        AVIF_PIXEL_FORMAT_YUV422
        AVIF_PIXEL_FORMAT_YUV420
        AVIF_PIXEL_FORMAT_YUV400
        AVIF_PIXEL_FORMAT_COUNT

    ctypedef enum avifRange:
        AVIF_RANGE_LIMITED
        AVIF_RANGE_FULL

    ctypedef uint16_t avifColorPrimaries
    ctypedef uint16_t avifTransferCharacteristics
    ctypedef uint16_t avifMatrixCoefficients

    int AVIF_COLOR_PRIMARIES_UNSPECIFIED
    int AVIF_TRANSFER_CHARACTERISTICS_UNSPECIFIED
    int AVIF_MATRIX_COEFFICIENTS_IDENTITY
    int AVIF_MATRIX_COEFFICIENTS_UNSPECIFIED
    int AVIF_MATRIX_COEFFICIENTS_BT601

    ctypedef struct avifDiagnostics:
        char error[256]

    ctypedef struct avifImage:
        uint32_t width
        uint32_t height
        uint32_t depth
        avifPixelFormat yuvFormat
        avifRange yuvRange
        uint8_t* alphaPlane
        avifColorPrimaries colorPrimaries
        avifTransferCharacteristics transferCharacteristics
        avifMatrixCoefficients matrixCoefficients

    avifImage* avifImageCreate(uint32_t width, uint32_t height,
                               uint32_t depth, avifPixelFormat yuvFormat)
    void avifImageDestroy(avifImage* image)

    ctypedef enum avifRGBFormat:
        AVIF_RGB_FORMAT_RGB
        AVIF_RGB_FORMAT_RGBA
        AVIF_RGB_FORMAT_GRAY
        AVIF_RGB_FORMAT_GRAYA

    ctypedef enum avifChromaUpsampling:
        AVIF_CHROMA_UPSAMPLING_AUTOMATIC
        AVIF_CHROMA_UPSAMPLING_FASTEST
        AVIF_CHROMA_UPSAMPLING_BEST_QUALITY
        AVIF_CHROMA_UPSAMPLING_NEAREST
        AVIF_CHROMA_UPSAMPLING_BILINEAR

    ctypedef struct avifRGBImage:
        uint32_t width
        uint32_t height
        uint32_t depth
        avifRGBFormat format
        avifChromaUpsampling chromaUpsampling
        avifBool ignoreAlpha
        int maxThreads
        uint8_t* pixels
        uint32_t rowBytes

    void avifRGBImageSetDefaults(avifRGBImage* rgb, const avifImage* image)
    avifResult avifImageRGBToYUV(avifImage* image, const avifRGBImage* rgb)
    avifResult avifImageYUVToRGB(const avifImage* image, avifRGBImage* rgb)

    ctypedef enum avifCodecChoice:
        AVIF_CODEC_CHOICE_AUTO
        AVIF_CODEC_CHOICE_AOM
        AVIF_CODEC_CHOICE_DAV1D
        AVIF_CODEC_CHOICE_LIBGAV1
        AVIF_CODEC_CHOICE_RAV1E
        AVIF_CODEC_CHOICE_SVT
        AVIF_CODEC_CHOICE_AVM

    ctypedef enum avifCodecFlag:
        AVIF_CODEC_FLAG_CAN_DECODE
        AVIF_CODEC_FLAG_CAN_ENCODE

    const char* avifCodecName(avifCodecChoice choice, uint32_t requiredFlags)

    ctypedef enum avifStrictFlag:
        AVIF_STRICT_DISABLED
        AVIF_STRICT_ENABLED

    ctypedef struct avifDecoder:
        avifCodecChoice codecChoice
        int maxThreads
        avifBool ignoreExif
        avifBool ignoreXMP
        uint32_t imageSizeLimit
        uint32_t imageDimensionLimit
        uint32_t imageCountLimit
        uint32_t strictFlags
        avifImage* image
        int imageIndex
        int imageCount
        avifBool alphaPresent
        avifDiagnostics diag

    avifDecoder* avifDecoderCreate()
    void avifDecoderDestroy(avifDecoder* decoder)
    avifResult avifDecoderSetIOMemory(avifDecoder* decoder,
                                      const uint8_t* data, size_t size)
    avifResult avifDecoderParse(avifDecoder* decoder)
    avifResult avifDecoderNextImage(avifDecoder* decoder)
    avifResult avifDecoderNthImage(avifDecoder* decoder, uint32_t frameIndex)

    ctypedef enum avifAddImageFlag:
        AVIF_ADD_IMAGE_FLAG_NONE
        AVIF_ADD_IMAGE_FLAG_FORCE_KEYFRAME
        AVIF_ADD_IMAGE_FLAG_SINGLE

    ctypedef struct avifEncoder:
        avifCodecChoice codecChoice
        int maxThreads
        int speed
        int keyframeInterval
        uint64_t timescale
        int quality
        int qualityAlpha
        int tileRowsLog2
        int tileColsLog2
        avifBool autoTiling
        avifDiagnostics diag

    avifEncoder* avifEncoderCreate()
    void avifEncoderDestroy(avifEncoder* encoder)
    avifResult avifEncoderAddImage(avifEncoder* encoder,
                                   const avifImage* image,
                                   uint64_t durationInTimescales,
                                   uint32_t addImageFlags)
    avifResult avifEncoderFinish(avifEncoder* encoder, avifRWData* output)
