# SPDX-License-Identifier: BSD-3-Clause
"""LZF codec, checked against python-lzf (a separate liblzf binding)."""

import re

import numpy
import pytest

from imagecodecs import (
    LZF, LzfError, lzf_check, lzf_decode, lzf_encode, lzf_version,
)
from harness import (
    FLOAT_DTYPES, INT_DTYPES, PAYLOADS, check_compressor, check_corrupt,
    check_inputs, check_out, random_array, require,
)


@pytest.fixture(autouse=True)
def available():
    require('lzf')


WORDS = b'hello hello hello hello'
# liblzf's stream of WORDS: 6 literals, a 7-byte match 6 back, 2 literals;
# with header=True preceded by the size as 4-byte little-endian integer.
STREAM = b'\x06hello h\xe0\x05\x05\x01lo'
HEADER = b'\x17\x00\x00\x00'


def encode_header(data, **kwargs):
    return lzf_encode(data, header=True, **kwargs)


def decode_header(data, **kwargs):
    return lzf_decode(data, header=True, **kwargs)


def check_headerless(compress=None, decompress=None):
    """check_compressor without its truncation at half the stream.

    A headerless stream has no end marker: cut between two tokens it is
    a valid, shorter stream (see test_corrupt), so only cuts inside the
    last token are errors.
    """
    for name, data in PAYLOADS.items():
        encoded = lzf_encode(data)
        assert lzf_decode(encoded) == data, name
        if decompress is not None:
            assert decompress(encoded) == data, name
        if compress is not None:
            assert lzf_decode(compress(data)) == data, name
    data = PAYLOADS['text']
    encoded = lzf_encode(data)
    check_out(lzf_decode, encoded, data, LzfError)
    check_out(lzf_encode, data, encoded, LzfError)
    check_inputs(lzf_decode, encoded, data)
    check_corrupt(lzf_decode, encoded, LzfError,
                  truncations=(len(encoded) - 1,))
    array = random_array((33, 17), 'u2', low=0, high=9)
    assert lzf_decode(lzf_encode(array)) == array.tobytes()


def test_compressor():
    check_headerless()


def test_compressor_header():
    check_compressor(encode_header, decode_header, LzfError)


def test_python_lzf_interop():
    lzf = pytest.importorskip('lzf')

    def compress(data):
        # python-lzf gives None for data it cannot shrink, b'' for b''
        return lzf.compress(data, len(data) + len(data) // 16 + 16) or b''

    def decompress(data):
        if not data:
            return b''
        return lzf.decompress(data, 1 << 24)

    check_headerless(compress, decompress)


def test_stream_layout():
    assert lzf_encode(WORDS) == STREAM
    assert lzf_encode(WORDS, header=True) == HEADER + STREAM
    assert lzf_decode(STREAM) == WORDS
    assert lzf_decode(HEADER + STREAM, header=True) == WORDS
    assert lzf_encode(b'') == b''
    assert lzf_encode(b'', header=True) == b'\x00' * 4
    assert lzf_decode(b'\x00' * 4, header=True) == b''
    assert lzf_decode(b'') == b''
    assert lzf_encode(b'x') == b'\x00x'
    check_out(decode_header, HEADER + STREAM, WORDS, LzfError)


def test_highly_compressible_without_header():
    # 88:1, more than any fixed first guess of the decoded size
    data = bytes(1 << 20)
    encoded = lzf_encode(data)
    assert len(data) > 80 * len(encoded)
    assert lzf_decode(encoded) == data
    check_out(lzf_decode, encoded, data, LzfError)


@pytest.mark.parametrize('dtype', INT_DTYPES + FLOAT_DTYPES)
def test_dtypes(dtype):
    data = random_array((7, 33), dtype, low=0, high=20)
    assert lzf_decode(lzf_encode(data)) == data.tobytes()
    assert lzf_decode(lzf_encode(data, True), True) == data.tobytes()


def test_check_and_version():
    assert LZF.available
    assert lzf_check(STREAM) is None
    assert re.fullmatch(r'liblzf \S+ \(API 1\.\d+\)', lzf_version())


def test_corrupt():
    # a header that disagrees with the stream, a huge claim included
    for size in (0, 22, 24, 0xFFFFFFFF):
        with pytest.raises(LzfError, match='header'):
            lzf_decode(size.to_bytes(4, 'little') + STREAM, header=True)
    with pytest.raises(LzfError, match='truncated'):
        lzf_decode(b'\x17\x00', header=True)
    # a back reference before the start of the output
    with pytest.raises(LzfError):
        lzf_decode(b'\x00x\x20\x05')
    # cuts inside a token; between tokens a shorter stream is still valid
    check_corrupt(lzf_decode, STREAM, LzfError,
                  truncations=(1, 4, 7, 9, 10, 12))
    assert lzf_decode(STREAM[:8]) == WORDS[:7]
    check_corrupt(decode_header, HEADER + STREAM, LzfError,
                  truncations=range(1, len(STREAM) + 4))


def test_numcodecs_default_header():
    numcodecs = pytest.importorskip('imagecodecs.numcodecs')
    codec = numcodecs.Lzf()
    assert codec.header is True
    data = random_array((33, 17), 'u2', low=0, high=9)
    encoded = codec.encode(data)
    assert bytes(encoded[:4]) == data.nbytes.to_bytes(4, 'little')
    assert bytes(codec.decode(encoded)) == data.tobytes()
    assert bytes(numcodecs.Lzf(header=False).encode(data)) == lzf_encode(data)


@pytest.mark.slow
def test_large():
    data = numpy.random.default_rng(3).integers(0, 4, 64 << 20, 'u1')
    assert lzf_decode(lzf_encode(data)) == data.tobytes()
    assert lzf_decode(lzf_encode(data, True), True) == data.tobytes()
