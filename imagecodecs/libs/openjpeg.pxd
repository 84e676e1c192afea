# SPDX-License-Identifier: BSD-3-Clause
# C declarations of OpenJPEG (openjpeg.h) used by imagecodecs.

from libc.stdint cimport int32_t, uint16_t, uint32_t, int64_t, uint64_t

# The library installs its headers in a versioned folder (openjpeg-2.5/);
# pkg-config points into it, a plain prefix does not.
cdef extern from * nogil:
    """
    #if defined(__has_include)
    #  if __has_include(<openjpeg.h>)
    #    include <openjpeg.h>
    #  else
    #    include <openjpeg-2.5/openjpeg.h>
    #  endif
    #else
    #  include <openjpeg.h>
    #endif
    """

    ctypedef int OPJ_BOOL
    ctypedef uint32_t OPJ_UINT32
    ctypedef int32_t OPJ_INT32
    ctypedef int64_t OPJ_OFF_T
    ctypedef uint64_t OPJ_UINT64
    ctypedef size_t OPJ_SIZE_T

    int OPJ_TRUE
    int OPJ_FALSE
    int OPJ_J2K_MAXRLVLS
    int OPJ_STREAM_READ
    int OPJ_STREAM_WRITE

    ctypedef enum OPJ_PROG_ORDER:
        OPJ_PROG_UNKNOWN
        OPJ_LRCP
        OPJ_RLCP
        OPJ_RPCL
        OPJ_PCRL
        OPJ_CPRL

    ctypedef enum OPJ_COLOR_SPACE:
        OPJ_CLRSPC_UNKNOWN
        OPJ_CLRSPC_UNSPECIFIED
        OPJ_CLRSPC_SRGB
        OPJ_CLRSPC_GRAY
        OPJ_CLRSPC_SYCC
        OPJ_CLRSPC_EYCC
        OPJ_CLRSPC_CMYK

    ctypedef enum OPJ_CODEC_FORMAT:
        OPJ_CODEC_UNKNOWN
        OPJ_CODEC_J2K
        OPJ_CODEC_JPT
        OPJ_CODEC_JP2
        OPJ_CODEC_JPP
        OPJ_CODEC_JPX

    ctypedef void (*opj_msg_callback)(const char* msg,
                                      void* client_data) noexcept nogil

    ctypedef struct opj_cparameters_t:
        OPJ_BOOL tile_size_on
        int cp_tx0
        int cp_ty0
        int cp_tdx
        int cp_tdy
        int cp_disto_alloc
        int cp_fixed_alloc
        int cp_fixed_quality
        int csty
        OPJ_PROG_ORDER prog_order
        int tcp_numlayers
        float tcp_rates[100]
        float tcp_distoratio[100]
        int numresolution
        int cblockw_init
        int cblockh_init
        int mode
        int irreversible
        int res_spec
        int prcw_init[33]
        int prch_init[33]
        char tcp_mct

    ctypedef struct opj_dparameters_t:
        OPJ_UINT32 cp_reduce
        OPJ_UINT32 cp_layer
        unsigned int flags

    ctypedef struct opj_image_comp_t:
        OPJ_UINT32 dx
        OPJ_UINT32 dy
        OPJ_UINT32 w
        OPJ_UINT32 h
        OPJ_UINT32 x0
        OPJ_UINT32 y0
        OPJ_UINT32 prec
        OPJ_UINT32 sgnd
        OPJ_UINT32 resno_decoded
        OPJ_UINT32 factor
        OPJ_INT32* data
        uint16_t alpha

    ctypedef struct opj_image_t:
        OPJ_UINT32 x0
        OPJ_UINT32 y0
        OPJ_UINT32 x1
        OPJ_UINT32 y1
        OPJ_UINT32 numcomps
        OPJ_COLOR_SPACE color_space
        opj_image_comp_t* comps

    ctypedef struct opj_image_cmptparm_t:
        OPJ_UINT32 dx
        OPJ_UINT32 dy
        OPJ_UINT32 w
        OPJ_UINT32 h
        OPJ_UINT32 x0
        OPJ_UINT32 y0
        OPJ_UINT32 prec
        OPJ_UINT32 sgnd

    ctypedef void* opj_codec_t
    ctypedef void* opj_stream_t

    ctypedef OPJ_SIZE_T (*opj_stream_read_fn)(
        void* p_buffer, OPJ_SIZE_T p_nb_bytes,
        void* p_user_data) noexcept nogil
    ctypedef OPJ_SIZE_T (*opj_stream_write_fn)(
        void* p_buffer, OPJ_SIZE_T p_nb_bytes,
        void* p_user_data) noexcept nogil
    ctypedef OPJ_OFF_T (*opj_stream_skip_fn)(
        OPJ_OFF_T p_nb_bytes, void* p_user_data) noexcept nogil
    ctypedef OPJ_BOOL (*opj_stream_seek_fn)(
        OPJ_OFF_T p_nb_bytes, void* p_user_data) noexcept nogil
    ctypedef void (*opj_stream_free_user_data_fn)(
        void* p_user_data) noexcept nogil

    const char* opj_version()

    opj_image_t* opj_image_create(OPJ_UINT32 numcmpts,
                                  opj_image_cmptparm_t* cmptparms,
                                  OPJ_COLOR_SPACE clrspc)
    void opj_image_destroy(opj_image_t* image)

    opj_stream_t* opj_stream_create(OPJ_SIZE_T p_buffer_size,
                                    OPJ_BOOL p_is_input)
    void opj_stream_destroy(opj_stream_t* p_stream)
    void opj_stream_set_read_function(opj_stream_t* p_stream,
                                      opj_stream_read_fn p_function)
    void opj_stream_set_write_function(opj_stream_t* p_stream,
                                       opj_stream_write_fn p_function)
    void opj_stream_set_skip_function(opj_stream_t* p_stream,
                                      opj_stream_skip_fn p_function)
    void opj_stream_set_seek_function(opj_stream_t* p_stream,
                                      opj_stream_seek_fn p_function)
    void opj_stream_set_user_data(opj_stream_t* p_stream, void* p_data,
                                  opj_stream_free_user_data_fn p_function)
    void opj_stream_set_user_data_length(opj_stream_t* p_stream,
                                         OPJ_UINT64 data_length)

    OPJ_BOOL opj_set_info_handler(opj_codec_t* p_codec,
                                  opj_msg_callback p_callback,
                                  void* p_user_data)
    OPJ_BOOL opj_set_warning_handler(opj_codec_t* p_codec,
                                     opj_msg_callback p_callback,
                                     void* p_user_data)
    OPJ_BOOL opj_set_error_handler(opj_codec_t* p_codec,
                                   opj_msg_callback p_callback,
                                   void* p_user_data)

    opj_codec_t* opj_create_decompress(OPJ_CODEC_FORMAT format)
    void opj_destroy_codec(opj_codec_t* p_codec)
    OPJ_BOOL opj_end_decompress(opj_codec_t* p_codec,
                                opj_stream_t* p_stream)
    void opj_set_default_decoder_parameters(opj_dparameters_t* parameters)
    OPJ_BOOL opj_setup_decoder(opj_codec_t* p_codec,
                               opj_dparameters_t* parameters)
    OPJ_BOOL opj_codec_set_threads(opj_codec_t* p_codec, int num_threads)
    OPJ_BOOL opj_read_header(opj_stream_t* p_stream, opj_codec_t* p_codec,
                             opj_image_t** p_image)
    OPJ_BOOL opj_decode(opj_codec_t* p_decompressor, opj_stream_t* p_stream,
                        opj_image_t* p_image)

    opj_codec_t* opj_create_compress(OPJ_CODEC_FORMAT format)
    void opj_set_default_encoder_parameters(opj_cparameters_t* parameters)
    OPJ_BOOL opj_setup_encoder(opj_codec_t* p_codec,
                               opj_cparameters_t* parameters,
                               opj_image_t* image)
    OPJ_BOOL opj_start_compress(opj_codec_t* p_codec, opj_image_t* p_image,
                                opj_stream_t* p_stream)
    OPJ_BOOL opj_end_compress(opj_codec_t* p_codec, opj_stream_t* p_stream)
    OPJ_BOOL opj_encode(opj_codec_t* p_codec, opj_stream_t* p_stream)

    OPJ_BOOL opj_has_thread_support()
