# SPDX-License-Identifier: BSD-3-Clause
"""imread and imwrite on every kind of file the reference takes: names,
pathlib paths, bytes, mmap and binary file objects; codec lists."""

import io
import mmap
import pathlib

import numpy
import pytest

import imagecodecs
from harness import random_array

IMAGE = random_array((33, 47), 'u2', low=0, high=4095)


@pytest.fixture
def npy(tmp_path):
    path = tmp_path / 'image.npy'
    imagecodecs.imwrite(path, IMAGE)
    return path


@pytest.mark.parametrize('kind', ['str', 'path', 'bytes', 'bytearray',
                                  'mmap', 'bytesio', 'file'])
def test_imread_sources(npy, kind):
    if kind == 'str':
        source = str(npy)
    elif kind == 'path':
        source = pathlib.Path(npy)
    elif kind == 'bytes':
        source = npy.read_bytes()
    elif kind == 'bytearray':
        source = bytearray(npy.read_bytes())
    elif kind == 'mmap':
        with open(npy, 'rb') as fh:
            source = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    elif kind == 'bytesio':
        source = io.BytesIO(npy.read_bytes())
    else:
        source = open(npy, 'rb')  # noqa: SIM115 (closed below)
    try:
        image, decode = imagecodecs.imread(source, return_codec=True)
    finally:
        if hasattr(source, 'close'):
            source.close()
    numpy.testing.assert_array_equal(image, IMAGE)
    assert decode is imagecodecs.numpy_decode


def test_imread_without_memmap(npy):
    numpy.testing.assert_array_equal(
        imagecodecs.imread(npy, memmap=False), IMAGE)


def test_imwrite_file_objects(tmp_path):
    buffer = io.BytesIO()
    imagecodecs.imwrite(buffer, IMAGE, codec='ljpeg')
    assert imagecodecs.ljpeg_decode(buffer.getvalue()).tolist() == \
        IMAGE.tolist()
    # a file object with a name: its extension selects the codec (the
    # reference asks for codec= here)
    path = tmp_path / 'image.ljp'
    with open(path, 'wb') as fh:
        imagecodecs.imwrite(fh, IMAGE)
    numpy.testing.assert_array_equal(imagecodecs.imread(path), IMAGE)
    # a function as the codec, with its keywords
    imagecodecs.imwrite(path, IMAGE, codec=imagecodecs.ljpeg_encode,
                        bitspersample=12)
    numpy.testing.assert_array_equal(
        imagecodecs.imread(path, codec=imagecodecs.ljpeg_decode), IMAGE)


def test_codec_lists_are_tried_in_order(npy):
    image, decode = imagecodecs.imread(npy, codec=['ljpeg', 'numpy'],
                                       return_codec=True)
    numpy.testing.assert_array_equal(image, IMAGE)
    assert decode is imagecodecs.numpy_decode
    # an unknown name in a list is one more failed candidate
    image = imagecodecs.imread(npy, codec=['nonsense', 'npy'])
    numpy.testing.assert_array_equal(image, IMAGE)


def test_errors(npy, tmp_path):
    with pytest.raises(ValueError, match='nonsense'):
        imagecodecs.imread(npy, codec='nonsense')
    with pytest.raises(ValueError, match='nonsense'):
        imagecodecs.imwrite(tmp_path / 'x.npy', IMAGE, codec='nonsense')
    with pytest.raises(ValueError):
        imagecodecs.imwrite(io.BytesIO(), IMAGE)  # nothing names a codec
    with pytest.raises(ValueError):
        imagecodecs.imwrite(tmp_path / 'x.unknown', IMAGE)
    with pytest.raises(ValueError, match='(?i)ljpeg'):
        imagecodecs.imread(b'not an image at all', codec='ljpeg')
    with pytest.raises(FileNotFoundError):
        imagecodecs.imread(tmp_path / 'missing.npy')


def test_imagefileext():
    extensions = imagecodecs.imagefileext()
    assert {'png', 'jpg', 'tif', 'npy', 'jxl', 'webp'} <= set(extensions)
