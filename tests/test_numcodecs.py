# SPDX-License-Identifier: BSD-3-Clause
"""numcodecs classes: configuration round trip and chunk round trip."""

import numpy
import pytest

numcodecs = pytest.importorskip('numcodecs')

import imagecodecs  # noqa: E402
from imagecodecs import numcodecs as ours  # noqa: E402
from harness import random_array, require  # noqa: E402

IMAGE = random_array((1, 32, 31, 3), 'u1', low=0, high=40)
WORDS = random_array((64, 48), 'u2', low=0, high=999)
FLOATS = random_array((16, 40), 'f4')

# class name, constructor arguments, chunk, lossless
CASES = [
    ('Packbits', {}, WORDS, True),
    ('Lzw', {}, WORDS, True),
    ('Pglz', {}, WORDS, True),
    ('Bitorder', {}, WORDS, True),
    ('Delta', {'shape': WORDS.shape, 'dtype': WORDS.dtype}, WORDS, True),
    ('Xor', {'shape': WORDS.shape, 'dtype': WORDS.dtype}, WORDS, True),
    ('Floatpred', {'shape': FLOATS.shape, 'dtype': FLOATS.dtype}, FLOATS,
     True),
    ('Byteshuffle', {'shape': FLOATS.shape, 'dtype': FLOATS.dtype}, FLOATS,
     True),
    ('Rcomp', {'shape': WORDS.shape, 'dtype': WORDS.dtype.str},
     WORDS.astype('i2'), True),
    ('Aec', {'bitspersample': 16}, WORDS, True),
    ('Bmp', {}, IMAGE, True),
    ('Ljpeg', {}, WORDS, True),
    ('Zlib', {}, WORDS, True),
    ('Zstd', {}, WORDS, True),
    ('Lz4', {}, WORDS, True),
    ('Blosc', {}, WORDS, True),
]


@pytest.mark.parametrize('name, kwargs, chunk, lossless', CASES,
                         ids=[c[0] for c in CASES])
def test_roundtrip(name, kwargs, chunk, lossless):
    cls = getattr(ours, name)
    if not getattr(imagecodecs, cls.codec_name.upper()).available:
        pytest.skip(f'{cls.codec_name} not available')
    if name == 'Rcomp':
        kwargs = dict(kwargs, dtype='i2')
    codec = cls(**kwargs)
    config = codec.get_config()
    assert config['id'] == f'imagecodecs_{name.lower()}'
    ours.register_codecs(force=True, verbose=False)
    codec = numcodecs.get_codec(config)
    assert isinstance(codec, cls)
    encoded = codec.encode(chunk)
    out = numpy.zeros_like(chunk)
    decoded = codec.decode(encoded, out=out)
    assert decoded is out or numpy.shares_memory(decoded, out)
    numpy.testing.assert_array_equal(out, chunk)


def test_unknown_parameter():
    with pytest.raises(TypeError):
        ours.Packbits(level=1)


def test_every_reference_class_exists():
    names = ['Aec', 'Apng', 'Avif', 'Bitorder', 'Bitshuffle', 'Blosc',
             'Blosc2', 'Bmp', 'Brotli', 'Byteshuffle', 'Bz2', 'Cms', 'Dds',
             'Deflate', 'Delta', 'Dicomrle', 'Eer', 'Float24', 'Floatpred',
             'Gif', 'Heif', 'Jetraw', 'Jpeg', 'Jpeg2k', 'Jpegls', 'Jpegxl',
             'Jpegxr', 'Lerc', 'Ljpeg', 'Lz4', 'Lz4f', 'Lz4h5', 'Lzf',
             'Lzfse', 'Lzham', 'Lzma', 'Lzo', 'Lzw', 'Packbits', 'Packints',
             'Pcodec', 'Pglz', 'Png', 'Qoi', 'Quantize', 'Rcomp', 'Rgbe',
             'Snappy', 'Sperr', 'Spng', 'Tiff', 'Webp', 'Xor',
             'Zfp', 'Zlib', 'Zlibng', 'Zopfli', 'Zstd']
    for name in names:
        cls = getattr(ours, name)
        assert cls.codec_id == f'imagecodecs_{name.lower()}'


@pytest.mark.parametrize('kind', ['crc32', 'adler32', 'fletcher32',
                                  'lookup3', 'h5crc'])
@pytest.mark.parametrize('prepend', [False, True])
def test_checksum(kind, prepend):
    func = ours.Checksum._KINDS[kind][0][-1]
    require(func.split('_')[0])
    codec = ours.Checksum(kind=kind, prepend=prepend, byteorder='>')
    data = WORDS.tobytes()
    encoded = codec.encode(data)
    assert len(encoded) == len(data) + 4
    stored = encoded[:4] if prepend else encoded[-4:]
    assert int.from_bytes(stored, 'big') == getattr(imagecodecs, func)(data)
    assert codec.decode(encoded) == data
    # a zarr chunk may be a non-contiguous view
    view = WORDS.reshape(-1, 4)[1:-1, 1:3]
    assert bytes(codec.decode(codec.encode(view))) == view.tobytes()
    with pytest.raises(RuntimeError):
        codec.decode(bytes(encoded[:-1]) + bytes([encoded[-1] ^ 1]))


@pytest.mark.parametrize('kind', ['crc32', 'adler32', 'fletcher32',
                                  'lookup3', 'h5crc'])
def test_checksum_defaults(kind):
    # zlib checksums go before the data, HDF5 ones after it, by default;
    # stores written with the defaults depend on it
    require(ours.Checksum._KINDS[kind][0][-1].split('_')[0])
    codec = ours.Checksum(kind=kind)
    assert codec.prepend == (kind in {'crc32', 'adler32'})
    assert codec.get_config()['byteorder'] == 'little'
    assert ours.Checksum(kind=kind, byteorder='>').byteorder == 'big'
