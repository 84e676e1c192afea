# SPDX-License-Identifier: BSD-3-Clause
# C declarations of libjxl (jxl/decode.h, encode.h, thread_parallel_runner.h)
# used by imagecodecs.

from libc.stdint cimport uint8_t, uint32_t, int32_t, int64_t


cdef extern from 'jxl/types.h' nogil:
    ctypedef int JXL_BOOL
    int JXL_TRUE
    int JXL_FALSE

    ctypedef enum JxlDataType:
        JXL_TYPE_FLOAT
        JXL_TYPE_UINT8
        JXL_TYPE_UINT16
        JXL_TYPE_FLOAT16

    ctypedef enum JxlEndianness:
        JXL_NATIVE_ENDIAN
        JXL_LITTLE_ENDIAN
        JXL_BIG_ENDIAN

    ctypedef struct JxlPixelFormat:
        uint32_t num_channels
        JxlDataType data_type
        JxlEndianness endianness
        size_t align

    ctypedef enum JxlBitDepthType:
        JXL_BIT_DEPTH_FROM_PIXEL_FORMAT
        JXL_BIT_DEPTH_FROM_CODESTREAM
        JXL_BIT_DEPTH_CUSTOM

    ctypedef struct JxlBitDepth:
        JxlBitDepthType type
        uint32_t bits_per_sample
        uint32_t exponent_bits_per_sample


cdef extern from 'jxl/memory_manager.h' nogil:
    ctypedef struct JxlMemoryManager:
        pass


cdef extern from 'jxl/parallel_runner.h' nogil:
    ctypedef int JxlParallelRetCode
    ctypedef JxlParallelRetCode (*JxlParallelRunner)(
        void* runner_opaque, void* jpegxl_opaque, void* init, void* func,
        uint32_t start_range, uint32_t end_range)


cdef extern from 'jxl/thread_parallel_runner.h' nogil:
    JxlParallelRetCode JxlThreadParallelRunner(
        void* runner_opaque, void* jpegxl_opaque, void* init, void* func,
        uint32_t start_range, uint32_t end_range)
    void* JxlThreadParallelRunnerCreate(
        const JxlMemoryManager* memory_manager, size_t num_worker_threads)
    void JxlThreadParallelRunnerDestroy(void* runner_opaque)


cdef extern from 'jxl/color_encoding.h' nogil:
    ctypedef enum JxlColorSpace:
        JXL_COLOR_SPACE_RGB
        JXL_COLOR_SPACE_GRAY
        JXL_COLOR_SPACE_XYB
        JXL_COLOR_SPACE_UNKNOWN

    ctypedef struct JxlColorEncoding:
        JxlColorSpace color_space


cdef extern from 'jxl/codestream_header.h' nogil:
    ctypedef enum JxlOrientation:
        JXL_ORIENT_IDENTITY

    ctypedef enum JxlExtraChannelType:
        JXL_CHANNEL_ALPHA
        JXL_CHANNEL_DEPTH
        JXL_CHANNEL_SPOT_COLOR
        JXL_CHANNEL_SELECTION_MASK
        JXL_CHANNEL_BLACK
        JXL_CHANNEL_CFA
        JXL_CHANNEL_THERMAL
        JXL_CHANNEL_UNKNOWN
        JXL_CHANNEL_OPTIONAL

    ctypedef struct JxlAnimationHeader:
        uint32_t tps_numerator
        uint32_t tps_denominator
        uint32_t num_loops
        JXL_BOOL have_timecodes

    ctypedef struct JxlBasicInfo:
        JXL_BOOL have_container
        uint32_t xsize
        uint32_t ysize
        uint32_t bits_per_sample
        uint32_t exponent_bits_per_sample
        JXL_BOOL uses_original_profile
        JXL_BOOL have_preview
        JXL_BOOL have_animation
        JxlOrientation orientation
        uint32_t num_color_channels
        uint32_t num_extra_channels
        uint32_t alpha_bits
        uint32_t alpha_exponent_bits
        JXL_BOOL alpha_premultiplied
        JxlAnimationHeader animation

    ctypedef struct JxlExtraChannelInfo:
        JxlExtraChannelType type
        uint32_t bits_per_sample
        uint32_t exponent_bits_per_sample

    ctypedef struct JxlFrameHeader:
        uint32_t duration
        JXL_BOOL is_last


cdef extern from 'jxl/decode.h' nogil:
    uint32_t JxlDecoderVersion()

    ctypedef enum JxlSignature:
        JXL_SIG_NOT_ENOUGH_BYTES
        JXL_SIG_INVALID
        JXL_SIG_CODESTREAM
        JXL_SIG_CONTAINER

    JxlSignature JxlSignatureCheck(const uint8_t* buf, size_t len)

    ctypedef struct JxlDecoder:
        pass

    ctypedef enum JxlDecoderStatus:
        JXL_DEC_SUCCESS
        JXL_DEC_ERROR
        JXL_DEC_NEED_MORE_INPUT
        JXL_DEC_NEED_PREVIEW_OUT_BUFFER
        JXL_DEC_NEED_IMAGE_OUT_BUFFER
        JXL_DEC_JPEG_NEED_MORE_OUTPUT
        JXL_DEC_BOX_NEED_MORE_OUTPUT
        JXL_DEC_BASIC_INFO
        JXL_DEC_COLOR_ENCODING
        JXL_DEC_PREVIEW_IMAGE
        JXL_DEC_FRAME
        JXL_DEC_FULL_IMAGE
        JXL_DEC_JPEG_RECONSTRUCTION
        JXL_DEC_BOX
        JXL_DEC_FRAME_PROGRESSION
        JXL_DEC_BOX_COMPLETE

    JxlDecoder* JxlDecoderCreate(const JxlMemoryManager* memory_manager)
    void JxlDecoderDestroy(JxlDecoder* dec)
    void JxlDecoderRewind(JxlDecoder* dec)
    void JxlDecoderSkipFrames(JxlDecoder* dec, size_t amount)
    JxlDecoderStatus JxlDecoderSetParallelRunner(
        JxlDecoder* dec, JxlParallelRunner parallel_runner,
        void* parallel_runner_opaque)
    JxlDecoderStatus JxlDecoderSubscribeEvents(JxlDecoder* dec,
                                               int events_wanted)
    JxlDecoderStatus JxlDecoderSetKeepOrientation(JxlDecoder* dec,
                                                  JXL_BOOL skip_reorientation)
    JxlDecoderStatus JxlDecoderSetCoalescing(JxlDecoder* dec,
                                             JXL_BOOL coalescing)
    JxlDecoderStatus JxlDecoderProcessInput(JxlDecoder* dec)
    JxlDecoderStatus JxlDecoderSetInput(JxlDecoder* dec, const uint8_t* data,
                                        size_t size)
    void JxlDecoderCloseInput(JxlDecoder* dec)
    JxlDecoderStatus JxlDecoderGetBasicInfo(const JxlDecoder* dec,
                                            JxlBasicInfo* info)
    JxlDecoderStatus JxlDecoderGetExtraChannelInfo(
        const JxlDecoder* dec, size_t index, JxlExtraChannelInfo* info)
    JxlDecoderStatus JxlDecoderImageOutBufferSize(
        const JxlDecoder* dec, const JxlPixelFormat* format, size_t* size)
    JxlDecoderStatus JxlDecoderSetImageOutBuffer(
        JxlDecoder* dec, const JxlPixelFormat* format, void* buffer,
        size_t size)
    JxlDecoderStatus JxlDecoderExtraChannelBufferSize(
        const JxlDecoder* dec, const JxlPixelFormat* format, size_t* size,
        uint32_t index)
    JxlDecoderStatus JxlDecoderSetExtraChannelBuffer(
        JxlDecoder* dec, const JxlPixelFormat* format, void* buffer,
        size_t size, uint32_t index)
    JxlDecoderStatus JxlDecoderSetImageOutBitDepth(
        JxlDecoder* dec, const JxlBitDepth* bit_depth)
    JxlDecoderStatus JxlDecoderSetJPEGBuffer(JxlDecoder* dec, uint8_t* data,
                                             size_t size)
    size_t JxlDecoderReleaseJPEGBuffer(JxlDecoder* dec)


cdef extern from 'jxl/encode.h' nogil:
    uint32_t JxlEncoderVersion()

    ctypedef struct JxlEncoder:
        pass

    ctypedef struct JxlEncoderFrameSettings:
        pass

    ctypedef enum JxlEncoderStatus:
        JXL_ENC_SUCCESS
        JXL_ENC_ERROR
        JXL_ENC_NEED_MORE_OUTPUT

    ctypedef enum JxlEncoderError:
        JXL_ENC_ERR_OK
        JXL_ENC_ERR_GENERIC
        JXL_ENC_ERR_OOM
        JXL_ENC_ERR_JBRD
        JXL_ENC_ERR_BAD_INPUT
        JXL_ENC_ERR_NOT_SUPPORTED
        JXL_ENC_ERR_API_USAGE

    ctypedef enum JxlEncoderFrameSettingId:
        JXL_ENC_FRAME_SETTING_EFFORT
        JXL_ENC_FRAME_SETTING_DECODING_SPEED

    JxlEncoder* JxlEncoderCreate(const JxlMemoryManager* memory_manager)
    void JxlEncoderDestroy(JxlEncoder* enc)
    JxlEncoderStatus JxlEncoderSetParallelRunner(
        JxlEncoder* enc, JxlParallelRunner parallel_runner,
        void* parallel_runner_opaque)
    JxlEncoderError JxlEncoderGetError(JxlEncoder* enc)
    JxlEncoderStatus JxlEncoderProcessOutput(JxlEncoder* enc,
                                             uint8_t** next_out,
                                             size_t* avail_out)
    JxlEncoderStatus JxlEncoderSetFrameHeader(
        JxlEncoderFrameSettings* frame_settings,
        const JxlFrameHeader* frame_header)
    JxlEncoderStatus JxlEncoderSetFrameBitDepth(
        JxlEncoderFrameSettings* frame_settings, const JxlBitDepth* bit_depth)
    JxlEncoderStatus JxlEncoderAddJPEGFrame(
        const JxlEncoderFrameSettings* frame_settings, const uint8_t* buffer,
        size_t size)
    JxlEncoderStatus JxlEncoderAddImageFrame(
        const JxlEncoderFrameSettings* frame_settings,
        const JxlPixelFormat* pixel_format, const void* buffer, size_t size)
    JxlEncoderStatus JxlEncoderSetExtraChannelBuffer(
        const JxlEncoderFrameSettings* frame_settings,
        const JxlPixelFormat* pixel_format, const void* buffer, size_t size,
        uint32_t index)
    void JxlEncoderCloseInput(JxlEncoder* enc)
    JxlEncoderStatus JxlEncoderSetColorEncoding(JxlEncoder* enc,
                                                const JxlColorEncoding* color)
    void JxlEncoderInitBasicInfo(JxlBasicInfo* info)
    void JxlEncoderInitFrameHeader(JxlFrameHeader* frame_header)
    JxlEncoderStatus JxlEncoderSetBasicInfo(JxlEncoder* enc,
                                            const JxlBasicInfo* info)
    void JxlEncoderInitExtraChannelInfo(JxlExtraChannelType type,
                                        JxlExtraChannelInfo* info)
    JxlEncoderStatus JxlEncoderSetExtraChannelInfo(
        JxlEncoder* enc, size_t index, const JxlExtraChannelInfo* info)
    JxlEncoderStatus JxlEncoderFrameSettingsSetOption(
        JxlEncoderFrameSettings* frame_settings,
        JxlEncoderFrameSettingId option, int64_t value)
    JxlEncoderStatus JxlEncoderUseContainer(JxlEncoder* enc,
                                            JXL_BOOL use_container)
    JxlEncoderStatus JxlEncoderStoreJPEGMetadata(JxlEncoder* enc,
                                                 JXL_BOOL store_jpeg_metadata)
    JxlEncoderStatus JxlEncoderSetFrameLossless(
        JxlEncoderFrameSettings* frame_settings, JXL_BOOL lossless)
    JxlEncoderStatus JxlEncoderSetFrameDistance(
        JxlEncoderFrameSettings* frame_settings, float distance)
    JxlEncoderStatus JxlEncoderSetExtraChannelDistance(
        JxlEncoderFrameSettings* frame_settings, size_t index,
        float distance)
    float JxlEncoderDistanceFromQuality(float quality)
    JxlEncoderFrameSettings* JxlEncoderFrameSettingsCreate(
        JxlEncoder* enc, const JxlEncoderFrameSettings* source)
    void JxlColorEncodingSetToSRGB(JxlColorEncoding* color_encoding,
                                   JXL_BOOL is_gray)
    void JxlColorEncodingSetToLinearSRGB(JxlColorEncoding* color_encoding,
                                         JXL_BOOL is_gray)
