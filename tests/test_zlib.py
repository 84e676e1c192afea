# SPDX-License-Identifier: BSD-3-Clause
"""ZLIB codec, checked against Python's zlib module."""

import gzip
import zlib

import numpy
import pytest

from imagecodecs import (
    ZlibError, zlib_adler32, zlib_check, zlib_crc32, zlib_decode,
    zlib_encode,
)
from harness import (
    PAYLOADS, check_checksums, check_compressor, check_numcodecs, require,
)


@pytest.fixture(autouse=True)
def available():
    require('zlib')


DATA = PAYLOADS['text']


def test_zlib_compressor():
    check_compressor(zlib_encode, zlib_decode, ZlibError,
                     levels=(None, -1, 0, 1, 6, 9), compress=zlib.compress,
                     decompress=zlib.decompress)
    assert zlib_check(zlib_encode(b''))


def test_zlib_trailing_data_is_ignored():
    stream = zlib.compress(DATA)
    for tail in (b'\x00' * 10, b'garbage', stream):
        assert zlib_decode(stream + tail) == DATA


def test_levels():
    assert zlib_encode(DATA, level=-1) == zlib_encode(DATA, level=6) == (
        zlib_encode(DATA))
    assert zlib_encode(DATA, level=-7) == zlib_encode(DATA)
    assert zlib_encode(DATA, level=10) == zlib_encode(DATA, level=9)
    assert len(zlib_encode(DATA, level=0)) > len(DATA)  # stored blocks
    assert zlib_encode(DATA, level=1)[:2] == b'\x78\x01'


def test_damaged_headers():
    for data in (b'', b'x', b'\x78', b'\x1f\x8b\x08', b'\x00' * 32):
        with pytest.raises(ZlibError):
            zlib_decode(data)
    with pytest.raises(ZlibError):
        zlib_decode(gzip.compress(DATA))
    stream = zlib.compress(DATA)
    with pytest.raises(ZlibError, match='data check'):
        zlib_decode(stream[:-4] + b'\x00' * 4)


def test_bomb_grows():
    data = bytes(8 << 20)
    encoded = zlib_encode(data)
    assert len(encoded) < len(data) // 1000
    assert zlib_decode(encoded) == data


def test_numcodecs():
    check_numcodecs('Zlib', {'level': None}, zlib_encode)
    check_numcodecs('Zlib', {'level': None}, zlib_encode, level=1)


def test_checksums():
    check_checksums(zlib_crc32, zlib_adler32)


def test_check():
    assert not zlib_check(b'\x1f\x8b')


@pytest.mark.slow
def test_large():
    data = numpy.random.default_rng(3).integers(0, 4, 64 << 20, 'u1')
    assert zlib_decode(zlib_encode(data)) == data.tobytes()
