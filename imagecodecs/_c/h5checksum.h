/* SPDX-License-Identifier: BSD-3-Clause */
/* The checksums and hashes HDF5 stores in its files: Fletcher-32 of 16-bit
 * big-endian words (filter and old metadata), Bob Jenkins' lookup3
 * hashlittle (metadata), a CRC-32 and the djb2 string hash. Every function
 * gives the same values as HDF5 on any host, whatever its byte order. */
#ifndef IMCD_H5CHECKSUM_H
#define IMCD_H5CHECKSUM_H

#include "imcd.h"

/* Fill the CRC tables. Called once while the module is imported; the CRC
 * function also calls it on first use, which is safe single-threaded. */
void imcd_h5checksum_init(void);

/* Fletcher-32 of the 16-bit big-endian words of src; an odd last byte is
 * the high byte of a last word. The sums are kept in 1..65535 (0 only for
 * all-zero data): (sum2 << 16) | sum1. */
uint32_t imcd_h5checksum_fletcher32(const uint8_t *src, ptrdiff_t srcsize);

/* lookup3 hashlittle of src with initial value initval. */
uint32_t imcd_h5checksum_lookup3(const uint8_t *src, ptrdiff_t srcsize,
                                 uint32_t initval);

/* CRC-32 with register and result complemented, shifting right, but with
 * the IEEE 802.3 polynomial 0x04C11DB7 in its unreflected form (as HDF5
 * does; not the CRC-32 of zlib). */
uint32_t imcd_h5checksum_crc(const uint8_t *src, ptrdiff_t srcsize);

/* djb2 hash (hash * 33 + c from 5381) of the bytes as signed chars, up to
 * the first NUL byte or the end. */
uint32_t imcd_h5checksum_hash_string(const uint8_t *src, ptrdiff_t srcsize);

#endif
