/* SPDX-License-Identifier: BSD-3-Clause */
/* Lossy quantization of float32 and float64 values: BitGroom and Granular
 * BitRound as netCDF-C 4.9 applies them when it writes quantized
 * variables, BitRound and scaling to a power of two as numcodecs' BitRound
 * and Quantize filters do. */
#ifndef IMCD_QUANTIZE_H
#define IMCD_QUANTIZE_H

#include "imcd.h"

/* The modes, the values of QUANTIZE.MODE. */
#define IMCD_QUANTIZE_NONE 0        /* copy */
#define IMCD_QUANTIZE_BITGROOM 1    /* nsd: significant decimal digits */
#define IMCD_QUANTIZE_GRANULARBR 2  /* nsd >= 1: significant decimal digits */
#define IMCD_QUANTIZE_BITROUND 3    /* nsd <= mantissa: significant bits */
#define IMCD_QUANTIZE_SCALE 100     /* nsd: decimal digits after the point */

/* Quantize the native-endian floats of itemsize 4 or 8 bytes in src into
 * dst, which may be src itself; 0 <= nsd < 8 * itemsize, and the mode's
 * own bounds. Return the number of bytes written (srcsize) or IMCD_VALUE
 * for an invalid mode, nsd or size. */
ptrdiff_t imcd_quantize(const uint8_t *src, ptrdiff_t srcsize, uint8_t *dst,
                        ptrdiff_t dstsize, int itemsize, int mode, int nsd);

#endif
