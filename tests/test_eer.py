# SPDX-License-Identifier: BSD-3-Clause
"""EER codec (Electron Event Representation), decode only."""

import hashlib

import numpy
import pytest

from imagecodecs import (
    EER, EerError, eer_check, eer_decode, eer_encode, eer_version,
)
from harness import check_corrupt, check_inputs, require

pytestmark = pytest.mark.usefixtures('available')


@pytest.fixture
def available():
    require('eer')


def pack_bits(values, widths):
    """Return fields of `widths` bits, least significant bit first."""
    values = numpy.asarray(values, numpy.uint64)
    widths = numpy.asarray(widths, numpy.int64)
    starts = numpy.cumsum(widths) - widths
    bits = numpy.zeros(int(widths.sum()), numpy.uint8)
    for k in range(int(widths.max(initial=0))):
        has = widths > k
        bits[starts[has] + k] = (values[has] >> numpy.uint64(k)) & 1
    return numpy.packbits(bits, bitorder='little').tobytes()


def encode_events(index, codes, pixels, rlebits, horzbits, vertbits,
                  terminate=True):
    """Return the EER stream of events at sorted pixel `index`.

    Each event is a run of `rlebits` bits (the pixels skipped since the last
    event) and its sub-pixel code; runs of 2**rlebits - 1 or more pixels
    first emit all-ones runs without event. A final run reaches the end.
    """
    maxrun = (1 << rlebits) - 1
    values, widths = [], []
    last = 0

    def run(length):
        while length >= maxrun:
            values.append(maxrun)
            widths.append(rlebits)
            length -= maxrun
        return length

    for i, code in zip(index, codes):
        values.append(run(int(i) - last) | int(code) << rlebits)
        widths.append(rlebits + horzbits + vertbits)
        last = int(i) + 1
    if terminate:
        values.append(run(pixels - last))
        widths.append(rlebits)
    return pack_bits(values, widths)


def random_events(pixels, density, horzbits, vertbits, seed):
    rng = numpy.random.default_rng(seed)
    index = numpy.flatnonzero(rng.random(pixels) < density)
    codes = rng.integers(0, 1 << (horzbits + vertbits), index.size)
    return index, codes


def expected_image(index, codes, shape, horzbits, vertbits, superres):
    """Return the image the events make, from the format definition.

    With superres level L each detector pixel is a block of 2**min(L,
    horzbits) by 2**min(L, vertbits) pixels (as tifffile sizes the image);
    the high bits of each sub-pixel field, XORed with the field's width
    (for fields of 2 bits: the high bit inverted, the format's coding; the
    reference does so for every width), select the output pixel.
    """
    image = numpy.zeros(shape, bool)
    level = int(superres)
    if not level:
        image.flat[index] = True
        return image
    hlevel, vlevel = min(level, horzbits), min(level, vertbits)
    row, col = numpy.divmod(index, shape[1] >> hlevel)
    horz = codes & ((1 << horzbits) - 1)
    vert = codes >> horzbits
    x = ((horz ^ horzbits) >> (horzbits - hlevel)) & ((1 << hlevel) - 1)
    y = ((vert ^ vertbits) >> (vertbits - vlevel)) & ((1 << vlevel) - 1)
    image[(row << vlevel) + y, (col << hlevel) + x] = True
    return image


def sha(array):
    return hashlib.sha256(array.tobytes()).hexdigest()[:16]


def test_constants_and_stubs():
    assert EER.available is True
    assert eer_check(b'\x01\x08') is None
    assert eer_version().startswith('imcd')
    with pytest.raises(NotImplementedError, match='eer_encode'):
        eer_encode(numpy.zeros((2, 2), bool))


# Codes of (7, 2, 2) bits worked out by hand, on a 2x2 image.
@pytest.mark.parametrize('encoded, pixels', [
    ('', []),
    ('0000', [0]),            # run 0, event; 5 bits of padding
    ('0300', [3]),            # run 3, event at the last pixel
    ('0400', []),             # run 4 reaches the end without event
    ('010800', [1, 3]),       # events after runs of 1 and 1
    ('01080000', [1, 3]),     # and the final run 0
    ('000000000000', [0, 1, 2, 3]),
])
def test_decode_known_codes(encoded, pixels):
    result = eer_decode(bytes.fromhex(encoded), (2, 2), 7, 2, 2)
    assert result.dtype == bool and result.shape == (2, 2)
    assert numpy.flatnonzero(result).tolist() == pixels


def test_decode_8bit_codes():
    # (8, 2, 2): two 12-bit codes in three bytes, runs 2 and 0
    result = eer_decode(bytes.fromhex('02 00 00'), (1, 8), 8, 2, 2)
    assert numpy.flatnonzero(result).tolist() == [2, 3]


def test_long_runs_continue_without_event():
    # a gap of 300 pixels: runs 127, 127, then 46 and the event
    encoded = encode_events([300], [5], 400, 7, 2, 2)
    # 7 + 7 + 11 + 7 bits: runs 127, 127, 46 with code 5, final run 99
    assert encoded.hex() == 'ffbfabc6'
    result = eer_decode(encoded, (20, 20), 7, 2, 2)
    assert numpy.flatnonzero(result).tolist() == [300]
    # an all-ones run ending exactly at the image end
    result = eer_decode(pack_bits([127], [7]), (1, 127), 7, 2, 2)
    assert not result.any()


@pytest.mark.parametrize('code', range(16))
def test_superres_subpixel(code):
    # the high bit of each 2-bit field is stored inverted: code 0 is the
    # lower right quarter of the pixel, 0b1010 the upper left
    encoded = encode_events([3], [code], 4, 7, 2, 2)
    result = eer_decode(encoded, (4, 4), 7, 2, 2, superres=True)
    y = 2 + (1 - (code >> 3 & 1))
    x = 2 + (1 - (code >> 1 & 1))
    assert numpy.argwhere(result).tolist() == [[y, x]]


# (rlebits, horzbits, vertbits, superres, sha256 of the decoded image as
# the reference implementation decodes the same stream)
FRAMES = [
    (7, 2, 2, False, '7896b4ac441e74cf'),
    (7, 2, 2, True, 'd8ceeae371b71f7e'),
    (8, 2, 2, False, '7896b4ac441e74cf'),
    (8, 2, 2, True, 'd8ceeae371b71f7e'),
    (7, 1, 1, True, '860926b2a79db899'),
    (6, 3, 3, True, 'c5c82a91392fe270'),
    (10, 4, 2, True, '4cf4841bc846c2b3'),
    (12, 2, 2, False, '7896b4ac441e74cf'),
]


@pytest.mark.parametrize('rlebits, horzbits, vertbits, superres, digest',
                         FRAMES)
def test_random_frames(rlebits, horzbits, vertbits, superres, digest):
    shape = (128, 192)
    pixels = shape[0] * shape[1] // (4 if superres else 1)
    index, codes = random_events(pixels, 0.05, horzbits, vertbits, seed=1)
    encoded = encode_events(index, codes, pixels, rlebits, horzbits,
                            vertbits)
    result = eer_decode(encoded, shape, rlebits, horzbits, vertbits,
                        superres=superres)
    expected = expected_image(index, codes, shape, horzbits, vertbits,
                              superres)
    numpy.testing.assert_array_equal(result, expected)
    assert int(result.sum()) == index.size
    assert sha(result) == digest


@pytest.mark.parametrize('density', [0.0, 0.5, 1.0])
def test_densities(density):
    shape = (33, 62)
    index, codes = random_events(shape[0] * shape[1], density, 2, 2, seed=2)
    for superres in (False, True):
        if superres:
            shape = (36, 64)
            index, codes = random_events(shape[0] * shape[1] // 4, density,
                                         2, 2, seed=3)
        pixels = shape[0] * shape[1] // (4 if superres else 1)
        encoded = encode_events(index, codes, pixels, 7, 2, 2)
        result = eer_decode(encoded, shape, 7, 2, 2, superres=superres)
        numpy.testing.assert_array_equal(
            result, expected_image(index, codes, shape, 2, 2, superres))


def test_inputs_and_out():
    shape = (16, 24)
    index, codes = random_events(shape[0] * shape[1], 0.2, 2, 2, seed=4)
    encoded = encode_events(index, codes, 16 * 24, 7, 2, 2)
    expected = expected_image(index, codes, shape, 2, 2, False)
    check_inputs(eer_decode, encoded, expected.tobytes(), shape=shape,
                 rlebits=7, horzbits=2, vertbits=2)
    # events are added to a given array, which is returned: frames sum up
    out = numpy.zeros(shape, bool)
    out[0] = True
    result = eer_decode(encoded, shape, 7, 2, 2, out=out)
    assert numpy.shares_memory(result, out)
    numpy.testing.assert_array_equal(out, expected | (numpy.arange(16) == 0
                                                      )[:, None])
    assert out.view('u1').max() == 1  # bools stay 0 or 1
    # any writable buffer of the size, as bools
    buffer = bytearray(16 * 24 + 3)
    buffer[-3:] = b'\xff' * 3
    result = eer_decode(encoded, shape, 7, 2, 2, out=buffer)
    assert result.dtype == bool
    assert result.tobytes() == expected.tobytes()
    assert buffer[16 * 24:] == b'\xff' * 3
    with pytest.raises(EerError):
        eer_decode(encoded, shape, 7, 2, 2, out=numpy.zeros((16, 23), bool))
    with pytest.raises(EerError):
        eer_decode(encoded, shape, 7, 2, 2, out=bytearray(16 * 24 - 1))
    for dtype in ('i2', 'u4', 'f4', '>u2'):
        with pytest.raises(ValueError):
            eer_decode(encoded, shape, 7, 2, 2, out=numpy.zeros(shape, dtype))
    with pytest.raises(ValueError):
        eer_decode(encoded, shape, 7, 2, 2,
                   out=numpy.zeros((16, 48), 'u1')[:, ::2])


@pytest.mark.parametrize('dtype', ['u1', 'i1', 'u2'])
@pytest.mark.parametrize('superres', [0, 1, 2])
def test_counts(dtype, superres):
    """Integer outputs count events, frame after frame, wrapping around."""
    detector = (8, 12)
    shape = (8 << superres, 12 << superres)
    start = numpy.iinfo(dtype).max - 1
    out = numpy.full(shape, start, dtype)
    total = numpy.zeros(shape, 'i8')
    for seed in range(5):
        index, codes = random_events(96, 0.5, 2, 2, seed=seed)
        encoded = encode_events(index, codes, 96, 7, 2, 2)
        result = eer_decode(encoded, shape, 7, 2, 2, superres=superres,
                            out=out)
        assert result is out or numpy.shares_memory(result, out)
        total += expected_image(index, codes, shape, 2, 2, superres)
    assert detector[0] * detector[1] == 96
    # integer casts wrap around like the counters
    expected = (start + total).astype(dtype)
    assert out.tobytes() == expected.tobytes()
    assert total.max() >= 2 and out.min() < start  # some wrapped


@pytest.mark.parametrize('rlebits, horzbits, vertbits', [
    (7, 2, 2), (7, 1, 1), (6, 3, 3), (10, 4, 2), (5, 4, 4), (7, 3, 1),
])
@pytest.mark.parametrize('level', [0, 1, 2, 3, 4])
def test_superres_levels(rlebits, horzbits, vertbits, level):
    # the output has 2**min(level, bits) pixels per detector pixel along
    # each axis; the shape is a multiple of (2**vertbits, 2**horzbits)
    hlevel, vlevel = min(level, horzbits), min(level, vertbits)
    detector = (3 << vertbits, 2 << horzbits)
    shape = ((detector[0] << vlevel, detector[1] << hlevel) if level
             else detector)
    pixels = detector[0] * detector[1]
    index, codes = random_events(pixels, 0.3, horzbits, vertbits, seed=level)
    encoded = encode_events(index, codes, pixels, rlebits, horzbits,
                            vertbits)
    result = eer_decode(encoded, shape, rlebits, horzbits, vertbits,
                        superres=level)
    assert result.dtype == bool and result.shape == shape
    numpy.testing.assert_array_equal(
        result, expected_image(index, codes, shape, horzbits, vertbits,
                               level))
    if level == 1:
        assert eer_decode(encoded, shape, rlebits, horzbits, vertbits,
                          superres=True).tobytes() == result.tobytes()


def test_2024_and_2026_calls():
    shape = (12, 20)
    index, codes = random_events(60, 0.4, 2, 2, seed=12)
    encoded = encode_events(index, codes, 60, 7, 2, 2)
    expected = eer_decode(encoded, shape, 7, 2, 2, True, None)
    for result in (
        eer_decode(encoded, shape, 7, 2, 2, superres=True),
        eer_decode(encoded, shape, 7, 2, 2, superres=1),
        eer_decode(encoded, shape, 7, 2, 2, 1.0),
        eer_decode(encoded, shape, skipbits=7, horzbits=2, vertbits=2,
                   superres=1),
        eer_decode(encoded, shape=shape, rlebits=7, horzbits=2, vertbits=2,
                   superres=True, out=None),
    ):
        assert result.tobytes() == expected.tobytes()
    numpy.testing.assert_array_equal(
        expected, expected_image(index, codes, shape, 2, 2, 1))
    # rlebits and skipbits name the same parameter: one of them
    for kwargs in ({}, {'rlebits': 7, 'skipbits': 7}):
        with pytest.raises(TypeError) as error:
            eer_decode(encoded, shape, horzbits=2, vertbits=2, **kwargs)
        assert isinstance(error.value, EerError)
    with pytest.raises(TypeError):
        eer_decode(encoded, shape, 7, 2, 2, skipbits=7)
    with pytest.raises(TypeError):
        eer_decode(encoded, shape, skipbits=7, horzbits=2)


def test_empty():
    assert not eer_decode(b'', (3, 5), 7, 2, 2).any()
    assert eer_decode(b'', (0, 0), 7, 2, 2).shape == (0, 0)
    # nothing fits in an empty image but the final run 0
    assert eer_decode(b'\x00\x00', (0, 4), 7, 2, 2).shape == (0, 4)
    with pytest.raises(EerError):
        eer_decode(b'\x01\x00', (0, 4), 7, 2, 2)


@pytest.mark.parametrize('args', [
    (1, 2, 2), (15, 2, 2), (7, 0, 2), (7, 2, 5), (4, 2, 2), (12, 4, 1),
])
def test_invalid_code_sizes(args):
    with pytest.raises(ValueError):
        eer_decode(b'\x00\x00', (4, 4), *args)


def test_invalid_shapes():
    # superres shapes are multiples of 2**bits like the reference's;
    # an error that is also a ValueError, as the reference raises
    for shape, level in (((6, 8), 1), ((8, 6), True), ((4, 10), 2),
                         ((34, 34), 3)):
        with pytest.raises(ValueError) as error:
            eer_decode(b'\x00\x00', shape, 7, 2, 2, superres=level)
        assert isinstance(error.value, EerError)
    for shape in ((-1, 8), (8,), (4, 4, 1), 16, None):
        with pytest.raises(ValueError):
            eer_decode(b'\x00\x00', shape, 7, 2, 2)
    with pytest.raises(TypeError):
        eer_decode(b'\x00\x00', ('4', 4), 7, 2, 2)
    # a shape too small for the stream: an error that is also a
    # RuntimeError, as the reference raises
    encoded = encode_events([50], [0], 64, 7, 2, 2)
    for shape, level in (((6, 6), 0), ((4, 4), 1), ((8, 8), 2)):
        with pytest.raises(RuntimeError) as error:
            eer_decode(encoded, shape, 7, 2, 2, superres=level)
        assert isinstance(error.value, EerError)


def test_invalid_arguments():
    for kwargs in ({'superres': -1}, {'horzbits': -2}):
        args = dict(shape=(4, 4), rlebits=7, horzbits=2, vertbits=2)
        args.update(kwargs)
        with pytest.raises(OverflowError) as error:
            eer_decode(b'\x00\x00', **args)
        assert isinstance(error.value, (ValueError, EerError))
    for value in (None, 'x', 1.5):
        with pytest.raises(TypeError) as error:
            eer_decode(b'\x00\x00', (4, 4), 7, 2, 2, superres=value)
        assert isinstance(error.value, EerError)
        with pytest.raises(TypeError):
            eer_decode(b'\x00\x00', (4, 4), value, 2, 2)
    data = bytearray(8)
    with pytest.raises(ValueError):
        eer_decode(data, (4, 4), 7, 2, 2, out=data)


def test_events_beyond_the_image():
    # an event after the last pixel
    with pytest.raises(EerError, match='beyond'):
        eer_decode(bytes.fromhex('0500'), (2, 2), 7, 2, 2)
    # a run past the end, also with all-ones runs and in superres mode
    with pytest.raises(EerError):
        eer_decode(encode_events([], [], 200, 7, 2, 2), (10, 10), 7, 2, 2)
    encoded = encode_events([9], [0], 100, 7, 2, 2)
    with pytest.raises(EerError):
        eer_decode(encoded, (4, 4), 7, 2, 2, superres=True)
    # an event at the last pixel, then a run of 1 past the end
    encoded = encode_events([3], [0], 5, 7, 2, 2)
    with pytest.raises(EerError):
        eer_decode(encoded, (2, 2), 7, 2, 2)


def test_truncated_streams_decode_their_events():
    # like the reference, a stream ending early leaves the rest empty
    shape = (32, 32)
    index, codes = random_events(32 * 32, 0.1, 2, 2, seed=5)
    encoded = encode_events(index, codes, 32 * 32, 7, 2, 2)
    full = eer_decode(encoded, shape, 7, 2, 2)
    for cut in range(0, len(encoded), 7):
        # whole codes of 11 bits in `cut` bytes
        events = cut * 8 // 11
        result = eer_decode(encoded[:cut], shape, 7, 2, 2)
        assert numpy.flatnonzero(result).tolist() == \
            numpy.flatnonzero(full)[:events].tolist()


def test_damaged_streams():
    shape = (32, 32)
    index, codes = random_events(32 * 32, 0.1, 2, 2, seed=6)
    encoded = encode_events(index, codes, 32 * 32, 7, 2, 2)
    check_corrupt(eer_decode, encoded, EerError, truncations=(), trials=300,
                  shape=shape, rlebits=7, horzbits=2, vertbits=2)
    check_corrupt(eer_decode, encoded, EerError, truncations=(), trials=300,
                  shape=(64, 64), rlebits=7, horzbits=2, vertbits=2,
                  superres=True)
    rng = numpy.random.default_rng(7)
    for _ in range(200):
        noise = rng.bytes(int(rng.integers(0, 64)))
        for superres in (False, True):
            try:
                result = eer_decode(noise, (8, 8), 7, 2, 2,
                                    superres=superres)
            except EerError:
                continue
            assert result.shape == (8, 8)
