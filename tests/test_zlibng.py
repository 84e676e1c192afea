# SPDX-License-Identifier: BSD-3-Clause
"""ZLIBNG codec (zlib-ng native API), checked against Python's zlib."""

import gzip
import zlib

import numpy
import pytest

from imagecodecs import (
    ZLIBNG, ZlibngError, zlibng_adler32, zlibng_check, zlibng_crc32,
    zlibng_decode, zlibng_encode, zlibng_version,
)
from harness import (
    FLOAT_DTYPES, INT_DTYPES, PAYLOADS, check_checksums, check_compressor,
    check_numcodecs, random_array, require,
)


@pytest.fixture(autouse=True)
def available():
    require('zlibng')


DATA = PAYLOADS['text']


def test_compressor():
    check_compressor(zlibng_encode, zlibng_decode, ZlibngError,
                     levels=(None, -1, 0, 1, 6, 9), compress=zlib.compress,
                     decompress=zlib.decompress)


def test_levels():
    # out-of-range levels are clamped to -1 (default) and 9
    assert zlibng_encode(DATA, level=100) == zlibng_encode(DATA, level=9)
    assert zlibng_encode(DATA, level=-7) == zlibng_encode(DATA)
    assert zlibng_encode(DATA, level=ZLIBNG.COMPRESSION.DEFAULT) == \
        zlibng_encode(DATA, level=6)
    # level 0 stores: the header says so and nothing shrinks
    stored = zlibng_encode(DATA, level=0)
    assert stored[:2] == b'\x78\x01' and len(stored) > len(DATA)
    assert len(zlibng_encode(DATA, level=9)) < len(
        zlibng_encode(DATA, level=1))


@pytest.mark.parametrize('dtype', INT_DTYPES + FLOAT_DTYPES)
def test_dtypes(dtype):
    array = random_array((17, 31), dtype, low=0, high=100)
    encoded = zlibng_encode(array)
    assert zlib.decompress(encoded) == array.tobytes()
    assert zlibng_decode(encoded) == array.tobytes()
    # a strided view is compressed as its C-contiguous copy
    assert zlibng_decode(zlibng_encode(array[:, ::2])) == \
        array[:, ::2].tobytes()


def test_empty_and_one_byte():
    assert zlib.decompress(zlibng_encode(b'')) == b''
    assert zlibng_decode(zlib.compress(b'')) == b''
    assert zlibng_decode(zlibng_encode(b'\x00')) == b'\x00'


def test_decode_grows_past_first_guess():
    # about 1000:1: the output is grown many times over its first guess
    data = bytes(8 << 20)
    encoded = zlib.compress(data, 9)
    assert len(encoded) * 500 < len(data)
    assert zlibng_decode(encoded) == data
    assert zlibng_decode(encoded, out=bytearray) == data


def test_out_exact_size_is_written_in_place():
    encoded = zlibng_encode(DATA)
    buffer = bytearray(len(DATA))
    assert zlibng_decode(encoded, out=buffer) is buffer
    assert buffer == DATA
    array = numpy.empty(len(DATA), numpy.uint8)
    zlibng_decode(encoded, out=array)
    assert array.tobytes() == DATA


@pytest.mark.parametrize('trailing', [b'', bytes(1000)])
def test_out_tail_kept(trailing):
    # zlib-ng's fast inflate overshoots the data end inside the room
    # offered; the bytes after the result in a larger buffer must survive
    encoded = zlibng_encode(DATA) + trailing
    buffer = bytearray(b'\xa5' * (len(DATA) + 1000))
    assert bytes(zlibng_decode(encoded, out=buffer)) == DATA
    assert buffer[len(DATA):] == b'\xa5' * 1000
    encoded = zlibng_encode(DATA, level=1)
    buffer = bytearray(b'\xa5' * (len(encoded) + 1000))
    assert bytes(zlibng_encode(DATA, level=1, out=buffer)) == encoded
    assert buffer[len(encoded):] == b'\xa5' * 1000


def test_trailing_data_is_ignored():
    # as zlib.decompressobj: decoding stops at the end of the stream
    encoded = zlibng_encode(DATA)
    assert zlibng_decode(encoded + b'trailing bytes') == DATA
    assert zlibng_decode(encoded + encoded) == DATA


@pytest.mark.parametrize('data', [
    b'', b'x', b'\x78', b'\x78\x9c', b'\x78\x9c\x03',
    gzip.compress(b'gzip is not zlib'),
    zlib.compress(b'abc' * 100)[:-1],  # checksum cut
    zlib.compress(b'abc' * 100)[:-4] + b'\0\0\0\0',  # wrong checksum
    b'\x78\x9c' + b'\xff' * 64,
    b'\x78\xbb' + b'\0' * 16,  # FDICT: a preset dictionary is needed
], ids=['empty', '1byte', 'cmf', 'header', 'block', 'gzip', 'cut',
        'checksum', 'garbage', 'dictionary'])
def test_bad_input(data):
    with pytest.raises(ZlibngError):
        zlibng_decode(data)
    with pytest.raises(ZlibngError):
        zlibng_decode(data, out=4096)


def test_encode_out_too_small():
    encoded = zlibng_encode(DATA)
    with pytest.raises(ZlibngError):
        zlibng_encode(DATA, out=len(encoded) // 2)
    assert zlibng_encode(DATA, out=len(encoded)) == encoded


def test_checksums():
    check_checksums(zlibng_crc32, zlibng_adler32)


def test_check():
    assert zlibng_check(zlibng_encode(b''))
    for level in (0, 1, 6, 9):
        assert zlibng_check(zlib.compress(b'x', level))
    assert not zlibng_check(b'')
    assert not zlibng_check(b'\x78')
    assert not zlibng_check(b'\x1f\x8b\x08')
    assert not zlibng_check(b'\x78\x9d')  # FCHECK wrong


def test_constants_and_version():
    assert ZLIBNG.available
    assert int(ZLIBNG.COMPRESSION.BEST) == 9
    assert int(ZLIBNG.STRATEGY.RLE) == 3
    assert zlibng_version().startswith('zlib_ng 2.')


def test_numcodecs():
    # reference: Zlibng(*, level: int | None = None)
    check_numcodecs('Zlibng', {'level': None}, zlibng_encode, level=9)
    assert zlib.decompress(zlibng_encode(DATA, level=9)) == DATA


@pytest.mark.slow
def test_large():
    data = numpy.random.default_rng(3).integers(0, 4, 64 << 20, 'u1')
    encoded = zlibng_encode(data)
    assert zlibng_decode(encoded) == data.tobytes()
    assert zlib.decompress(encoded) == data.tobytes()
    assert zlibng_crc32(data) == zlib.crc32(data)
