/* SPDX-License-Identifier: BSD-3-Clause */
/* DICOM RLE Lossless (PS3.5 Annex G), one frame.
 *
 * A 64-byte header of 16 little-endian uint32: the number of segments (1 to
 * 15), then the offset of each segment (the first 64). Each segment is one
 * byte plane, PackBits coded: the most significant bytes of the first
 * sample, ..., the least significant bytes of the last sample.
 */
#ifndef IMCD_DICOMRLE_H
#define IMCD_DICOMRLE_H

#include "imcd.h"

/* Return the number of segments of a valid header, or a negative status. */
ptrdiff_t imcd_dicomrle_segments(const uint8_t *src, ptrdiff_t srcsize);

/* Return the decoded size of src, the number of segments times the size of
 * the first one (the decoder requires all to be of that size), or a
 * negative status. */
ptrdiff_t imcd_dicomrle_decoded_size(const uint8_t *src, ptrdiff_t srcsize);

/* Decode src into dst as nsegments / itemsize planes of samples of
 * itemsize bytes, little-endian or, if bigendian, big-endian; return the
 * number of bytes written. */
ptrdiff_t imcd_dicomrle_decode(const uint8_t *src, ptrdiff_t srcsize,
                               uint8_t *dst, ptrdiff_t dstsize, int itemsize,
                               int bigendian);

#endif
