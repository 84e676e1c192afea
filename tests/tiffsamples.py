# SPDX-License-Identifier: BSD-3-Clause
"""A minimal baseline TIFF reader for the sample files, written from TIFF 6.

It reads the first image of classic or BigTIFF files with contiguous
samples, in strips or tiles, and hands each segment to a decoder function,
so that codec tests can compare a compressed sample with its uncompressed
sibling without any third-party TIFF library.
"""

from __future__ import annotations

import dataclasses
import pathlib
import struct
from typing import Callable

import numpy

# tag type: (struct format, size)
TYPES = {1: ('B', 1), 3: ('H', 2), 4: ('I', 4), 16: ('Q', 8), 7: ('B', 1),
         12: ('d', 8), 2: ('c', 1)}
SAMPLEFORMAT = {1: 'u', 2: 'i', 3: 'f', 6: 'c'}


@dataclasses.dataclass
class Page:
    tags: dict[int, tuple]
    segments: list[bytes]
    byteorder: str

    def tag(self, code: int, default=None):
        value = self.tags.get(code)
        return default if value is None else value[0]

    @property
    def compression(self) -> int:
        return self.tag(259, 1)

    @property
    def predictor(self) -> int:
        return self.tag(317, 1)

    @property
    def samples(self) -> int:
        return self.tag(277, 1)

    @property
    def dtype(self) -> numpy.dtype:
        bits = self.tag(258, 1)
        kind = SAMPLEFORMAT[self.tag(339, 1)]
        return numpy.dtype(f'{self.byteorder}{kind}{bits // 8}')

    @property
    def shape(self) -> tuple[int, int, int]:
        return self.tag(257), self.tag(256), self.samples

    @property
    def segment_shape(self) -> tuple[int, int, int]:
        if 322 in self.tags:
            return self.tag(323), self.tag(322), self.samples
        return min(self.tag(278, self.shape[0]), self.shape[0]), \
            self.shape[1], self.samples


def read(path: pathlib.Path) -> Page:
    """Return the first page of a TIFF file with its raw segments."""
    data = path.read_bytes()
    order = {b'II': '<', b'MM': '>'}[data[:2]]
    big = struct.unpack(order + 'H', data[2:4])[0] == 43
    if big:
        offset = struct.unpack(order + 'Q', data[8:16])[0]
        count = struct.unpack(order + 'Q', data[offset:offset + 8])[0]
        entry, pos, inline = 20, offset + 8, 8
    else:
        offset = struct.unpack(order + 'I', data[4:8])[0]
        count = struct.unpack(order + 'H', data[offset:offset + 2])[0]
        entry, pos, inline = 12, offset + 2, 4
    tags = {}
    for i in range(count):
        raw = data[pos + i * entry:pos + (i + 1) * entry]
        code, kind = struct.unpack(order + 'HH', raw[:4])
        number = struct.unpack(order + ('Q' if big else 'I'),
                               raw[4:4 + inline])[0]
        if kind not in TYPES:
            continue
        fmt, size = TYPES[kind]
        where = raw[4 + inline:]
        if number * size > inline:
            start = struct.unpack(order + ('Q' if big else 'I'), where)[0]
            where = data[start:start + number * size]
        tags[code] = struct.unpack(f'{order}{number}{fmt}',
                                   where[:number * size])
    offsets = tags.get(324) or tags[273]
    counts = tags.get(325) or tags[279]
    segments = [data[o:o + n] for o, n in zip(offsets, counts)]
    return Page(tags, segments, order)


def assemble(page: Page, decode: Callable[[bytes, int], numpy.ndarray]
             ) -> numpy.ndarray:
    """Return the image, each segment decoded by decode(data, nbytes)."""
    height, width, samples = page.shape
    seg_h, seg_w, _ = page.segment_shape
    image = numpy.zeros((height, width, samples), page.dtype)
    across = -(-width // seg_w)
    for index, data in enumerate(page.segments):
        nbytes = seg_h * seg_w * samples * page.dtype.itemsize
        raw = decode(data, nbytes)
        tile = numpy.frombuffer(bytes(raw), page.dtype)
        if 322 not in page.tags:  # the last strip may be short
            rows = min(seg_h, height - index * seg_h)
            tile = tile[:rows * seg_w * samples]
        else:
            rows = seg_h
        tile = tile.reshape(rows, seg_w, samples)
        y, x = divmod(index, across)
        y, x = y * seg_h, x * seg_w
        part = tile[:height - y, :width - x]
        image[y:y + part.shape[0], x:x + part.shape[1]] = part
    return image
