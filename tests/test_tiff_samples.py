# SPDX-License-Identifier: BSD-3-Clause
"""TIFF sample files decoded segment by segment with our own codecs.

Each compressed sample is compared with a sibling that holds the same image
compressed with Deflate, which Python's zlib module decodes independently.
"""

import zlib

import numpy
import pytest

from imagecodecs import delta_decode, lzw_decode, packbits_decode
import tiffsamples
from harness import require

CODECS = {
    1: lambda data, nbytes: data,
    5: lambda data, nbytes: lzw_decode(data),
    8: lambda data, nbytes: zlib.decompress(data),
    32773: lambda data, nbytes: packbits_decode(data),
}


def decode(path):
    page = tiffsamples.read(path)
    segment_shape = page.segment_shape

    def segment(data, nbytes):
        raw = CODECS[page.compression](data, nbytes)
        if page.predictor == 1:
            return raw
        assert page.predictor == 2
        # horizontal differencing runs along each row of a whole segment
        tile = numpy.frombuffer(bytes(raw), page.dtype)
        rows = tile.size // (segment_shape[1] * segment_shape[2])
        tile = tile.reshape(rows, segment_shape[1], segment_shape[2])
        return delta_decode(tile, axis=-2).tobytes()

    return page, tiffsamples.assemble(page, segment)


@pytest.mark.parametrize('name, sibling, compression, predictor', [
    ('gray.packbits.u1.tif', 'gray.u1.tif', 32773, 1),
    ('gray.packbits.u2.tif', 'gray.u2.tif', 32773, 1),
    ('rgb.tiled.packbits.u1.tif', 'rgb.tiled.u1.tif', 32773, 1),
    ('rgb.tiled.lzw.u1.tif', 'rgb.tiled.u1.tif', 5, 2),
    ('rgb.predict.u1.tif', 'rgb.u1.tif', 8, 2),
])
def test_sample_matches_deflate_sibling(samples, name, sibling, compression,
                                        predictor):
    require('lzw')
    require('packbits')
    require('delta')
    page, image = decode(samples / 'tiff' / name)
    assert (page.compression, page.predictor) == (compression, predictor)
    _, expected = decode(samples / 'tiff' / sibling)
    assert image.shape == expected.shape == (83, 111, page.samples)
    assert image.dtype == expected.dtype
    # the images are not blank: the comparison means something
    assert image.std() > 1
    numpy.testing.assert_array_equal(image, expected)
