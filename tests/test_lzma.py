# SPDX-License-Identifier: BSD-3-Clause
"""LZMA codec, checked against Python's lzma module and the xz tool."""

import functools
import lzma
import struct

import numpy
import pytest

from imagecodecs import LZMA, LzmaError, lzma_check, lzma_decode, lzma_encode
from harness import (
    PAYLOADS, check_bounded_allocation, check_command_line_tool,
    check_compressor, check_numcodecs, require,
)


@pytest.fixture(autouse=True)
def available():
    require('lzma')


DATA = PAYLOADS['text']


def test_compressor():
    # the out= checks encode a dozen times: at preset 1, not the slow 6
    # (which test_levels_are_presets covers)
    check_compressor(functools.partial(lzma_encode, level=1), lzma_decode,
                     LzmaError, levels=(None, 0, 9),
                     compress=lzma.compress, decompress=lzma.decompress,
                     partial=True)


def test_levels_are_presets():
    data = DATA[:50_000]
    assert lzma_encode(data) == lzma_encode(data, level=6)
    for level in (0, 3, 6, 9):
        assert lzma_encode(data, level=level) == lzma.compress(
            data, preset=level)
    assert lzma_encode(data, level=-1) == lzma_encode(data, level=0)
    assert lzma_encode(data, level=10) == lzma_encode(data, level=9)


@pytest.mark.parametrize('check', list(LZMA.CHECK))
def test_checks(check):
    data = DATA[:5000]
    encoded = lzma_encode(data, check=check)
    assert lzma.decompress(encoded) == data
    assert encoded[7] == int(check)  # stream flags byte of the header
    assert encoded == lzma.compress(data, check=int(check))
    assert lzma_decode(encoded) == data


def test_default_check_is_crc64():
    assert lzma_encode(b'abc')[6:8] == b'\x00\x04'


@pytest.mark.parametrize('check', [2, 15, 16, -1])
def test_invalid_check(check):
    with pytest.raises(LzmaError):
        lzma_encode(b'abc', check=check)


def test_alone_format_and_concatenation():
    data = DATA[:50_000]
    alone = lzma.compress(data, format=lzma.FORMAT_ALONE)
    assert lzma_check(alone) and lzma_decode(alone) == data
    joined = lzma_encode(data) + lzma.compress(b'end')
    assert lzma_decode(joined) == data + b'end'
    # stream padding: multiples of four zero bytes between and after
    padded = lzma_encode(data) + bytes(8) + lzma.compress(b'end') + bytes(4)
    assert lzma_decode(padded) == data + b'end'


def test_damaged():
    encoded = lzma_encode(DATA[:50_000])
    for data in (b'', b'x', b'\xfd7zXZ\x00', encoded[:12], encoded + bytes(3),
                 encoded + b'garbage-garbage', bytes(64)):
        with pytest.raises(LzmaError):
            lzma_decode(data)
    raw = lzma.compress(DATA[:1000], format=lzma.FORMAT_RAW,
                        filters=[{'id': lzma.FILTER_LZMA2}])
    with pytest.raises(LzmaError):
        lzma_decode(raw)


def alone_header(dict_size, size=-1):
    """Return an .lzma header: lc=3 lp=0 pb=2, dictionary, content size."""
    return b'\x5d' + struct.pack('<Iq', dict_size, size)


def test_huge_claimed_dictionary_fails():
    # 4 GiB of dictionary and an unknown size, from 77 bytes
    with pytest.raises(LzmaError, match='needs 4096 MiB'):
        lzma_decode(alone_header(0xFFFFFFFF) + bytes(64))
    # a genuine tiny stream of the largest preset still decodes
    assert lzma_decode(lzma.compress(b'x', preset=9)) == b'x'


def test_huge_claimed_size_is_not_allocated():
    check_bounded_allocation(lzma_decode, alone_header(1 << 16, 1 << 40)
                             + bytes(64), LzmaError, limit=1 << 20)


def test_bomb_grows():
    data = bytes(32 << 20)
    encoded = lzma_encode(data, level=0)
    assert len(encoded) < len(data) // 5000
    assert lzma_decode(encoded) == data


def test_command_line_tool():
    check_command_line_tool('xz', lzma_encode, lzma_decode,
                            levels=(0, 1, 6))
    # the tool's .lzma format and its integrity checks
    for options in (('--format=lzma',), ('--check=none',),
                    ('--check=crc32',), ('--check=sha256',)):
        check_command_line_tool('xz', lzma_encode, lzma_decode,
                                compress=('-c', *options))


def test_numcodecs():
    parameters = {'level': None, 'check': None}
    check_numcodecs('Lzma', parameters, lzma_encode)
    check_numcodecs('Lzma', parameters, lzma_encode, level=1,
                    check=int(LZMA.CHECK.SHA256))


@pytest.mark.slow
def test_large():
    data = numpy.random.default_rng(3).integers(0, 4, 24 << 20, 'u1')
    encoded = lzma_encode(data, level=1)
    assert lzma_decode(encoded) == data.tobytes()
    out = numpy.empty_like(data)
    lzma_decode(encoded, out=out)
    numpy.testing.assert_array_equal(out, data)
