/* SPDX-License-Identifier: BSD-3-Clause */
/* BC1 to BC7 block compressed textures (Direct3D 11 block compression,
 * Khronos Data Format Specification chapters S3TC, RGTC and BPTC) and the
 * DirectDraw Surface (DDS) container that stores them. Decode only. */
#ifndef IMCD_BCN_H
#define IMCD_BCN_H

#include "imcd.h"

/* Block formats; the values are those of the BCN.FORMAT enum. */
#define IMCD_BC1 1
#define IMCD_BC2 2
#define IMCD_BC3 3
#define IMCD_BC4 4
#define IMCD_BC5 5
#define IMCD_BC6HU 6
#define IMCD_BC6HS (-6)
#define IMCD_BC7 7

/* Bytes of one compressed 4x4 block, or IMCD_NOT_SUPPORTED. */
ptrdiff_t imcd_bcn_block_size(int format);

/* Bytes of one decoded texel: RGBA8 for BC1-3 and BC7, R8 for BC4, RG8
 * for BC5, RGB of native-endian half floats for BC6H; or
 * IMCD_NOT_SUPPORTED. */
ptrdiff_t imcd_bcn_texel_size(int format);

/* Compressed size of `count` images of width x height texels (partial
 * blocks at the right and bottom edges count whole), or IMCD_VALUE if it
 * exceeds `limit`. */
ptrdiff_t imcd_bcn_encoded_size(int format, ptrdiff_t width, ptrdiff_t height,
                                ptrdiff_t count, ptrdiff_t limit);

/* Decode `count` consecutive images of width x height texels into dst,
 * rows of width texels, images one after the other; texels of edge blocks
 * outside the image are dropped. Return the number of bytes read. */
ptrdiff_t imcd_bcn_decode(const uint8_t *src, ptrdiff_t srcsize, int format,
                          ptrdiff_t width, ptrdiff_t height, ptrdiff_t count,
                          uint8_t *dst, ptrdiff_t dstsize);

/* What a DDS header says. */
typedef struct imcd_dds_info {
    uint32_t fourcc;      /* DDPIXELFORMAT.dwFourCC */
    uint32_t dxgiformat;  /* DDS_HEADER_DXT10.dxgiFormat, or 0 */
    int format;           /* IMCD_BC*, or 0 if not supported */
    int cubemap;          /* faces are cube faces */
    ptrdiff_t width;
    ptrdiff_t height;
    ptrdiff_t depth;      /* slices of a volume texture, else 1 */
    ptrdiff_t mipmaps;    /* levels stored per face, at least 1 */
    ptrdiff_t arraysize;  /* elements of a texture array, at least 1 */
    ptrdiff_t faces;      /* faces per element: 1, or up to 6 of a cube */
    ptrdiff_t offset;     /* of the first surface in the stream */
} imcd_dds_info;

/* Read the header of a DDS stream. Return IMCD_TRUNCATED if it is shorter
 * than the header, IMCD_CORRUPT for a bad signature or dimensions, and
 * IMCD_NOT_SUPPORTED for a pixel format other than BC1 to BC7 (fourcc and
 * dxgiformat are set then). */
ptrdiff_t imcd_dds_info_read(const uint8_t *src, ptrdiff_t srcsize,
                             imcd_dds_info *info);

/* Size of the decoded mipmap level of all elements, faces and slices, or
 * IMCD_VALUE for a level that does not exist, or IMCD_TRUNCATED if the
 * stream of srcsize bytes cannot hold it. */
ptrdiff_t imcd_dds_decoded_size(const imcd_dds_info *info, ptrdiff_t srcsize,
                                ptrdiff_t mipmap);

/* Decode one mipmap level of all elements, faces and slices into dst in
 * that order; return the number of bytes written. */
ptrdiff_t imcd_dds_decode(const uint8_t *src, ptrdiff_t srcsize,
                          const imcd_dds_info *info, ptrdiff_t mipmap,
                          uint8_t *dst, ptrdiff_t dstsize);

#endif
