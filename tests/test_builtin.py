# SPDX-License-Identifier: BSD-3-Clause
"""NONE and NUMPY codecs: plain Python over NumPy's NPY and NPZ formats."""

import hashlib

import numpy
import pytest

from imagecodecs import (
    NumpyError, none_decode, none_encode, numpy_check, numpy_decode,
    numpy_encode,
)
from harness import FLOAT_DTYPES, INT_DTYPES, SHAPES, random_array


def test_none_passes_data_through():
    data = random_array((5, 7), 'u2')
    assert none_encode(data) is data
    assert none_decode(data) is data
    assert none_decode(b'abc') == b'abc'


@pytest.mark.parametrize('dtype', INT_DTYPES + FLOAT_DTYPES + ('>u4', '?'))
@pytest.mark.parametrize('shape', SHAPES, ids=str)
@pytest.mark.parametrize('level', [None, 5])
def test_roundtrip(dtype, shape, level):
    data = random_array(shape, 'u1').astype(dtype)
    encoded = numpy_encode(data, level=level)
    assert numpy_check(encoded)
    decoded = numpy_decode(encoded)
    assert decoded.dtype == data.dtype and decoded.shape == data.shape
    numpy.testing.assert_array_equal(decoded, data)


def test_npz_compresses_and_out():
    data = numpy.zeros((100, 100), 'f8')
    assert len(numpy_encode(data, level=9)) < data.nbytes // 50
    out = numpy.empty_like(data)
    assert numpy_decode(numpy_encode(data, level=1), out=out) is out


@pytest.mark.parametrize('name, shape, dtype, sha, first', [
    ('rgb.u1.npy', (201, 301, 3), 'u1', 'b0d1f5604661ef8f', [128, 141, 224]),
    ('testdata.npy', (11, 32, 31, 9), 'f8', '0bd036779945f404', [0.5]),
])
def test_samples(samples, name, shape, dtype, sha, first):
    data = (samples / name).read_bytes()
    assert numpy_check(data)
    decoded = numpy_decode(data)
    assert decoded.shape == shape and decoded.dtype == dtype
    assert hashlib.sha256(decoded.tobytes()).hexdigest()[:16] == sha
    numpy.testing.assert_allclose(decoded.ravel()[:len(first)], first)


def test_corrupt():
    encoded = numpy_encode(random_array((10, 10), 'u2'))
    assert not numpy_check(b'GIF89a')
    for bad in (encoded[:40], b'\x93NUMPY\x01\x00garbage', b'PK\x03\x04xx'):
        with pytest.raises(NumpyError):
            numpy_decode(bad)


def test_damaged_npz():
    encoded = bytearray(numpy_encode(random_array((50, 50), 'u2'), level=6))
    rng = numpy.random.default_rng(1)
    for _ in range(50):
        damaged = bytearray(encoded)
        for pos in rng.integers(0, len(damaged), 4):
            damaged[pos] ^= 0x5A
        try:
            numpy_decode(bytes(damaged))
        except NumpyError:
            pass
