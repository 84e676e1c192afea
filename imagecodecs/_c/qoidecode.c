/* SPDX-License-Identifier: BSD-3-Clause */
/* One-pass QOI decoder, following the QOI specification 1.0. */

#include <string.h>

#include "qoidecode.h"

ptrdiff_t imcd_qoi_decode(const uint8_t *src, ptrdiff_t srcsize,
                          uint8_t *dst, ptrdiff_t npixels, int channels)
{
    uint8_t index[64][4];
    uint8_t px[4] = {0, 0, 0, 255};
    ptrdiff_t pos = 0, i;
    int run = 0;

    memset(index, 0, sizeof(index));
    for (i = 0; i < npixels; i++) {
        if (run > 0) {
            run--;
        } else {
            uint8_t op;
            if (pos >= srcsize)
                return IMCD_TRUNCATED;
            op = src[pos++];
            if (op == 0xFE || op == 0xFF) { /* RGB, RGBA */
                int n = op == 0xFE ? 3 : 4;
                if (srcsize - pos < n)
                    return IMCD_TRUNCATED;
                memcpy(px, src + pos, (size_t)n);
                pos += n;
            } else if (op < 0x40) { /* INDEX */
                memcpy(px, index[op], 4);
            } else if (op < 0x80) { /* DIFF: -2..1 per channel */
                px[0] = (uint8_t)(px[0] + ((op >> 4) & 3) - 2);
                px[1] = (uint8_t)(px[1] + ((op >> 2) & 3) - 2);
                px[2] = (uint8_t)(px[2] + (op & 3) - 2);
            } else if (op < 0xC0) { /* LUMA: green difference and two more */
                int vg = (op & 0x3F) - 32, b2;
                if (pos >= srcsize)
                    return IMCD_TRUNCATED;
                b2 = src[pos++];
                px[0] = (uint8_t)(px[0] + vg - 8 + ((b2 >> 4) & 0x0F));
                px[1] = (uint8_t)(px[1] + vg);
                px[2] = (uint8_t)(px[2] + vg - 8 + (b2 & 0x0F));
            } else { /* RUN of 1 to 62 */
                run = op & 0x3F;
            }
            memcpy(index[(px[0] * 3 + px[1] * 5 + px[2] * 7 + px[3] * 11)
                         % 64], px, 4);
        }
        memcpy(dst, px, (size_t)channels);
        dst += channels;
    }
    return pos;
}
