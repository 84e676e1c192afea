# SPDX-License-Identifier: BSD-3-Clause
"""HTJ2K codec: High-Throughput JPEG 2000 codestreams over OpenJPH.

Codestream fields are read back with a small reader of the JPEG 2000
marker syntax written here; Pillow (OpenJPEG inside) decodes our
encodings independently. Damaged streams are decoded in child processes
with a timeout: a hang fails the test instead of blocking the run.
"""

import io
import shutil
import struct
import subprocess

import numpy
import pytest

import imagecodecs
from imagecodecs import (
    HTJ2K, Htj2kError, htj2k_check, htj2k_decode, htj2k_encode, htj2k_init,
)
from harness import (
    check_array_out, check_bounded_allocation, check_corrupt, check_inputs,
    check_numcodecs, check_out, random_array, require, run_isolated,
    smooth_image,
)

pytestmark = pytest.mark.usefixtures('available')

SOC, SIZ, COD, TLM, SOT, EOC = 0xFF4F, 0xFF51, 0xFF52, 0xFF55, 0xFF90, 0xFFD9


@pytest.fixture
def available():
    require('htj2k')


def markers(stream: bytes) -> list:
    """Return [(marker, segment)] of the main header and each tile part's
    SOT, following segment lengths and Psot as Part 1 defines them."""
    assert stream[:2] == b'\xff\x4f'
    result = []
    pos = 2
    while pos + 2 <= len(stream):
        (marker,) = struct.unpack_from('>H', stream, pos)
        if marker == EOC:
            result.append((EOC, b''))
            break
        (length,) = struct.unpack_from('>H', stream, pos + 2)
        segment = stream[pos + 4:pos + 2 + length]
        result.append((marker, segment))
        if marker == SOT:
            psot = struct.unpack_from('>I', segment, 2)[0]
            pos += psot
        else:
            pos += 2 + length
    return result


def header(stream: bytes) -> dict:
    """Return SIZ and COD fields of a codestream."""
    segments = dict(markers(stream))
    (rsiz, xsiz, ysiz, x0, y0, xt, yt, _, _, ncomp) = struct.unpack_from(
        '>HIIIIIIIIH', segments[SIZ])
    cod = segments[COD]
    return {
        'ht': bool(rsiz & 0x4000),
        'width': xsiz - x0,
        'height': ysiz - y0,
        'tile': (xt, yt),
        'components': [tuple(segments[SIZ][36 + 3 * i:39 + 3 * i])
                       for i in range(ncomp)],
        'mct': cod[4],
        'decompositions': cod[5],
        'style': cod[8],
        'reversible': cod[9] == 1,
    }


def psnr(a, b, peak=255.0) -> float:
    mse = numpy.mean((a.astype(numpy.float64) - b) ** 2)
    return numpy.inf if mse == 0 else 10 * numpy.log10(peak * peak / mse)


def pillow_decode(stream: bytes) -> numpy.ndarray:
    image = pytest.importorskip('PIL.Image')
    return numpy.asarray(image.open(io.BytesIO(stream)))


def test_version_check_constants():
    assert imagecodecs.htj2k_version().startswith('openjph ')
    encoded = htj2k_encode(numpy.zeros((4, 4), 'u1'))
    assert htj2k_check(encoded)
    assert htj2k_check(b'\x00\x00\x00\x0cjP  \r\n\x87\n\x00')  # JP2 file
    assert not htj2k_check(b'')
    assert not htj2k_check(b'\x89PNG\r\n\x1a\n')
    assert HTJ2K.TILEPART.RESOLUTIONS == 1 and HTJ2K.TILEPART.COMPONENTS == 2
    assert htj2k_init(verbose=True) is None
    assert htj2k_init() is None


@pytest.mark.parametrize('dtype', ['u1', 'i1', 'u2', 'i2', 'u4', 'i4'])
def test_lossless_gray(dtype):
    data = random_array((37, 53), dtype)  # the dtype's full range
    encoded = htj2k_encode(data)
    fields = header(encoded)
    depth = numpy.dtype(dtype).itemsize * 8
    assert fields['ht'] and fields['style'] & 0x40  # HT code-blocks
    assert fields['components'] == [((depth - 1) | (
        0x80 if dtype[0] == 'i' else 0), 1, 1)]
    assert (fields['width'], fields['height']) == (53, 37)
    assert fields['reversible'] and fields['decompositions'] == 5
    decoded = htj2k_decode(encoded)
    assert decoded.dtype == numpy.dtype(dtype)
    numpy.testing.assert_array_equal(decoded, data)


@pytest.mark.parametrize('dtype', ['u1', 'u2'])
def test_lossless_rgb(dtype):
    data = smooth_image((41, 67, 3), dtype)
    encoded = htj2k_encode(data)
    assert header(encoded)['mct'] == 1  # the colour transform
    numpy.testing.assert_array_equal(htj2k_decode(encoded), data)
    numpy.testing.assert_array_equal(htj2k_decode(encoded, planar=True),
                                     data.transpose(2, 0, 1))
    # without the colour transform: exact too, decoded planar by default
    encoded = htj2k_encode(data, rgb=False)
    assert header(encoded)['mct'] == 0
    numpy.testing.assert_array_equal(htj2k_decode(encoded),
                                     data.transpose(2, 0, 1))
    numpy.testing.assert_array_equal(htj2k_decode(encoded, planar=False),
                                     data)


def test_sample_layouts():
    rgba = random_array((20, 24, 4), 'u1')
    encoded = htj2k_encode(rgba)
    assert header(encoded)['mct'] == 1
    numpy.testing.assert_array_equal(htj2k_decode(encoded), rgba)
    five = random_array((20, 24, 5), 'u1')
    encoded = htj2k_encode(five)
    assert header(encoded)['mct'] == 0 and len(header(encoded)[
        'components']) == 5
    numpy.testing.assert_array_equal(htj2k_decode(encoded),
                                     five.transpose(2, 0, 1))
    # (3, 32, 40) is taken as planar: few leading, many trailing samples
    planar = random_array((3, 32, 40), 'u1')
    for kwargs in ({}, {'planar': True}, {'planar': True, 'rgb': True}):
        encoded = htj2k_encode(planar, **kwargs)
        fields = header(encoded)
        assert (fields['width'], fields['height'], fields['mct']) == (
            40, 32, 0)
        numpy.testing.assert_array_equal(htj2k_decode(encoded), planar)
    encoded = htj2k_encode(planar, planar=False)
    assert header(encoded)['width'] == 32
    numpy.testing.assert_array_equal(htj2k_decode(encoded, planar=False),
                                     planar)
    # one sample is gray
    gray = random_array((9, 7, 1), 'u2')
    numpy.testing.assert_array_equal(htj2k_decode(htj2k_encode(gray)),
                                     gray[..., 0])
    with pytest.raises(Htj2kError):  # the colour transform needs 3
        htj2k_encode(random_array((9, 7, 2), 'u1'), rgb=True)


def test_lossy_levels():
    data = smooth_image((128, 128), 'u1')
    sizes, quality = [], []
    for level in (0.002, 0.01, 0.05):
        encoded = htj2k_encode(data, level=level)
        assert not header(encoded)['reversible']
        decoded = htj2k_decode(encoded)
        assert decoded.dtype == numpy.uint8 and decoded.shape == data.shape
        sizes.append(len(encoded))
        quality.append(psnr(data, decoded))
    assert sizes[0] > sizes[1] > sizes[2]
    assert quality[0] > quality[1] > quality[2] > 30
    assert quality[0] > 60
    lossless = len(htj2k_encode(data))
    assert sizes[1] < lossless
    encoded = htj2k_encode(data, reversible=False)  # library's step
    assert not header(encoded)['reversible']
    assert 45 < psnr(data, htj2k_decode(encoded)) < numpy.inf
    for kwargs in ({'level': 0}, {'level': -1},
                   {'level': 0.05, 'reversible': True}):
        encoded = htj2k_encode(data, **kwargs)
        assert header(encoded)['reversible']
        numpy.testing.assert_array_equal(htj2k_decode(encoded), data)
    rgb = smooth_image((64, 80, 3), 'u1')
    assert psnr(rgb, htj2k_decode(htj2k_encode(rgb, level=0.01))) > 38
    u2 = smooth_image((64, 80), 'u2')
    assert psnr(u2, htj2k_decode(htj2k_encode(u2, level=0.001)),
                65535.0) > 60


def test_tiles():
    data = random_array((100, 120, 3), 'u1')
    encoded = htj2k_encode(data, tile=(64, 32))
    assert header(encoded)['tile'] == (64, 32)  # (width, height)
    tiles = {struct.unpack_from('>H', seg)[0]
             for marker, seg in markers(encoded) if marker == SOT}
    assert tiles == set(range(2 * 4))
    numpy.testing.assert_array_equal(htj2k_decode(encoded), data)
    small = random_array((20, 21), 'u2')
    encoded = htj2k_encode(small, tile=(7, 5))
    assert len([m for m, _ in markers(encoded) if m == SOT]) == 3 * 4
    numpy.testing.assert_array_equal(htj2k_decode(encoded), small)
    assert header(htj2k_encode(small, tile=(0, 0)))['tile'] == (21, 20)


def test_resolutions_and_skipres():
    data = random_array((101, 123, 3), 'u1')
    for resolutions in (1, 3, 6):
        encoded = htj2k_encode(data, resolutions=resolutions)
        assert header(encoded)['decompositions'] == resolutions
        numpy.testing.assert_array_equal(htj2k_decode(encoded), data)
    encoded = htj2k_encode(data)
    for skip in range(6):
        decoded = htj2k_decode(encoded, skipres=skip)
        shape = (-(-101 // 2 ** skip), -(-123 // 2 ** skip), 3)
        assert decoded.shape == shape
    assert htj2k_decode(encoded, skipres=2, planar=True).shape == (3, 26, 31)
    with pytest.raises(Htj2kError):
        htj2k_decode(encoded, skipres=6)  # 5 decompositions
    with pytest.raises(ValueError):
        htj2k_decode(encoded, skipres=-1)
    # the 5/3 low-pass band of a ramp is the ramp at half resolution
    ramp = smooth_image((64, 96), 'u1', noise=0)
    encoded = htj2k_encode(ramp)
    for skip in (1, 2):
        decoded = htj2k_decode(encoded, skipres=skip).astype(int)
        step = 2 ** skip
        assert numpy.abs(decoded - ramp[::step, ::step]).max() <= 3


def test_tlm_and_tileparts():
    data = smooth_image((40, 48, 3), 'u1')
    assert TLM not in dict(markers(htj2k_encode(data)))
    assert TLM in dict(markers(htj2k_encode(data, tlm=True)))
    for tilepart in (1, 'resolutions', HTJ2K.TILEPART.RESOLUTIONS):
        encoded = htj2k_encode(data, tilepart=tilepart)
        parts = [struct.unpack_from('>HIBB', seg)
                 for marker, seg in markers(encoded) if marker == SOT]
        # one tile part per resolution: 5 decompositions, 6 resolutions
        assert [(p[2], p[3]) for p in parts] == [(i, 6) for i in range(6)]
        numpy.testing.assert_array_equal(htj2k_decode(encoded), data)
    for tilepart in (2, 3):
        encoded = htj2k_encode(data, tilepart=tilepart, tlm=True)
        numpy.testing.assert_array_equal(htj2k_decode(encoded), data)


@pytest.mark.parametrize('kwargs', [{}, {'tile': (32, 64)},
                                    {'resolutions': 2}, {'rgb': False}])
def test_pillow_decodes_ours(kwargs):
    # OpenJPEG 2.5, inside Pillow, decodes Part 15 codestreams
    for data in (smooth_image((61, 83, 3), 'u1'),
                 random_array((61, 33), 'u1'),
                 random_array((30, 20), 'u2'),
                 random_array((40, 50, 4), 'u1')):
        encoded = htj2k_encode(data, **kwargs)
        theirs = pillow_decode(encoded)
        numpy.testing.assert_array_equal(theirs, data)


def test_pillow_decodes_ours_lossy():
    for data in (smooth_image((64, 80, 3), 'u1'),
                 smooth_image((64, 80), 'u1')):
        encoded = htj2k_encode(data, level=0.01)
        ours = htj2k_decode(encoded).astype(int)
        theirs = pillow_decode(encoded).astype(int)
        assert numpy.abs(ours - theirs).max() <= 1  # rounding only
        assert psnr(data, theirs) > 38


def read_pgx(path) -> numpy.ndarray:
    """Return the samples of a PGX file (OpenJPEG's one-component
    format: 'PG ML|LM +|- depth width height' and raw samples)."""
    raw = path.read_bytes()
    end = raw.index(b'\n')
    _, order, sign, depth, width, height = raw[:end].decode().split()
    kind = 'i' if sign == '-' else 'u'
    size = (int(depth) + 7) // 8
    dtype = numpy.dtype(f'{">" if order == "ML" else "<"}{kind}{size}')
    return numpy.frombuffer(raw[end + 1:], dtype).reshape(
        int(height), int(width))


@pytest.mark.parametrize('dtype,shape', [('i1', (13, 17)), ('i2', (13, 17)),
                                         ('u2', (13, 17, 3))])
def test_opj_decompress_decodes_ours(dtype, shape, tmp_path):
    # OpenJPEG's command line tool writes signed and 16-bit samples,
    # which Pillow does not
    tool = shutil.which('opj_decompress')
    if tool is None:
        pytest.skip('opj_decompress is not installed')
    data = random_array(shape, dtype)
    (tmp_path / 'image.j2c').write_bytes(htj2k_encode(data))
    subprocess.run([tool, '-i', str(tmp_path / 'image.j2c'), '-o',
                    str(tmp_path / 'image.pgx')], check=True,
                   capture_output=True, timeout=60)
    planes = [read_pgx(tmp_path / f'image_{i}.pgx')
              for i in range(data.shape[2] if data.ndim == 3 else 1)]
    theirs = numpy.stack(planes, axis=-1) if data.ndim == 3 else planes[0]
    numpy.testing.assert_array_equal(theirs, data)


def test_out():
    data = random_array((31, 29, 3), 'u1')
    encoded = htj2k_encode(data)
    check_out(htj2k_encode, data, encoded, Htj2kError)
    check_array_out(htj2k_decode, encoded, data, Htj2kError)
    check_inputs(htj2k_decode, encoded, data.tobytes())


@pytest.mark.parametrize('data', [
    numpy.array(7, 'u1'), numpy.arange(10, dtype='u1'),
    numpy.zeros((0, 5), 'u1'), numpy.zeros((5, 0), 'u2'),
    numpy.zeros((0, 4, 3), 'u1'), numpy.zeros((2, 3, 4, 5), 'u1'),
    numpy.zeros((4, 4), 'f4'), numpy.zeros((4, 4), bool),
    numpy.zeros((4, 4), 'u8'), numpy.zeros((4, 4), 'i8'), b'abcdef',
], ids=lambda a: f'{a.dtype}{a.shape}' if hasattr(a, 'dtype') else 'bytes')
def test_invalid_input(data):
    with pytest.raises(Htj2kError) as info:
        htj2k_encode(data)
    assert isinstance(info.value, ValueError)  # as the reference raises


def test_degenerate_arrays():
    for data in (numpy.full((1, 1), 200, 'u1'),
                 numpy.array([[[1, 2, 3]]], 'u1'),
                 random_array((1, 300), 'i2'), random_array((300, 1), 'u2')):
        numpy.testing.assert_array_equal(
            htj2k_decode(htj2k_encode(data)).reshape(data.shape), data)
    # non-contiguous and big-endian input
    data = random_array((40, 60, 3), 'u1')[::2, ::3]
    numpy.testing.assert_array_equal(htj2k_decode(htj2k_encode(data)), data)
    for dtype in ('>u2', '>i4'):
        data = random_array((10, 12), dtype[1:]).astype(dtype)
        decoded = htj2k_decode(htj2k_encode(data))
        assert decoded.dtype.isnative
        numpy.testing.assert_array_equal(decoded, data)


def test_not_a_codestream():
    for data in (b'', b'\xff\x4f', b'\xff\x4f\xff\x51', b'junk' * 10,
                 b'\x00\x00\x00\x0cjP  \r\n\x87\n' + bytes(40)):
        with pytest.raises(Htj2kError):
            htj2k_decode(data)


def siz_patched(stream: bytes, **fields) -> bytes:
    """Return stream with SIZ fields replaced (offsets from Part 1)."""
    offsets = {'xsiz': 8, 'ysiz': 12, 'xtsiz': 24, 'ytsiz': 28}
    data = bytearray(stream)
    for name, value in fields.items():
        if name.startswith('rsiz'):  # rsizN: XRsiz and YRsiz of comp. N
            pos = 42 + 3 * int(name[4:]) + 1
            data[pos:pos + 2] = bytes([value, value])
        else:
            struct.pack_into('>I', data, offsets[name], value)
    return bytes(data)


def test_size_claims_bounded():
    # 65535 x 65535 claimed by ~150 bytes: refused before any allocation
    # (the reference allocates and decodes 4 GB)
    encoded = htj2k_encode(numpy.zeros((16, 16), 'u1'))
    huge = siz_patched(encoded, xsiz=65535, ysiz=65535, xtsiz=65535,
                       ytsiz=65535)
    check_bounded_allocation(htj2k_decode, huge, Htj2kError)
    many_tiles = siz_patched(encoded, xsiz=4000, ysiz=4000, xtsiz=1,
                             ytsiz=1)
    with pytest.raises(Htj2kError):
        htj2k_decode(many_tiles)
    # a flat image may legitimately be large for its size
    flat = htj2k_encode(numpy.zeros((1024, 1024), 'u1'))
    assert len(flat) < 20000
    assert htj2k_decode(flat).shape == (1024, 1024)


def test_subsampled_components_refused():
    # OpenJPH's row pull never ends when asked for rows a subsampled
    # component lacks; such streams are refused, in a child to be safe
    encoded = htj2k_encode(random_array((3, 32, 40), 'u1'), planar=True)
    damaged = siz_patched(encoded, rsiz1=2)
    result = run_isolated(
        'import sys, imagecodecs\n'
        'try:\n'
        '    imagecodecs.htj2k_decode(sys.stdin.buffer.read())\n'
        'except imagecodecs.Htj2kError as exc:\n'
        '    print(exc)\n', stdin=damaged, timeout=60)
    assert b'subsampled' in result.stdout


def test_truncated():
    data = random_array((64, 80, 3), 'u1')
    encoded = htj2k_encode(data)
    check_corrupt(htj2k_decode, encoded, Htj2kError,
                  truncations=(0, 2, 10, 40, 100, len(encoded) // 2),
                  trials=0)


# damage and decode in a child: a hang is a timeout, a crash an exit status
DAMAGE = '''
import sys
import numpy
import imagecodecs
streams = [imagecodecs.htj2k_encode(numpy.random.default_rng(1).integers(
    0, 256, (40, 50, 3), numpy.uint8), **kwargs) for kwargs in (
    {}, {'tile': (16, 16), 'tilepart': 1, 'tlm': True}, {'level': 0.02},
    {'rgb': False, 'resolutions': 2})]
counts = {'decoded': 0, 'refused': 0}
for i in range(int(sys.argv[1])):
    rng = numpy.random.default_rng(i)
    data = bytearray(streams[i % len(streams)])
    kind = i % 4
    if kind == 0:
        for pos in rng.integers(0, len(data), 4):
            data[pos] = int(rng.integers(0, 256))
    elif kind == 1:
        data = data[:int(rng.integers(4, len(data)))]
    elif kind == 2:
        pos = int(rng.integers(4, min(200, len(data))))
        data[pos] ^= int(rng.integers(1, 256))
    else:
        pos = int(rng.integers(0, len(data) - 8))
        data[pos:pos + 8] = rng.integers(0, 256, 8, numpy.uint8).tobytes()
    for resilient in (False, True):
        try:
            imagecodecs.htj2k_decode(bytes(data), resilient=resilient)
            counts['decoded'] += 1
        except (imagecodecs.Htj2kError, MemoryError):
            counts['refused'] += 1
print(counts['decoded'], counts['refused'])
'''


def test_damaged_streams_isolated():
    result = run_isolated(DAMAGE, '400', timeout=120)
    decoded, refused = map(int, result.stdout.split())
    assert decoded + refused == 800 and decoded > 0 and refused > 0


def test_resilient_truncated_isolated():
    data = smooth_image((128, 128), 'u1')
    encoded = htj2k_encode(data)
    result = run_isolated(
        'import sys, numpy, imagecodecs\n'
        'data = sys.stdin.buffer.read()\n'
        'decoded = imagecodecs.htj2k_decode(data, resilient=True)\n'
        'sys.stdout.buffer.write(decoded.tobytes())\n',
        stdin=encoded[:len(encoded) // 2], timeout=60)
    decoded = numpy.frombuffer(result.stdout, 'u1').reshape(data.shape)
    # the lower resolutions came first (RPCL): a blurred image
    assert psnr(data, decoded) > 25


def test_numcodecs():
    check_numcodecs('Htj2k', {
        'level': None, 'rgb': None, 'planar': None, 'tile': None,
        'resolutions': None, 'reversible': None, 'tlm': None,
        'tilepart': None, 'skipres': None, 'resilient': False,
        'squeeze': None}, htj2k_encode)
    check_numcodecs('Htj2k', {
        'level': None, 'rgb': None, 'planar': None, 'tile': None,
        'resolutions': None, 'reversible': None, 'tlm': None,
        'tilepart': None, 'skipres': None, 'resilient': False,
        'squeeze': None}, htj2k_encode, resolutions=3, tlm=True)
