# SPDX-License-Identifier: BSD-3-Clause
"""PackBits codec."""

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


# The example of TIFF 6.0, section 9 (Apple Technical Note TN1023).
TIFF_EXAMPLE = bytes.fromhex('fe aa 02 80 00 2a fd aa 03 80 00 2a 22 f7 aa')
TIFF_DECODED = bytes.fromhex('aa aa aa 80 00 2a aa aa aa aa 80 00 2a 22'
                             'aa aa aa aa aa aa aa aa aa aa')


def test_decode_specification_example():
    assert packbits_decode(TIFF_EXAMPLE) == TIFF_DECODED
    check_inputs(packbits_decode, TIFF_EXAMPLE, TIFF_DECODED)
    check_out(packbits_decode, TIFF_EXAMPLE, TIFF_DECODED, PackbitsError)


@pytest.mark.parametrize('data, encoded', [
    (b'', b''),
    (b'a', b'\x00a'),
    (b'ab', b'\x01ab'),
    (b'aa', b'\xffa'),
    (b'aaa', b'\xfea'),
    (b'abb', b'\x02abb'),
    (b'a' * 128, b'\x81a'),
    (b'a' * 129, b'\x81a\x00a'),
])
def test_encode_exact(data, encoded):
    assert packbits_encode(data) == encoded
    assert packbits_decode(encoded) == data


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


def test_long_literal_and_runs():
    rng = numpy.random.default_rng(1)
    data = bytes(rng.integers(0, 256, 100_000, 'u1')) + b'\0' * 1000
    encoded = packbits_encode(data)
    assert len(encoded) <= len(data) + len(data) // 128 + 1
    check_out(packbits_decode, encoded, data, PackbitsError)
    check_out(packbits_encode, data, encoded, PackbitsError)


def test_corrupt():
    encoded = packbits_encode(bytes(range(200)) * 3)
    check_corrupt(packbits_decode, encoded, PackbitsError)
    with pytest.raises(PackbitsError):
        packbits_decode(b'\x05ab')
