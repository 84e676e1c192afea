# SPDX-License-Identifier: BSD-3-Clause
"""BITSHUFFLE, checked against a plain NumPy transposition and the
bitshuffle package where it is installed."""

import numpy
import pytest

from imagecodecs import (
    BitshuffleError, bitshuffle_check, bitshuffle_decode, bitshuffle_encode,
    bitshuffle_version,
)
from harness import (
    FLOAT_DTYPES, INT_DTYPES, PAYLOADS, SHAPES, check_array_out, check_out,
    input_variants, random_array, require,
)


@pytest.fixture(autouse=True)
def available():
    require('bitshuffle')


WORDS = random_array((61, 67), 'u2', low=0, high=999)


def transposed(data: bytes, itemsize: int, blocksize: int = 0) -> bytes:
    """Return the bitshuffle of data, written out with NumPy.

    In each block of `blocksize` items (a multiple of 8), the bits are
    regrouped by their position in the item: bit j of byte k of all items
    first (LSB first), bit 0 of byte 0 leading. Items past the last whole
    group of 8 stay as they are.
    """
    if not blocksize:
        blocksize = max(8192 // itemsize // 8 * 8, 128)
    items = numpy.frombuffer(data, numpy.uint8).reshape(-1, itemsize)
    count = len(items) // 8 * 8
    parts = []
    for start in range(0, count, blocksize):
        block = items[start:min(start + blocksize, count)]
        bits = numpy.unpackbits(block, axis=1, bitorder='little')
        bits = bits.reshape(len(block), itemsize, 8).transpose(1, 2, 0)
        parts.append(numpy.packbits(bits.reshape(-1), bitorder='little'))
    parts.append(items[count:].reshape(-1))
    return numpy.concatenate(parts).tobytes()


def test_version_check():
    assert bitshuffle_version() == 'bitshuffle 0.5.2'
    assert bitshuffle_check(b'any') is None


@pytest.mark.parametrize('itemsize', [1, 2, 3, 4, 8, 16])
@pytest.mark.parametrize('blocksize', [0, 8, 64, 1024])
def test_bytes(itemsize, blocksize):
    data = PAYLOADS['random'][: 40_000 // itemsize * itemsize + itemsize * 5]
    encoded = bitshuffle_encode(data, itemsize=itemsize, blocksize=blocksize)
    assert isinstance(encoded, bytes) and len(encoded) == len(data)
    assert encoded == transposed(data, itemsize, blocksize)
    assert encoded != data
    assert bitshuffle_decode(encoded, itemsize=itemsize,
                             blocksize=blocksize) == data


def test_known_values():
    """One item size 2 block of 8, as the reference writes it."""
    data = numpy.arange(8, dtype='<u2').tobytes()
    # bits 0, 1, 2 of the low bytes of 0 to 7, then all zero
    assert bitshuffle_encode(data, itemsize=2) == bytes.fromhex(
        'aaccf0' + '00' * 13)
    assert bitshuffle_encode(numpy.arange(64, dtype='u2').reshape(8, 8)
                             ).tobytes()[:16] == bytes.fromhex(
        'aaaaaaaaaaaaaaaacccccccccccccccc')


@pytest.mark.parametrize('dtype', INT_DTYPES + FLOAT_DTYPES + ('c16', 'V3',
                                                                '?'))
def test_arrays(dtype):
    """Arrays keep shape and dtype; the dtype gives the item size."""
    data = numpy.frombuffer(PAYLOADS['random'][: 6 * 85 * 16], 'u1')
    data = data[: 6 * 85 * numpy.dtype(dtype).itemsize].view(dtype)
    if dtype == '?':
        data = data.view('u1') & 1 == 1
    data = data.reshape(6, 85)
    encoded = bitshuffle_encode(data, itemsize=5)  # ignored for arrays
    assert encoded.shape == data.shape and encoded.dtype == data.dtype
    assert encoded.tobytes() == transposed(data.tobytes(), data.itemsize)
    decoded = bitshuffle_decode(encoded)
    assert decoded.shape == data.shape and decoded.dtype == data.dtype
    assert decoded.tobytes() == data.tobytes()


@pytest.mark.parametrize('shape', SHAPES)
def test_shapes(shape):
    data = random_array(shape, 'i4')
    encoded = bitshuffle_encode(data)
    assert encoded.shape == data.shape
    numpy.testing.assert_array_equal(bitshuffle_decode(encoded), data)
    # non-contiguous input is transposed in C order
    view = random_array((12, 40), 'f8')[::2, ::3]
    assert bitshuffle_encode(view).tobytes() == bitshuffle_encode(
        view.copy()).tobytes()


def test_empty_short():
    assert bitshuffle_encode(b'') == b''
    assert bitshuffle_decode(b'') == b''
    # fewer than 8 items: nothing to transpose
    assert bitshuffle_encode(b'x') == b'x'
    assert bitshuffle_encode(b'abcdefg') == b'abcdefg'
    assert bitshuffle_encode(numpy.zeros((0, 3), 'u2')).shape == (0, 3)


def test_out():
    data = WORDS.tobytes()
    encoded = bitshuffle_encode(data, itemsize=2)
    check_out(bitshuffle_encode, data, encoded, BitshuffleError, itemsize=2)
    check_out(bitshuffle_decode, encoded, data, BitshuffleError, itemsize=2)
    for variant in input_variants(encoded):
        if not isinstance(variant, numpy.ndarray):  # arrays keep their dtype
            assert bytes(bitshuffle_decode(variant, itemsize=2)) == data
    array = bitshuffle_encode(WORDS)
    check_array_out(bitshuffle_decode, array, WORDS, BitshuffleError)
    check_array_out(bitshuffle_encode, WORDS, array, BitshuffleError)
    with pytest.raises(ValueError):
        bitshuffle_encode(WORDS, out=WORDS)
    with pytest.raises(ValueError):
        bitshuffle_encode(WORDS, out=WORDS.reshape(-1))


def test_errors():
    with pytest.raises(ValueError):
        bitshuffle_encode(b'abc', itemsize=2)
    with pytest.raises(ValueError):
        bitshuffle_decode(b'abc', itemsize=0)
    with pytest.raises(ValueError):
        bitshuffle_decode(b'abcd', itemsize=-2)
    with pytest.raises(ValueError):
        bitshuffle_encode(b'abcd', blocksize=-8)
    for blocksize in (1, 7, 12):
        with pytest.raises(BitshuffleError):
            bitshuffle_encode(bytes(64), blocksize=blocksize)
        with pytest.raises(BitshuffleError):
            bitshuffle_decode(WORDS, blocksize=blocksize)
    with pytest.raises(ValueError):
        bitshuffle_encode(numpy.array([1, 'a', None], object))


def test_bitshuffle_package():
    bitshuffle = pytest.importorskip('bitshuffle')
    for dtype in ('u1', 'u2', 'f4', 'f8', 'c16'):
        data = numpy.frombuffer(numpy.random.default_rng(6).bytes(
            3001 * numpy.dtype(dtype).itemsize), dtype)
        for blocksize in (0, 8, 256):
            theirs = bitshuffle.bitshuffle(data, block_size=blocksize)
            ours = bitshuffle_encode(data, blocksize=blocksize)
            assert ours.tobytes() == theirs.tobytes()
            assert bitshuffle_decode(theirs, blocksize=blocksize
                                     ).tobytes() == data.tobytes()
            assert bitshuffle.bitunshuffle(
                ours, block_size=blocksize).tobytes() == data.tobytes()


@pytest.mark.slow
def test_large():
    data = numpy.random.default_rng(5).integers(0, 1 << 12, 24 << 20, 'u4')
    encoded = bitshuffle_encode(data)
    numpy.testing.assert_array_equal(bitshuffle_decode(encoded), data)
    raw = data.tobytes()
    assert bitshuffle_decode(bitshuffle_encode(raw, itemsize=4),
                             itemsize=4) == raw


def test_numcodecs_class():
    numcodecs = pytest.importorskip('numcodecs')
    from imagecodecs import numcodecs as ours
    ours.register_codecs(force=True, verbose=False)
    codec = numcodecs.get_codec({'id': 'imagecodecs_bitshuffle',
                                 'itemsize': 2, 'blocksize': 64})
    assert isinstance(codec, ours.Bitshuffle)
    assert codec.get_config() == {'id': 'imagecodecs_bitshuffle',
                                  'itemsize': 2, 'blocksize': 64}
    encoded = codec.encode(WORDS)
    assert bytes(encoded) == transposed(WORDS.tobytes(), 2, 64)
    out = numpy.zeros_like(WORDS)
    codec.decode(bytes(encoded), out=out)  # as read back from a store
    numpy.testing.assert_array_equal(out, WORDS)
    numpy.testing.assert_array_equal(
        numpy.frombuffer(codec.decode(encoded), 'u2').reshape(WORDS.shape),
        WORDS)
