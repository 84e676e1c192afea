/* SPDX-License-Identifier: BSD-3-Clause */
/* TIFF LZW. Every table entry is a string the decoder has already written:
 * the string of the previous code plus the first byte of the next one. So
 * the decoder keeps for each entry only the offset and length of one
 * occurrence in its own output, and decoding a code is a single forward
 * copy from earlier output. */
#include <stdlib.h>

#include "lzw.h"

#define LZW_CLEAR 256
#define LZW_EOI 257
#define LZW_FIRST 258   /* first table entry after a ClearCode */
#define LZW_TABLE 4096  /* entries addressable with 12-bit codes */
#define LZW_RESET 4094  /* libtiff starts a new table at this many entries */
#define LZW_HASHBITS 14 /* encoder hash table of 16384 slots, < 25% full */

int imcd_lzw_check(const uint8_t *src, ptrdiff_t srcsize)
{
    /* a ClearCode of 9 bits, MSB-first (new style) or LSB-first (old) */
    if (srcsize < 2)
        return 1;
    return (src[0] == 0x80 && !(src[1] & 0x80)) ||
           (src[0] == 0x00 && (src[1] & 0x01));
}

static inline uint64_t imcd_lzw_load_be64(const uint8_t *p)
{
    return ((uint64_t)imcd_load_u32be(p) << 32) | imcd_load_u32be(p + 4);
}

static inline uint64_t imcd_lzw_load_le64(const uint8_t *p)
{
    return ((uint64_t)imcd_load_u32le(p + 4) << 32) | imcd_load_u32le(p);
}

/* Bit reader. The `count` valid bits sit at the side codes are taken from
 * (the top for MSB-first, the bottom for LSB-first); the bits beyond them
 * are zero or already the right bits of the following bytes, so a bulk
 * refill may load them again. */
typedef struct {
    const uint8_t *ptr;
    const uint8_t *end;
    uint64_t bits;
    int count;
    int msb;
} imcd_lzw_reader;

static inline void imcd_lzw_refill(imcd_lzw_reader *r)
{
    if (r->end - r->ptr >= 8) {
        if (r->msb)
            r->bits |= imcd_lzw_load_be64(r->ptr) >> r->count;
        else
            r->bits |= imcd_lzw_load_le64(r->ptr) << r->count;
        r->ptr += (63 - r->count) >> 3;
        r->count |= 56;
        return;
    }
    while (r->count <= 56 && r->ptr < r->end) {
        if (r->msb)
            r->bits |= (uint64_t)*r->ptr++ << (56 - r->count);
        else
            r->bits |= (uint64_t)*r->ptr++ << r->count;
        r->count += 8;
    }
}

/* Return the next code, or -1 if fewer than nbits bits are left. */
static inline int imcd_lzw_read(imcd_lzw_reader *r, int nbits)
{
    int code;
    if (r->count < nbits) {
        imcd_lzw_refill(r);
        if (r->count < nbits)
            return -1;
    }
    if (r->msb) {
        code = (int)(r->bits >> (64 - nbits));
        r->bits <<= nbits;
    } else {
        code = (int)(r->bits & ((1u << nbits) - 1));
        r->bits >>= nbits;
    }
    r->count -= nbits;
    return code;
}

/* Walk the codes of src; with dst == NULL only count the decoded bytes.
 * With `partial`, a dst too small for the whole stream is filled with its
 * first dstsize bytes instead of failing.
 * Old-style streams start with a ClearCode stored LSB-first (a first byte
 * 0x00 and an odd second byte, as libtiff tests) and switch the code width
 * one code later than TIFF 6.0 ("early change"). */
static ptrdiff_t imcd_lzw_walk(const uint8_t *src, ptrdiff_t srcsize,
                               uint8_t *dst, ptrdiff_t dstsize, int partial)
{
    imcd_lzw_reader r = {src, src + srcsize, 0, 0, 1};
    ptrdiff_t *offset;
    uint32_t *length;
    ptrdiff_t written = 0, prevpos = 0, prevlen = 0, status = 0;
    int nbits = 9, next = LZW_FIRST, haveprev = 0, early = 1;

    if (srcsize >= 2 && src[0] == 0 && (src[1] & 1)) {
        r.msb = 0;
        early = 0;
    }
    offset = (ptrdiff_t *)malloc(LZW_TABLE * sizeof(ptrdiff_t));
    length = (uint32_t *)malloc(LZW_TABLE * sizeof(uint32_t));
    if (offset == NULL || length == NULL) {
        free(offset);
        free(length);
        return IMCD_MEMORY;
    }
    for (;;) {
        ptrdiff_t len;
        int code = imcd_lzw_read(&r, nbits);
        if (code < 0 || code == LZW_EOI)
            break; /* a missing EOI is common: the data ends the stream */
        if (code == LZW_CLEAR) {
            nbits = 9;
            next = LZW_FIRST;
            haveprev = 0;
            continue;
        }
        if (code < 256)
            len = 1;
        else if (code < next)
            len = length[code];
        else if (code == next && haveprev)
            len = prevlen + 1; /* the entry being defined: prev + prev[0] */
        else {
            status = IMCD_CORRUPT;
            break;
        }
        if (dst != NULL) {
            ptrdiff_t room = dstsize - written;
            if (room < len) {
                if (!partial) {
                    status = IMCD_OUTPUT_TOO_SMALL;
                    break;
                }
                /* every entry is a prefix-closed copy of earlier output,
                 * so its first `room` bytes are a shorter forward copy */
                if (code < 256 && room > 0)
                    dst[written] = (uint8_t)code;
                else if (code < next && room > 0)
                    imcd_copy_match(dst + written, written - offset[code],
                                    room);
                else if (room > 0)
                    imcd_copy_match(dst + written, written - prevpos, room);
                written = dstsize;
                break;
            }
            if (code < 256) {
                dst[written] = (uint8_t)code;
            } else if (code < next) {
                imcd_copy_match(dst + written, written - offset[code], len);
            } else {
                imcd_copy_match(dst + written, written - prevpos, prevlen);
                dst[written + prevlen] = dst[prevpos];
            }
        }
        /* a full table is kept until the next ClearCode */
        if (haveprev && next < LZW_TABLE) {
            offset[next] = prevpos;
            length[next] = (uint32_t)(prevlen + 1);
            next++;
            if (next + early >= (1 << nbits) && nbits < 12)
                nbits++;
        }
        haveprev = 1;
        prevpos = written;
        prevlen = len;
        written += len;
    }
    free(offset);
    free(length);
    return status < 0 ? status : written;
}

ptrdiff_t imcd_lzw_decoded_size(const uint8_t *src, ptrdiff_t srcsize)
{
    return imcd_lzw_walk(src, srcsize, NULL, 0, 0);
}

ptrdiff_t imcd_lzw_decode(const uint8_t *src, ptrdiff_t srcsize, uint8_t *dst,
                          ptrdiff_t dstsize, int partial)
{
    return imcd_lzw_walk(src, srcsize, dst, dstsize, partial);
}

ptrdiff_t imcd_lzw_encode_bound(ptrdiff_t srcsize)
{
    /* every byte a 12-bit code, plus ClearCodes and EndOfInformation */
    return (srcsize + srcsize / 2048 + 3) / 2 * 3 + 8;
}

/* MSB-first bit writer; whole 32-bit words go out as they fill. Once the
 * output is full, `failed` is set and further codes are dropped. */
typedef struct {
    uint8_t *ptr;
    uint8_t *end;
    uint64_t bits;
    int count;
    int failed;
} imcd_lzw_writer;

static inline void imcd_lzw_put(imcd_lzw_writer *w, uint32_t code, int nbits)
{
    if (w->failed)
        return;
    w->bits = (w->bits << nbits) | code;
    w->count += nbits;
    if (w->count >= 32) {
        if (w->end - w->ptr < 4) {
            w->failed = 1;
            return;
        }
        w->count -= 32;
        imcd_store_u32be(w->ptr, (uint32_t)(w->bits >> w->count));
        w->ptr += 4;
    }
}

/* Write the last bits, padded with zeros to a byte. */
static inline void imcd_lzw_flush(imcd_lzw_writer *w)
{
    while (w->count > 0 && !w->failed) {
        if (w->ptr >= w->end) {
            w->failed = 1;
        } else if (w->count >= 8) {
            w->count -= 8;
            *w->ptr++ = (uint8_t)(w->bits >> w->count);
        } else {
            *w->ptr++ = (uint8_t)(w->bits << (8 - w->count));
            w->count = 0;
        }
    }
}

/* Hash table slots hold (prefix code << 8 | byte) << 12 | code; 0 is
 * empty (no entry has code 0). */
static inline uint32_t imcd_lzw_hash(uint32_t key)
{
    return (key * 2654435761u) >> (32 - LZW_HASHBITS);
}

ptrdiff_t imcd_lzw_encode(const uint8_t *src, ptrdiff_t srcsize, uint8_t *dst,
                          ptrdiff_t dstsize)
{
    const size_t tablesize = sizeof(uint32_t) << LZW_HASHBITS;
    const uint32_t mask = (1u << LZW_HASHBITS) - 1;
    imcd_lzw_writer w = {dst, dst + dstsize, 0, 0, 0};
    uint32_t *table;
    uint32_t next = LZW_FIRST, prefix;
    int nbits = 9;
    ptrdiff_t i;

    table = (uint32_t *)calloc(1, tablesize);
    if (table == NULL)
        return IMCD_MEMORY;
    imcd_lzw_put(&w, LZW_CLEAR, nbits);
    if (srcsize > 0) {
        prefix = src[0];
        for (i = 1; i < srcsize && !w.failed; i++) {
            uint32_t key = (prefix << 8) | src[i];
            uint32_t h = imcd_lzw_hash(key);
            uint32_t slot;
            while ((slot = table[h]) != 0 && (slot >> 12) != key)
                h = (h + 1) & mask;
            if (slot != 0) {
                prefix = slot & 0xfff;
                continue;
            }
            imcd_lzw_put(&w, prefix, nbits);
            table[h] = (key << 12) | next;
            next++;
            if (next == LZW_RESET) {
                imcd_lzw_put(&w, LZW_CLEAR, nbits);
                memset(table, 0, tablesize);
                next = LZW_FIRST;
                nbits = 9;
            } else if (next == (1u << nbits)) {
                nbits++;
            }
            prefix = src[i];
        }
        imcd_lzw_put(&w, prefix, nbits);
        /* the decoder defines one more entry on reading that code, which
         * may widen the code of EndOfInformation */
        if (++next == (1u << nbits) && nbits < 12)
            nbits++;
    }
    imcd_lzw_put(&w, LZW_EOI, nbits);
    imcd_lzw_flush(&w);
    free(table);
    if (w.failed)
        return IMCD_OUTPUT_TOO_SMALL;
    return w.ptr - dst;
}
