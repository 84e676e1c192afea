# SPDX-License-Identifier: BSD-3-Clause
"""BZ2 codec, checked against Python's bz2 module and the bzip2 tool."""

import bz2

import numpy
import pytest

from imagecodecs import Bz2Error, bz2_check, bz2_decode, bz2_encode
from harness import (
    PAYLOADS, check_bounded_allocation, check_command_line_tool,
    check_compressor, check_numcodecs, require,
)


@pytest.fixture(autouse=True)
def available():
    require('bz2')


DATA = PAYLOADS['text']


def test_compressor():
    check_compressor(bz2_encode, bz2_decode, Bz2Error, levels=(None, 1, 9),
                     compress=bz2.compress, decompress=bz2.decompress,
                     partial=True)


def test_levels_are_block_sizes():
    data = DATA[:50_000]
    assert bz2_encode(data) == bz2_encode(data, level=9)
    for level in range(1, 10):
        assert bz2_encode(data, level=level)[:4] == b'BZh%d' % level
        assert bz2_encode(data, level=level) == bz2.compress(data, level)
    assert bz2_encode(data, level=0) == bz2_encode(data, level=1)
    assert bz2_encode(data, level=-1) == bz2_encode(data, level=1)
    assert bz2_encode(data, level=10) == bz2_encode(data, level=9)


def test_concatenated_streams():
    assert bz2_decode(bz2_encode(DATA) + bz2.compress(b'end')) == DATA + b'end'


def test_trailing_data_is_ignored():
    # as Python's bz2 module does, when the data is no further stream
    stream = bz2_encode(DATA)
    for tail in (b'\x00' * 8, b'garbage', b'BZ'):
        assert bz2_decode(stream + tail) == DATA
    with pytest.raises(Bz2Error):  # a second stream that is truncated
        bz2_decode(stream + bz2.compress(b'end')[:-1])


def test_damaged():
    assert bz2_decode(b'') == b''
    for data in (b'x', b'BZh9', b'BZh91AY&SY', b'\x00' * 64):
        with pytest.raises(Bz2Error):
            bz2_decode(data)
    with pytest.raises(Bz2Error, match='not a bzip2 stream'):
        bz2_decode(b'PK\x03\x04' + bytes(60))


def test_bomb_grows():
    # the output grows as far as genuine data goes (ratio 100000 here)
    data = bytes(16 << 20)
    encoded = bz2_encode(data, level=1)
    assert len(encoded) < 200
    assert bz2_decode(encoded) == data
    # a truncated bomb fails without allocating much more than it made
    check_bounded_allocation(bz2_decode, encoded[:40], Bz2Error)


def test_command_line_tool():
    check_command_line_tool('bzip2', bz2_encode, bz2_decode,
                            levels=(1, 5, 9))


def test_numcodecs():
    check_numcodecs('Bz2', {'level': None}, bz2_encode)
    check_numcodecs('Bz2', {'level': None}, bz2_encode, level=1)


def test_check():
    assert bz2_check(bz2_encode(b'abc'))
    assert not bz2_check(b'BZh0') and not bz2_check(b'')


@pytest.mark.slow
def test_large():
    data = numpy.random.default_rng(3).integers(0, 4, 24 << 20, 'u1')
    encoded = bz2_encode(data, level=1)
    assert bz2_decode(encoded) == data.tobytes()
    out = numpy.empty_like(data)
    bz2_decode(encoded, out=out)
    numpy.testing.assert_array_equal(out, data)
