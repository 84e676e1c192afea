/* SPDX-License-Identifier: BSD-3-Clause */
/* Lossy quantization of float32 and float64 values: BitGroom, Granular
 * BitRound and BitRound as netCDF-C 4.9 applies them when it writes
 * quantized variables, and scaling to a power of two. */
#ifndef IMCD_QUANTIZE_H
#define IMCD_QUANTIZE_H

#include "imcd.h"

/* The modes, the values of QUANTIZE.MODE. */
#define IMCD_QUANTIZE_NONE 0        /* copy */
#define IMCD_QUANTIZE_BITGROOM 1    /* nsd: significant decimal digits */
#define IMCD_QUANTIZE_GRANULARBR 2  /* nsd: significant decimal digits */
#define IMCD_QUANTIZE_BITROUND 3    /* nsd: significant bits */
#define IMCD_QUANTIZE_SCALE 100     /* nsd: decimal digits after the point */

/* Quantize the native-endian floats of itemsize 4 or 8 bytes in src into
 * dst, which may be src itself; 0 <= nsd < 8 * itemsize. Return the number
 * of bytes written (srcsize). */
ptrdiff_t imcd_quantize(const uint8_t *src, ptrdiff_t srcsize, uint8_t *dst,
                        ptrdiff_t dstsize, int itemsize, int mode, int nsd);

#endif
