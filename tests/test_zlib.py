# SPDX-License-Identifier: BSD-3-Clause
"""ZLIB and GZIP codecs, checked against Python's zlib and gzip modules."""

import gzip
import zlib

import numpy
import pytest

from imagecodecs import (
    GzipError, ZlibError, gzip_check, gzip_decode, gzip_encode, zlib_adler32,
    zlib_check, zlib_crc32, zlib_decode, zlib_encode,
)
from harness import (
    check_corrupt, check_inputs, check_out, random_array, require,
)


@pytest.fixture(autouse=True)
def available():
    require('zlib')


DATA = random_array((300_000,), 'u1', low=0, high=15).tobytes()
PAYLOADS = [b'', b'x', DATA, numpy.random.default_rng(2).bytes(70_000)]


@pytest.mark.parametrize('level', [None, -1, 0, 1, 6, 9])
@pytest.mark.parametrize('data', PAYLOADS, ids=['empty', '1byte', 'text',
                                                'random'])
def test_zlib_roundtrip_with_python(level, data):
    encoded = zlib_encode(data, level=level)
    assert zlib_check(encoded)
    assert zlib.decompress(encoded) == data
    assert zlib_decode(zlib.compress(data, 9)) == data
    assert zlib_decode(encoded) == data


@pytest.mark.parametrize('level', [None, 1, 9])
@pytest.mark.parametrize('data', PAYLOADS, ids=['empty', '1byte', 'text',
                                                'random'])
def test_gzip_roundtrip_with_python(level, data):
    encoded = gzip_encode(data, level=level)
    assert gzip_check(encoded)
    assert gzip.decompress(encoded) == data
    assert gzip_decode(gzip.compress(data)) == data


def test_gzip_concatenated_members():
    joined = gzip.compress(DATA) + gzip.compress(b'tail') + gzip_encode(DATA)
    assert gzip_decode(joined) == DATA + b'tail' + DATA


def test_out_modes():
    check_out(zlib_decode, zlib.compress(DATA), DATA, ZlibError)
    check_out(gzip_decode, gzip.compress(DATA), DATA, GzipError)
    check_inputs(zlib_decode, zlib.compress(DATA), DATA)
    encoded = zlib_encode(DATA)
    check_out(zlib_encode, DATA, encoded, ZlibError)


def test_checksums():
    for data in (b'', b'a', DATA):
        assert zlib_crc32(data) == zlib.crc32(data)
        assert zlib_adler32(data) == zlib.adler32(data)
        assert zlib_crc32(data, 12345) == zlib.crc32(data, 12345)
        assert zlib_adler32(data, 7) == zlib.adler32(data, 7)
    assert zlib_crc32(numpy.arange(100, dtype='u4')) == zlib.crc32(
        numpy.arange(100, dtype='u4').tobytes())


def test_corrupt():
    check_corrupt(zlib_decode, zlib.compress(DATA), ZlibError)
    check_corrupt(gzip_decode, gzip.compress(DATA), GzipError)
    assert not zlib_check(b'\x1f\x8b') and not gzip_check(b'x\x9c')


@pytest.mark.slow
def test_large():
    data = numpy.random.default_rng(3).integers(0, 4, 64 << 20, 'u1')
    assert zlib_decode(zlib_encode(data)) == data.tobytes()
