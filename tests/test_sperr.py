# SPDX-License-Identifier: BSD-3-Clause
"""SPERR codec: 2-D and 3-D floating point arrays at a bit rate, PSNR or
point-wise error."""

import hashlib
import re
import shutil
import struct

import numpy
import pytest

from imagecodecs import (
    SPERR, SperrError, sperr_check, sperr_decode, sperr_encode,
    sperr_version,
)
from harness import (
    check_array_out, check_corrupt, check_inputs, check_out, random_array,
    require, run_isolated,
)

pytestmark = pytest.mark.usefixtures('available')


@pytest.fixture
def available():
    require('sperr')


FIELD2 = random_array((33, 45), 'f4', seed=0)
FIELD3 = random_array((9, 17, 33), 'f8', seed=0)
TINY = random_array((4, 5), 'f4', seed=1)


def sha(data) -> str:
    return hashlib.sha256(bytes(memoryview(data).cast('B'))).hexdigest()[:16]


def psnr(data, decoded):
    data = data.astype('f8')
    mse = numpy.mean((decoded.astype('f8') - data) ** 2)
    if mse == 0:
        return numpy.inf
    return 10 * numpy.log10((data.max() - data.min()) ** 2 / mse)


def test_version_and_check():
    assert sperr_version() == 'sperr 0.8.5'
    assert sperr_check(sperr_encode(FIELD2, 0.1, 'pwe')) is None
    assert SPERR.available
    assert dict(SPERR.MODE.__members__) == {'BPP': 1, 'PSNR': 2, 'PWE': 3}


# -- reference streams --------------------------------------------------------

# the reference package's streams (SPERR 0.8.4)
TINY_PWE = bytes.fromhex(
    '0020050000000400000080cdcc4cf05e26d63fb81e85eb51b88e3f07990000000000'
    '00002764ca257f80f9a9489ec260939be96e84197b01')
TINY_BPP = bytes.fromhex(
    '80cdcc4cf05e26d63f98a3250c6570f23d20530000000000000057b9e5c3d31551f9'
    'fd6a')
CONSTANT = bytes.fromhex(
    '00001e000000140000008158020000000000000000000000000c40')


def test_reference_streams():
    assert sperr_encode(TINY, 0.01, 'pwe') == TINY_PWE
    assert numpy.abs(sperr_decode(TINY_PWE) - TINY).max() <= 0.01
    assert sperr_encode(TINY, 4, 'bpp', header=False) == TINY_BPP
    decoded = sperr_decode(TINY_BPP, shape=(4, 5), dtype='f4', header=False)
    assert decoded.shape == (4, 5) and decoded.dtype == 'f4'
    constant = numpy.full((20, 30), 3.5)
    assert sperr_encode(constant, 0.1, 'pwe') == CONSTANT
    numpy.testing.assert_array_equal(sperr_decode(CONSTANT), constant)


@pytest.mark.parametrize('data, level, mode, kwargs, size, encoded, '
                         'decoded', [
    # the reference package's streams and their decoding
    (FIELD2, 0.01, 'pwe', {}, 1743, 'db3aadf903607c96', 'b81f2231c87bc8cd'),
    (FIELD2, 0.01, 'pwe', {'header': False}, 1733, '1ad66942eea128b0',
     'b81f2231c87bc8cd'),
    (FIELD2, 60, 'psnr', {}, 1147, 'e01b0478b5dae835', '56d018fdbf7eee33'),
    (FIELD2, 4, 'bpp', {}, 779, '3bb888d9339bda0b', '751874e0aa6a99d3'),
    (FIELD3, 0.01, 'pwe', {}, 5828, 'f9ddbf8ff93eef73', '57aac9777b10659e'),
    (FIELD3, 0.001, 'pwe', {'chunks': (4, 8, 16)}, 8482, 'f740c7293d2a2024',
     '89ef14917ee7985a'),
    (FIELD3, 80, 'psnr', {'chunks': (5, 9, 17)}, 6942, '8c3343306edf2bdd',
     'e4fe72047afdfd2d'),
    (FIELD3, 2, 'bpp', {}, 1307, '5052a7ec62d21e7c', '96f22cf8eca34621'),
], ids=lambda x: x if isinstance(x, (str, int, float)) else '')
def test_reference_digests(data, level, mode, kwargs, size, encoded,
                           decoded):
    stream = sperr_encode(data, level, mode, **kwargs)
    assert len(stream) == size and sha(stream) == encoded
    if kwargs.get('header', True):
        result = sperr_decode(stream)
    else:
        result = sperr_decode(stream, shape=data.shape, dtype=data.dtype,
                              header=False)
    assert result.shape == data.shape and result.dtype == data.dtype
    assert sha(result) == decoded


# -- round trips --------------------------------------------------------------

@pytest.mark.parametrize('dtype', ('f4', 'f8'))
@pytest.mark.parametrize('shape', [(1, 1), (2, 3), (31, 17), (64, 64),
                                   (1, 5, 7), (3, 4, 5), (16, 17, 18)],
                         ids=str)
def test_point_wise_error(shape, dtype):
    data = random_array(shape, dtype, seed=2) * 10
    for level in (1.0, 1e-2, 1e-4):
        for mode in ('pwe', 'PWE', 3, SPERR.MODE.PWE):
            encoded = sperr_encode(data, level, mode)
            decoded = sperr_decode(encoded)
            assert decoded.dtype == dtype and decoded.shape == shape
            error = numpy.abs(decoded.astype('f8') - data.astype('f8'))
            assert error.max() <= level


@pytest.mark.parametrize('dtype', ('f4', 'f8'))
@pytest.mark.parametrize('data', [FIELD2, FIELD3], ids=('2d', '3d'))
def test_psnr_and_rate(data, dtype):
    data = data.astype(dtype)
    for level in (40, 80):
        decoded = sperr_decode(sperr_encode(data, level, 'psnr'))
        assert psnr(data, decoded) >= level - 0.5
    for bpp in (1, 4, 8):
        encoded = sperr_encode(data, bpp, SPERR.MODE.BPP)
        assert len(encoded) <= data.size * bpp / 8 + 128
        assert sperr_decode(encoded).shape == data.shape


@pytest.mark.parametrize('chunks', [None, (9, 17, 33), (4, 8, 16), (1, 1, 33),
                                    (2, 20, 5), (100, 100, 100)], ids=str)
def test_chunks(chunks):
    encoded = sperr_encode(FIELD3, 1e-3, 'pwe', chunks=chunks)
    # several chunks store their shape (x, y, z) in the header
    assert bool(encoded[1] & 0x10) == (
        chunks is not None and chunks not in ((9, 17, 33), (100, 100, 100)))
    assert numpy.abs(sperr_decode(encoded) - FIELD3).max() <= 1e-3


def test_constant_and_special_values():
    for data in (numpy.zeros((7, 8), 'f4'), numpy.full((3, 4, 5), -2.25)):
        numpy.testing.assert_array_equal(
            sperr_decode(sperr_encode(data, 0.1, 'pwe')), data)
    for data in (FIELD2.copy(), FIELD3.copy()):
        for value in (numpy.nan, numpy.inf, -numpy.inf):
            data.flat[7] = value
            with pytest.raises(SperrError):
                sperr_encode(data, 0.1, 'pwe')


@pytest.mark.parametrize('data', [FIELD2, FIELD3], ids=('2d', '3d'))
def test_unattainable_quality(data):
    # SPERR fails on these, crashing for 3-D data, or loops forever
    span = float(data.max() - data.min())
    with pytest.raises(ValueError):
        sperr_encode(data, span * 2.0 ** -52, 'pwe')
    with pytest.raises(ValueError):
        sperr_encode(data, 400, 'psnr')
    with pytest.raises(ValueError):
        sperr_encode(data.astype('f8') * 1e295, 1e290, 'pwe')
    decoded = sperr_decode(sperr_encode(data, span * 2.0 ** -40, 'pwe'))
    assert numpy.abs(decoded - data).max() <= span * 2.0 ** -40
    assert psnr(data, sperr_decode(sperr_encode(data, 240, 'psnr'))) > 200


def test_header_false():
    encoded = sperr_encode(FIELD2, 0.01, 'pwe', header=False)
    assert sperr_encode(FIELD2, 0.01, 'pwe')[10:] == encoded
    decoded = sperr_decode(encoded, shape=FIELD2.shape, dtype='f4',
                           header=False)
    assert numpy.abs(decoded - FIELD2).max() <= 0.01
    out = numpy.zeros_like(FIELD2)
    assert sperr_decode(encoded, header=False, out=out) is out
    numpy.testing.assert_array_equal(out, decoded)
    with pytest.raises(TypeError):
        sperr_decode(encoded, header=False)
    # 3-D streams always have a header
    encoded = sperr_encode(FIELD3, 0.01, 'pwe', header=False)
    assert encoded == sperr_encode(FIELD3, 0.01, 'pwe')
    decoded = sperr_decode(encoded, shape=FIELD3.shape, dtype='f8',
                           header=False)
    assert numpy.abs(decoded - FIELD3).max() <= 0.01


def test_input_layouts():
    expected = sperr_encode(FIELD2, 0.01, 'pwe')
    assert sperr_encode(FIELD2.astype('>f4'), 0.01, 'pwe') == expected
    assert sperr_encode(numpy.asfortranarray(FIELD2), 0.01, 'pwe') == (
        expected)
    strided = FIELD3[::2, :, ::3]
    assert numpy.abs(sperr_decode(sperr_encode(strided, 0.01, 'pwe'))
                     - strided).max() <= 0.01
    check_inputs(sperr_decode, expected, sperr_decode(expected).tobytes())


def test_numthreads():
    expected = sperr_encode(FIELD3, 0.01, 'pwe', chunks=(4, 8, 16))
    assert sperr_encode(FIELD3, 0.01, 'pwe', chunks=(4, 8, 16),
                        numthreads=4) == expected
    numpy.testing.assert_array_equal(sperr_decode(expected, numthreads=4),
                                     sperr_decode(expected))


def test_invalid_arguments():
    for dtype in ('f2', 'i4', 'u1', 'c8'):
        with pytest.raises(ValueError):
            sperr_encode(FIELD2.astype(dtype), 0.1, 'pwe')
    for shape in ((5,), (2, 3, 4, 5), (0, 4), (3, 0, 4)):
        with pytest.raises(ValueError):
            sperr_encode(numpy.zeros(shape, 'f4'), 0.1, 'pwe')
    for level, mode in ((0, 'pwe'), (-1, 'bpp'), (float('nan'), 'psnr'),
                        (1, 'rate'), (1, 0), (1, None)):
        with pytest.raises(ValueError):
            sperr_encode(FIELD2, level, mode)
    for chunks in ((0, 4, 4), (4, 4), (-1, 2, 2)):
        with pytest.raises(ValueError):
            sperr_encode(numpy.zeros((2, 3, 4)), 0.1, 'pwe', chunks=chunks)
    # longer than the axis: as long as the axis
    data = random_array((4, 3, 70), 'f4')
    assert sperr_encode(data, 0.1, 'pwe', chunks=(70000, 1, 10)) == (
        sperr_encode(data, 0.1, 'pwe', chunks=(4, 1, 10)))
    with pytest.raises(ValueError):
        sperr_decode(TINY_BPP, shape=(4, 5), dtype='i4', header=False)
    with pytest.raises(ValueError):
        sperr_decode(TINY_BPP, shape=(20,), dtype='f4', header=False)


# -- out= ---------------------------------------------------------------------

def test_encode_out():
    for data in (FIELD2, FIELD3):
        check_out(lambda data, **kwargs: sperr_encode(data, 0.01, 'pwe',
                                                      **kwargs),
                  data, sperr_encode(data, 0.01, 'pwe'), SperrError)


def test_decode_out():
    for data in (FIELD2, FIELD3):
        encoded = sperr_encode(data, 0.01, 'pwe')
        check_array_out(sperr_decode, encoded, sperr_decode(encoded),
                        SperrError)
    encoded = sperr_encode(FIELD2, 0.01, 'pwe', header=False)
    check_array_out(sperr_decode, encoded,
                    sperr_decode(encoded, shape=FIELD2.shape, dtype='f4',
                                 header=False),
                    SperrError, shape=FIELD2.shape, dtype='f4', header=False)
    with pytest.raises(ValueError):
        stream = bytearray(encoded)
        sperr_decode(stream, out=stream)


# -- damaged input ------------------------------------------------------------

@pytest.mark.parametrize('data, level, mode, kwargs', [
    (FIELD3, 0.01, 'pwe', {}),
    (FIELD3, 1e-3, 'pwe', {'chunks': (4, 8, 16)}),
    (FIELD3, 3, 'bpp', {'chunks': (5, 5, 5)}),
    (FIELD3.astype('f4'), 50, 'psnr', {}),
], ids=('pwe', 'chunks', 'bpp', 'psnr'))
def test_corrupt_3d(data, level, mode, kwargs):
    # the header's chunk lengths find every truncation
    encoded = sperr_encode(data, level, mode, **kwargs)
    check_corrupt(sperr_decode, encoded, SperrError, trials=150,
                  truncations=(0, 1, 13, 19, 40, len(encoded) // 2,
                               len(encoded) - 1))


@pytest.mark.parametrize('level, mode', [(0.01, 'pwe'), (1e-4, 'pwe'),
                                         (3, 'bpp'), (60, 'psnr')])
def test_corrupt_2d(level, mode):
    # 2-D streams are progressive: any prefix beyond the headers decodes
    # to a coarser approximation; shorter ones are errors
    encoded = sperr_encode(FIELD2, level, mode)
    check_corrupt(sperr_decode, encoded, SperrError, trials=150,
                  truncations=(0, 1, 9, 10, 26, 35))
    encoded = sperr_encode(FIELD2, level, mode, header=False)
    check_corrupt(sperr_decode, encoded, SperrError, trials=50,
                  truncations=(0, 16, 25), shape=FIELD2.shape, dtype='f4',
                  header=False)
    coarse = sperr_decode(encoded[:len(encoded) // 2], shape=FIELD2.shape,
                          dtype='f4', header=False)
    assert psnr(FIELD2, coarse) > 20


def test_hostile_headers():
    stream = bytearray(sperr_encode(FIELD3, 0.01, 'pwe', chunks=(4, 8, 16)))
    for offset, fmt, value in (
            (14, '<H', 0),  # zero chunk size: SPERR divides by zero
            (2, '<I', 0),
            (2, '<I', 0xFFFFFFFF),  # chunks beyond the header
            (20, '<I', 0xFFFFFFFF),  # chunk length
            (1, '<B', 0x40),  # one chunk said, several there
    ):
        damaged = bytearray(stream)
        struct.pack_into(fmt, damaged, offset, value)
        with pytest.raises(SperrError):
            sperr_decode(bytes(damaged))
    # 2-D header claiming 2**32 x 2**32 values
    damaged = bytearray(TINY_PWE)
    struct.pack_into('<II', damaged, 2, 0xFFFFFFFF, 0xFFFFFFFF)
    with pytest.raises(SperrError):
        sperr_decode(bytes(damaged))
    # a constant field whose value count does not match its shape
    damaged = bytearray(CONSTANT)
    struct.pack_into('<Q', damaged, 11, 1 << 40)
    with pytest.raises(SperrError):
        sperr_decode(bytes(damaged))
    # a SPECK stream stating 2**63 bits
    damaged = bytearray(TINY_PWE)
    struct.pack_into('<Q', damaged, 28, 1 << 63)
    with pytest.raises(SperrError):
        sperr_decode(bytes(damaged))


# run in a child process: the library crashed on some of these
DECODE_CHILD = """
import hashlib, sys
import imagecodecs
for stream in sys.argv[1:]:
    try:
        decoded = imagecodecs.sperr_decode(bytes.fromhex(stream))
    except imagecodecs.SperrError:
        print('SperrError')
    else:
        print(decoded.shape, hashlib.sha256(decoded.tobytes()).hexdigest())
"""


def decode_isolated(*streams) -> list:
    """Return 'SperrError' or the decoded shape and digest of each stream;
    a crash of the decoder fails."""
    result = run_isolated(DECODE_CHILD, *(s.hex() for s in streams))
    return result.stdout.decode().splitlines()


def speck_cut(data, bits, payload) -> bytes:
    """Return the stream of data (one chunk) cut after its SPECK header,
    which states bits, followed by payload."""
    stream = bytearray(sperr_encode(data, 0.01, 'pwe'))
    speck = 27 if data.ndim == 2 else 35  # stream header, conditioner
    stream = stream[:speck + 9] + payload
    struct.pack_into('<Q', stream, speck + 1, bits)
    if data.ndim == 3:  # the chunk's length
        struct.pack_into('<I', stream, 14, len(stream) - 18)
    return bytes(stream)


@pytest.mark.parametrize('data, bits, payload', [
    # no bits: SPERR 0.8.5 read its empty bit buffer through NULL
    (TINY, 0, b''), (FIELD2, 0, b''), (FIELD3, 0, b''),
    # all significant: the first sorting pass reads past the 64 bits
    # (without crashing; test_speck_missing_bits_valgrind sees it)
    (FIELD2, 64, b'\xff' * 8), (FIELD3, 64, b'\xff' * 8),
], ids=('tiny-0', '2d-0', '3d-0', '2d-64', '3d-64'))
def test_speck_missing_bits(data, bits, payload):
    # bits that a SPECK stream lacks read as 0, as they do for a stream
    # cut short (stating more bits than it holds)
    short = speck_cut(data, bits, payload)
    cut = speck_cut(data, 32 * data.size, payload)
    decoded, expected = decode_isolated(short, cut)
    assert expected != 'SperrError'
    assert decoded == expected


@pytest.mark.slow
@pytest.mark.skipif(shutil.which('valgrind') is None, reason='no valgrind')
def test_speck_missing_bits_valgrind():
    # where SPERR 0.8.5 read past its bit buffer without crashing
    stderr = run_isolated(DECODE_CHILD, speck_cut(FIELD2, 64, b'\xff' * 8).hex(),
                          prefix=('valgrind',), timeout=600).stderr.decode()
    # errors of SPERR's code, not of the interpreter
    errors = [error for error in re.split(r'\n==\d+== \n', stderr)
              if 'Invalid read' in error and 'sperr::' in error]
    assert not errors, errors[0]


def test_outlier_missing_bits():
    stream = sperr_encode(FIELD2, 0.01, 'pwe')
    speck = 27 + 9 + (struct.unpack_from('<Q', stream, 28)[0] + 7) // 8
    assert len(stream) - speck >= 9  # it has an outlier stream
    # an outlier stream of 5 bit planes and no bits: none corrected
    damaged = stream[:speck] + b'\x05' + bytes(8)
    decoded, expected = decode_isolated(damaged, stream[:speck])
    assert expected != 'SperrError'
    assert decoded == expected


@pytest.mark.parametrize('data', [
    b'', b'\x00', b'\x00\x20', bytes(9), bytes(10), bytes(30),
    b'\x00\x40' + bytes(12), b'\x01' + bytes(40),
], ids=repr)
def test_invalid(data):
    with pytest.raises(SperrError):
        sperr_decode(data)


def test_random_input():
    rng = numpy.random.default_rng(3)
    for size in range(0, 90, 2):
        for head in (b'', b'\x00\x20', b'\x00\x40', b'\x00\x50'):
            try:
                sperr_decode(head + rng.bytes(size))
            except SperrError:
                pass


# -- numcodecs ----------------------------------------------------------------

def test_numcodecs():
    numcodecs = pytest.importorskip('numcodecs')
    from imagecodecs.numcodecs import Sperr, register_codecs

    register_codecs(force=True, verbose=False)
    for kwargs in ({'level': 0.01, 'mode': 'pwe'},
                   {'level': 0.01, 'mode': 'pwe', 'header': False,
                    'shape': FIELD2.shape, 'dtype': 'f4'}):
        codec = numcodecs.get_codec(Sperr(**kwargs).get_config())
        assert isinstance(codec, Sperr)
        out = numpy.zeros_like(FIELD2)
        codec.decode(codec.encode(FIELD2), out=out)
        assert numpy.abs(out - FIELD2).max() <= 0.01


@pytest.mark.slow
def test_large():
    data = random_array((128, 256, 256), 'f8', seed=4)  # 64 MB
    encoded = sperr_encode(data, 1e-2, 'pwe', chunks=(64, 128, 128))
    assert numpy.abs(sperr_decode(encoded) - data).max() <= 1e-2
