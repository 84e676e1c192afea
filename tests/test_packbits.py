# SPDX-License-Identifier: BSD-3-Clause
"""PackBits codec.

The encoder reproduces the choices of the common PackBits writers, so that
files compare equal byte for byte. `model_encode_row` below states those
choices in Python, independently of the C code; `shortest_length` is the
shortest possible coding, which the choices do not always reach.
"""

import numpy
import pytest

from imagecodecs import PackbitsError, packbits_decode, packbits_encode
from harness import (
    INT_DTYPES, SHAPES, check_corrupt, check_inputs, check_out,
    check_roundtrip, random_array, require,
)

pytestmark = pytest.mark.usefixtures('available')


@pytest.fixture
def available():
    require('packbits')


# Models --------------------------------------------------------------------

def literal_blocks(data):
    """Return data as literal blocks of up to 128 bytes."""
    return b''.join(bytes([len(data[i:i + 128]) - 1]) + data[i:i + 128]
                    for i in range(0, len(data), 128))


def replicate_block(value, count):
    return bytes([(257 - count) & 0xFF, value])


def runs_of(row):
    """Return [value, length] of each run of equal bytes."""
    runs = []
    for value in row:
        if runs and runs[-1][0] == value:
            runs[-1][1] += 1
        else:
            runs.append([value, 1])
    return runs


def runs_form(row):
    """Return the coding with replicate blocks, and if it ends in a literal.

    Runs of two or more are replicate blocks (of up to 128; a single byte
    left over starts the next literal). Literals are cut at 128. A pair
    joins the literal around it only if that literal (since its last cut)
    is not empty and has not taken a pair yet, singles follow the pair up
    to a run rather than to the end of the row, and the joined literal is
    shorter than 128 bytes.
    """
    runs = runs_of(row)
    out = bytearray()
    literal = bytearray()
    took_pair = False
    ends_literal = False
    for i, (value, length) in enumerate(runs):
        if length == 1:
            literal.append(value)
            if len(literal) == 128:
                out += literal_blocks(bytes(literal))
                literal.clear()
                ends_literal = True
            continue
        if length == 2 and literal and not took_pair:
            j = i + 1
            while j < len(runs) and runs[j][1] == 1:
                j += 1
            singles = j - i - 1
            if singles and j < len(runs) and len(literal) + 2 + singles < 128:
                literal += bytes([value, value])
                took_pair = True
                continue
        if literal:
            out += literal_blocks(bytes(literal))
            literal.clear()
        took_pair = False
        while length >= 2:
            out += replicate_block(value, min(length, 128))
            length -= min(length, 128)
        ends_literal = False
        if length:
            literal.append(value)
    if literal:
        out += literal_blocks(bytes(literal))
        ends_literal = True
    return bytes(out), ends_literal


def model_encode_row(row):
    """Return the shorter of the literal-only and the runs coding.

    On equal length the literal-only coding wins if the runs coding ends
    with a literal.
    """
    literal = literal_blocks(bytes(row))
    runs, ends_literal = runs_form(bytes(row))
    if len(literal) < len(runs) or (len(literal) == len(runs)
                                    and ends_literal):
        return literal
    return runs


def model_encode(data, rowsize=None):
    data = bytes(data)
    rowsize = rowsize or len(data) or 1
    return b''.join(model_encode_row(data[i:i + rowsize])
                    for i in range(0, len(data), rowsize))


def shortest_length(row):
    """Return the length of the shortest PackBits coding of a row."""
    n = len(row)
    same = [1] * (n + 1)  # length of the run of equal bytes starting at i
    for i in range(n - 2, -1, -1):
        if row[i] == row[i + 1]:
            same[i] = same[i + 1] + 1
    best = [0] * (n + 1)
    for i in range(n - 1, -1, -1):
        best[i] = min(1 + k + best[i + k]
                      for k in range(1, min(128, n - i) + 1))
        for k in range(2, min(128, same[i]) + 1):
            best[i] = min(best[i], 2 + best[i + k])
    return best[0]


def runs_to_bytes(lengths, rng, values=256):
    """Return bytes with runs of the given lengths (neighbours differ)."""
    out = bytearray()
    previous = -1
    for length in lengths:
        value = int(rng.integers(0, values))
        while value == previous:
            value = int(rng.integers(0, values))
        out += bytes([value]) * length
        previous = value
    return bytes(out)


def varied_rows(seed, count):
    """Yield rows of varied structure: noise, pairs, runs near 128."""
    rng = numpy.random.default_rng(seed)
    pools = [
        [1, 2], [1, 1, 2, 3], [1, 1, 1, 2, 2, 3, 4, 5], [1, 2, 2, 2],
        [1] * 6 + [2] * 3 + [3, 4, 126, 127, 128, 129, 130, 256, 257],
        [1, 2, 3, 200, 300],
    ]
    for i in range(count):
        kind = i % 4
        if kind == 0:
            size = int(rng.integers(0, 300))
            yield rng.integers(0, int(rng.choice([2, 3, 256])),
                               size, 'u1').tobytes()
        elif kind == 3:
            # literal stretches near a block's end around a pair
            lengths = []
            for _ in range(int(rng.integers(1, 4))):
                lengths += [1] * int(rng.choice([1, 3, 120, 124, 125, 126,
                                                 127, 128, 129, 250]))
                lengths.append(int(rng.choice([2, 2, 3, 129])))
            lengths += [1] * int(rng.integers(0, 3))
            yield runs_to_bytes(lengths, rng)
        else:
            pool = pools[int(rng.integers(0, len(pools)))]
            lengths = rng.choice(pool, int(rng.integers(1, 80)))
            yield runs_to_bytes(lengths, rng, int(rng.choice([2, 3, 256])))


# Decoder -------------------------------------------------------------------

# The example of TIFF 6.0, section 9 (Apple Technical Note TN1023).
TIFF_EXAMPLE = bytes.fromhex('fe aa 02 80 00 2a fd aa 03 80 00 2a 22 f7 aa')
TIFF_DECODED = bytes.fromhex('aa aa aa 80 00 2a aa aa aa aa 80 00 2a 22'
                             'aa aa aa aa aa aa aa aa aa aa')


def test_decode_specification_example():
    assert packbits_decode(TIFF_EXAMPLE) == TIFF_DECODED
    check_inputs(packbits_decode, TIFF_EXAMPLE, TIFF_DECODED)
    check_out(packbits_decode, TIFF_EXAMPLE, TIFF_DECODED, PackbitsError)


@pytest.mark.parametrize('encoded, decoded', [
    (b'', b''),
    (b'\x80', b''),  # -128 is a no-op, anywhere
    (b'\x80\x01ab\x80', b'ab'),
    (b'\x80\xffa\x80\x80', b'aa'),
    (b'\x00', b''),  # a 0x00 pad byte after the data is ignored
    (b'\x00a\x00', b'a'),
    (b'\xffa\x80\x00', b'aa'),
    (b'\x00a\x00\x00', b'a\x00'),  # not at the end: a literal header
])
def test_decode_noop_and_pad_byte(encoded, decoded):
    assert packbits_decode(encoded) == decoded


@pytest.mark.parametrize('encoded', [
    b'\xffy\x01\x1b?\x01',  # literal header at the end promising two bytes
    b'\x00a\x01',
    b'\x00a\x7f',
    b'\x00a\xff',  # replicate header without its byte
    b'\xff',
    b'\x80\xfe',
    b'\x01a',
    b'\x05ab',
    b'\x00a\x80\x01',
])
def test_decode_truncated(encoded):
    with pytest.raises(PackbitsError):
        packbits_decode(encoded)
    with pytest.raises(PackbitsError):
        packbits_decode(encoded, out=1000)


def test_decode_out_smaller_than_stream():
    encoded = packbits_encode(b'a' * 10 + bytes(range(20)))
    for out in (29, bytearray(29), numpy.zeros(5, 'u1')):
        with pytest.raises(PackbitsError):
            packbits_decode(encoded, out=out)


def test_corrupt():
    encoded = packbits_encode(bytes(range(200)) * 3)
    check_corrupt(packbits_decode, encoded, PackbitsError)


# Encoder -------------------------------------------------------------------

@pytest.mark.parametrize('data, encoded', [
    (b'', b''),
    (b'a', b'\x00a'),
    (b'ab', b'\x01ab'),
    (b'aa', b'\xffa'),
    (b'aaa', b'\xfea'),
    # a pair at the end is a replicate block; on a tie with the literal
    # form the runs form wins since it ends with a replicate block
    (b'abb', b'\x00a\xffb'),
    # ... but the literal form wins if the runs form ends with a literal
    (b'aab', b'\x02aab'),
    # a pair between single bytes joins the literal
    (b'abbaccc', b'\x03abba\xfec'),
    # but not if the singles after it reach the end of the row
    (b'aaaabccd', b'\xfda\x00b\xffc\x00d'),
    # one pair per literal only
    (b'aaaabccdeefgggg', b'\xfda\x03bccd\xffe\x00f\xfdg'),
    (b'a' * 128, b'\x81a'),
    (b'a' * 129, b'\x81a\x00a'),
    (b'a' * 130, b'\x81a\xffa'),
    # the case of a 130 byte row stored in 131 bytes
    (bytes(range(128)) + b'zz', b'\x7f' + bytes(range(128)) + b'\xffz'),
])
def test_encode_examples(data, encoded):
    assert model_encode(data) == encoded
    assert packbits_encode(data) == encoded
    assert packbits_decode(encoded) == data


def test_encode_follows_model():
    checked = 0
    for row in varied_rows(1, 4000):
        encoded = packbits_encode(row)
        assert encoded == model_encode(row), row.hex()
        assert packbits_decode(encoded) == row
        checked += 1
    assert checked == 4000


def test_pair_joins_literal_below_128():
    # a literal of `before` singles, a pair, `after` singles, then a run
    rng = numpy.random.default_rng(2)
    for before, after in [(1, 124), (1, 125), (60, 65), (60, 66), (124, 1),
                          (125, 1), (129, 123), (129, 124), (128, 1)]:
        # no data byte is 0xFF: any 0xFF is the header of a pair
        row = runs_to_bytes([5] + [1] * before + [2] + [1] * after + [5],
                            rng, values=255)
        joined = 0 < before % 128 and before % 128 + 2 + after < 128
        encoded = packbits_encode(row)
        assert encoded == model_encode(row)
        assert (b'\xff' not in encoded) == joined, (before, after)


def test_never_longer_than_literal_nor_than_possible():
    for row in varied_rows(3, 600):
        if len(row) > 2000:
            continue  # the model is slow
        length = len(packbits_encode(row))
        assert shortest_length(row) <= length <= len(literal_blocks(row))


def test_shortest_without_pairs_and_long_runs():
    # with runs of 3 to 128 bytes and single bytes only, the choices give
    # the shortest coding
    rng = numpy.random.default_rng(4)
    for _ in range(300):
        lengths = rng.choice([1, 1, 1, 3, 4, 5, 60, 126, 127, 128],
                             int(rng.integers(1, 40)))
        row = runs_to_bytes(lengths, rng)
        assert len(packbits_encode(row)) == shortest_length(row)


@pytest.mark.parametrize('data', [
    b'aaabccd',        # joining everything ties the runs form plus a byte
    b'aaaabccd',       # no pair joins a literal that ends the row
    b'aaabccdeefggg',  # one pair per literal
    b'a' * 129 + b'b' + b'c' * 129,  # a run's leftover byte is a literal
])
def test_compatible_rather_than_shortest(data):
    # Files must match the common writers' byte for byte, so these rows
    # take a byte more than the shortest coding.
    encoded = packbits_encode(data)
    assert encoded == model_encode(data)
    assert len(encoded) == shortest_length(data) + 1


@pytest.mark.parametrize('dtype', INT_DTYPES)
@pytest.mark.parametrize('shape', SHAPES, ids=str)
def test_roundtrip_arrays(dtype, shape):
    data = random_array(shape, dtype, low=0, high=2)
    check_roundtrip(packbits_encode, packbits_decode, data)


def test_rows_are_encoded_separately():
    data = numpy.zeros((2, 3), 'u1')
    assert packbits_encode(data) == b'\xfe\x00\xfe\x00'
    assert packbits_encode(data, axis=0) == b'\xfb\x00'
    assert packbits_encode(data.tobytes()) == b'\xfb\x00'
    assert packbits_encode(data.tobytes(), axis=1) == b'\xfb\x00'


@pytest.mark.parametrize('dtype', ['u1', '>u2', 'i4', 'f4'])
@pytest.mark.parametrize('shape', [(5,), (3, 130), (4, 3, 5), (2, 3, 4, 5)],
                         ids=str)
def test_rows_follow_axis(dtype, shape):
    rng = numpy.random.default_rng(5)
    data = numpy.frombuffer(
        runs_to_bytes(rng.choice([1, 2, 3, 9], 10000), rng, 3)[
            : numpy.prod(shape) * numpy.dtype(dtype).itemsize],
        dtype).reshape(shape)
    for axis in [None, *range(-data.ndim, data.ndim)]:
        start = data.ndim - 1 if axis is None else axis % data.ndim
        rowsize = data.itemsize * int(numpy.prod(shape[start:]))
        expected = model_encode(data.tobytes(), rowsize)
        kwargs = {} if axis is None else {'axis': axis}
        assert packbits_encode(data, **kwargs) == expected, axis
        # views are encoded in their logical order
        view = data[..., ::-1].T
        rowsize = view.itemsize * int(numpy.prod(view.shape[start:]))
        expected = model_encode(numpy.ascontiguousarray(view).tobytes(),
                                rowsize)
        assert packbits_encode(view, **kwargs) == expected, axis
    # a 0-d array is one row
    scalar = numpy.array(data.flat[0])
    assert scalar.ndim == 0
    assert packbits_encode(scalar) == model_encode(scalar.tobytes())


def test_invalid_axis():
    data = numpy.zeros((2, 3), 'u1')
    for axis in (2, -3):
        with pytest.raises(ValueError):
            packbits_encode(data, axis=axis)
        with pytest.raises(IndexError):
            packbits_encode(data, axis=axis)


def test_long_literal_and_runs():
    rng = numpy.random.default_rng(1)
    data = bytes(rng.integers(0, 256, 100_000, 'u1')) + b'\0' * 1000
    encoded = packbits_encode(data)
    assert encoded == model_encode(data)
    check_out(packbits_decode, encoded, data, PackbitsError)
    check_out(packbits_encode, data, encoded, PackbitsError)


def test_encode_out_rows():
    # out= also bounds encoders whose rows fall back to literals
    data = numpy.frombuffer(bytes(range(256)) * 4 + b'ab' * 64,
                            'u1').reshape(9, 128)
    expected = model_encode(data.tobytes(), 128)
    check_out(packbits_encode, data, expected, PackbitsError)
