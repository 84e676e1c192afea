# SPDX-License-Identifier: BSD-3-Clause
"""DICOMRLE codec (DICOM RLE Lossless, PS3.5 Annex G), decode only."""

import hashlib
import struct

import numpy
import pytest

from imagecodecs import (
    DICOMRLE, DicomrleError, dicomrle_check, dicomrle_decode,
    dicomrle_encode, dicomrle_version,
)
from harness import check_corrupt, check_inputs, check_out, require

pytestmark = pytest.mark.usefixtures('available')


@pytest.fixture
def available():
    require('dicomrle')


def packbits(data, maxrun=128):
    """Return a PackBits segment (G.3.1): runs of two or more equal bytes
    as -(count - 1) and the byte, other bytes as count - 1 and literals."""
    out = bytearray()
    literal = bytearray()
    i = 0

    def flush():
        while literal:
            out.append(len(literal[:128]) - 1)
            out.extend(literal[:128])
            del literal[:128]

    while i < len(data):
        j = i + 1
        while j < len(data) and data[j] == data[i] and j - i < maxrun:
            j += 1
        if j - i > 1:
            flush()
            out.extend((257 - (j - i), data[i]))
        else:
            literal.append(data[i])
        i = j
    flush()
    return bytes(out)


def frame(segments, pad=b'\x00'):
    """Return the header and segments, each padded to an even size."""
    segments = [s + pad if len(s) % 2 else s for s in segments]
    offsets, offset = [], 64
    for segment in segments:
        offsets.append(offset)
        offset += len(segment)
    header = [len(segments)] + offsets + [0] * (15 - len(segments))
    return struct.pack('<16I', *header) + b''.join(segments)


def encode(planes, **kwargs):
    """Return the frame of an array of sample planes (samples, pixels):
    one segment per byte of each sample, most significant first."""
    planes = numpy.asarray(planes)
    big = planes.astype(planes.dtype.newbyteorder('>'))
    nbytes = big.view('u1').reshape(planes.shape[0], -1, planes.itemsize)
    return frame([packbits(nbytes[s, :, b].tobytes())
                  for s in range(planes.shape[0])
                  for b in range(planes.itemsize)], **kwargs)


def as_output(planes, dtype):
    """Return what the decoder returns: the planes in dtype's order."""
    return numpy.asarray(planes).astype(dtype).tobytes()


def test_constants_and_stubs():
    assert DICOMRLE.available is True
    assert dicomrle_version().startswith('imcd')
    with pytest.raises(NotImplementedError, match='dicomrle_encode'):
        dicomrle_encode(numpy.zeros(4, 'u2'))


HEADER_1 = struct.pack('<16I', 1, 64, *[0] * 14)
HEADER_2 = struct.pack('<16I', 2, 64, 68, *[0] * 13)


@pytest.mark.parametrize('segment, decoded', [
    ('03 61626364 00', b'abcd'),          # literal of 4, pad byte
    ('fd 61', b'aaaa'),                   # repeat 1 - (-3) = 4 times
    ('ff 61 00 62', b'aab'),              # repeat of 2, literal of 1
    ('80 00 61 80 80 fe 62', b'abbb'),    # -128 is a no-op
    ('81 00', bytes(128)),                # the longest repeat
    ('7f' + '41' * 128, b'A' * 128),      # the longest literal
])
def test_decode_specification_codes(segment, decoded):
    data = HEADER_1 + bytes.fromhex(segment)
    assert dicomrle_decode(data, 'u1') == decoded


def test_decode_two_byte_samples():
    # segment 1 holds the high bytes, segment 2 the low bytes
    data = HEADER_2 + bytes.fromhex('01 0103 00 01 0204 00')
    assert dicomrle_decode(data, 'u2') == bytes.fromhex('0201 0403')
    assert dicomrle_decode(data, '<i2') == bytes.fromhex('0201 0403')
    assert dicomrle_decode(data, '>u2') == bytes.fromhex('0102 0304')
    # or two samples of one byte, returned plane by plane
    assert dicomrle_decode(data, 'u1') == bytes.fromhex('0103 0204')


DTYPES = ['u1', 'i1', 'u2', '>u2', 'i2', 'f2', 'u4', '>i4', 'f4', '>f4',
          'u8', '>f8']


@pytest.mark.parametrize('dtype, samples', [
    (dtype, samples) for dtype in DTYPES for samples in (1, 3)
    if numpy.dtype(dtype).itemsize * samples <= 15  # segments
])
@pytest.mark.parametrize('pixels', [1, 7, 1023, 1025, 5000])
def test_decode_encoded(dtype, samples, pixels):
    dtype = numpy.dtype(dtype)
    rng = numpy.random.default_rng(pixels)
    # runs and noise, crossing the decoder's steps of 1024 bytes
    # values < 2048 are exact in every dtype
    planes = numpy.repeat(rng.integers(0, 2048, (samples, pixels // 9 + 1)),
                          rng.integers(1, 300, pixels // 9 + 1), axis=1)
    planes = planes[:, :pixels] if planes.shape[1] >= pixels else \
        numpy.resize(planes, (samples, pixels))
    planes = planes.astype(dtype.str[1:])  # native order
    noise = rng.random((samples, pixels)) < 0.3
    planes[noise] = rng.integers(0, 100, noise.sum()).astype(planes.dtype)
    data = encode(planes)
    assert dicomrle_check(data)
    assert dicomrle_decode(data, dtype) == as_output(planes, dtype)


def test_long_runs():
    planes = numpy.zeros((1, 100_000), 'u2')
    planes[0, 50_000:] = 0x1234
    data = encode(planes)
    assert len(data) == 64 + 2 * 2 * 782  # 391 repeats per half
    assert dicomrle_decode(data, 'u2') == as_output(planes, 'u2')
    # runs of two, many short runs
    planes = numpy.repeat(numpy.arange(30_000, dtype='u2'), 2)[None]
    assert dicomrle_decode(encode(planes), 'u2') == as_output(planes, 'u2')


def test_pad_byte_and_noops():
    # a zero pad byte or a no-op ends a segment; other bytes there are
    # headers without their data
    assert dicomrle_decode(HEADER_1 + b'\xfea\x80', 'u1') == b'aaa'
    assert dicomrle_decode(HEADER_1 + b'\xfea\x00', 'u1') == b'aaa'
    with pytest.raises(DicomrleError):
        dicomrle_decode(HEADER_1 + b'\xfea\x03', 'u1')
    with pytest.raises(DicomrleError):
        dicomrle_decode(HEADER_1 + b'\xfea\xfe', 'u1')
    # a segment decoding to nothing
    assert dicomrle_decode(HEADER_1 + b'\x80\x80', 'u1') == b''


# sha256 of frames as the reference implementation decodes them
FRAMES = [
    ('u2', 1, (64, 64), '086e1955ad42ee4a'),
    ('>u2', 1, (64, 64), 'ed3ce5aee8facbf2'),
    ('u1', 3, (32, 48), '12b499f7afa380e7'),
    ('i4', 1, (40, 30), '0e9be1c04615547a'),
    ('u2', 3, (16, 1200), '7674b2b61ac2f197'),
]


def ct_like(shape, samples, dtype, seed=0):
    """Return sample planes of a smooth image with noise and a flat part."""
    rng = numpy.random.default_rng(seed)
    y, x = numpy.mgrid[:shape[0], :shape[1]]
    image = 1000 + 800 * numpy.sin(x / 30) * numpy.cos(y / 20)
    planes = numpy.stack([image * (s + 1) / samples for s in range(samples)])
    planes = planes + rng.normal(0, 8, planes.shape)
    planes[:, :shape[0] // 4] = 0
    dtype = numpy.dtype(dtype)
    info = numpy.iinfo(dtype)
    planes = numpy.clip(planes / 4096 * info.max, info.min, info.max)
    return planes.reshape(samples, -1).astype(dtype)


@pytest.mark.parametrize('dtype, samples, shape, digest', FRAMES)
def test_frames(dtype, samples, shape, digest):
    planes = ct_like(shape, samples, dtype)
    data = encode(planes)
    decoded = dicomrle_decode(data, dtype)
    assert decoded == as_output(planes, dtype)
    assert hashlib.sha256(decoded).hexdigest()[:16] == digest


def test_out_and_inputs():
    planes = ct_like((40, 50), 1, 'u2')
    data = encode(planes)
    expected = as_output(planes, 'u2')
    check_out(dicomrle_decode, data, expected, DicomrleError, dtype='u2')
    check_inputs(dicomrle_decode, data, expected, dtype='u2')


def test_check():
    data = encode(ct_like((8, 8), 3, 'u1'))
    assert dicomrle_check(data) is True
    assert dicomrle_check(bytearray(data)) is True
    assert dicomrle_check(numpy.frombuffer(data, 'u1')) is True
    for bad in [b'', data[:63], b'\x00' * 64,
                struct.pack('<16I', 16, *range(64, 124, 4)) + b'\0' * 64,
                struct.pack('<16I', 1, 66, *[0] * 14) + b'\0' * 8,
                struct.pack('<16I', 2, 64, 64, *[0] * 13) + b'\0' * 8,
                struct.pack('<16I', 2, 68, 64, *[0] * 13) + b'\0' * 8,
                struct.pack('<16I', 1, 64, *[0] * 14)]:
        assert dicomrle_check(bad) is False, bad[:8]


@pytest.mark.parametrize('header', [
    (0,),                      # no segments
    (16,) + tuple(range(64, 124, 4)),
    (1, 60),                   # the first offset must be 64
    (2, 64, 64),               # an empty segment
    (2, 64, 1000),             # an offset past the end
    (2, 64, 2 ** 31 + 66),     # one that crashes the reference
    (3, 64, 70, 66),           # offsets must increase
])
def test_invalid_headers(header):
    data = struct.pack('<16I', *(header + (0,) * (16 - len(header))))
    with pytest.raises(DicomrleError, match='header'):
        dicomrle_decode(data + b'\xfea' * 8, 'u1')


def test_segments_of_different_sizes():
    # shorter and longer second segments, near and past the steps
    for size in (4, 1000, 3000):
        for other in (size - 1, size + 1, size + 1024, 1):
            data = frame([packbits(bytes(size)), packbits(b'\1' * other)])
            with pytest.raises(DicomrleError):
                dicomrle_decode(data, 'u2')
            with pytest.raises(DicomrleError):
                dicomrle_decode(data, 'u1')


def test_dtype_must_match_segments():
    data = encode(ct_like((8, 8), 3, 'u1'))
    for dtype in ('u2', 'u4', 'u8', 'V0'):
        with pytest.raises(DicomrleError, match='segments'):
            dicomrle_decode(data, dtype)


def test_corrupt():
    planes = ct_like((30, 40), 1, 'u2')
    # without pad bytes, so that cutting the last byte cuts data
    data = encode(planes, pad=b'')
    check_corrupt(dicomrle_decode, data, DicomrleError,
                  truncations=(0, 63, 64, 70, len(data) // 2,
                               len(data) - 1),
                  trials=500, dtype='u2')
    rng = numpy.random.default_rng(1)
    for _ in range(300):
        damaged = bytearray(data)
        for pos in rng.integers(0, 64, 2):
            damaged[pos] ^= int(rng.integers(1, 256))
        try:
            dicomrle_decode(bytes(damaged), 'u2')
        except DicomrleError:
            pass
