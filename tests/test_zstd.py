# SPDX-License-Identifier: BSD-3-Clause
"""ZSTD codec, checked against the zstd command line tool if present."""

import hashlib
import struct
import subprocess

import numpy
import pytest

from imagecodecs import ZstdError, zstd_check, zstd_decode, zstd_encode
from harness import (
    FLOAT_DTYPES, INT_DTYPES, PAYLOADS, check_bounded_allocation,
    check_command_line_tool, check_compressor, check_corrupt,
    check_numcodecs, random_array, require,
)


@pytest.fixture(autouse=True)
def available():
    require('zstd')


DATA = PAYLOADS['text']
MAGIC = b'\x28\xb5\x2f\xfd'

# zstd_stream.bin: one frame without a content size (zstd -l: window
# 4 MiB, no checksum); its content as decoded by the zstd 1.5 tool
STREAM_SIZE = 1310720
STREAM_SHA256 = (
    '1dc04a62202c8f56269bd793b91ddf994eabce39f9095a3f1576607f05615cc8'
)


def skippable_frame(payload, nibble=0):
    """Return a skippable frame (RFC 8878, 3.1.2) holding payload."""
    return struct.pack('<II', 0x184D2A50 + nibble, len(payload)) + payload


def frame_claiming(size):
    """Return a frame header claiming `size` bytes, with one empty block.

    Frame header descriptor 0xE0: 8-byte content size, single segment.
    """
    return MAGIC + b'\xe0' + struct.pack('<Q', size) + b'\x01\x00\x00'


def open_frame_blocks(count):
    """Yield a frame without content size of `count` RLE zero blocks."""
    yield MAGIC + b'\x00\x58'  # no content size, window 2**(10+11)
    rle = (131072 << 3) | (1 << 1)  # block size, type RLE, not last
    for i in range(count):
        yield struct.pack('<I', rle | (i == count - 1))[:3] + b'\x00'


def test_compressor():
    check_compressor(zstd_encode, zstd_decode, ZstdError,
                     levels=(None, -131072, -5, 0, 1, 3, 9, 22))


def test_levels_are_clamped_to_the_library_range():
    data = DATA[:100_000]
    assert zstd_encode(data, level=0) == zstd_encode(data)  # default 3
    assert zstd_encode(data, level=3) == zstd_encode(data)
    assert zstd_encode(data, level=99) == zstd_encode(data, level=22)
    assert zstd_encode(data, level=-10**9) == zstd_encode(
        data, level=-131072)
    # the fast negative levels compress less than the default, 19 more
    assert len(zstd_encode(data, level=-5)) > len(zstd_encode(data))
    assert len(zstd_encode(data, level=19)) < len(zstd_encode(data))


def test_frame_header():
    encoded = zstd_encode(DATA)
    assert zstd_check(encoded) and encoded[:4] == MAGIC
    assert not zstd_check(b'\x28\xb5\x2f') and not zstd_check(b'')
    # the content size is recorded: the decoder can allocate exactly
    empty = zstd_encode(b'')
    assert zstd_decode(empty) == b'' and zstd_decode(b'') == b''
    assert zstd_decode(zstd_encode(b'\x00')) == b'\x00'


@pytest.mark.parametrize('dtype', INT_DTYPES + FLOAT_DTYPES)
def test_dtypes(dtype):
    data = random_array((7, 33), dtype)
    assert zstd_decode(zstd_encode(data)) == data.tobytes()
    strided = random_array((8, 40), dtype)[::2, ::3]
    assert zstd_decode(zstd_encode(strided, level=1)) == strided.tobytes()


def test_out_exact_size_is_filled_in_place():
    encoded = zstd_encode(DATA)
    for out in (bytearray(len(DATA)), numpy.empty(len(DATA), 'u1')):
        assert zstd_decode(encoded, out=out) is out
        assert bytes(out) == DATA
    with pytest.raises(ZstdError):
        zstd_decode(encoded, out=numpy.empty(len(DATA) - 1, 'u1'))


def test_stream_without_content_size(samples):
    path = samples / 'zstd_stream.bin'
    if not path.exists():
        pytest.skip(f'{path} not found')
    encoded = path.read_bytes()
    decoded = zstd_decode(encoded)
    assert len(decoded) == STREAM_SIZE
    assert hashlib.sha256(decoded).hexdigest() == STREAM_SHA256
    # the output grows from a guess; fixed outputs are limits
    assert zstd_decode(encoded, out=bytearray) == decoded
    out = bytearray(STREAM_SIZE + 3)
    assert zstd_decode(encoded, out=out) == decoded
    with pytest.raises(ZstdError):
        zstd_decode(encoded, out=STREAM_SIZE - 1)
    with pytest.raises(ZstdError):
        zstd_decode(encoded, out=bytearray(100))
    check_corrupt(zstd_decode, encoded, ZstdError,
                  truncations=(3, 10, len(encoded) // 2,
                               len(encoded) - 1), trials=4)


def test_concatenated_frames():
    frames = zstd_encode(DATA) + zstd_encode(b'') + zstd_encode(b'tail', 19)
    assert zstd_decode(frames) == DATA + b'tail'
    out = bytearray(len(DATA) + 4)
    assert zstd_decode(frames, out=out) is out and out == DATA + b'tail'
    with pytest.raises(ZstdError):
        zstd_decode(frames, out=len(DATA) + 3)
    with pytest.raises(ZstdError):  # the second frame is truncated
        zstd_decode(frames[:-2])


def test_skippable_frames():
    data = zstd_encode(b'abc')
    for nibble in (0, 15):
        skip = skippable_frame(b'metadata', nibble)
        assert zstd_decode(skip + data + skip) == b'abc'
        assert zstd_decode(skip) == b''
    assert zstd_decode(skippable_frame(b'') + data) == b'abc'
    with pytest.raises(ZstdError):  # payload shorter than its size
        zstd_decode(skippable_frame(b'metadata')[:-1] + data)


@pytest.mark.parametrize('size', [1 << 26, 1 << 40, (1 << 64) - 3])
def test_huge_claimed_content_size(size):
    check_bounded_allocation(zstd_decode, frame_claiming(size), ZstdError,
                             limit=1 << 20)
    with pytest.raises(ZstdError, match='content size'):
        zstd_decode(frame_claiming(size))


def test_bomb_without_content_size_grows():
    # 64 MiB of zeros from a frame of some hundred bytes, size not recorded
    frame = b''.join(open_frame_blocks(512))
    assert len(frame) < 4096
    assert zstd_decode(frame) == bytes(512 * 131072)
    with pytest.raises(ZstdError):
        zstd_decode(frame, out=1 << 20)


def test_damaged():
    encoded = zstd_encode(DATA)
    for bad in (b'x', MAGIC, encoded[:5], encoded + b'garbage',
                encoded + b'\x00' * 8, b'\x00' * 64):
        with pytest.raises(ZstdError):
            zstd_decode(bad)
    with pytest.raises(ZstdError):  # a real size that is wrong
        zstd_decode(frame_claiming(4096))
    check_corrupt(zstd_decode, zstd_encode(DATA, level=19), ZstdError)


def _tool_levels(level):
    return [f'--fast={-level}'] if level < 0 else [f'-{level}']


def test_command_line_tool():
    # the tool is slow to start at levels above 9 (large tables)
    check_command_line_tool('zstd', zstd_encode, zstd_decode,
                            levels=(-5, 1, 9), level_options=_tool_levels,
                            compress=('-c', '-q'),
                            decompress=('-d', '-c', '-q'))
    # the tool's frames without a content size or with a checksum
    check_command_line_tool('zstd', zstd_encode, zstd_decode,
                            compress=('-c', '-q', '--no-content-size',
                                      '--check'),
                            decompress=('-d', '-c', '-q'))
    encoded = zstd_encode(DATA, level=22)
    assert subprocess.run(['zstd', '-d', '-c', '-q'], input=encoded,
                          check=True, capture_output=True).stdout == DATA


def test_numcodecs():
    check_numcodecs('Zstd', {'level': None}, zstd_encode)
    check_numcodecs('Zstd', {'level': None}, zstd_encode, level=-3)


@pytest.mark.slow
def test_large():
    data = numpy.random.default_rng(3).integers(0, 4, 64 << 20, 'u1')
    encoded = zstd_encode(data)
    assert zstd_decode(encoded) == data.tobytes()
    out = numpy.empty_like(data)
    assert zstd_decode(encoded, out=out) is out
    numpy.testing.assert_array_equal(out, data)
