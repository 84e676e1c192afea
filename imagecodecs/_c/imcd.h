/* SPDX-License-Identifier: BSD-3-Clause */
/* Shared definitions of imagecodecs' own C codecs.
 *
 * Every codec function returns a non-negative size on success or one of the
 * negative IMCD_* status codes; none of them touches Python, so callers can
 * release the GIL around them. Sizes are ptrdiff_t (Py_ssize_t).
 */
#ifndef IMCD_H
#define IMCD_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define IMCD_OK 0
#define IMCD_ERROR (-1)            /* unspecified failure */
#define IMCD_CORRUPT (-2)          /* invalid data in the stream */
#define IMCD_TRUNCATED (-3)        /* stream ends early */
#define IMCD_OUTPUT_TOO_SMALL (-4) /* output buffer cannot hold the result */
#define IMCD_MEMORY (-5)           /* allocation failed */
#define IMCD_VALUE (-6)            /* invalid parameter */
#define IMCD_NOT_SUPPORTED (-7)    /* valid but unsupported feature */

static inline const char *imcd_status_message(ptrdiff_t status)
{
    switch (status) {
    case IMCD_CORRUPT: return "corrupt or invalid data";
    case IMCD_TRUNCATED: return "data is truncated";
    case IMCD_OUTPUT_TOO_SMALL: return "output buffer too small";
    case IMCD_MEMORY: return "out of memory";
    case IMCD_VALUE: return "invalid parameter";
    case IMCD_NOT_SUPPORTED: return "feature not supported";
    default: return "unspecified error";
    }
}

/* Byte swaps of 16, 32 and 64-bit values. */
#ifndef IMCD_BSWAP16
#if defined(__GNUC__) || defined(__clang__)
#define IMCD_BSWAP16(v) __builtin_bswap16(v)
#define IMCD_BSWAP32(v) __builtin_bswap32(v)
#define IMCD_BSWAP64(v) __builtin_bswap64(v)
#else
#define IMCD_BSWAP16(v) ((uint16_t)(((v) << 8) | ((v) >> 8)))
#define IMCD_BSWAP32(v)                                                      \
    ((((v) & 0xFFu) << 24) | (((v) & 0xFF00u) << 8) | (((v) >> 8) & 0xFF00u) \
     | ((v) >> 24))
#define IMCD_BSWAP64(v)                                                      \
    (((uint64_t)IMCD_BSWAP32((uint32_t)(v)) << 32)                           \
     | IMCD_BSWAP32((uint32_t)((v) >> 32)))
#endif
#endif

/* Byte order helpers; all our formats define their byte order explicitly. */
static inline uint16_t imcd_load_u16le(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint16_t imcd_load_u16be(const uint8_t *p)
{
    return (uint16_t)((p[0] << 8) | p[1]);
}

static inline uint32_t imcd_load_u32le(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

static inline uint32_t imcd_load_u32be(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
           ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static inline void imcd_store_u16le(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static inline void imcd_store_u32le(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static inline void imcd_store_u32be(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

#if defined(__GNUC__) || defined(__clang__)
#define IMCD_INLINE static inline __attribute__((always_inline))
#else
#define IMCD_INLINE static inline
#endif

/* Copy a match of the LZ family: len bytes from dist bytes back in the
 * same buffer; the ranges may overlap. Only the len bytes are written:
 * whatever follows may belong to the caller. */
IMCD_INLINE void imcd_copy_match(uint8_t *op, ptrdiff_t dist, ptrdiff_t len)
{
    const uint8_t *from = op - dist;
    ptrdiff_t i;
    if (dist >= 8 && len <= 16) {
        /* two blocks, the second overlapping the first; a block never
         * reads what it writes */
        if (len >= 8) {
            memcpy(op, from, 8);
            memcpy(op + len - 8, from + len - 8, 8);
        } else if (len >= 4) {
            memcpy(op, from, 4);
            memcpy(op + len - 4, from + len - 4, 4);
        } else {
            while (len-- > 0)
                *op++ = *from++;
        }
    } else if (dist >= len && len > 512) {
        memcpy(op, from, (size_t)len);
    } else if (dist >= 16) {
        /* blocks, the last overlapping the one before */
        for (i = 0; i < len - 16; i += 16)
            memcpy(op + i, from + i, 16);
        memcpy(op + len - 16, from + len - 16, 16);
    } else if (dist >= 8) {
        for (i = 0; i < len - 8; i += 8)
            memcpy(op + i, from + i, 8);
        memcpy(op + len - 8, from + len - 8, 8);
    } else if (len <= 16) {
        while (len-- > 0)
            *op++ = *from++;
    } else {
        /* a long repeat of a short pattern: each copy doubles the pattern
         * and never overlaps */
        while (len > dist) {
            memcpy(op, from, (size_t)dist);
            op += dist;
            len -= dist;
            dist += dist;
        }
        memcpy(op, from, (size_t)len);
    }
}

/* Releases of libraries whose headers carry none that C can read (snappy's
 * is in a C++ header, liblzf and LZHAM have only interface versions).
 * setup.py defines IMCD_VERSION_<KEY> for each library it links. */
#ifndef IMCD_VERSION_SNAPPY
#define IMCD_VERSION_SNAPPY "unknown"
#endif
#ifndef IMCD_VERSION_LIBLZF
#define IMCD_VERSION_LIBLZF "unknown"
#endif
#ifndef IMCD_VERSION_LZHAM
#define IMCD_VERSION_LZHAM "unknown"
#endif

#endif /* IMCD_H */
