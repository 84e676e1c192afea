# SPDX-License-Identifier: BSD-3-Clause
"""SNAPPY codec (raw format), checked against cramjam's Rust snappy."""

import numpy
import pytest

from imagecodecs import (
    SNAPPY, SnappyError, snappy_check, snappy_decode, snappy_encode,
    snappy_version,
)
from harness import (
    INT_DTYPES, FLOAT_DTYPES, PAYLOADS, check_compressor, check_corrupt,
    check_numcodecs,
    random_array, require,
)


@pytest.fixture(autouse=True)
def available():
    require('snappy')


# Made by hand from the format: length 23, a 6-byte literal 'hello ' and a
# copy with 2-byte offset of 17 bytes from 6 back.
HANDMADE = b'\x17\x14hello B\x06\x00'


def test_compressor():
    check_compressor(snappy_encode, snappy_decode, SnappyError)


def test_cramjam_interop():
    cramjam = pytest.importorskip('cramjam')
    check_compressor(
        snappy_encode, snappy_decode, SnappyError,
        compress=lambda d: bytes(cramjam.snappy.compress_raw(d)),
        decompress=lambda d: bytes(cramjam.snappy.decompress_raw(d)),
    )


def test_handmade_stream():
    assert snappy_decode(HANDMADE) == b'hello hello hello hello'
    assert snappy_decode(snappy_encode(b'')) == b''
    assert snappy_encode(b'') == b'\x00'
    assert snappy_decode(b'') == b''


@pytest.mark.parametrize('dtype', INT_DTYPES + FLOAT_DTYPES)
def test_dtypes(dtype):
    data = random_array((7, 33), dtype, low=0, high=20)
    assert snappy_decode(snappy_encode(data)) == data.tobytes()


def test_check():
    assert SNAPPY.available
    assert snappy_check(HANDMADE)
    assert snappy_check(snappy_encode(PAYLOADS['text']))
    assert snappy_check(b'\x00')
    assert not snappy_check(b'')
    assert not snappy_check(HANDMADE[:-1])
    assert not snappy_check(b'\xff\xff')
    assert snappy_version().startswith('snappy 1.')


def test_claimed_sizes():
    # 4 GiB claimed by a 5-byte varint: refused before allocating
    with pytest.raises(SnappyError, match='claims'):
        snappy_decode(b'\xff\xff\xff\xff\x0f')
    # a length the input could hold, but the elements are missing
    with pytest.raises(SnappyError):
        snappy_decode(b'\x40' + b'\x00' * 10)
    # the body yields fewer bytes than the header promises
    with pytest.raises(SnappyError):
        snappy_decode(b'\x18' + HANDMADE[1:])
    check_corrupt(snappy_decode, HANDMADE, SnappyError,
                  truncations=range(1, len(HANDMADE)))


def test_out_too_small_for_bound():
    # out smaller than the library's worst case still works if it fits
    data = PAYLOADS['text']
    encoded = snappy_encode(data)
    out = bytearray(len(encoded))
    assert snappy_encode(data, out=out) == encoded
    assert out == encoded


def test_numcodecs_class():
    check_numcodecs('Snappy', {}, snappy_encode)


@pytest.mark.slow
def test_large():
    data = numpy.random.default_rng(3).integers(0, 4, 64 << 20, 'u1')
    assert snappy_decode(snappy_encode(data)) == data.tobytes()
