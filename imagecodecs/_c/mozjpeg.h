/* SPDX-License-Identifier: BSD-3-Clause */
/* JPEG over mozjpeg: the JPEG8 glue of jpeg8.h compiled against mozjpeg's
 * headers (mozjpeg.c), its functions renamed imcd_mozjpeg_*, so that the
 * JPEG8 and MOZJPEG modules can never bind each other's glue, as the
 * library's own symbols are prefixed mozjpeg_ for the same reason. The
 * types and the interface are those of jpeg8.h. */
#ifndef IMCD_MOZJPEG_H
#define IMCD_MOZJPEG_H

#define imcd_jpeg8_decoder_new imcd_mozjpeg_decoder_new
#define imcd_jpeg8_decoder_free imcd_mozjpeg_decoder_free
#define imcd_jpeg8_decoder_message imcd_mozjpeg_decoder_message
#define imcd_jpeg8_header imcd_mozjpeg_header
#define imcd_jpeg8_decode imcd_mozjpeg_decode
#define imcd_jpeg8_encode imcd_mozjpeg_encode
#define imcd_jpeg8_free imcd_mozjpeg_free
#define imcd_jpeg8_find_sof imcd_mozjpeg_find_sof
#define imcd_jpeg8_library_version imcd_mozjpeg_library_version

#include "jpeg8.h"

#endif
