# SPDX-License-Identifier: BSD-3-Clause
"""LERC codec: LERC2 blobs, masks, zstd and deflate wrapping, LERC1."""

import hashlib
import shutil
import struct
import subprocess
import zlib

import numpy
import pytest

import imagecodecs
from imagecodecs import (
    LercError, lerc_check, lerc_decode, lerc_encode, lerc_version,
)
from harness import (
    check_array_out, check_corrupt, check_inputs, check_out, random_array,
    require, run_isolated,
)

pytestmark = pytest.mark.usefixtures('available')


@pytest.fixture
def available():
    require('lerc')


DTYPES = ('u1', 'i1', 'u2', 'i2', 'u4', 'i4', 'f4', 'f8')
IMAGE = random_array((20, 30), 'f4', seed=2)


def sha(data) -> str:
    return hashlib.sha256(bytes(memoryview(data).cast('B'))).hexdigest()[:16]


def smooth(shape, dtype, seed=0):
    """Return image-like data of the dtype (LERC's use)."""
    data = random_array(shape, 'f8', seed=seed) * 20 + 50
    if numpy.dtype(dtype).kind != 'f':
        info = numpy.iinfo(dtype)
        data = data.clip(info.min, info.max)
    return data.astype(dtype)


def test_version_and_check():
    assert lerc_version() == 'lerc 4.0.0'
    assert lerc_check(lerc_encode(IMAGE))
    assert lerc_check(b'CntZImage \x0b\x00')
    assert not lerc_check(b'Lerc')
    assert not lerc_check(lerc_encode(IMAGE, compression='zstd'))


# -- sample files (Esri's test data) -----------------------------------------

# name: shape, dtype, valid pixels, sha256 of image and masks (prefixes),
# one pixel (at a third of each axis), minimum, maximum; as decoded by the
# reference package
SAMPLES = {
    'bluemarble_256_256_3_byte.lerc2': (
        (3, 256, 256), 'u1', 43008, '4763435eb56d2b71', 'a14565aa1f979828',
        5, 0, 255),
    'california_400_400_1_float.lerc2': (
        (400, 400), 'f4', 58515, '61e4aa3ffeeccb06', 'f210425517b3942e',
        141.97746, -82.97209, 4080.6138),
    'world.lerc1': (
        (257, 257), 'f4', 65025, '7c528ebf2c7b3a93', '116575321a4e3be0',
        424.4, -27.458635, 5474.173),
    'zstd.lerc2': (
        (512, 512, 3), 'u1', None, '035215ddba1c8e20', None, 82, 0, 255),
}


@pytest.mark.parametrize('name', SAMPLES)
def test_samples(samples, name):
    shape, dtype, nvalid, image_sha, masks_sha, pixel, low, high = (
        SAMPLES[name])
    data = (samples / 'lerc' / name).read_bytes()
    image, masks = lerc_decode(data, masks=True)
    assert image.shape == shape and image.dtype == dtype
    assert sha(image) == image_sha
    assert image[tuple(n // 3 for n in shape)] == numpy.array(pixel, dtype)
    assert image.min() == numpy.array(low, dtype)
    assert image.max() == numpy.array(high, dtype)
    if nvalid is None:
        assert masks is None
    else:
        assert masks.dtype == bool and masks.shape == shape[-2:]
        assert int(masks.sum()) == nvalid and sha(masks) == masks_sha
        assert not image[..., ~masks].any()  # invalid pixels are zero
    numpy.testing.assert_array_equal(lerc_decode(data), image)


def test_sample_reencoded(samples):
    image, masks = lerc_decode(
        (samples / 'lerc' / 'california_400_400_1_float.lerc2').read_bytes(),
        masks=True)
    decoded, valid = lerc_decode(lerc_encode(image, masks=masks),
                                 masks=True)
    numpy.testing.assert_array_equal(valid, masks)
    numpy.testing.assert_array_equal(decoded, image)


# -- round trips --------------------------------------------------------------

@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape, planar, decoded', [
    ((31,), None, (1, 31)),
    ((7, 33), None, (7, 33)),
    ((3, 5, 4), False, (3, 5, 4)),
    ((3, 5, 4), True, (3, 5, 4)),
    ((2, 3, 4, 5), None, (2, 3, 4, 5)),
    ((1, 1), None, (1, 1)),
], ids=str)
def test_lossless(shape, planar, decoded, dtype):
    for data in (smooth(shape, dtype), random_array(shape, dtype, seed=1)):
        encoded = lerc_encode(data, planar=planar)
        assert lerc_check(encoded)
        result = lerc_decode(encoded)
        assert result.dtype == dtype and result.shape == decoded
        numpy.testing.assert_array_equal(result.reshape(shape), data)


@pytest.mark.parametrize('version', [2, 3, 4, 5, 6])
@pytest.mark.parametrize('dtype', DTYPES)
def test_versions(version, dtype):
    data = smooth((17, 23), dtype)
    encoded = lerc_encode(data, version=version)
    assert struct.unpack_from('<i', encoded, 6)[0] == version
    numpy.testing.assert_array_equal(lerc_decode(encoded), data)
    if version >= 4:  # values per pixel need LERC2 version 4
        data = smooth((5, 6, 3), dtype)
        numpy.testing.assert_array_equal(
            lerc_decode(lerc_encode(data, version=version)), data)
    else:
        with pytest.raises(LercError):
            lerc_encode(smooth((5, 6, 3), dtype), version=version)


@pytest.mark.parametrize('level', [0.5, 2.0, 10.0])
@pytest.mark.parametrize('dtype', DTYPES)
def test_error_bound(level, dtype):
    data = smooth((40, 50), dtype, seed=3)
    if dtype[0] == 'f':
        data = data * 7.3
    encoded = lerc_encode(data, level=level)
    decoded = lerc_decode(encoded)
    error = numpy.abs(decoded.astype('f8') - data.astype('f8')).max()
    assert error <= level * (1 + 1e-6)
    if dtype[0] == 'f':
        assert len(encoded) < len(lerc_encode(data))


def test_error_bound_range():
    data = (IMAGE * 1e6).astype('f8')
    for level in (1e-3, 1.0, 1e3):
        error = numpy.abs(lerc_decode(lerc_encode(data, level=level)) - data)
        assert error.max() <= level


def test_input_types():
    data = smooth((8, 9), 'u2')
    encoded = lerc_encode(data)
    assert lerc_encode(data.astype('>u2')) == encoded
    assert lerc_encode(numpy.asfortranarray(data)) == encoded
    assert lerc_encode(memoryview(data)) == encoded
    check_inputs(lerc_decode, encoded, data.tobytes())


def test_invalid_arguments():
    with pytest.raises(ValueError):
        lerc_encode(numpy.zeros((3, 3), 'i8'))
    with pytest.raises(ValueError):
        lerc_encode(numpy.zeros((3, 3), 'f2'))
    with pytest.raises(ValueError):
        lerc_encode(numpy.zeros((1, 2, 3, 4, 5), 'u1'))
    with pytest.raises(LercError):
        lerc_encode(IMAGE, version=1)
    with pytest.raises(LercError):  # LERC encodes no empty rasters
        lerc_encode(numpy.zeros((0, 3), 'u1'))


# -- masks --------------------------------------------------------------------

def test_masks():
    masks = random_array((20, 30), 'u1', seed=4) > 60
    encoded = lerc_encode(IMAGE, masks=masks)
    image, valid = lerc_decode(encoded, masks=True)
    numpy.testing.assert_array_equal(valid, masks)
    numpy.testing.assert_array_equal(image[masks], IMAGE[masks])
    assert not image[~masks].any()  # invalid pixels are zero
    numpy.testing.assert_array_equal(lerc_decode(encoded), image)
    numpy.testing.assert_array_equal(lerc_decode(encoded, masks=False),
                                     image)
    # into given arrays, the image's invalid pixels zeroed
    out = numpy.full_like(IMAGE, 7.0)
    given = numpy.zeros((20, 30), bool)
    result, valid = lerc_decode(encoded, masks=given, out=out)
    assert result is out and valid is given
    numpy.testing.assert_array_equal(given, masks)
    numpy.testing.assert_array_equal(out, image)
    with pytest.raises(LercError):
        lerc_decode(encoded, masks=numpy.zeros((20, 29), bool))


def test_masks_per_band():
    data = smooth((3, 10, 12, 2), 'u2')
    masks = random_array((3, 10, 12), 'u1', seed=5) > 80
    encoded = lerc_encode(data, masks=masks)
    image, valid = lerc_decode(encoded, masks=True)
    assert valid.shape == (3, 10, 12)
    numpy.testing.assert_array_equal(valid, masks)
    numpy.testing.assert_array_equal(image[masks], data[masks])
    assert not image[~masks].any()
    # the reference package's blob of the same data
    assert len(encoded) == 810 and sha(encoded) == '3a81e48b8c514ae1'


def test_masks_absent_and_invalid():
    image, valid = lerc_decode(lerc_encode(IMAGE), masks=True)
    assert valid is None
    with pytest.raises(ValueError):
        lerc_encode(IMAGE, masks=numpy.ones((20, 30), 'u1'))
    with pytest.raises(ValueError):
        lerc_encode(IMAGE, masks=numpy.ones((20, 31), bool))
    all_invalid = lerc_encode(IMAGE, masks=numpy.zeros((20, 30), bool))
    image, valid = lerc_decode(all_invalid, masks=True)
    assert not valid.any() and not image.any()


# -- reference interop --------------------------------------------------------

# the reference package's blob of numpy.arange(6, dtype='u1').reshape(2, 3)
SMALL = bytes.fromhex(
    '4c6572633220040000008b622f0c020000000300000001000000060000000800'
    '00004f00000001000000000000000000e03f0000000000000000000000000000'
    '144000000000000501000102030405')


def test_reference_blob():
    data = numpy.arange(6, dtype='u1').reshape(2, 3)
    assert lerc_encode(data) == SMALL
    numpy.testing.assert_array_equal(lerc_decode(SMALL), data)


@pytest.mark.parametrize('kwargs, size, digest', [
    # the reference package's blobs of IMAGE
    ({}, 2479, '804e06e06701cbfa'),
    ({'level': 0.1}, 625, '35deb94d1a21dad0'),
    ({'version': 2}, 2463, '3e56e682b9b16e3b'),
    ({'version': 3}, 2467, 'b32af126c99b50de'),
    ({'version': 6}, 2174, 'ed684f1a504dcfc7'),
])
def test_reference_blobs(kwargs, size, digest):
    encoded = lerc_encode(IMAGE, **kwargs)
    assert len(encoded) == size and sha(encoded) == digest


def test_deterministic():
    # LERC leaves some bytes of byte-image blobs unwritten
    data = (IMAGE * 10).astype('u1')
    expected = lerc_encode(data, version=3)
    for fill in (0xAA, 0x55):
        buffer = bytearray([fill]) * (len(expected) + 9)
        assert lerc_encode(data, version=3, out=buffer) == expected


# run in child processes, each after freeing heap blocks of other sizes
# and contents
ENCODE_CHILD = """
import sys
import numpy
import imagecodecs
fill, step, top = (int(arg) for arg in sys.argv[1:])
data = numpy.frombuffer(sys.stdin.buffer.read(), 'f4').reshape(20, 30)
garbage = [bytes([fill]) * size for size in range(step, top, step)]
del garbage
sys.stdout.buffer.write(imagecodecs.lerc_encode(data, version=6))
"""


def test_deterministic_huffman_float():
    # LERC 4.0.0 left the last word of Huffman coded byte planes (version
    # 6 float data) unwritten: heap contents in the blob and its checksum
    blobs = {lerc_encode(IMAGE, version=6)}
    for args in ((0, 1, 2), (0xA5, 37, 4096), (0x5A, 61, 4096),
                 (0xFF, 997, 1 << 17)):
        blobs.add(run_isolated(ENCODE_CHILD, *map(str, args),
                               stdin=IMAGE.tobytes()).stdout)
    assert len(blobs) == 1, sorted(blob[-4:].hex() for blob in blobs)
    (blob,) = blobs
    assert blob[2170:] == bytes(4)  # the last plane's read-ahead word
    numpy.testing.assert_array_equal(lerc_decode(blob), IMAGE)


# -- zstd and deflate wrapping ------------------------------------------------

def test_deflate():
    blob = lerc_encode(IMAGE)
    wrapped = lerc_encode(IMAGE, compression='deflate')
    assert wrapped[:2] == b'\x78\x9c' and zlib.decompress(wrapped) == blob
    best = lerc_encode(IMAGE, compression='deflate',
                       compressionargs={'level': 9})
    assert zlib.decompress(best) == blob
    numpy.testing.assert_array_equal(lerc_decode(wrapped), IMAGE)
    for level in (1, 6, 9):  # Python's zlib stream decodes
        numpy.testing.assert_array_equal(
            lerc_decode(zlib.compress(blob, level)), IMAGE)


def test_zstd():
    blob = lerc_encode(IMAGE)
    wrapped = lerc_encode(IMAGE, compression='zstd')
    assert wrapped[:4] == b'\x28\xb5\x2f\xfd'
    # the reference package's zstd frame
    assert len(wrapped) == 2341 and sha(wrapped) == 'd45b42fd38ec0d30'
    numpy.testing.assert_array_equal(lerc_decode(wrapped), IMAGE)
    assert imagecodecs.zstd_decode(wrapped) == blob
    for args in ({'level': 1}, {'level': 19}, {'numthreads': 2}):
        numpy.testing.assert_array_equal(
            lerc_decode(lerc_encode(IMAGE, compression='zstd',
                                    compressionargs=args)), IMAGE)


@pytest.mark.skipif(shutil.which('zstd') is None, reason='no zstd tool')
def test_zstd_tool(tmp_path):
    blob = lerc_encode(IMAGE)
    wrapped = lerc_encode(IMAGE, compression='zstd')
    result = subprocess.run(['zstd', '-d', '-c'], input=wrapped,
                            capture_output=True, check=True)
    assert result.stdout == blob
    # a frame without content size, as a stream writes it
    result = subprocess.run(['zstd', '-c', '-'], input=blob,
                            capture_output=True, check=True)
    numpy.testing.assert_array_equal(lerc_decode(result.stdout), IMAGE)


def test_compression_arguments():
    with pytest.raises(ValueError):
        lerc_encode(IMAGE, compression='lzma')
    with pytest.raises(TypeError):
        lerc_encode(IMAGE, compression='zstd', compressionargs={'foo': 1})
    with pytest.raises(TypeError):
        lerc_encode(IMAGE, compression='deflate',
                    compressionargs={'numthreads': 2})


# -- out= ---------------------------------------------------------------------

@pytest.mark.parametrize('compression', [None, 'zstd', 'deflate'])
def test_encode_out(compression):
    expected = lerc_encode(IMAGE, compression=compression)
    check_out(lambda data, **kwargs: lerc_encode(
        data, compression=compression, **kwargs), IMAGE, expected, LercError)


def test_encode_out_grows():
    # random doubles: the blob exceeds the raw size
    data = random_array((3, 64, 64), 'u1', seed=6).view('i1')
    encoded = lerc_encode(data, planar=True)
    numpy.testing.assert_array_equal(lerc_decode(encoded), data)


def test_decode_out():
    check_array_out(lerc_decode, lerc_encode(IMAGE), IMAGE, LercError)
    data = smooth((3, 5, 4), 'u2')
    check_array_out(lerc_decode, lerc_encode(data), data, LercError)
    with pytest.raises(ValueError):
        blob = bytearray(lerc_encode(IMAGE))
        lerc_decode(blob, out=blob)


# -- damaged input ------------------------------------------------------------

@pytest.mark.parametrize('kwargs', [
    {}, {'version': 2}, {'version': 6}, {'level': 0.5, 'version': 2},
    {'compression': 'zstd'}, {'compression': 'deflate'},
], ids=str)
def test_corrupt(kwargs):
    masks = random_array((20, 30), 'u1', seed=7) > 30
    encoded = lerc_encode(IMAGE, masks=masks, **kwargs)
    check_corrupt(lerc_decode, encoded, LercError, trials=200)
    check_corrupt(lerc_decode, encoded, LercError, trials=50, masks=True)


def test_corrupt_lerc1(samples):
    data = (samples / 'lerc' / 'world.lerc1').read_bytes()
    check_corrupt(lerc_decode, data, LercError, trials=300,
                  truncations=(0, 9, 10, 60, 1622, len(data) // 2,
                               len(data) - 1))


def test_hostile_lerc1(samples):
    data = (samples / 'lerc' / 'world.lerc1').read_bytes()
    # the z part's tile counts (at 1622) and byte count: zero tiles make
    # the library divide by zero, byte counts move its pointer anywhere
    for offset, value in ((1622, 0), (1626, 0), (1622, -1), (1622, 1 << 30),
                          (1630, -8), (1630, 1 << 30), (42, 1 << 30),
                          (18, 0), (22, 30000)):
        damaged = bytearray(data)
        struct.pack_into('<i', damaged, offset, value)
        with pytest.raises(LercError):
            lerc_decode(bytes(damaged))


def test_hostile_size():
    # a version 2 blob (no checksum) claiming 2**20 x 2**20 pixels
    encoded = bytearray(lerc_encode(numpy.zeros((4, 4), 'f4'), version=2))
    struct.pack_into('<ii', encoded, 10, 1 << 20, 1 << 20)
    with pytest.raises(LercError):
        lerc_decode(bytes(encoded))
    # a zstd frame claiming more than zstd expands
    frame = bytearray(imagecodecs.zstd_encode(lerc_encode(IMAGE)))
    with pytest.raises(LercError):
        lerc_decode(bytes(frame[:4]) + b'\xe0\xff\xff\xff\xff\xff\xff\xff'
                    + bytes(frame[5:]))


# -- crafted blobs with valid checksums -------------------------------------

def fletcher32(data) -> int:
    """Return LERC2's checksum: Fletcher-32 of big-endian byte pairs."""
    data = bytes(data)
    sum1 = sum2 = 0xFFFF
    for start in range(0, len(data) - 1, 718):  # 359 pairs between folds
        for i in range(start, min(start + 718, len(data) - 1), 2):
            sum1 += (data[i] << 8) + data[i + 1]
            sum2 += sum1
        sum1 = (sum1 & 0xFFFF) + (sum1 >> 16)
        sum2 = (sum2 & 0xFFFF) + (sum2 >> 16)
    if len(data) & 1:
        sum1 += data[-1] << 8
        sum2 += sum1
    sum1 = (sum1 & 0xFFFF) + (sum1 >> 16)
    sum2 = (sum2 & 0xFFFF) + (sum2 >> 16)
    return (sum2 << 16 | sum1) & 0xFFFFFFFF


def lerc2_blob(body, version=4, depth=1, level=1.0) -> bytes:
    """Return a checksummed LERC2 blob of 8 x 8 valid float32 pixels in
    [0, 63]: header, no mask, then body (per band ranges and tiles)."""
    ints = [8, 8] + ([depth] if version >= 4 else []) + [64, 8, 0, 6]
    ints += [0] if version >= 6 else []  # more blobs
    dbls = [level, 0, 63] + ([0, 0] if version >= 6 else [])  # no data
    blob = bytearray(
        b'Lerc2 ' + struct.pack('<iI', version, 0)
        + struct.pack(f'<{len(ints)}i', *ints)
        + bytes(4 if version >= 6 else 0)  # flags
        + struct.pack(f'<{len(dbls)}d', *dbls) + bytes(4) + body)
    # the blob size, the first 0 of the integers
    struct.pack_into('<i', blob, 14 + 4 * ints.index(0), len(blob))
    struct.pack_into('<I', blob, 10, fletcher32(blob[14:]))
    return bytes(blob)


# run in a child process: the library crashed on these
DECODE_CHILD = """
import sys
import imagecodecs
try:
    imagecodecs.lerc_decode(sys.stdin.buffer.read())
except imagecodecs.LercError:
    print('LercError')
else:
    print('decoded')
"""


def decode_isolated(blob) -> str:
    """Return 'LercError' or 'decoded'; a crash of the decoder fails."""
    return run_isolated(DECODE_CHILD, stdin=blob).stdout.decode().strip()


def test_crafted_blob():
    # the crafted layout and checksum are the library's
    encoded = lerc_encode(numpy.arange(64, dtype='f4').reshape(8, 8),
                          level=1, version=4)
    assert lerc2_blob(encoded[70:]) == encoded
    assert fletcher32(encoded[14:]) == struct.unpack_from('<I', encoded,
                                                          10)[0]


# a band's range, 0 to 63, and a flag: not in one sweep (tiles or Huffman)
RANGES = struct.pack('<ff', 0, 63) + b'\x00'
# one bit-stuffed tile: flag (values as integers, offset as a byte),
# offset 0, then the values: bit count (counted by a byte), count, bits
TILE = b'\x81\x00'


@pytest.mark.parametrize('version, depth, tile, result', [
    # 64 values, as many as valid pixels
    (4, 1, TILE + b'\x81\x40' + bytes(8), 'decoded'),
    # values stated but none stored (bit count 0): LERC 4.0.0 read them
    # through NULL
    (4, 1, TILE + b'\x80\x01', 'LercError'),
    (4, 1, TILE + b'\x80\x40', 'LercError'),
    # 40 values for 64 pixels: read past the values
    (4, 1, TILE + b'\x81\x28' + bytes(5), 'LercError'),
    # a lookup table of 2 values (and the implicit 0) indexed by 2 bits:
    # index 1, then index 3, beyond the table
    (4, 1, TILE + b'\xa1\x40\x03\x80' + b'\x55' * 16, 'decoded'),
    (4, 1, TILE + b'\xa1\x40\x03\x80' + b'\xff' * 16, 'LercError'),
    # 2 values per pixel, the second as differences to the first (version
    # 5): the first band's tile constant 0
    (5, 2, b'\x83\x00' + b'\x85\x00\x81\x40' + bytes(8), 'decoded'),
    (5, 2, b'\x83\x00' + b'\x85\x00\x80\x01', 'LercError'),
], ids=('valid', 'no-values', 'no-values-64', 'fewer-values', 'lut',
        'lut-index', 'diff', 'diff-no-values'))
def test_hostile_tiles(version, depth, tile, result):
    ranges = RANGES if depth == 1 else struct.pack('<ffff', 0, 0, 63, 63)
    if depth > 1:
        ranges += b'\x00'
    assert decode_isolated(lerc2_blob(ranges + tile, version, depth)) == (
        result)


def huffman_blob(*planes, prefix=None):
    """Return a version 6 float32 blob of Huffman coded byte planes."""
    # then the mode (3: Huffman of byte planes) and the predictor
    body = RANGES + b'\x03' + (b'\x00' if prefix is None else prefix)
    for index, plane in planes:  # byte index, difference order, size, data
        body += struct.pack('<BBI', index, 0, len(plane)) + plane
    return lerc2_blob(body, 6, level=0)


RLE = b'\x01\x07' + struct.pack('<I', 64)  # 64 bytes of 7
AS_IS = b'\x02' + bytes(range(64))


@pytest.mark.parametrize('planes, result', [
    # each plane: run length, or as is
    ([RLE] * 4, 'decoded'),
    ([AS_IS] * 4, 'decoded'),
    # 1 byte as is for 64: read past it
    ([b'\x02'] + [RLE] * 3, 'LercError'),
    # a Huffman code table of version 0: the plane fails; LERC 4.0.0 used
    # it anyway, through NULL
    ([b'\x00' + bytes(16)] * 4, 'LercError'),
    # PackBits runs beyond the plane (written past it) or short of it: an
    # uncaught exception aborted
    ([b'\x03' + b'\xff\x00' * 200] * 4, 'LercError'),
    ([b'\x03\x00\x00'] * 4, 'LercError'),
    # PackBits literal run beyond the input
    ([b'\x03\x7f\x00'] + [RLE] * 3, 'LercError'),
    # an empty plane
    ([b''] * 4, 'LercError'),
], ids=('rle', 'as-is', 'as-is-short', 'huffman-table', 'packbits-long',
        'packbits-short', 'packbits-input', 'empty'))
def test_hostile_huffman(planes, result):
    blob = huffman_blob(*enumerate(planes))
    assert decode_isolated(blob) == result


def test_hostile_huffman_layout():
    # byte planes given twice leave others undecoded
    assert decode_isolated(huffman_blob(*[(0, RLE)] * 4)) == 'LercError'
    assert decode_isolated(huffman_blob(*[(i % 3, RLE) for i in range(4)])) \
        == 'LercError'
    # the blob ends before the predictor: read past it
    assert decode_isolated(huffman_blob(prefix=b'')) == 'LercError'
    # the blob ends after the predictor
    assert decode_isolated(huffman_blob()) == 'LercError'


@pytest.mark.parametrize('data', [
    b'', b'L', b'Lerc2 ', b'CntZImage', b'CntZImage \x0b\x00\x00\x00',
    b'\x28\xb5\x2f\xfd', b'\x78\x9c', zlib.compress(b'not a lerc blob'),
    bytes(64),
], ids=repr)
def test_invalid(data):
    with pytest.raises(LercError):
        lerc_decode(data)


# -- numcodecs ----------------------------------------------------------------

def test_numcodecs():
    numcodecs = pytest.importorskip('numcodecs')
    from imagecodecs.numcodecs import Lerc, register_codecs

    register_codecs(force=True, verbose=False)
    for kwargs in ({}, {'level': 0.01, 'compression': 'zstd'},
                   {'compression': 'deflate',
                    'compressionargs': {'level': 9}}):
        codec = numcodecs.get_codec(Lerc(**kwargs).get_config())
        assert isinstance(codec, Lerc)
        encoded = codec.encode(IMAGE)
        out = numpy.zeros_like(IMAGE)
        codec.decode(encoded, out=out)
        assert numpy.abs(out - IMAGE).max() <= kwargs.get('level', 0)


@pytest.mark.slow
def test_large():
    data = random_array((4096, 4096), 'f4', seed=8)  # 64 MB
    numpy.testing.assert_array_equal(lerc_decode(lerc_encode(data)), data)
    decoded = lerc_decode(lerc_encode(data, level=0.01,
                                      compression='zstd'))
    # plus the rounding of float32 values up to 200
    assert numpy.abs(decoded - data.astype('f8')).max() <= 0.01 + 2e-5
