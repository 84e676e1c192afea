# SPDX-License-Identifier: BSD-3-Clause
"""LZHAM codec, checked against pinned reference streams and pylzham.

Our streams are LZHAM's zlib-style ones: a 2-byte header (method 14,
32 KiB dictionary) followed by a raw LZHAM stream, which ends with the
Adler-32 of the data. pylzham reads and writes raw streams.
"""

import re

import numpy
import pytest

from imagecodecs import (
    LZHAM, LzhamError, lzham_check, lzham_decode, lzham_encode,
    lzham_version,
)
from harness import (
    FLOAT_DTYPES, INT_DTYPES, PAYLOADS, check_compressor, check_corrupt,
    check_numcodecs,
    check_out, random_array, require,
)


@pytest.fixture(autouse=True)
def available():
    require('lzham')


WORDS = b'hello hello hello hello'
ROWS = b''.join(b'row %d: value %d\n' % (i, i * i % 1000) for i in range(40))

# Streams of the reference package (imagecodecs 2026.3.6, LZHAM 10.8.1).
REFERENCE = {
    (WORDS, None): b'\x0e\xc6HY\xac\x80\x06\x86V\xc00\x02\x04\xe0X\x01`\xc0h'
                   b'\x03\x08\xb1',
    (WORDS, 1): b'\x0e\x0cHM\x00\x00\x06\x86V\xc00\x02\x06\x85Q1`\xc0h\x03'
                b'\x08\xb1',
    (b'', None): b'\x0e\xc6\xc0\x00\x00\x00\x01',
    (b'x', None): b'\x0e\xc6\x80\x00\x00\x00\x00x\xc0\x00y\x00y',
    (ROWS, None): bytes.fromhex(
        '0ec6400f84770726f7720303a2076616ced7565564c17bdb010304019a01030405b7'
        '0101040d0701077cdc83c69001048c03350103a504017a002a28c74500329c101e2b'
        'ffbda04024bc0a71dfb57a6df9d0d80cded2842017ee68de04100bf79147eb7902ae'
        '859b010f0dad3a32c70c1e1be087082505fdc0202a9e4dd7de1579513ee4edcd361d'
        'bfe04fc41570588b421c23642fe4d022a82fdcc76c0a0817ee6ac404220bf74e0295'
        '05fb82ac0a12291b40bf7865b882ff06a000bb417f1002d74abd087050e92e82077b'
        'a09a24227037743a6a3047e420cfe41421c3f26c804110a005804003b624013dfa54'
        'c0fe2cc735'
    ),
    (ROWS, 1): bytes.fromhex(
        '0e0c400f84770726f7720303a2076616ced7565564c17bda01ff04013c0103040559'
        '0101040da3010704083632690010403b9350103d404017a0020468068a0060204eac'
        '57ff608019497814e863aad4dbf1b3a1b01a3da4e86460e9a6868054f3a1934b2e5e'
        '05fb3a1b4ff8d09c0801b58eb024540196ad705a8032210a06cf6f8033e03989dc12'
        'c019a45492efb6600cd41fd60b23d836e0b505b1073664020548fc98e48102fe4b0d'
        '4089417f24404c80bf90348283be3ffc0bf98359682ff072009ff6067ac035f6493e'
        '0b52c058fe81af0019a4b9d06990dcd2f3b520df406f6cd058b505abff3dbe000a12'
        '481000020026fb1100c0fe2cc735'
    ),
}


def test_compressor():
    # levels 0..10 map to LZHAM's five levels; 10 is tested below
    check_compressor(lzham_encode, lzham_decode, LzhamError,
                     levels=(None, 1))


@pytest.mark.parametrize('key', list(REFERENCE), ids=str)
def test_reference_streams(key):
    data, level = key
    stream = REFERENCE[key]
    assert lzham_decode(stream) == data
    assert lzham_encode(data, level=level) == stream
    assert lzham_check(stream)


def test_levels():
    sizes = {}
    for level in (-1, 0, 2, 4, 6, 8, 9, 10, 99, -5):
        encoded = lzham_encode(ROWS, level=level)
        assert lzham_decode(encoded) == ROWS, level
        sizes[level] = len(encoded)
    # out-of-range levels are clamped; -1 is 9; 10 parses harder
    assert sizes[99] == sizes[10] and sizes[-5] == sizes[-1] == sizes[9]
    assert sizes[10] <= sizes[9] < sizes[0]
    assert LZHAM.COMPRESSION.UBER == 10 and LZHAM.STRATEGY.FIXED == 4


def test_pylzham_interop():
    lzham = pytest.importorskip('lzham')
    raw = {'dict_size_log2': 15}
    for name, data in PAYLOADS.items():
        if not data:
            continue  # pylzham rejects an empty output size
        encoded = lzham_encode(data)
        assert lzham.decompress(encoded[2:], len(data), raw) == data, name
        # a raw stream behind our header decodes: same coding parameters
        theirs = lzham.compress(data, raw)
        assert lzham_decode(encoded[:2] + theirs) == data, name


def test_out_exact_and_growing():
    data = PAYLOADS['text'][:50_000]
    encoded = lzham_encode(data)
    check_out(lzham_encode, data, encoded, LzhamError)
    # highly compressible: the decoded size is far beyond the first guess
    zeros = bytes(1 << 18)
    assert lzham_decode(lzham_encode(zeros, level=1)) == zeros


@pytest.mark.parametrize('dtype', INT_DTYPES + FLOAT_DTYPES)
def test_dtypes(dtype):
    data = random_array((7, 33), dtype, low=0, high=20)
    assert lzham_decode(lzham_encode(data)) == data.tobytes()


def test_check_and_version():
    assert LZHAM.available
    assert lzham_check(lzham_encode(b''))
    assert not lzham_check(b'x\x9c')  # zlib's deflate header
    assert not lzham_check(b'\x0e') and not lzham_check(b'')
    assert re.fullmatch(r'lzham \S+ \(DLL 10\.[\d.]+\)', lzham_version())


def test_corrupt():
    stream = REFERENCE[(ROWS, None)]
    # another dictionary size or method in the header
    for head in (b'\x1e\xc1', b'\x08\x1d', b'\x0e\xc7'):
        with pytest.raises(LzhamError):
            lzham_decode(head + stream[2:])
    # the Adler-32 at the end
    with pytest.raises(LzhamError, match='Adler'):
        lzham_decode(stream[:-1] + bytes([stream[-1] ^ 1]))
    # damage can make LZHAM decode endlessly past its input: bounded
    damaged = bytearray(REFERENCE[(WORDS, None)])
    damaged[2] ^= 1
    with pytest.raises(LzhamError, match='without input'):
        lzham_decode(bytes(damaged))
    check_corrupt(lzham_decode, stream, LzhamError,
                  truncations=range(1, len(stream), 5))


def test_numcodecs_class():
    check_numcodecs('Lzham', {'level': None}, lzham_encode, level=1)


@pytest.mark.slow
def test_large():
    data = numpy.random.default_rng(3).integers(0, 4, 16 << 20, 'u1')
    assert lzham_decode(lzham_encode(data)) == data.tobytes()
