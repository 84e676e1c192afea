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
from harness import PAYLOADS, check_compressor, require


@pytest.fixture(autouse=True)
def available():
    require('zlib')


DATA = PAYLOADS['text']


def test_zlib_compressor():
    check_compressor(zlib_encode, zlib_decode, ZlibError,
                     levels=(None, -1, 0, 1, 6, 9), compress=zlib.compress,
                     decompress=zlib.decompress)
    assert zlib_check(zlib_encode(b''))


def test_gzip_compressor():
    check_compressor(gzip_encode, gzip_decode, GzipError, levels=(None, 1, 9),
                     compress=gzip.compress, decompress=gzip.decompress)
    assert gzip_check(gzip_encode(b''))


def test_gzip_concatenated_members():
    joined = gzip.compress(DATA) + gzip.compress(b'tail') + gzip_encode(DATA)
    assert gzip_decode(joined) == DATA + b'tail' + DATA


def test_checksums():
    for data in (b'', b'a', DATA):
        assert zlib_crc32(data) == zlib.crc32(data)
        assert zlib_adler32(data) == zlib.adler32(data)
        assert zlib_crc32(data, 12345) == zlib.crc32(data, 12345)
        assert zlib_adler32(data, 7) == zlib.adler32(data, 7)
    assert zlib_crc32(numpy.arange(100, dtype='u4')) == zlib.crc32(
        numpy.arange(100, dtype='u4').tobytes())


def test_check():
    assert not zlib_check(b'\x1f\x8b') and not gzip_check(b'x\x9c')


@pytest.mark.slow
def test_large():
    data = numpy.random.default_rng(3).integers(0, 4, 64 << 20, 'u1')
    assert zlib_decode(zlib_encode(data)) == data.tobytes()
