/* SPDX-License-Identifier: BSD-3-Clause */
/* LZO1X decompression (the format of liblzo2's lzo1x_decompress, also
 * written by lzokay and python-lzo).
 *
 * A stream is a sequence of instructions, each a match or a literal run,
 * ending with the instruction 0x11 0x00 0x00. A match's last byte but one
 * holds in its low two bits the number (0..3) of literals that follow it.
 * Instruction bytes, with the state they are read in:
 *   0..15 after a match without literals: a run of 4 or more literals
 *         (0 starts an extended count: zero bytes add 255, then a byte);
 *   0..15 after a match with 1..3 literals: a 2-byte match, distance 1..1024
 *         (one more byte);
 *   0..15 after a literal run: a 3-byte match, distance 2049..3072;
 *   16..31 a match of distance 16385..49151 (distance 16384 is the end);
 *   32..63 a match of distance 1..16384;
 *   64..255 a 3..8 byte match of distance 1..2048.
 * A first byte of 18 or more starts the stream with that minus 17 literals.
 */
#ifndef IMCD_LZO_H
#define IMCD_LZO_H

#include "imcd.h"

/* Where decoding stopped, to continue in a larger output. */
typedef struct imcd_lzo_state {
    ptrdiff_t in;  /* next instruction's offset in src */
    ptrdiff_t out; /* bytes written */
    int after;     /* what the previous instruction was (internal) */
} imcd_lzo_state;

/* The stream ends before the end of the data. */
#define IMCD_LZO_NOT_CONSUMED (-100)

/* Set the state to the start of a stream. */
void imcd_lzo_start(imcd_lzo_state *state);

/* Decode the whole stream src into dst, continuing from state; return the
 * decoded size. When an instruction does not fit into dst, return
 * IMCD_OUTPUT_TOO_SMALL with the state before it: the call can be repeated
 * with dst enlarged (its first state->out bytes kept). */
ptrdiff_t imcd_lzo_decode(const uint8_t *src, ptrdiff_t srcsize, uint8_t *dst,
                          ptrdiff_t dstsize, imcd_lzo_state *state);

/* Upper bound of the size that srcsize bytes can decode to. */
ptrdiff_t imcd_lzo_decode_bound(ptrdiff_t srcsize);

#endif
