# SPDX-License-Identifier: BSD-3-Clause
"""HDF5 checksums: Fletcher-32, lookup3, CRC, metadata and string hash.

Values are checked against small Python models written from the
definitions, published lookup3 vectors, and pinned values of HDF5's own
functions.
"""

import hashlib
import struct

import numpy
import pytest

from imagecodecs import (
    h5checksum_crc, h5checksum_fletcher32, h5checksum_hash_string,
    h5checksum_lookup3, h5checksum_metadata, h5checksum_version,
)
from harness import input_variants, require

pytestmark = pytest.mark.usefixtures('available')


@pytest.fixture
def available():
    require('h5checksum')


MASK = 0xFFFFFFFF
DATA = numpy.random.default_rng(2024).integers(0, 256, 1000, 'u1').tobytes()
FUNCTIONS = (h5checksum_fletcher32, h5checksum_lookup3, h5checksum_crc,
             h5checksum_metadata, h5checksum_hash_string)


def fletcher32(data):
    """Sums of 16-bit big-endian words, odd last byte high, mod 65535.

    A nonzero sum is kept as 1..65535, never 0 (end-around carry).
    """
    if len(data) % 2:
        data = data + b'\0'
    words = numpy.frombuffer(data, '>u2').astype(numpy.uint64)
    sum1 = int(words.sum())
    sum2 = int((words * numpy.arange(len(words), 0, -1, dtype='u8')).sum())

    def fold(x):
        return (x - 1) % 65535 + 1 if x else 0

    return (fold(sum2) << 16) | fold(sum1)


def rot(x, k):
    return ((x << k) | (x >> (32 - k))) & MASK


def lookup3(data, initval=0):
    """Bob Jenkins' hashlittle, little-endian words of 12-byte blocks."""
    a = b = c = (0xDEADBEEF + len(data) + initval) & MASK
    if not data:
        return c
    while len(data) > 12:
        x, y, z = struct.unpack('<3I', data[:12])
        a, b, c = (a + x) & MASK, (b + y) & MASK, (c + z) & MASK
        for i, j, k, r in ((0, 2, 1, 4), (1, 0, 2, 6), (2, 1, 0, 8),
                           (0, 2, 1, 16), (1, 0, 2, 19), (2, 1, 0, 4)):
            s = [a, b, c]
            s[i] = ((s[i] - s[j]) & MASK) ^ rot(s[j], r)
            s[j] = (s[j] + s[k]) & MASK
            a, b, c = s
        data = data[12:]
    x, y, z = struct.unpack('<3I', data.ljust(12, b'\0'))
    a, b, c = (a + x) & MASK, (b + y) & MASK, (c + z) & MASK
    for i, j, r in ((2, 1, 14), (0, 2, 11), (1, 0, 25), (2, 1, 16),
                    (0, 2, 4), (1, 0, 14), (2, 1, 24)):
        s = [a, b, c]
        s[i] = ((s[i] ^ s[j]) - rot(s[j], r)) & MASK
        a, b, c = s
    return c


def crc(data):
    """Right-shifting CRC-32 with the unreflected polynomial 0x04C11DB7."""
    value = MASK
    for byte in data:
        value ^= byte
        for _ in range(8):
            value = (value >> 1) ^ (0x04C11DB7 if value & 1 else 0)
    return value ^ MASK


def hash_string(data):
    """djb2 of signed chars up to the first NUL."""
    value = 5381
    for byte in data.split(b'\0')[0]:
        value = (value * 33 + (byte - 256 if byte > 127 else byte)) & MASK
    return value


def test_version():
    assert 'imcd' in h5checksum_version()


@pytest.mark.parametrize('data, initval, expected', [
    # published vectors of lookup3.c (driver5)
    (b'', 0, 0xDEADBEEF),
    (b'', 0xDEADBEEF, 0xBD5B7DDE),
    (b'Four score and seven years ago', 0, 0x17770551),
    (b'Four score and seven years ago', 1, 0xCD628161),
])
def test_lookup3_published(data, initval, expected):
    assert h5checksum_lookup3(data, initval) == expected
    assert h5checksum_metadata(data, initval) == expected
    assert lookup3(data, initval) == expected


@pytest.mark.parametrize('data, values', [
    (b'', (0x0, 0xDEADBEEF, 0x0, 0x1505)),
    (b'a', (0x61006100, 0x58D68708, 0xF9B2971A, 0x2B606)),
    (b'abc', (0x25C5C462, 0x0E397631, 0xFAD63FD4, 0x0B885C8B)),
    (b'Four score and seven years ago',
     (0x4D63AC65, 0x17770551, 0xFB7CDB47, 0x12D6EBCC)),
    (bytes(range(256)), (0x5575C03F, 0xE20E0833, 0xF8FCF427, 0x1505)),
    (b'\xff' * 7, (0xFF00FF00, 0xE91BE688, 0xF9CC4C85, 0xB45D8EBE)),
])
def test_pinned(data, values):
    # values of HDF5's functions
    assert (h5checksum_fletcher32(data), h5checksum_lookup3(data),
            h5checksum_crc(data), h5checksum_hash_string(data)) == values
    assert (fletcher32(data), lookup3(data), crc(data),
            hash_string(data)) == values


def test_all_lengths_pinned():
    """Lengths 0 to 1000 and several initial values, digest of HDF5's."""
    digest = hashlib.sha256()
    for n in range(len(DATA) + 1):
        data = DATA[:n]
        values = [h5checksum_fletcher32(data), h5checksum_crc(data),
                  h5checksum_hash_string(data)]
        values += [h5checksum_lookup3(data, v)
                   for v in (0, 1, 0xDEADBEEF, 0xFFFFFFFF)]
        digest.update(struct.pack('<7I', *values))
    assert digest.hexdigest() == (
        'dea8c2ca06a12c8aabceb9ed40cee778'
        '9d209bc0d2f9c73624cbbc1ece76033f'
    )


@pytest.mark.parametrize('n', list(range(0, 40)) + [
    95, 96, 97, 191, 192, 193, 300, 511, 512, 513, 1000])
def test_models(n):
    data = DATA[:n]
    assert h5checksum_fletcher32(data) == fletcher32(data)
    assert h5checksum_crc(data) == crc(data)
    assert h5checksum_hash_string(data) == hash_string(data)
    for value in (0, 1, 0x9E3779B9, 0xFFFFFFFF):
        assert h5checksum_lookup3(data, value) == lookup3(data, value)
        assert h5checksum_metadata(data, value) == lookup3(data, value)


@pytest.mark.parametrize('n', [8191, 8192, 8193, 8224, 16384 + 33, 70001])
def test_fletcher32_long(n):
    # the sums are folded in chunks of 8192 bytes; any data length agrees
    rng = numpy.random.default_rng(n)
    for data in (rng.integers(0, 256, n, 'u1').tobytes(), b'\xff' * n,
                 b'\0' * n, b'\0' * (n - 1) + b'\1'):
        assert h5checksum_fletcher32(data) == fletcher32(data)


def test_fletcher32_never_folds_to_zero():
    # 0xffff words sum to multiples of 65535: HDF5 keeps them as 0xffff
    assert h5checksum_fletcher32(b'\xff\xff') == 0xFFFFFFFF
    assert h5checksum_fletcher32(b'\xff' * 100_000) == 0xFFFFFFFF
    assert h5checksum_fletcher32(b'\0' * 100_001) == 0
    assert h5checksum_fletcher32(b'\0\1') == 0x00010001


def test_large_pinned():
    data = numpy.random.default_rng(5).integers(0, 256, 10_000_003,
                                                'u1').tobytes()
    assert h5checksum_fletcher32(data) == 0x7018688A
    assert h5checksum_lookup3(data) == 0x0DEB19E9
    assert h5checksum_lookup3(data, 7) == 0x8E314140
    assert h5checksum_crc(data) == 0xFA7C0C7E


def test_hash_string():
    assert h5checksum_hash_string(b'dataset_name') == 0x8D9C972B
    # bytes above 127 count as negative chars
    assert h5checksum_hash_string(b'\xe4\xf6\xfc') == 0x0B863A7B
    assert h5checksum_hash_string(b'ab\0cd') == h5checksum_hash_string(b'ab')
    assert h5checksum_hash_string(b'\0ab') == 5381


def test_value():
    data = b'Four score and seven years ago'
    assert h5checksum_lookup3(data) == h5checksum_lookup3(data, 0)
    assert h5checksum_metadata(data, 1) == 0xCD628161
    for func in (h5checksum_fletcher32, h5checksum_crc,
                 h5checksum_hash_string):
        # HDF5 defines no initial value for these: it is ignored
        assert func(data, 12345) == func(data)
    for value in (-1, 2**32):
        with pytest.raises(OverflowError):
            h5checksum_lookup3(data, value)
        with pytest.raises(OverflowError):
            h5checksum_metadata(data, value)
    with pytest.raises(TypeError):
        h5checksum_lookup3(data, 'x')


@pytest.mark.parametrize('func', FUNCTIONS, ids=lambda f: f.__name__)
def test_inputs(func):
    data = DATA[:333]
    expected = func(data)
    for variant in input_variants(data):
        assert func(variant) == expected, type(variant)
    # arrays by their bytes in memory, a non-contiguous one as if copied
    array = numpy.arange(24, dtype='<u2').reshape(4, 6)
    assert func(array) == func(array.tobytes())
    assert func(array[:, ::2]) == func(array[:, ::2].tobytes())
    with pytest.raises(TypeError):
        func('abc')


def test_arrays_pinned():
    array = numpy.arange(24, dtype='<u2').reshape(4, 6)
    assert h5checksum_fletcher32(array) == 0xFC081401
    assert h5checksum_fletcher32(array[:, ::2]) == 0x3C028400
    assert h5checksum_lookup3(array.T) == 0x11D2B175
