# SPDX-License-Identifier: BSD-3-Clause
"""PNG and APNG files written and read in plain Python, for the tests.

An independent implementation of the parts of the format the tests need:
files of any color type, bit depth, tRNS and interlacing to decode, a
reader of non-interlaced files to check our encodings sample by sample,
and a model of APNG compositing.
"""

from __future__ import annotations

import struct
import zlib

import numpy

SIGNATURE = b'\x89PNG\r\n\x1a\n'
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
# Adam7 passes: x0, y0, dx, dy
ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4),
         (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))


def chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack('>I', len(data)) + kind + data
            + struct.pack('>I', zlib.crc32(kind + data)))


def chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """Return the (type, data) of every chunk; CRCs are verified."""
    assert data[:8] == SIGNATURE
    result = []
    pos = 8
    while pos < len(data):
        (length,) = struct.unpack('>I', data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack('>I', data[pos + 8 + length:pos + 12 + length])
        assert crc == zlib.crc32(kind + body), kind
        result.append((kind, body))
        pos += 12 + length
    return result


def _rows(image, depth: int) -> list[bytes]:
    """Return the unfiltered scanlines of an (h, w) or (h, w, c) image."""
    rows = []
    for row in image:
        row = numpy.asarray(row).reshape(-1)
        if depth == 16:
            rows.append(row.astype('>u2').tobytes())
        elif depth == 8:
            rows.append(row.astype('u1').tobytes())
        else:
            bits = numpy.unpackbits(row.astype('u1')[:, None], axis=1)
            rows.append(numpy.packbits(bits[:, 8 - depth:]).tobytes())
    return rows


def _idat(image, depth: int, interlace: bool = False) -> bytes:
    image = numpy.asarray(image)
    passes = ADAM7 if interlace else ((0, 0, 1, 1),)
    raw = b''
    for x0, y0, dx, dy in passes:
        sub = image[y0::dy, x0::dx]
        if sub.shape[0] and sub.shape[1]:
            raw += b''.join(b'\0' + row for row in _rows(sub, depth))
    return zlib.compress(raw)


def make_png(image, colortype: int, depth: int, *, palette=None, trns=None,
             interlace: bool = False, idat=None) -> bytes:
    """Return a PNG file of image (samples as stored, palette indices for
    color type 3); `idat` replaces the compressed image data."""
    image = numpy.asarray(image)
    height, width = image.shape[:2]
    data = SIGNATURE + chunk(b'IHDR', struct.pack(
        '>IIBBBBB', width, height, depth, colortype, 0, 0, int(interlace)))
    if palette is not None:
        data += chunk(b'PLTE', bytes(numpy.asarray(palette, 'u1').ravel()))
    if trns is not None:
        data += chunk(b'tRNS', trns)
    if idat is None:
        idat = _idat(image, depth, interlace)
    return data + chunk(b'IDAT', idat) + chunk(b'IEND', b'')


def make_apng(width: int, height: int, frames, *, colortype: int = 6,
              depth: int = 8, default=None, palette=None,
              trns=None) -> bytes:
    """Return an APNG file.

    frames: (image, x, y, delay_num, delay_den, dispose_op, blend_op);
    default: an IDAT image that is not part of the animation.
    """
    data = SIGNATURE + chunk(b'IHDR', struct.pack(
        '>IIBBBBB', width, height, depth, colortype, 0, 0, 0))
    if palette is not None:
        data += chunk(b'PLTE', bytes(numpy.asarray(palette, 'u1').ravel()))
    if trns is not None:
        data += chunk(b'tRNS', trns)
    data += chunk(b'acTL', struct.pack('>II', len(frames), 0))
    if default is not None:
        data += chunk(b'IDAT', _idat(default, depth))
    sequence = 0
    for i, (image, x, y, num, den, dispose, blend) in enumerate(frames):
        image = numpy.asarray(image)
        data += chunk(b'fcTL', struct.pack(
            '>IIIIIHHBB', sequence, image.shape[1], image.shape[0], x, y,
            num, den, dispose, blend))
        sequence += 1
        if i == 0 and default is None:
            data += chunk(b'IDAT', _idat(image, depth))
        else:
            data += chunk(b'fdAT', struct.pack('>I', sequence)
                          + _idat(image, depth))
            sequence += 1
    return data + chunk(b'IEND', b'')


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def _unfilter(raw: bytes, height: int, rowbytes: int, bpp: int) -> bytes:
    out = bytearray()
    prior = bytearray(rowbytes)
    pos = 0
    for _ in range(height):
        kind = raw[pos]
        row = bytearray(raw[pos + 1:pos + 1 + rowbytes])
        pos += 1 + rowbytes
        for i in range(rowbytes):
            a = row[i - bpp] if i >= bpp else 0
            b = prior[i]
            c = prior[i - bpp] if i >= bpp else 0
            if kind == 1:
                row[i] = (row[i] + a) & 255
            elif kind == 2:
                row[i] = (row[i] + b) & 255
            elif kind == 3:
                row[i] = (row[i] + (a + b) // 2) & 255
            elif kind == 4:
                row[i] = (row[i] + _paeth(a, b, c)) & 255
            else:
                assert kind == 0, kind
        out += row
        prior = row
    return bytes(out)


def read_frames(data: bytes) -> tuple[dict, list[tuple[dict, numpy.ndarray]]]:
    """Return the header and the images of a non-interlaced 8 or 16-bit
    PNG or APNG file as stored (no compositing): [(fcTL fields, array)]."""
    parsed = chunks(data)
    width, height, depth, colortype, _, _, interlace = struct.unpack(
        '>IIBBBBB', parsed[0][1])
    assert parsed[0][0] == b'IHDR' and interlace == 0 and depth in (8, 16)
    channels = CHANNELS[colortype]
    header = {'width': width, 'height': height, 'depth': depth,
              'colortype': colortype, 'kinds': [k for k, _ in parsed]}
    images = []
    control = {'width': width, 'height': height, 'x': 0, 'y': 0}
    stream = b''

    def flush():
        if stream:
            w, h = control['width'], control['height']
            raw = _unfilter(zlib.decompress(stream), h,
                            w * channels * depth // 8, channels * depth // 8)
            dtype = '>u2' if depth == 16 else 'u1'
            array = numpy.frombuffer(raw, dtype).reshape(h, w, channels)
            images.append((dict(control), array.astype(dtype[-2:])))

    for kind, body in parsed:
        if kind == b'acTL':
            header['frames'], header['plays'] = struct.unpack('>II', body)
        elif kind == b'fcTL':
            flush()
            stream = b''
            fields = struct.unpack('>IIIIIHHBB', body)
            control = dict(zip(('sequence', 'width', 'height', 'x', 'y',
                                'delay_num', 'delay_den', 'dispose',
                                'blend'), fields))
        elif kind == b'IDAT':
            stream += body
        elif kind == b'fdAT':
            stream += body[4:]
    flush()
    return header, images


def expand(image, colortype: int, depth: int, palette=None, trns=None):
    """Return samples as a decoder expands them: palettes to RGB(A), bit
    depths below 8 scaled to 8 bits, tRNS as an alpha channel."""
    image = numpy.asarray(image).astype(numpy.int64)
    if colortype == 3:
        table = numpy.asarray(palette, numpy.int64).reshape(-1, 3)
        if trns is None:
            return table[image]
        alpha = numpy.full(len(table), 255, numpy.int64)
        alpha[:len(trns)] = list(trns)
        return numpy.concatenate([table[image], alpha[image][..., None]], -1)
    if trns is None:
        transparent = None
    elif colortype == 0:
        transparent = image == struct.unpack('>H', trns)[0]
    else:
        key = numpy.array(struct.unpack('>HHH', trns))
        transparent = (image == key).all(-1)
    if depth < 8:
        image = image * 255 // (2**depth - 1)
    if transparent is None:
        return image
    top = 65535 if depth == 16 else 255
    alpha = numpy.where(transparent, 0, top)
    if colortype == 0:
        return numpy.stack([image, alpha], -1)
    return numpy.concatenate([image, alpha[..., None]], -1)


def composite(width, height, frames, default=None, top=255):
    """Return the images of an APNG as the decoder composites them.

    frames: (samples, x, y, dispose_op, blend_op), samples expanded, alpha
    last if any. The canvas starts empty, or as the hidden default image
    (the first image returned); the first image replaces the canvas; OVER
    mixes every sample, alpha too, by the source alpha, rounded; after a
    frame, BACKGROUND clears its region and PREVIOUS returns the canvas to
    the image shown before that frame.
    """
    images = []
    if default is not None:
        default = numpy.asarray(default, numpy.int64)
        images.append(default.copy())
        canvas = default.copy()
    else:
        first = numpy.asarray(frames[0][0])
        canvas = numpy.zeros((height, width) + first.shape[2:], numpy.int64)
    shown = canvas.copy()
    for samples, x, y, dispose, blend in frames:
        samples = numpy.asarray(samples, numpy.int64)
        h, w = samples.shape[:2]
        region = canvas[y:y + h, x:x + w]
        alpha = samples.ndim == 3 and samples.shape[2] in (2, 4)
        if blend == 1 and alpha and images:
            a = samples[..., -1:]
            region[...] = (samples * a + region * (top - a) + top // 2) // top
        else:
            region[...] = samples
        before = shown
        shown = canvas.copy()
        images.append(shown)
        if dispose == 1:
            canvas[y:y + h, x:x + w] = 0
        elif dispose == 2:
            canvas = before.copy()
    return numpy.array(images)
