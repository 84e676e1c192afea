/* SPDX-License-Identifier: BSD-3-Clause */
/* The JPEG8 glue over mozjpeg: jpeg8.c compiled against the prefixed
 * mozjpeg headers (include/mozjpeg/ of the vendored prefix), with the
 * encoder's mozjpeg-only parameters enabled. See mozjpeg.h. */
#define IMCD_JPEG8_HEADER "mozjpeg/jpeglib.h"
#define IMCD_JPEG8_ERROR_HEADER "mozjpeg/jerror.h"
#define IMCD_JPEG8_MOZJPEG 1

#include "mozjpeg.h"
#include "jpeg8.c"
