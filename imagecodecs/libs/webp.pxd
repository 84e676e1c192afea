# SPDX-License-Identifier: BSD-3-Clause
# C declarations of libwebp (webp/decode.h, encode.h, demux.h) used by
# imagecodecs.

from libc.stdint cimport uint8_t, uint32_t


cdef extern from 'webp/types.h' nogil:
    ctypedef struct WebPData:
        const uint8_t* bytes
        size_t size


cdef extern from 'webp/decode.h' nogil:
    int WebPGetDecoderVersion()

    ctypedef enum WEBP_CSP_MODE:
        MODE_RGB
        MODE_RGBA

    ctypedef enum VP8StatusCode:
        VP8_STATUS_OK
        VP8_STATUS_OUT_OF_MEMORY
        VP8_STATUS_INVALID_PARAM
        VP8_STATUS_BITSTREAM_ERROR
        VP8_STATUS_UNSUPPORTED_FEATURE
        VP8_STATUS_SUSPENDED
        VP8_STATUS_USER_ABORT
        VP8_STATUS_NOT_ENOUGH_DATA

    ctypedef struct WebPRGBABuffer:
        uint8_t* rgba
        int stride
        size_t size

    ctypedef union _WebPDecBufferUnion:
        WebPRGBABuffer RGBA

    ctypedef struct WebPDecBuffer:
        WEBP_CSP_MODE colorspace
        int width
        int height
        int is_external_memory
        _WebPDecBufferUnion u

    ctypedef struct WebPBitstreamFeatures:
        int width
        int height
        int has_alpha
        int has_animation
        int format

    ctypedef struct WebPDecoderOptions:
        int use_threads

    ctypedef struct WebPDecoderConfig:
        WebPBitstreamFeatures input
        WebPDecBuffer output
        WebPDecoderOptions options

    VP8StatusCode WebPGetFeatures(const uint8_t* data, size_t data_size,
                                  WebPBitstreamFeatures* features)
    int WebPInitDecoderConfig(WebPDecoderConfig* config)
    VP8StatusCode WebPDecode(const uint8_t* data, size_t data_size,
                             WebPDecoderConfig* config)
    void WebPFreeDecBuffer(WebPDecBuffer* buffer)


cdef extern from 'webp/encode.h' nogil:
    int WEBP_MAX_DIMENSION

    ctypedef enum WebPEncodingError:
        VP8_ENC_OK
        VP8_ENC_ERROR_OUT_OF_MEMORY
        VP8_ENC_ERROR_BITSTREAM_OUT_OF_MEMORY
        VP8_ENC_ERROR_NULL_PARAMETER
        VP8_ENC_ERROR_INVALID_CONFIGURATION
        VP8_ENC_ERROR_BAD_DIMENSION
        VP8_ENC_ERROR_PARTITION0_OVERFLOW
        VP8_ENC_ERROR_PARTITION_OVERFLOW
        VP8_ENC_ERROR_BAD_WRITE
        VP8_ENC_ERROR_FILE_TOO_BIG
        VP8_ENC_ERROR_USER_ABORT

    ctypedef struct WebPConfig:
        int lossless
        float quality
        int method
        int thread_level
        int exact

    ctypedef int (*WebPWriterFunction)(const uint8_t* data, size_t data_size,
                                       const WebPPicture* picture)

    ctypedef struct WebPPicture:
        int use_argb
        int width
        int height
        WebPWriterFunction writer
        void* custom_ptr
        WebPEncodingError error_code

    ctypedef struct WebPMemoryWriter:
        uint8_t* mem
        size_t size
        size_t max_size

    int WebPGetEncoderVersion()
    int WebPConfigInit(WebPConfig* config)
    int WebPValidateConfig(const WebPConfig* config)
    int WebPPictureInit(WebPPicture* picture)
    void WebPPictureFree(WebPPicture* picture)
    int WebPPictureImportRGB(WebPPicture* picture, const uint8_t* rgb,
                             int rgb_stride)
    int WebPPictureImportRGBA(WebPPicture* picture, const uint8_t* rgba,
                              int rgba_stride)
    void WebPMemoryWriterInit(WebPMemoryWriter* writer)
    void WebPMemoryWriterClear(WebPMemoryWriter* writer)
    int WebPMemoryWrite(const uint8_t* data, size_t data_size,
                        const WebPPicture* picture)
    int WebPEncode(const WebPConfig* config, WebPPicture* picture)


cdef extern from 'webp/demux.h' nogil:
    ctypedef struct WebPDemuxer:
        pass

    ctypedef enum WebPFormatFeature:
        WEBP_FF_FORMAT_FLAGS
        WEBP_FF_CANVAS_WIDTH
        WEBP_FF_CANVAS_HEIGHT
        WEBP_FF_LOOP_COUNT
        WEBP_FF_BACKGROUND_COLOR
        WEBP_FF_FRAME_COUNT

    ctypedef enum WebPFeatureFlags:
        ANIMATION_FLAG
        XMP_FLAG
        EXIF_FLAG
        ALPHA_FLAG
        ICCP_FLAG

    WebPDemuxer* WebPDemux(const WebPData* data)
    void WebPDemuxDelete(WebPDemuxer* dmux)
    uint32_t WebPDemuxGetI(const WebPDemuxer* dmux, WebPFormatFeature feature)

    ctypedef struct WebPAnimDecoder:
        pass

    ctypedef struct WebPAnimDecoderOptions:
        WEBP_CSP_MODE color_mode
        int use_threads

    ctypedef struct WebPAnimInfo:
        uint32_t canvas_width
        uint32_t canvas_height
        uint32_t loop_count
        uint32_t bgcolor
        uint32_t frame_count

    int WebPAnimDecoderOptionsInit(WebPAnimDecoderOptions* dec_options)
    WebPAnimDecoder* WebPAnimDecoderNew(
        const WebPData* webp_data, const WebPAnimDecoderOptions* dec_options)
    int WebPAnimDecoderGetInfo(const WebPAnimDecoder* dec, WebPAnimInfo* info)
    int WebPAnimDecoderGetNext(WebPAnimDecoder* dec, uint8_t** buf,
                               int* timestamp)
    void WebPAnimDecoderDelete(WebPAnimDecoder* dec)
