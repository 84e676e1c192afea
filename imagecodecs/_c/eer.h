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

/* Decode src into dst, an image of height x width bytes (dstsize bytes at
 * least), cleared first; pixels with an event are set to 1. With superres
 * the image has twice the detector's resolution in each direction and the
 * high bit of each sub-pixel field selects one of the four output pixels.
 * A stream ending before the end of the image leaves the rest empty.
 * Return the number of events or a negative status. */
ptrdiff_t imcd_eer_decode(const uint8_t *src, ptrdiff_t srcsize, uint8_t *dst,
                          ptrdiff_t dstsize, ptrdiff_t height,
                          ptrdiff_t width, int rlebits, int horzbits,
                          int vertbits, int superres);

#endif
