/* SPDX-License-Identifier: BSD-3-Clause */
/* HTJ2K (JPEG 2000 Part 15) codestreams over OpenJPH.
 *
 * OpenJPH is C++ and reports errors by throwing; these functions catch
 * every exception and return IMCD_* statuses with a message instead, so
 * that no exception crosses C or Python frames.
 */
#ifndef IMCD_HTJ2K_H
#define IMCD_HTJ2K_H

#include "imcd.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Geometry of a codestream, at the resolution the decoder reconstructs. */
typedef struct imcd_htj2k_info {
    uint32_t width;
    uint32_t height;
    uint32_t components;
    uint32_t bitspersample; /* largest of all components, 1 to 32 */
    int is_signed;
    int colortransform;
    uint32_t decompositions;
} imcd_htj2k_info;

/* Encoder settings; samples are `itemsize` bytes in native order. */
typedef struct imcd_htj2k_params {
    uint32_t width;
    uint32_t height;
    uint32_t components;
    uint32_t itemsize;      /* 1, 2 or 4 */
    int is_signed;
    int planar;             /* samples are components, height, width */
    int colortransform;
    int reversible;
    float quantstep;        /* irreversible base step; 0: library default */
    uint32_t tilewidth;     /* 0: one tile */
    uint32_t tileheight;
    int decompositions;     /* < 0: library default */
    int tlm;
    int tilepart;           /* 1: at resolutions, 2: at components */
} imcd_htj2k_params;

/* Make OpenJPH errors throw, info and warnings print to stderr if
   verbose, else nowhere. Global to the library: call once, and before
   any other function of this header. */
void imcd_htj2k_init(int verbose);

/* Return 0 and fill info, or a negative status with msg set. */
ptrdiff_t imcd_htj2k_decode_info(
    const uint8_t *src, size_t srcsize, uint32_t skipres, int resilient,
    imcd_htj2k_info *info, char *msg, size_t msgsize);

/* Decode into dst (components, height, width if planar, else height,
   width, components) of samples as wide as the info's bitspersample
   asks (1, 2 or 4 bytes). Return the bytes written. */
ptrdiff_t imcd_htj2k_decode(
    const uint8_t *src, size_t srcsize, uint32_t skipres, int resilient,
    int planar, uint8_t *dst, size_t dstsize, char *msg, size_t msgsize);

/* Encode; *dst is set to a buffer from malloc, which the caller frees.
   Return its size. */
ptrdiff_t imcd_htj2k_encode(
    const void *src, size_t srcsize, const imcd_htj2k_params *params,
    uint8_t **dst, char *msg, size_t msgsize);

#ifdef __cplusplus
}
#endif

#endif /* IMCD_HTJ2K_H */
