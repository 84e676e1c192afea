# SPDX-License-Identifier: BSD-3-Clause
"""ZOPFLI codec, checked against Python's zlib and gzip (inputs small:
zopfli compresses at well under 1 MB/s)."""

import gzip
import zlib

import numpy
import pytest

from imagecodecs import (
    ZOPFLI, ZopfliError, zopfli_check, zopfli_decode, zopfli_encode,
    zopfli_version,
)
from harness import (
    FLOAT_DTYPES, INT_DTYPES, check_corrupt, check_inputs, check_numcodecs,
    check_out, random_array, require,
)


@pytest.fixture(autouse=True)
def available():
    require('zopfli')


# small payloads: empty, one byte, compressible, incompressible
TEXT = random_array((6000,), 'u1', low=0, high=15).tobytes()
RANDOM = numpy.random.default_rng(2).bytes(3000)
PAYLOADS = [b'', b'x', TEXT, RANDOM]
SMALL = TEXT[:1500]  # for tests that encode many times
FAST = {'numiterations': 1}


@pytest.mark.parametrize('data', PAYLOADS, ids=['empty', '1byte', 'text',
                                                 'random'])
def test_roundtrip(data):
    encoded = zopfli_encode(data)
    assert zlib.decompress(encoded) == data
    assert zopfli_decode(encoded) == data
    assert zopfli_decode(zlib.compress(data)) == data


def test_smaller_than_zlib():
    assert len(zopfli_encode(TEXT)) < len(zlib.compress(TEXT, 9))


def test_level_is_ignored():
    # as in the reference: zopfli has iterations, not levels
    assert zopfli_encode(SMALL, level=1, **FAST) == zopfli_encode(
        SMALL, level=9, **FAST)


def test_formats():
    assert zlib.decompress(zopfli_encode(SMALL, format=ZOPFLI.FORMAT.ZLIB,
                                         **FAST)) == SMALL
    assert gzip.decompress(zopfli_encode(SMALL, format=ZOPFLI.FORMAT.GZIP,
                                         **FAST)) == SMALL
    raw = zopfli_encode(SMALL, format=ZOPFLI.FORMAT.DEFLATE, **FAST)
    assert zlib.decompress(raw, -15) == SMALL
    # integers and None (the default, zlib) are accepted too
    assert zopfli_encode(SMALL, format=2, **FAST) == raw
    assert zopfli_encode(SMALL, format=None, **FAST)[:2] == b'\x78\xda'
    with pytest.raises(ValueError):
        zopfli_encode(SMALL, format=3)


def test_options():
    default = zopfli_encode(SMALL)
    assert zopfli_encode(SMALL, numiterations=15, blocksplitting=True,
                         blocksplittingmax=15, verbose=False,
                         verbose_more=False) == default
    # fewer iterations compress less well here; 0 means 1
    once = zopfli_encode(SMALL, numiterations=1)
    assert len(once) > len(default)
    assert zopfli_encode(SMALL, numiterations=0) == once
    # unused by zopfli, accepted for compatibility
    assert zopfli_encode(SMALL, blocksplittinglast=True, **FAST) == once
    with pytest.raises(TypeError):
        zopfli_encode(SMALL, iterations=3)


def test_block_splitting():
    # parts of different statistics: splitting pays; max 1 is no split
    mixed = SMALL[:700] + RANDOM[:500] + SMALL[:700]
    split = zopfli_encode(mixed, **FAST)
    single = zopfli_encode(mixed, blocksplitting=False, **FAST)
    assert len(split) < len(single)
    assert zopfli_encode(mixed, blocksplittingmax=1, **FAST) == single
    two = zopfli_encode(mixed, blocksplittingmax=2, **FAST)
    assert len(split) <= len(two) < len(single)
    for encoded in (split, single, two):
        assert zlib.decompress(encoded) == mixed


@pytest.mark.parametrize('dtype', INT_DTYPES + FLOAT_DTYPES)
def test_dtypes(dtype):
    array = random_array((7, 13), dtype, low=0, high=100)
    encoded = zopfli_encode(array, **FAST)
    assert zlib.decompress(encoded) == array.tobytes()
    assert zopfli_decode(encoded) == array.tobytes()


def test_encode_out():
    check_out(zopfli_encode, SMALL, zopfli_encode(SMALL, **FAST),
              ZopfliError, **FAST)


def test_decode_out_and_inputs():
    encoded = zopfli_encode(TEXT, **FAST)
    check_out(zopfli_decode, encoded, TEXT, ZopfliError)
    check_inputs(zopfli_decode, encoded, TEXT)


def test_bad_input():
    encoded = zopfli_encode(TEXT, **FAST)
    check_corrupt(zopfli_decode, encoded, ZopfliError)
    for data in (b'', b'x', gzip.compress(TEXT), encoded[:-4] + b'\0' * 4):
        with pytest.raises(ZopfliError):
            zopfli_decode(data)


def test_check():
    assert zopfli_check(zopfli_encode(b''))
    assert not zopfli_check(zopfli_encode(b'', format=ZOPFLI.FORMAT.GZIP))
    assert not zopfli_check(b'')


def test_constants_and_version():
    assert ZOPFLI.available
    assert [(m.name, int(m)) for m in ZOPFLI.FORMAT] == [
        ('GZIP', 0), ('ZLIB', 1), ('DEFLATE', 2)]
    assert zopfli_version().startswith('zopfli 1.')


def test_numcodecs():
    # reference: Zopfli() has no parameters
    check_numcodecs('Zopfli', {}, zopfli_encode)


@pytest.mark.slow
def test_large():
    data = numpy.random.default_rng(3).integers(0, 4, 2 << 20, 'u1')
    encoded = zopfli_encode(data, numiterations=1)
    assert zlib.decompress(encoded) == data.tobytes()
    assert zopfli_decode(encoded) == data.tobytes()
