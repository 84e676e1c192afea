# SPDX-License-Identifier: BSD-3-Clause
"""ZLIB and GZIP codecs, checked against Python's zlib and gzip modules
and the gzip command line tool if present."""

import gzip
import struct
import zlib

import numpy
import pytest

from imagecodecs import (
    GzipError, ZlibError, gzip_check, gzip_decode, gzip_encode, zlib_adler32,
    zlib_check, zlib_crc32, zlib_decode, zlib_encode,
)
from harness import (
    PAYLOADS, check_bounded_allocation, check_command_line_tool,
    check_checksums, check_compressor, check_numcodecs, require,
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


def test_gzip_compressor():
    check_compressor(gzip_encode, gzip_decode, GzipError, levels=(None, 1, 9),
                     compress=gzip.compress, decompress=gzip.decompress)
    assert gzip_check(gzip_encode(b''))


def test_gzip_concatenated_members():
    joined = gzip.compress(DATA) + gzip.compress(b'tail') + gzip_encode(DATA)
    assert gzip_decode(joined) == DATA + b'tail' + DATA


def test_gzip_trailing_data_is_ignored():
    # as the gzip tool does: zeros (padding) and data that is no member
    member = gzip.compress(DATA)
    for tail in (b'\x00' * 10, b'garbage', b'\x1f'):
        assert gzip_decode(member + tail) == DATA
    with pytest.raises(GzipError):  # a second member that is truncated
        gzip_decode(member + gzip.compress(b'tail')[:-1])


def test_zlib_trailing_data_is_ignored():
    stream = zlib.compress(DATA)
    for tail in (b'\x00' * 10, b'garbage', stream):
        assert zlib_decode(stream + tail) == DATA


def test_levels():
    for encode in (zlib_encode, gzip_encode):
        assert encode(DATA, level=-1) == encode(DATA, level=6) == encode(
            DATA)
        assert encode(DATA, level=-7) == encode(DATA)
        assert encode(DATA, level=10) == encode(DATA, level=9)
    assert len(zlib_encode(DATA, level=0)) > len(DATA)  # stored blocks
    assert zlib_encode(DATA, level=1)[:2] == b'\x78\x01'


def test_damaged_headers():
    for decode, error in ((zlib_decode, ZlibError), (gzip_decode, GzipError)):
        for data in (b'', b'x', b'\x78', b'\x1f\x8b\x08', b'\x00' * 32):
            with pytest.raises(error):
                decode(data)
    with pytest.raises(ZlibError):
        zlib_decode(gzip.compress(DATA))
    with pytest.raises(GzipError):
        gzip_decode(zlib.compress(DATA))
    stream = zlib.compress(DATA)
    with pytest.raises(ZlibError, match='data check'):
        zlib_decode(stream[:-4] + b'\x00' * 4)
    member = gzip.compress(DATA)
    with pytest.raises(GzipError, match='length check'):
        gzip_decode(member[:-4] + b'\x00' * 4)


def test_gzip_claimed_size_is_bounded():
    # ISIZE of 4 GiB after a tiny member: a guess, never trusted beyond
    # the largest ratio deflate achieves
    member = bytearray(gzip.compress(b'abc'))
    member[-4:] = struct.pack('<I', 0xFFFFFFFF)
    check_bounded_allocation(gzip_decode, bytes(member), GzipError,
                             limit=1 << 20)


def test_bomb_grows():
    data = bytes(8 << 20)
    for encode, decode in ((zlib_encode, zlib_decode),
                           (gzip_encode, gzip_decode)):
        encoded = encode(data)
        assert len(encoded) < len(data) // 1000
        assert decode(encoded) == data


def test_gzip_command_line_tool():
    check_command_line_tool('gzip', gzip_encode, gzip_decode,
                            levels=(1, 6, 9))


def test_numcodecs():
    check_numcodecs('Zlib', {'level': None}, zlib_encode)
    check_numcodecs('Zlib', {'level': None}, zlib_encode, level=1)


def test_checksums():
    check_checksums(zlib_crc32, zlib_adler32)


def test_check():
    assert not zlib_check(b'\x1f\x8b') and not gzip_check(b'x\x9c')


@pytest.mark.slow
def test_large():
    data = numpy.random.default_rng(3).integers(0, 4, 64 << 20, 'u1')
    assert zlib_decode(zlib_encode(data)) == data.tobytes()


@pytest.mark.slow
def test_large_gzip():
    data = numpy.random.default_rng(3).integers(0, 4, 24 << 20, 'u1')
    encoded = gzip_encode(data, level=1)
    assert gzip.decompress(encoded) == data.tobytes()
    out = numpy.empty_like(data)
    gzip_decode(encoded, out=out)
    numpy.testing.assert_array_equal(out, data)
