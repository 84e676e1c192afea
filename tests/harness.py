# SPDX-License-Identifier: BSD-3-Clause
"""Checks that every codec's tests share.

Each test module calls these plain functions with its own codec's
functions; they assert the package-wide rules (out=, input buffer types,
error classes) so that the per-codec files only state what is special.
"""

from __future__ import annotations

import mmap
import os
import pathlib
import shutil
import subprocess
import sys
import tracemalloc
from typing import Any, Callable

import numpy
import pytest

import imagecodecs

# dtypes and shapes that array codecs are expected to take
INT_DTYPES = ('u1', 'u2', 'u4', 'u8', 'i1', 'i2', 'i4', 'i8')
FLOAT_DTYPES = ('f2', 'f4', 'f8')
SHAPES = ((0,), (1,), (31,), (7, 33), (3, 5, 17), (2, 3, 4, 5))


def require(codec: str):
    """Return the codec's constants class; skip if it was not built."""
    constants = getattr(imagecodecs, codec.upper())
    if not constants.available:
        pytest.skip(f'{codec} is not available in this build')
    return constants


def require_any(*codecs: str) -> None:
    """Skip unless one of the codecs was built (clients such as tifffile
    fall back from one to the next)."""
    if not any(getattr(imagecodecs, c.upper()).available for c in codecs):
        pytest.skip(f'none of {", ".join(codecs)} is available in this '
                    'build')


def random_array(shape, dtype, seed=0, low=None, high=None) -> numpy.ndarray:
    """Return reproducible random data of some compressibility."""
    rng = numpy.random.default_rng(seed)
    dtype = numpy.dtype(dtype)
    if dtype.kind == 'f':
        data = rng.standard_normal(shape).cumsum(axis=-1) if shape else 0
        return numpy.asarray(data, dtype)
    info = numpy.iinfo(dtype)
    low = info.min if low is None else low
    high = info.max if high is None else high
    return rng.integers(low, high, shape, dtype, endpoint=True)


def smooth_image(shape, dtype, seed=0, high=None, noise=0.1
                 ) -> numpy.ndarray:
    """Return a gradient over all axes plus some noise: compressible, not
    flat, and kind to lossy image codecs.

    Integers span `high` (default: the dtype's range, capped at 2**16),
    signed ones centred on zero; floats span about 100; booleans are a
    noisy threshold; `noise` is a fraction of the range.
    """
    dtype = numpy.dtype(dtype)
    rng = numpy.random.default_rng(seed)
    ramp = numpy.indices(shape).sum(axis=0) / max(sum(shape), 1)
    random = rng.random(shape)
    if dtype.kind == 'b':
        return random > ramp
    if dtype.kind == 'f':
        return ((ramp * (1 - noise) + random * noise) * 100 - 30).astype(
            dtype)
    info = numpy.iinfo(dtype)
    if high is None:
        high = min(int(info.max) - int(info.min), 65535)
    low = -(high // 2) if info.min < 0 else 0
    values = (ramp * (1 - noise) + random * noise) * high + low
    return numpy.clip(numpy.rint(values), info.min, info.max).astype(dtype)


# layouts of an RGBA uint8 image that are not C-contiguous or not writable
IMAGE_VIEWS = ('columns', 'rows', 'reversed', 'bgr', 'readonly', 'fortran')


def image_view(view: str, base: numpy.ndarray) -> numpy.ndarray:
    """Return an IMAGE_VIEWS layout of a (height, width, 4) image."""
    return {
        'columns': lambda: base[:, 5:25, :3],
        'rows': lambda: base[::2],
        'reversed': lambda: base[::-1, ::-1],
        'bgr': lambda: base[..., 2::-1],
        'readonly': lambda: numpy.frombuffer(
            base.tobytes(), base.dtype).reshape(base.shape),
        'fortran': lambda: numpy.asfortranarray(base),
    }[view]()


def as_bytes(data) -> bytes:
    if isinstance(data, numpy.ndarray):
        return data.tobytes()
    return bytes(memoryview(data).cast('B'))


def input_variants(data: bytes) -> list:
    """Return data as bytes, bytearray, memoryview, ndarray and mmap."""
    mm = mmap.mmap(-1, max(len(data), 1))
    mm[: len(data)] = data
    variants = [bytes(data), bytearray(data), memoryview(data),
                numpy.frombuffer(data, numpy.uint8)]
    if data:
        variants.append(mm)
    return variants


def check_inputs(decode: Callable, encoded: bytes, expected: bytes,
                 **kwargs) -> None:
    """Decoding any buffer type gives the same bytes."""
    for data in input_variants(encoded):
        assert as_bytes(decode(data, **kwargs)) == expected, type(data)


def check_out(func: Callable, data: Any, expected: bytes, error: type,
              partial: bool = False, **kwargs) -> None:
    """Exercise every out= mode of a function that returns bytes.

    None gives bytes; an int gives bytes of that capacity; the types bytes
    and bytearray give that type; a bytearray, memoryview or numpy array is
    written in place; too small a size or buffer raises `error`, or with
    `partial` (decoders that fill a smaller output with the first bytes of
    the data, as the reference does) is filled; never written past its end.
    Read-only buffers are refused with an error that is also a TypeError.
    """
    size = len(expected)
    result = func(data, **kwargs)
    assert isinstance(result, bytes)
    assert result == expected
    assert func(data, out=size, **kwargs) == expected
    assert func(data, out=size + 7, **kwargs) == expected
    result = func(data, out=bytearray, **kwargs)
    assert isinstance(result, bytearray) and result == expected

    for make in (bytearray, lambda n: memoryview(bytearray(n)),
                 lambda n: numpy.zeros(n, numpy.uint8)):
        buffer = make(size)
        result = func(data, out=buffer, **kwargs)
        assert as_bytes(buffer) == expected
        assert as_bytes(result) == expected
        # a larger buffer holds the result in its head; the tail is intact
        buffer = make(size + 5)
        if isinstance(buffer, numpy.ndarray):
            buffer[:] = 0xA5
        else:
            buffer[:] = b'\xa5' * (size + 5)
        result = func(data, out=buffer, **kwargs)
        assert as_bytes(result) == expected
        assert as_bytes(buffer)[size:] == b'\xa5' * 5

    for readonly in (bytes(size + 1), memoryview(bytes(size + 1)),
                     numpy.frombuffer(bytes(size + 1), numpy.uint8)):
        with pytest.raises(error) as info:
            func(data, out=readonly, **kwargs)
        assert isinstance(info.value, TypeError)

    if size > 0:
        guard = bytearray(size + 8)
        guard[:] = b'\x5a' * len(guard)
        view = memoryview(guard)[: size - 1]
        if partial:
            assert func(data, out=size - 1, **kwargs) == expected[:-1]
            assert as_bytes(func(data, out=view, **kwargs)) == expected[:-1]
            assert bytes(guard[:size - 1]) == expected[:-1]
        else:
            with pytest.raises(error):
                func(data, out=size - 1, **kwargs)
            with pytest.raises(error):
                func(data, out=view, **kwargs)
        assert guard[size - 1:] == b'\x5a' * 9, 'wrote past the buffer end'


def check_array_out(decode: Callable, encoded: bytes,
                    expected: numpy.ndarray, error: type, **kwargs) -> None:
    """Exercise out= of a decoder that returns an array.

    A matching array is filled and returned; a bytearray of the right size
    is filled; too few elements raise `error`; another dtype ValueError.
    """
    out = numpy.zeros_like(expected)
    assert decode(encoded, out=out, **kwargs) is out
    numpy.testing.assert_array_equal(out, expected)
    buffer = bytearray(expected.nbytes)
    decode(encoded, out=buffer, **kwargs)
    assert bytes(buffer) == expected.tobytes()
    with pytest.raises(error):
        decode(encoded, out=numpy.zeros(expected.size - 1, expected.dtype),
               **kwargs)
    with pytest.raises(error):
        decode(encoded, out=bytearray(expected.nbytes - 1), **kwargs)
    other = 'f8' if expected.dtype != numpy.float64 else 'f4'
    with pytest.raises(ValueError):
        decode(encoded, out=numpy.zeros(expected.shape, other), **kwargs)


def check_roundtrip(encode: Callable, decode: Callable, data, *,
                    encode_kwargs=None, decode_kwargs=None) -> bytes:
    """Encode and decode; the result equals the input exactly."""
    encoded = encode(data, **(encode_kwargs or {}))
    decoded = decode(encoded, **(decode_kwargs or {}))
    if isinstance(data, numpy.ndarray) and isinstance(decoded,
                                                      numpy.ndarray):
        assert decoded.dtype == data.dtype
        numpy.testing.assert_array_equal(decoded.reshape(data.shape), data)
    else:
        assert as_bytes(decoded) == as_bytes(data)
    return encoded


def check_corrupt(decode: Callable, encoded: bytes, error: type,
                  truncations=None, seed=0, trials=64, **kwargs) -> None:
    """Truncated data raises `error`; damaged data raises it or decodes.

    Whatever happens, nothing crashes and no other exception escapes.
    """
    for cut in truncations if truncations is not None else (
            len(encoded) // 2, len(encoded) - 1):
        if 0 <= cut < len(encoded):
            with pytest.raises(error):
                decode(encoded[:cut], **kwargs)
    rng = numpy.random.default_rng(seed)
    for _ in range(trials if encoded else 0):
        damaged = bytearray(encoded)
        for pos in rng.integers(0, len(damaged), 3):
            damaged[pos] ^= int(rng.integers(1, 256))
        try:
            decode(bytes(damaged), **kwargs)
        except (error, MemoryError):
            pass


# Payloads of a byte compressor: empty, one byte, compressible, random.
PAYLOADS = {
    'empty': b'',
    '1byte': b'x',
    'text': random_array((300_000,), 'u1', low=0, high=15).tobytes(),
    'random': numpy.random.default_rng(2).bytes(70_000),
}


def check_compressor(encode: Callable, decode: Callable, error: type,
                     levels=(None,), compress: Callable | None = None,
                     decompress: Callable | None = None,
                     partial: bool = False) -> None:
    """The common contract of a lossless byte compressor.

    Round trips of every payload at every level; when an independent
    implementation is given (`compress`, `decompress`), our output decodes
    with it and its output decodes with ours; out= modes, input buffer
    types and damaged input for the compressible payload. `partial`: the
    decoder fills a smaller given output with the first bytes (check_out).
    """
    for name, data in PAYLOADS.items():
        for level in levels:
            encoded = encode(data, level=level) if level is not None \
                else encode(data)
            assert decode(encoded) == data, (name, level)
            if decompress is not None:
                assert decompress(encoded) == data, (name, level)
        if compress is not None:
            assert decode(compress(data)) == data, name
    data = PAYLOADS['text']
    encoded = encode(data)
    check_out(decode, encoded, data, error, partial=partial)
    check_out(encode, data, encoded, error)
    check_inputs(decode, encoded, data)
    check_corrupt(decode, encoded, error)
    array = random_array((33, 17), 'u2', low=0, high=9)
    assert decode(encode(array)) == array.tobytes()


# Small payloads for command line tools: each run starts a process.
TOOL_PAYLOADS = {
    'empty': b'',
    '1byte': b'x',
    'text': PAYLOADS['text'][:60_000],
    'random': PAYLOADS['random'][:20_000],
}


def check_command_line_tool(tool: str, encode: Callable, decode: Callable,
                            levels=(None,), level_options=None,
                            compress=('-c',), decompress=('-d', '-c')):
    """Our output decodes with a command line tool and vice versa.

    `tool` is run with `compress` or `decompress` options, reading stdin
    and writing stdout; `level_options(level)` returns the tool's options
    for one of our levels (default `-LEVEL`, nothing for None). Skips if
    the tool is not installed.
    """
    exe = shutil.which(tool)
    if exe is None:
        pytest.skip(f'the {tool} command line tool is not installed')
    if level_options is None:
        def level_options(level):
            return [] if level is None else [f'-{level}']

    def run(args, data):
        return subprocess.run([exe, *args], input=data, check=True,
                              capture_output=True, timeout=60).stdout

    for name, data in TOOL_PAYLOADS.items():
        for level in levels:
            encoded = encode(data) if level is None else encode(data,
                                                                level=level)
            assert run(decompress, encoded) == data, (tool, name, level)
            theirs = run([*compress, *level_options(level)], data)
            assert decode(theirs) == data, (tool, name, level)


def check_bounded_allocation(func: Callable, data, error: type,
                             limit: int = 16 << 20) -> None:
    """func(data) raises `error` having allocated less than `limit` bytes.

    tracemalloc sees the output buffers (Python objects), so a decoder
    that trusts a size claimed by a few bytes of input fails this.
    """
    tracemalloc.start()
    try:
        with pytest.raises(error):
            func(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < limit, f'{peak} bytes allocated for {len(data)} of input'


def check_numcodecs(name: str, parameters: dict, encode: Callable,
                    **kwargs) -> None:
    """The numcodecs class `name` takes `parameters` (name: default, as in
    the reference) and round-trips its configuration and a chunk with
    `kwargs`, encoding as `encode(chunk, **kwargs)` does."""
    numcodecs = pytest.importorskip('numcodecs')
    from imagecodecs import numcodecs as ours

    cls = getattr(ours, name)
    assert cls.parameters == parameters
    config = cls(**kwargs).get_config()
    assert config == {'id': f'imagecodecs_{name.lower()}',
                      **parameters, **kwargs}
    ours.register_codecs(force=True, verbose=False)
    codec = numcodecs.get_codec(config)
    assert type(codec) is cls
    chunk = random_array((64, 48), 'u2', low=0, high=999)
    encoded = codec.encode(chunk)
    assert as_bytes(encoded) == as_bytes(encode(chunk, **kwargs))
    assert as_bytes(codec.decode(encoded)) == chunk.tobytes()
    out = numpy.zeros_like(chunk)
    codec.decode(encoded, out=out)
    numpy.testing.assert_array_equal(out, chunk)


def check_checksums(crc32: Callable, adler32: Callable) -> None:
    """CRC-32 and Adler-32 functions agree with Python's zlib module.

    Also when continuing from a value (over pieces, the checksum of the
    whole), for arrays, and with starting values wrapped to 32 bits.
    """
    import zlib

    data = PAYLOADS['text']
    for item in (b'', b'a', data):
        assert crc32(item) == zlib.crc32(item)
        assert adler32(item) == zlib.adler32(item)
        assert crc32(item, 12345) == zlib.crc32(item, 12345)
        assert adler32(item, 7) == zlib.adler32(item, 7)
    assert crc32(data[1000:], crc32(data[:1000])) == zlib.crc32(data)
    assert adler32(data[5:], adler32(data[:5])) == zlib.adler32(data)
    array = numpy.arange(100, dtype='u4')
    assert crc32(array) == zlib.crc32(array.tobytes())
    assert adler32(array) == zlib.adler32(array.tobytes())
    assert crc32(b'a', -1) == zlib.crc32(b'a', -1)
    assert crc32(b'a', (1 << 32) + 5) == zlib.crc32(b'a', 5)


def run_isolated(code: str, *args: str, stdin: bytes | None = None,
                 prefix: tuple = (), timeout: float = 120
                 ) -> subprocess.CompletedProcess:
    """Run `code` in a child interpreter that imports the imagecodecs under
    test and return the finished process (stdout and stderr bytes).

    For inputs a library once crashed on: a crash fails the test with its
    exit status instead of killing pytest. `prefix` runs the interpreter
    under a tool (valgrind, say).
    """
    parent = pathlib.Path(imagecodecs.__file__).parent.parent
    result = subprocess.run(
        [*prefix, sys.executable, '-c', code, *args], input=stdin,
        capture_output=True, cwd=parent, timeout=timeout,
        env=dict(os.environ, PYTHONPATH=str(parent), PYTHONMALLOC='malloc'))
    assert result.returncode == 0, (
        f'child died ({result.returncode}): {result.stderr[-400:]!r}')
    return result

