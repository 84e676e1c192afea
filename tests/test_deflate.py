# SPDX-License-Identifier: BSD-3-Clause
"""DEFLATE codec (libdeflate), checked against Python's zlib."""

import gzip
import zlib

import numpy
import pytest

from imagecodecs import (
    DEFLATE, DeflateError, deflate_adler32, deflate_check, deflate_crc32,
    deflate_decode, deflate_encode, deflate_version,
)
from harness import (
    FLOAT_DTYPES, INT_DTYPES, PAYLOADS, check_checksums, check_compressor,
    check_numcodecs, check_out, random_array, require,
)


@pytest.fixture(autouse=True)
def available():
    require('deflate')


DATA = PAYLOADS['text']


def raw_encode(data, **kwargs):
    return deflate_encode(data, raw=True, **kwargs)


def raw_decode(data, **kwargs):
    return deflate_decode(data, raw=True, **kwargs)


def zlib_raw_compress(data):
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def test_compressor():
    check_compressor(deflate_encode, deflate_decode, DeflateError,
                     levels=(None, 0, 1, 6, 9, 12), compress=zlib.compress,
                     decompress=zlib.decompress)


def test_raw_compressor():
    check_compressor(raw_encode, raw_decode, DeflateError,
                     levels=(None, 0, 1, 12), compress=zlib_raw_compress,
                     decompress=lambda data: zlib.decompress(data, -15))


def test_levels():
    # out-of-range levels are clamped to 0 and 12; the default is 6
    assert deflate_encode(DATA) == deflate_encode(DATA, level=6)
    assert deflate_encode(DATA, level=99) == deflate_encode(DATA, level=12)
    assert deflate_encode(DATA, level=-3) == deflate_encode(DATA, level=0)
    stored = deflate_encode(DATA, level=0)
    assert len(stored) > len(DATA)
    assert len(deflate_encode(DATA, level=12)) < len(
        deflate_encode(DATA, level=1))
    # raw is the zlib stream without its 2-byte header and 4-byte checksum
    assert deflate_encode(DATA, raw=True) == deflate_encode(DATA)[2:-4]


@pytest.mark.parametrize('dtype', INT_DTYPES + FLOAT_DTYPES)
def test_dtypes(dtype):
    array = random_array((17, 31), dtype, low=0, high=100)
    encoded = deflate_encode(array)
    assert zlib.decompress(encoded) == array.tobytes()
    assert deflate_decode(encoded) == array.tobytes()
    assert deflate_decode(deflate_encode(array[:, ::2])) == \
        array[:, ::2].tobytes()


def test_empty_and_one_byte():
    for raw in (False, True):
        encoded = deflate_encode(b'', raw=raw)
        assert zlib.decompress(encoded, -15 if raw else 15) == b''
        assert deflate_decode(encoded, raw=raw) == b''
        assert deflate_decode(deflate_encode(b'\x00', raw=raw),
                              raw=raw) == b'\x00'
    assert deflate_decode(zlib.compress(b'')) == b''


@pytest.mark.parametrize('raw', [False, True])
def test_decode_retries_up_to_the_deflate_limit(raw):
    # near DEFLATE's 1032:1 limit: several retries from the first guess
    data = bytes(8 << 20)
    encoded = deflate_encode(data, raw=raw)
    assert len(encoded) * 900 < len(data)
    assert deflate_decode(encoded, raw=raw) == data
    assert deflate_decode(encoded, raw=raw, out=bytearray) == data


def test_out_exact_size_is_written_in_place():
    encoded = deflate_encode(DATA)
    buffer = bytearray(len(DATA))
    assert deflate_decode(encoded, out=buffer) is buffer
    assert buffer == DATA
    array = numpy.empty(len(DATA), numpy.uint8)
    deflate_decode(encoded, out=array)
    assert array.tobytes() == DATA


@pytest.mark.parametrize('raw', [False, True])
def test_out_tail_kept_with_trailing_input(raw):
    # with input after the stream, libdeflate's fast loop runs to the end
    # of the data and overshoots into the buffer; its tail must survive
    data = numpy.random.default_rng(1).bytes(100) * 50
    encoded = deflate_encode(data, raw=raw) + bytes(1000)
    buffer = bytearray(b'\xa5' * (len(data) + 1000))
    result = deflate_decode(encoded, raw=raw, out=buffer)
    assert bytes(result) == data
    assert buffer[len(data):] == b'\xa5' * 1000


def test_trailing_data_is_ignored():
    encoded = deflate_encode(DATA)
    assert deflate_decode(encoded + b'trailing bytes') == DATA
    assert deflate_decode(encoded, out=len(DATA) + 10) == DATA


def test_zlib_wrapper_is_checked():
    encoded = deflate_encode(DATA)
    with pytest.raises(DeflateError):
        deflate_decode(encoded, raw=True)  # zlib header as DEFLATE
    with pytest.raises(DeflateError):
        deflate_decode(encoded[2:-4])  # raw as zlib
    with pytest.raises(DeflateError):
        deflate_decode(encoded[:-4] + b'\0\0\0\0')  # wrong Adler-32


@pytest.mark.parametrize('data', [
    b'', b'x', b'\x78', b'\x78\x9c', b'\x78\x9c\x03',
    gzip.compress(b'gzip is not zlib'),
    zlib.compress(b'abc' * 100)[:-1],
    b'\x78\x9c' + b'\xff' * 64,
], ids=['empty', '1byte', 'cmf', 'header', 'block', 'gzip', 'cut',
        'garbage'])
def test_bad_input(data):
    with pytest.raises(DeflateError):
        deflate_decode(data)
    with pytest.raises(DeflateError):
        deflate_decode(data, out=4096)


def test_encode_out():
    encoded = deflate_encode(DATA, level=9)
    check_out(deflate_encode, DATA, encoded, DeflateError, level=9)
    check_out(deflate_encode, DATA, encoded[2:-4], DeflateError, level=9,
              raw=True)


def test_raw_decode_out():
    encoded = deflate_encode(DATA, raw=True)
    check_out(deflate_decode, encoded, DATA, DeflateError, raw=True)


def test_checksums():
    check_checksums(deflate_crc32, deflate_adler32)


def test_check():
    assert deflate_check(deflate_encode(b''))
    for level in (0, 1, 6, 9):
        assert deflate_check(zlib.compress(b'x', level))
    # raw DEFLATE has no signature: not a zlib header means "maybe"
    assert deflate_check(b'\x78\x9d') is None
    assert deflate_check(b'') is None
    assert deflate_check(deflate_encode(DATA, raw=True)) is None


def test_constants_and_version():
    assert DEFLATE.available
    assert deflate_version().startswith('libdeflate 1.')


def test_numcodecs():
    # reference: Deflate(*, level: int | None = None, raw: bool = False)
    for raw in (False, True):
        check_numcodecs('Deflate', {'level': None, 'raw': False},
                        deflate_encode, level=12, raw=raw)
        assert zlib.decompress(deflate_encode(DATA, level=12, raw=raw),
                               -15 if raw else 15) == DATA


@pytest.mark.slow
def test_large():
    data = numpy.random.default_rng(3).integers(0, 4, 64 << 20, 'u1')
    for raw in (False, True):
        encoded = deflate_encode(data, level=1, raw=raw)
        assert deflate_decode(encoded, raw=raw) == data.tobytes()
        assert zlib.decompress(encoded, -15 if raw else 15) == \
            data.tobytes()
    assert deflate_crc32(data) == zlib.crc32(data)
