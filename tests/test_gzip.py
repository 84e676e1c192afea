# SPDX-License-Identifier: BSD-3-Clause
"""GZIP codec over libdeflate, checked against Python's gzip module and the
gzip command line tool if present."""

import gzip
import struct
import zlib

import numpy
import pytest

from imagecodecs import GzipError, gzip_check, gzip_decode, gzip_encode
from harness import (
    PAYLOADS, check_bounded_allocation, check_command_line_tool,
    check_compressor, require,
)


@pytest.fixture(autouse=True)
def available():
    require('gzip')


DATA = PAYLOADS['text']


def test_compressor():
    check_compressor(gzip_encode, gzip_decode, GzipError,
                     levels=(None, 0, 1, 6, 9, 12), compress=gzip.compress,
                     decompress=gzip.decompress)
    assert gzip_check(gzip_encode(b''))


def test_levels():
    # negative levels mean the default, as for zlib; libdeflate stops at 12
    assert gzip_encode(DATA, level=-1) == gzip_encode(DATA, level=6) == (
        gzip_encode(DATA))
    assert gzip_encode(DATA, level=99) == gzip_encode(DATA, level=12)
    assert len(gzip_encode(DATA, level=0)) > len(DATA)  # stored blocks
    assert len(gzip_encode(DATA, level=12)) < len(gzip_encode(DATA, level=1))


def test_concatenated_members():
    joined = gzip.compress(DATA) + gzip.compress(b'tail') + gzip_encode(DATA)
    assert gzip_decode(joined) == DATA + b'tail' + DATA
    # an empty member between others, and a last member larger than the
    # first guess from its trailer allows for the whole
    joined = gzip.compress(DATA * 8) + gzip.compress(b'') + gzip.compress(b'x')
    assert gzip_decode(joined) == DATA * 8 + b'x'


def test_concatenated_members_into_out():
    joined = gzip.compress(DATA) + gzip.compress(DATA[::-1])
    expected = DATA + DATA[::-1]
    out = bytearray(len(expected))
    assert gzip_decode(joined, out=out) is out
    assert out == expected
    with pytest.raises(GzipError, match='too small'):
        gzip_decode(joined, out=bytearray(len(expected) - 1))


def test_trailing_data_is_ignored():
    # as the gzip tool does: zeros (padding) and data that is no member
    member = gzip.compress(DATA)
    for tail in (b'\x00' * 10, b'garbage', b'\x1f'):
        assert gzip_decode(member + tail) == DATA
    with pytest.raises(GzipError):  # a second member that is truncated
        gzip_decode(member + gzip.compress(b'tail')[:-1])


def test_damaged():
    for data in (b'', b'x', b'\x1f\x8b\x08', b'\x00' * 32):
        with pytest.raises(GzipError):
            gzip_decode(data)
    with pytest.raises(GzipError):
        gzip_decode(zlib.compress(DATA))
    member = gzip.compress(DATA)
    with pytest.raises(GzipError):  # CRC-32 of the trailer
        gzip_decode(member[:-8] + b'\x00' * 4 + member[-4:])
    with pytest.raises(GzipError):  # ISIZE of the trailer
        gzip_decode(member[:-4] + b'\x00' * 4)


def test_claimed_size_is_bounded():
    # ISIZE of 4 GiB after a tiny member: a guess, never trusted beyond
    # the largest ratio deflate achieves
    member = bytearray(gzip.compress(b'abc'))
    member[-4:] = struct.pack('<I', 0xFFFFFFFF)
    check_bounded_allocation(gzip_decode, bytes(member), GzipError,
                             limit=1 << 20)


def test_bomb_grows():
    # the trailer's size is the first guess; a wrong one (100 bytes) makes
    # the output grow to the whole before the trailer check fails
    data = bytes(8 << 20)
    encoded = bytearray(gzip_encode(data))
    assert len(encoded) < len(data) // 900
    assert gzip_decode(encoded) == data
    encoded[-4:] = struct.pack('<I', 100)
    with pytest.raises(GzipError):
        gzip_decode(bytes(encoded))


def test_header_fields():
    # members with a file name, comment and mtime decode (gzip tool output)
    member = gzip.compress(DATA, mtime=1234567890)
    assert gzip_decode(member) == DATA
    head = b'\x1f\x8b\x08\x18\x00\x00\x00\x00\x00\x03name.txt\x00note\x00'
    body = gzip.compress(DATA)[10:]
    assert gzip_decode(head + body) == DATA


def test_command_line_tool():
    check_command_line_tool('gzip', gzip_encode, gzip_decode,
                            levels=(1, 6, 9))


def test_check():
    assert gzip_check(gzip.compress(b''))
    assert not gzip_check(b'x\x9c') and not gzip_check(b'\x1f\x8b')


@pytest.mark.slow
def test_large():
    data = numpy.random.default_rng(3).integers(0, 4, 24 << 20, 'u1')
    encoded = gzip_encode(data, level=1)
    assert gzip.decompress(encoded) == data.tobytes()
    out = numpy.empty_like(data)
    gzip_decode(encoded, out=out)
    numpy.testing.assert_array_equal(out, data)
