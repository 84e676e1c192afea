# SPDX-License-Identifier: BSD-3-Clause
"""LZO1X decoder."""

import hashlib

import numpy
import pytest

from imagecodecs import LZO, LzoError, lzo_check, lzo_decode, lzo_encode
from imagecodecs import lzo_version
from harness import check_corrupt, check_inputs, check_out, require

pytestmark = pytest.mark.usefixtures('available')


@pytest.fixture
def available():
    require('lzo')


def header(size, magic=0xF0):
    """Return python-lzo's header."""
    return bytes([magic]) + size.to_bytes(4, 'big')


EMPTY = bytes.fromhex('110000')  # only the end of stream

# A stream made by hand from the format, with every kind of instruction
# (liblzo2 and lzokay decode it to the same bytes).
HANDMADE = bytes.fromhex(
    '16' '68656c6c6f'  # first byte 22: 5 literals 'hello'
    '52 00' '5859'  # 3 bytes 5 back (64..255), then 2 literals 'XY'
    '08 01'  # after literals (0..15): 2 bytes 7 back
    '01' '31323334'  # after a match without literals: 4 literals '1234'
    '20 00 05 0c 00'  # 32..63: extended length 31 + 255 + 5 + 2, 4 back
    '00 01' + b'ABCDEFGHIJKLMNOPQRS'.hex()  # 15 + 1 + 3 literals
    + '20' + '00' * 66 + '64 18 00'  # 16963 bytes 7 back
    '01' '7778797a'  # 4 literals 'wxyz'
    '01 00' '21'  # after a run (0..15): 3 bytes 2049 back, 1 literal '!'
    '13 4c 0e'  # 16..31: 5 bytes 16384 + 915 back
    '4b 00' '656e64'  # 3 bytes 3 back, then 3 literals 'end'
    + '20' + '00' * 64 + '80 08 00'  # 16481 bytes 3 back
    '1b fc 0f'  # 16..31 with bit 3: 5 bytes 32768 + 1023 back
    '11 00 00'  # end of stream
)


def handmade_decoded():
    out = bytearray(b'hello')

    def copy(dist, n):
        for _ in range(n):
            out.append(out[-dist])

    copy(5, 3)
    out += b'XY'
    copy(7, 2)
    out += b'1234'
    copy(4, 293)
    out += b'ABCDEFGHIJKLMNOPQRS'
    copy(7, 16963)
    out += b'wxyz'
    copy(2049, 3)
    out += b'!'
    copy(17299, 5)
    copy(3, 3)
    out += b'end'
    copy(3, 16481)
    copy(33791, 5)
    return bytes(out)


HANDMADE_DECODED = handmade_decoded()

# Streams of python-lzo 1.15 (liblzo2 2.10) compress(data, level, False)
# at levels 1 (LZO1X-1) and 9 (LZO1X-999).
TEXT = b''.join(b'row %d: value %d\n' % (i, i * i % 1000) for i in range(40))
ARRAY = (numpy.arange(300) // 10 % 7).astype('<u2').tobytes()
ZEROS = bytes(5000)
LIBLZO = [
    (TEXT, '7ab8e888e22e7f2f3a9c010ad536e07ed7510f7f013c021903d641f87bb0d263',
     '0c726f7720303a2076616c756520300a790131f90131990132f90134990133f90139'
     '990134fa0131369d0135fe0132359d0136fd0133bd0337fd0134bd0738fd0136b90b'
     '39fd0138b60f3130e2023130d813287d0232cc04278a023134b508312796023136bd'
     '0c3128a10239a5113128a802cd153127b2023235cc0427ba023238dc0827c2023332'
     'cc0d27ca023336bd113227cd0234cd163227ce023434cc0427ce023438bd083227ce'
     '023532ad0d3227ce023537bd113227cd0236cd163227cd0236ec0427cd0237fc0827'
     'cd0237ec0d27cd0238dd113327cd0239cd163327cd0239dd1a3327cc02c91f3327c8'
     '02d5233327c50231c5283327c50232c5163327c50232c5313327c50233d5353327c5'
     '0234c43a0b33393a2076616c7565203532310a110000'),
    (TEXT, '7ab8e888e22e7f2f3a9c010ad536e07ed7510f7f013c021903d641f87bb0d263',
     '20726f7720303a2076616c756520300a790131f90131990132f90134990133f90139'
     '99013427b100369d0135fe0132359d0136fd0133bd0337273401bd0738fd0136b90b'
     '39fd0138b50f312772023130d813287d0232cc04278a023134b6083133285802bd0c'
     '3128a10239a5113128a802ce15313628f002cc0427ba023238dc0827c2023332cd0d'
     '39288803c42627cd0234cd163227ce023434cc0428590538bd083227ce023532ad0d'
     '3227ce023537bd113227cd0236cd163227cd0236ec0427cd0237fc0827cd0237ec0d'
     '289805dd113327cd0239cd163327cd0239dd1a3327cc02c91f3327c802d52333289405'
     'c528332f950533289405c6313337280405dd083828bc04c90d39287604310a110000'),
    (ARRAY, '4518a659a85012bdc67c87c1c2de493517e26159a79ca973d023730fd894e002',
     '0200000000002d12000100300600020030060003003006000400300600050030060006'
     '003004002d180298013025020131250202312502033125020431250205312502068c0f'
     '2e100020fb2c020d01000100010001000100010001000100110000'),
    (ARRAY, '4518a659a85012bdc67c87c1c2de493517e26159a79ca973d023730fd894e002',
     '12003101000131050002310500033105000431050005310500063104002000ac2c0211'
     '0000'),
    (ZEROS, '7ca5bd879f393d9dd05b14f38add9c0fc6b67928f7f2d261b2e47a32ee8219e3',
     '02000000000020000000000000000000000000000000000000006610000c0000000000'
     '00000000000000000000110000'),
    (ZEROS, '7ca5bd879f393d9dd05b14f38add9c0fc6b67928f7f2d261b2e47a32ee8219e3',
     '12002000000000000000e600002000000000000000e6000020000000690000110000'),
]


def test_constants():
    assert LZO.available
    assert isinstance(lzo_version(), str)


def test_check():
    assert lzo_check(header(0) + EMPTY) is True
    assert lzo_check(header(3, 0xF1) + b'abc') is True
    assert lzo_check(header(0)) is None  # too short
    assert lzo_check(HANDMADE) is None
    assert lzo_check(b'') is None


def test_encode_not_implemented():
    with pytest.raises(NotImplementedError):
        lzo_encode(b'abc')


def growing(data, out=bytes, **kwargs):
    """lzo_decode with an output that grows unless out is given."""
    return lzo_decode(data, out=out, **kwargs)


def test_decode_needs_a_size():
    # LZO1X streams store no size: as in the reference, a call without
    # header or out is refused with an error that is also a TypeError
    for error in (TypeError, LzoError):
        with pytest.raises(error):
            lzo_decode(HANDMADE)
    assert lzo_decode(HANDMADE, out=bytearray) == HANDMADE_DECODED


def test_decode_empty():
    assert lzo_decode(EMPTY, out=bytes) == b''
    assert lzo_decode(EMPTY, out=0) == b''
    assert lzo_decode(header(0) + EMPTY, header=True) == b''
    assert lzo_decode(b'\x12x\x11\x00\x00', out=bytes) == b'x'


def test_decode_handmade():
    assert len(HANDMADE_DECODED) == 33796
    assert HANDMADE_DECODED.endswith(b'endenhello')
    assert hashlib.sha256(HANDMADE_DECODED).hexdigest().startswith(
        '0ea6b8ca28eacc86')
    assert lzo_decode(HANDMADE, out=bytes) == HANDMADE_DECODED
    encoded = header(len(HANDMADE_DECODED)) + HANDMADE
    assert lzo_decode(encoded, header=True) == HANDMADE_DECODED
    check_out(growing, HANDMADE, HANDMADE_DECODED, LzoError)
    check_out(lzo_decode, encoded, HANDMADE_DECODED, LzoError, header=True)
    check_inputs(growing, HANDMADE, HANDMADE_DECODED)


@pytest.mark.parametrize('index', range(len(LIBLZO)))
def test_decode_liblzo(index):
    data, digest, encoded = LIBLZO[index]
    encoded = bytes.fromhex(encoded)
    assert hashlib.sha256(data).hexdigest() == digest
    decoded = lzo_decode(encoded, out=bytes)
    assert hashlib.sha256(decoded).hexdigest() == digest
    assert lzo_decode(encoded, out=len(data)) == data
    assert lzo_decode(header(len(data)) + encoded, header=True) == data
    assert lzo_decode(header(len(data), 0xF1) + encoded, header=True) == data


def test_decode_grows_output():
    # a small stream of a large result: the output is enlarged many times
    stream = bytes.fromhex('20') + bytes(4000) + bytes.fromhex('ff 00 00')
    stream = b'\x12x' + stream + EMPTY
    decoded = b'x' * (1 + 31 + 255 * 4000 + 255 + 2)
    assert lzo_decode(stream, out=bytes) == decoded
    assert lzo_decode(stream, out=bytearray) == decoded
    with pytest.raises(LzoError):
        lzo_decode(stream, out=len(decoded) - 1)


@pytest.mark.parametrize('encoded', [
    b'', b'\x12x', b'\x12x\x11\x00',  # no end of stream
    b'\x16hell',  # literals cut
    b'\x01abc',  # 4 literals, 3 present
    b'\x00\x00\x00',  # extended literal count cut
    b'\x12x\x40',  # match cut
    b'\x12x\x20\x00\x00',  # extended length cut
    b'\x12x\x21\x00',  # distance cut
    b'\x12x\x42\x00y',  # 2 trailing literals, 1 present
])
def test_decode_truncated(encoded):
    with pytest.raises(LzoError, match='truncated'):
        lzo_decode(encoded, out=bytes)


@pytest.mark.parametrize('encoded', [
    b'\x11\x04\x00\x11\x00\x00',  # a match before any output
    b'\x12x\x44\x00\x11\x00\x00',  # 3 bytes 2 back after one byte
    b'\x12x\x21\x04\x00\x11\x00\x00',  # 2 back (32..63)
    b'\x12x\x11\x04\x00\x11\x00\x00',  # 16384 + 1 back (16..31)
    b'\x12x\x19\x00\x00\x11\x00\x00',  # 32768 back: not the end
    b'\x15abcd\x00\x00\x11\x00\x00',  # 2049 back after a run
])
def test_decode_invalid_distance(encoded):
    with pytest.raises(LzoError, match='corrupt'):
        lzo_decode(encoded, out=bytes)


def test_decode_trailing_data():
    with pytest.raises(LzoError, match='after the end'):
        lzo_decode(EMPTY + b'\x00', out=bytes)
    with pytest.raises(LzoError, match='after the end'):
        lzo_decode(header(0) + EMPTY + b'x', header=True)


def test_decode_invalid_header():
    encoded = header(len(HANDMADE_DECODED)) + HANDMADE
    with pytest.raises(LzoError):
        lzo_decode(encoded[:4], header=True)
    with pytest.raises(LzoError, match='header'):
        lzo_decode(b'\x00' + encoded[1:], header=True)
    for size in (len(HANDMADE_DECODED) - 1, len(HANDMADE_DECODED) + 1, 0):
        with pytest.raises(LzoError):
            lzo_decode(header(size) + HANDMADE, header=True)
    # sizes that the data cannot reach are refused before allocating
    for size in (0xFFFFFFFF, 256 * len(HANDMADE) + 1):
        with pytest.raises(LzoError, match='cannot decode'):
            lzo_decode(header(size) + HANDMADE, header=True)


def test_corrupt():
    encoded = bytes.fromhex(LIBLZO[0][2])
    check_corrupt(growing, encoded, LzoError)
    check_corrupt(growing, HANDMADE, LzoError)
    check_corrupt(lzo_decode, header(len(TEXT)) + encoded, LzoError,
                  header=True)


def test_random_input_never_crashes():
    rng = numpy.random.default_rng(5)
    for size in range(1, 300, 3):
        data = rng.bytes(size)
        for kwargs in ({}, {'out': 100}):
            try:
                lzo_decode(data, **kwargs)
            except LzoError:
                pass


# Round trips with python-lzo (liblzo2), where installed.

def payloads():
    rng = numpy.random.default_rng(11)
    yield b'x'
    yield rng.bytes(20_000)
    yield rng.integers(0, 4, 50_000, 'u1').tobytes()
    yield (numpy.add.outer(numpy.arange(300), numpy.arange(400)) // 5
           ).astype('<u2').tobytes()
    yield rng.bytes(20_000) * 2 + rng.bytes(40_000) * 2  # above 16384, 32768
    yield bytes(300_000)
    yield b''.join(b'line %d of %d\n' % (i, i % 77) for i in range(5000))


@pytest.mark.parametrize('level', [1, 9])
def test_liblzo_roundtrip(level):
    lzo = pytest.importorskip('lzo')
    for data in payloads():
        encoded = lzo.compress(data, level, False)
        assert lzo_decode(encoded, out=bytes) == data
        assert lzo_decode(encoded, out=len(data)) == data
        assert lzo_decode(lzo.compress(data, level), header=True) == data
