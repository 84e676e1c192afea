/* SPDX-License-Identifier: BSD-3-Clause */
/* Electron Event Representation (EER) of Thermo Fisher Falcon detectors.
 *
 * A frame is a bit stream, least significant bit first, of codes: a run of
 * `rlebits` bits counts the pixels without event to skip; unless the run is
 * all ones (a longer gap continues with the next code) it is followed by an
 * event, the position of the electron within the next pixel in `horzbits`
 * then `vertbits` bits. A run reaching the end of the image ends the frame.
 */
#ifndef IMCD_EER_H
#define IMCD_EER_H

#include "imcd.h"

/* How events are added to the output pixels. */
enum {
    IMCD_EER_SET = 0,    /* bytes (bools): set to 1 */
    IMCD_EER_COUNT8 = 1, /* 8-bit counts: incremented, modulo 256 */
    IMCD_EER_COUNT16 = 2 /* native 16-bit counts: incremented */
};

/* Decode src, adding its events to dst, an image of height x width items
 * as `mode` says (dstsize bytes at least); dst is not cleared first, so
 * that frames can be summed. With superres > 0 the image has 2**hlevel
 * times the detector's columns and 2**vlevel times its rows, the levels
 * being superres limited to the sizes of the sub-pixel fields, and the
 * high bits of each field select the output pixel. A stream ending before
 * the end of the image leaves the rest empty. Return the number of events
 * or a negative status. */
ptrdiff_t imcd_eer_decode(const uint8_t *src, ptrdiff_t srcsize, uint8_t *dst,
                          ptrdiff_t dstsize, ptrdiff_t height,
                          ptrdiff_t width, int rlebits, int horzbits,
                          int vertbits, int superres, int mode);

#endif
