# SPDX-License-Identifier: BSD-3-Clause
"""BROTLI codec, checked against the brotli command line tool if present."""

import functools

import numpy
import pytest

from imagecodecs import BROTLI, BrotliError, brotli_decode, brotli_encode
from harness import (
    PAYLOADS, check_bounded_allocation, check_command_line_tool,
    check_compressor, check_corrupt, check_numcodecs, require,
)


@pytest.fixture(autouse=True)
def available():
    require('brotli')


DATA = PAYLOADS['text']


def test_compressor():
    check_compressor(brotli_encode, brotli_decode, BrotliError,
                     levels=(None, 0, 5, 11))


def test_levels():
    data = DATA[:50_000]
    # the default is quality 4, as in the reference package
    assert brotli_encode(data) == brotli_encode(data, level=4)
    assert brotli_encode(data, level=-1) == brotli_encode(data, level=0)
    assert brotli_encode(data, level=12) == brotli_encode(data, level=11)
    assert len(brotli_encode(data, level=11)) < len(brotli_encode(data))


@pytest.mark.parametrize('mode', list(BROTLI.MODE))
def test_modes_and_window(mode):
    data = DATA[:60_000]
    for lgwin in (None, 10, 16, 24):
        encoded = brotli_encode(data, level=5, mode=mode, lgwin=lgwin)
        assert brotli_decode(encoded) == data
    # the window is clamped to 10 to 24 bits (no large-window streams)
    assert brotli_encode(data, level=5, lgwin=24) == brotli_encode(
        data, level=5, lgwin=30)
    assert brotli_encode(data, level=5, lgwin=10) == brotli_encode(
        data, level=5, lgwin=0)
    assert brotli_encode(data, level=5, lgwin=22) == brotli_encode(
        data, level=5)


def test_invalid_mode():
    with pytest.raises(ValueError):
        brotli_encode(b'abc', mode=3)


def test_trailing_data_is_ignored():
    encoded = brotli_encode(DATA)
    assert brotli_decode(encoded + b'garbage') == DATA


def test_damaged():
    for data in (b'', b'x', b'\x0b', b'\xff' * 64):
        with pytest.raises(BrotliError):
            brotli_decode(data)
    check_corrupt(brotli_decode, brotli_encode(DATA[:60_000], level=11),
                  BrotliError)


def test_bomb_grows():
    data = bytes(32 << 20)
    encoded = brotli_encode(data, level=1)
    assert len(encoded) < len(data) // 5000
    assert brotli_decode(encoded) == data
    with pytest.raises(BrotliError):
        brotli_decode(encoded, out=1 << 20)
    # a truncated bomb fails having allocated about what it decoded
    check_bounded_allocation(brotli_decode, encoded[:20], BrotliError,
                             limit=8 << 20)


def _quality(level):
    return ['-q', str(level)]


def test_command_line_tool():
    check_command_line_tool('brotli', brotli_encode, brotli_decode,
                            levels=(0, 4, 11), level_options=_quality)
    for lgwin in (10, 24):
        check_command_line_tool(
            'brotli', functools.partial(brotli_encode, lgwin=lgwin),
            brotli_decode, compress=('-c', '-w', str(lgwin)))


def test_numcodecs():
    parameters = {'level': None, 'mode': None, 'lgwin': None}
    check_numcodecs('Brotli', parameters, brotli_encode)
    check_numcodecs('Brotli', parameters, brotli_encode, level=9,
                    mode=int(BROTLI.MODE.TEXT), lgwin=16)


@pytest.mark.slow
def test_large():
    data = numpy.random.default_rng(3).integers(0, 4, 24 << 20, 'u1')
    encoded = brotli_encode(data, level=1)
    assert brotli_decode(encoded) == data.tobytes()
    out = numpy.empty_like(data)
    brotli_decode(encoded, out=out)
    numpy.testing.assert_array_equal(out, data)
