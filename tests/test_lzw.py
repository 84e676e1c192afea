# SPDX-License-Identifier: BSD-3-Clause
"""LZW codec (TIFF 6.0 section 13, MSB-first codes with early change).

A plain Python model decoder written from the specification serves as the
independent check of both directions.
"""

import numpy
import pytest

from imagecodecs import LzwError, lzw_check, lzw_decode, lzw_encode
from harness import (
    INT_DTYPES, SHAPES, check_corrupt, check_inputs, check_out,
    check_roundtrip, random_array, require,
)

pytestmark = pytest.mark.usefixtures('available')


@pytest.fixture
def available():
    require('lzw')


def model_decode(data: bytes, msb: bool = True) -> bytes:
    """Decode an LZW stream one code at a time, as TIFF 6.0 describes."""
    early = 1 if msb else 0
    table: list[bytes] = []
    result = bytearray()
    nbits, prev = 9, None
    accumulator, count, index = 0, 0, 0

    def reset():
        table[:] = [bytes([i]) for i in range(256)] + [b'', b'']

    reset()
    while True:
        while count < nbits and index < len(data):
            if msb:
                accumulator = (accumulator << 8) | data[index]
            else:
                accumulator |= data[index] << count
            count += 8
            index += 1
        if count < nbits:
            break
        count -= nbits
        if msb:
            code = (accumulator >> count) & ((1 << nbits) - 1)
            accumulator &= (1 << count) - 1
        else:
            code = accumulator & ((1 << nbits) - 1)
            accumulator >>= nbits
        if code == 257:
            break
        if code == 256:
            reset()
            nbits, prev = 9, None
            continue
        if code < len(table):
            string = table[code]
        elif code == len(table) and prev is not None:
            string = prev + prev[:1]
        else:
            raise ValueError('corrupt')
        result += string
        if prev is not None and len(table) < 4096:
            table.append(prev + string[:1])
        if len(table) + early >= (1 << nbits) and nbits < 12:
            nbits += 1
        prev = string
    return bytes(result)


def test_model_agrees_on_a_handmade_stream():
    # ClearCode, 'a', 'b', 258 ('ab'), EOI as 9-bit MSB-first codes
    codes = [256, ord('a'), ord('b'), 258, 257]
    value = 0
    for code in codes:
        value = (value << 9) | code
    value <<= 3  # pad 45 bits to 48
    stream = value.to_bytes(6, 'big')
    assert model_decode(stream) == b'abab'
    assert lzw_decode(stream) == b'abab'
    assert lzw_check(stream)


@pytest.mark.parametrize('size', [0, 1, 2, 255, 4096, 20_000])
def test_encode_decodes_with_model(size):
    data = random_array((size,), 'u1', low=0, high=7).tobytes()
    encoded = lzw_encode(data)
    assert lzw_check(encoded)
    assert model_decode(encoded) == data
    assert lzw_decode(encoded) == data


def test_random_data_fills_the_table_repeatedly():
    # incompressible input fills the 4096-entry table many times
    data = numpy.random.default_rng(5).bytes(40_000)
    encoded = lzw_encode(data)
    assert len(encoded) <= len(data) * 12 // 8 + 16
    assert model_decode(encoded) == data
    assert lzw_decode(encoded) == data


@pytest.mark.parametrize('dtype', INT_DTYPES)
@pytest.mark.parametrize('shape', SHAPES, ids=str)
def test_roundtrip_arrays(dtype, shape):
    check_roundtrip(lzw_encode, lzw_decode, random_array(shape, dtype))


def test_old_style_lsb_stream():
    # pre-TIFF-6 streams: LSB-first codes and no early change
    codes = [256, ord('x'), ord('y'), 258, 259, 257]
    value, shift = 0, 0
    for code in codes:
        value |= code << shift
        shift += 9
    stream = value.to_bytes((shift + 7) // 8, 'little')
    expected = model_decode(stream, msb=False)
    assert expected == b'xyxyyx'
    assert lzw_decode(stream) == expected


def test_out_and_inputs():
    data = random_array((20_000,), 'u1', low=0, high=30).tobytes()
    encoded = lzw_encode(data)
    check_out(lzw_decode, encoded, data, LzwError, partial=True)
    check_out(lzw_encode, data, encoded, LzwError)
    check_inputs(lzw_decode, encoded, data)
    # a size guess only sets the first capacity
    assert lzw_decode(encoded, buffersize=10) == data
    assert lzw_decode(encoded, buffersize=10 * len(data)) == data


def test_corrupt():
    data = random_array((5000,), 'u1', low=0, high=60).tobytes()
    check_corrupt(lzw_decode, lzw_encode(data), LzwError, truncations=())
    with pytest.raises(LzwError):
        # code 300 before the table has an entry 300
        lzw_decode((((256 << 18) | (65 << 9) | 300) << 5).to_bytes(4, 'big'))


def test_sample_horizontal_predictor(samples):
    # bytes 0..255 as a 16x16 image under the TIFF horizontal predictor:
    # each row starts with its first value, then differences of one
    data = (samples / 'bytes.lzw_horizontal.bin').read_bytes()
    decoded = lzw_decode(data)
    assert decoded == model_decode(data)
    rows = numpy.frombuffer(decoded, 'u1').reshape(16, 16)
    assert numpy.array_equal(rows[:, 0], numpy.arange(0, 256, 16))
    assert numpy.all(rows[:, 1:] == 1)
    assert numpy.array_equal(
        numpy.cumsum(rows, axis=1, dtype='u1').ravel(),
        numpy.fromfile(samples / 'bytes.bin', 'u1'))


def test_sample_corrupt(samples):
    with pytest.raises(LzwError):
        lzw_decode((samples / 'corrupt.lzw.bin').read_bytes())


def test_sample_without_eoi(samples):
    # The stream has no EndOfInformation code: it ends with one more code
    # (514) after the 512x1024 image. The image is decoded exactly; the
    # extra code decodes as the model decodes it.
    data = (samples / 'image_noeoi.lzw.bin').read_bytes()
    image = (samples / 'image_noeoi.bin').read_bytes()[:524288]
    decoded = lzw_decode(data)
    assert len(decoded) == 524290
    assert decoded[:524288] == image
    assert decoded == model_decode(data)
    # tifffile passes the strip's expected size: it gets the image
    assert lzw_decode(data, out=524288) == image
    for size in (0, 1, 511, 4097, 524289):
        assert lzw_decode(data, out=size) == decoded[:size]
    # our encoder ends the same image with EOI instead
    encoded = lzw_encode(image)
    assert lzw_decode(encoded) == image
    assert encoded[:-2] == data[:-2]
