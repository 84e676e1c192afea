# SPDX-License-Identifier: BSD-3-Clause
"""Corpus of tools/diffcheck.py: inputs, the codec table, case generators.

`CODECS` holds one dict of inputs and parameters per codec; the build_phase
functions expand it into cases. Phase A needs nothing earlier; phase B
decodes each side's encodings and corrupts them; phase C tries out= of the
decoders, sized by phase B's outputs.
"""

from __future__ import annotations

import hashlib
import struct

import numpy

from diffcheck_worker import MARK, unwire_array, wire_array

# ---------------------------------------------------------------------------
# Inputs: named values shared by all codecs. Array keys are DTYPE:SHAPE,
# bytes keys b:NAME; a /VARIANT suffix (nc, ro, ba, mv, list) is applied in
# the worker, where it survives (pickling would make a view contiguous).

SHAPES = {'0d': (), '0': (0,), '0x5': (0, 5), '1x1': (1, 1), '33': (33,),
          '17x19': (17, 19), '9x11x3': (9, 11, 3), '9x11x4': (9, 11, 4),
          '4x5x6': (4, 5, 6), '2x3x4x5': (2, 3, 4, 5), '64x64': (64, 64)}
INTS = ('u1', 'u2', 'u4', 'u8', 'i1', 'i2', 'i4', 'i8')
FLOATS = ('f2', 'f4', 'f8')
DTYPES = INTS + FLOATS


def _seed(*parts):
    return int.from_bytes(hashlib.sha256(repr(parts).encode()).digest()[:8],
                          'little')


def _text(size):
    words = (b'pixel tile chunk strip the of a stream codec level block '
             b'header image array zarr tiff').split()
    rng = numpy.random.default_rng(_seed('text', size))
    return b' '.join(words[i] for i in rng.integers(0, len(words), size))[
        :size]


def _bytes_input(name):
    rng = numpy.random.default_rng(_seed('bytes', name))
    if name == 'empty':
        return b''
    if name == 'byte':
        return b'\x07'
    if name == 'text':
        return _text(300)
    if name == 'rand':
        return rng.bytes(4099)
    if name == 'zeros':
        return bytes(5000)
    if name == 'mixed':  # past 64 KiB: text, noise and runs
        return (_text(30000) + rng.bytes(20000) + bytes(10000)
                + b'\xff' * 5000 + _text(5003))
    raise KeyError(name)


def _array_input(dtype, shape):
    # '~': tame values, floats without inf, nan, -0 or subnormals and
    # integers of 12 bits, as codecs with a bit depth parameter expect
    finite = dtype.startswith('~')
    dt = numpy.dtype(dtype.lstrip('~'))
    n = int(numpy.prod(shape)) if shape else 1
    rng = numpy.random.default_rng(_seed('array', dt.str, shape))
    wave = numpy.sin(numpy.linspace(0, 7, n)) * numpy.cos(
        numpy.linspace(0, 3, n))
    if dt.kind == 'f':
        values = wave * 100 + rng.normal(0, 0.5, n)
        if n >= 8 and not finite:  # the values float codecs special-case
            values[:6] = [0.0, -0.0, numpy.inf, -numpy.inf, numpy.nan, 1e-40]
    elif dt.kind in 'ui':
        info = numpy.iinfo(dt)
        lo, hi = float(info.min), float(info.max)
        if finite:
            lo, hi = max(lo, -2048.0), min(hi, 4095.0 if lo == 0 else 2047.0)
        mid, amp = (lo + hi) / 2, (hi - lo) / 4
        values = numpy.clip(mid + amp * wave + rng.normal(0, amp / 50, n),
                            lo, hi)
        if n >= 4:
            values[:2] = [lo, hi]
    elif dt.kind == 'b':
        values = rng.random(n) > 0.5
    elif dt.kind == 'c':
        values = wave + 1j * wave
    else:
        raise KeyError(dtype)
    with numpy.errstate(all='ignore'):
        return values.astype(dt).reshape(shape)


def make_input(key):
    """The value (bytes or ndarray) of an input key without its variant."""
    base = key.split('/')[0]
    if base.startswith('b:'):
        return _bytes_input(base[2:])
    dtype, shape = base.split(':')
    return _array_input(dtype, SHAPES[shape])


def _split_variant(key):
    base, _, variant = key.partition('/')
    return base, variant or None


BYTES = ('b:empty', 'b:byte', 'b:text', 'b:rand', 'b:zeros', 'b:mixed')
# the same bytes in other buffer types, and arrays read as their bytes
BUFFERS = ('b:text/ba', 'b:text/mv', 'u1:17x19', 'u2:17x19', 'u2:17x19/nc',
           '>u2:17x19', 'f4:9x11x3', 'i8:33', 'u1:0d', 'f8:0')
CORRUPT_STREAMS = 8  # distinct valid encodings per codec to corrupt


def arrays(dtypes, shapes=('17x19',), extra=()):
    return tuple(f'{d}:{s}' for d in dtypes for s in shapes) + tuple(extra)


FILTER_INPUTS = arrays(DTYPES) + arrays(
    ('u2', 'f4'), ('0d', '0', '0x5', '1x1', '33', '9x11x3', '4x5x6'),
    ('>u2:17x19', '>f4:17x19', '>i8:17x19', 'u2:17x19/nc', 'f4:17x19/nc',
     'u2:17x19/ro'))

# ---------------------------------------------------------------------------
# The corpus table: one dict per codec.
#
# kind      stream: bytes -> bytes compressor; array: array -> bytes -> array;
#           filter: array -> array of the same shape; decoder: decode-only;
#           plain: only the functions listed in `calls`.
# inputs    input keys the encoder gets with the first `encode` variant.
# encode    call variants: dict of keywords, `_args` for positionals after
#           data. Variants after the first run on `param_inputs` only.
# decode    how the decode call follows from an encode call: 'same' passes
#           the encode parameters, a tuple names the ones to pass, a
#           callable (input, variant) -> variant.
# streams   decode-only inputs: (label, bytes or input key, variant).
# lossy     tolerance function (input, variant) -> max abs error or None
#           (then ours may not be worse than the reference).
# invalid   extra (function suffix, args, kwargs) calls with bad arguments.
# calls     further functions: {name: [(label, args, kwargs), ...]}.


def A(*args, **kwargs):
    """A call variant with positional arguments after the data."""
    return dict(kwargs, _args=args)


def _shape_dtype(inp, variant):
    return {'shape': inp.shape, 'dtype': inp.dtype.str}


def _checksums(name):
    calls = []
    for key in ('b:empty', 'b:byte', 'b:text', 'b:mixed', 'u2:17x19',
                'b:text/mv'):
        calls.append((key, [('in', key)], {}))
    for value in (0, 1, 0xFFFFFFFF, 1 << 32, -1, None):
        calls.append((f'b:text value={value}', [('in', 'b:text')],
                      {'value': value}))
    calls.append(('None', [None], {}))
    calls.append(('str', ['text'], {}))
    return {name: calls}


def _lzo_stream(data, header=False):
    # one LZO1X literal run and the end marker: the decoder's simplest valid
    # input, made here since no LZO encoder is compared
    n = len(data)
    if not n:
        run = b''
    elif n <= 238:
        run = bytes([17 + n])
    else:  # a first instruction 0 extends the length by bytes of 255
        rest = n - 18
        run = b'\x00' + b'\x00' * (rest // 255) + bytes([rest % 255])
    out = run + data + b'\x11\x00\x00'
    if header:
        out = b'\xf0' + struct.pack('>I', n) + out
    return out


def _packbits_literal(data):
    return b''.join(bytes([len(data[i:i + 128]) - 1]) + data[i:i + 128]
                    for i in range(0, len(data), 128))


def _dicomrle_stream(array):
    """DICOM RLE of an array: one PackBits segment per byte plane."""
    a = numpy.asarray(array)
    raw = a.astype(a.dtype.newbyteorder('>')).tobytes()
    size = a.dtype.itemsize
    planes = [raw[i::size] for i in range(size)]
    segments = [_packbits_literal(p) for p in planes]
    offsets, pos = [], 64
    for seg in segments:
        offsets.append(pos)
        pos += len(seg) + (len(seg) & 1)
    head = struct.pack('<16I', len(segments), *(offsets + [0] * (15 - len(
        offsets))))
    return head + b''.join(s + b'\0' * (len(s) & 1) for s in segments)


def _dds_stream(width, height, fourcc, payload, mipmaps=1):
    pixel = struct.pack('<II4sI4I', 32, 4, fourcc, 0, 0, 0, 0, 0)
    flags = 0x1007 | (0x20000 if mipmaps > 1 else 0)
    head = (struct.pack('<7I', 124, flags, height, width, 0, 0, mipmaps)
            + bytes(44) + pixel + struct.pack('<5I', 0x1000, 0, 0, 0, 0))
    return b'DDS ' + head + payload


def _rand(size, tag):
    return numpy.random.default_rng(_seed('rand', tag, size)).bytes(size)


def _eer_stream(size, tag):
    return _rand(size, 'eer' + tag)


STREAM = dict(kind='stream', inputs=BYTES + BUFFERS,
              param_inputs=('b:text', 'b:mixed'))
LEVELS = [{}, {'level': 1}, {'level': 9}]

CODECS = {
    'none': dict(kind='plain', calls={
        'none_encode': [('b:text', [('in', 'b:text')], {}),
                        ('u2:17x19 args', [('in', 'u2:17x19'), 1],
                         {'x': 2})],
        'none_decode': [('b:text', [('in', 'b:text')], {})],
        'none_check': [('b:text', [('in', 'b:text')], {})]}),
    'numpy': dict(kind='array', inputs=arrays(DTYPES) + arrays(
        ('u2',), ('0d', '0', '0x5', '9x11x3'),
        ('>u2:17x19', 'u2:17x19/nc', 'b1:33', 'c8:33')),
        encode=[{}, {'level': 5}], param_inputs=('u2:17x19', 'f8:17x19'),
        decode=(), streams=[('b:text', 'b:text', {}), ('npz index 1',
                                                        None, {'index': 1})]),
    'packbits': dict(STREAM, encode=[{}, {'axis': 0}, {'axis': -1}],
                     inputs=BYTES + BUFFERS + ('u1:9x11x3', 'u2:4x5x6'),
                     param_inputs=('u1:9x11x3', 'u2:4x5x6', 'b:text')),
    'lzw': dict(STREAM, encode=[{}], decode=lambda inp, v: {},
                streams=[('buffersize=10', None, {'buffersize': 10})]),
    'delta': dict(kind='filter', inputs=FILTER_INPUTS + ('b:text', 'b:rand'),
                  encode=[{}, {'axis': 0}, {'dist': 2}, {'axis': -2,
                                                         'dist': 3}]),
    'xor': dict(kind='filter', inputs=FILTER_INPUTS + ('b:text',),
                encode=[{}, {'axis': 0}]),
    'floatpred': dict(kind='filter', inputs=arrays(FLOATS) + arrays(
        ('f4',), ('0d', '0', '1x1', '33', '9x11x3', '4x5x6'),
        ('>f4:17x19', '>f8:17x19', 'f4:17x19/nc', 'u2:17x19', 'b:text')),
        encode=[{}, {'axis': 0}, {'dist': 3}], param_inputs=(
            'f4:9x11x3', 'f8:17x19')),
    'byteshuffle': dict(kind='filter', inputs=FILTER_INPUTS + ('b:text',),
                        encode=[{}, {'axis': 0}, {'dist': 3},
                                {'delta': True}, {'reorder': True},
                                {'delta': True, 'reorder': True, 'dist': 3}],
                        param_inputs=('u2:9x11x3', 'f4:9x11x3', 'f8:17x19',
                                      '>f4:17x19')),
    'bitorder': dict(kind='filter', inputs=FILTER_INPUTS + BYTES + (
        'b:text/ba', 'b:text/mv'), encode=[{}], decode=lambda inp, v: {}),
    'packints': dict(
        kind='array', inputs=arrays(('u1', 'u2', 'u4'), ('17x19', '33', '0')),
        encode=[A(8), A(1), A(3), A(7, runlen=19), A(12), A(16),
                A(5, bitorder='>')],
        param_inputs=('u1:17x19', 'u2:17x19', 'u4:33'),
        decode=lambda inp, v: dict({'runlen': v['runlen']} if 'runlen' in v
                                   else {}, _args=(inp.dtype.str,
                                                   v['_args'][0])),
        streams=[(f'b:rand {dt} {bps}', 'b:rand', A(dt, bps))
                 for dt, bps in (('u1', 1), ('u1', 2), ('u1', 4), ('u1', 7),
                                 ('u2', 12), ('u2', 16), ('u4', 24),
                                 ('u4', 32), ('>u2', 10), ('u8', 40),
                                 ('i2', 9), ('u1', 0), ('u1', 9))]
        + [('b:rand runlen', 'b:rand', A('u2', 12, runlen=17)),
           ('b:empty', 'b:empty', A('u1', 1))]),
    'float24': dict(kind='array', inputs=arrays(('f4',), (
        '17x19', '0d', '0', '1x1', '9x11x3'), ('>f4:17x19', 'f4:17x19/nc',
                                              'f8:17x19', 'f2:17x19')),
        encode=[{}, {'byteorder': '>'}, {'byteorder': '<'},
                {'rounding': 1024}, {'rounding': 2048}, {'rounding': 3072}],
        param_inputs=('f4:17x19',), decode=('byteorder',),
        streams=[('b:rand', 'b:rand', {}), ('b:text >', 'b:text',
                                            {'byteorder': '>'})]),
    'quantize': dict(kind='filter', inputs=arrays(FLOATS) + arrays(
        ('f4',), ('0d', '0', '1x1', '9x11x3'), ('>f4:17x19', 'f4:17x19/nc')),
        encode=[A('bitround', 8), A('bitgroom', 3), A('granularbr', 5),
                A('scale', 2), A('bitround', 0), A('bitround', 23),
                A('gbr', 1)],
        param_inputs=('f4:17x19', 'f8:17x19', 'f2:17x19'), decode='same',
        lossy=lambda inp, v: None,
        invalid=[('encode', [('in', 'f4:17x19'), 'nomode', 3], {}),
                 ('encode', [('in', 'f4:17x19'), 'bitround', -1], {}),
                 ('encode', [('in', 'f4:17x19'), 'bitround', 99], {}),
                 ('encode', [('in', 'u2:17x19'), 'bitround', 3], {})]),
    'h5checksum': dict(kind='plain', calls=dict(
        **_checksums('h5checksum_fletcher32'), **_checksums(
            'h5checksum_lookup3'), **_checksums('h5checksum_crc'),
        **_checksums('h5checksum_metadata'), **_checksums(
            'h5checksum_hash_string'))),
    'bmp': dict(kind='array', inputs=arrays(('u1',), (
        '17x19', '9x11x3', '9x11x4', '1x1', '0x5', '33', '0d'),
        ('u1:17x19/nc', 'u2:17x19', 'f4:9x11x3', 'u1:4x5x6')),
        encode=[{}, {'ppm': 3000}], param_inputs=('u1:9x11x3',),
        decode=lambda inp, v: {},
        streams=[('asrgb', None, {'asrgb': True}), ('asrgb=False', None,
                                                    {'asrgb': False})]),
    'rgbe': dict(kind='array', inputs=arrays(('f4',), ('9x11x3', '1x1'), (
        'f4:33', 'f4:17x19', 'f8:9x11x3', 'f4:9x11x4', 'f4:9x11x3/nc',
        '>f4:9x11x3')), encode=[{}, {'header': False}, {'rle': False},
                                {'rle': True}],
        param_inputs=('f4:9x11x3',), decode=('header', 'rle'),
        streams=[('rgbe pixels u1', 'u1:9x11x4', {}), ('rgbe pixels u1 hdr',
                                                       'u1:9x11x4',
                                                       {'header': False})]),
    'eer': dict(kind='decoder', streams=[
        (f'rand{size} {shape} {bits}{sr}', _eer_stream(size, str(bits)),
         A(shape, *bits, **({'superres': sr} if sr else {})))
        for size, shape, bits, sr in (
            (1000, (512, 512), (7, 2, 2), 0), (1000, (512, 512), (8, 2, 2), 0),
            (1000, (1024, 1024), (7, 2, 2), 1),
            (300, (512, 512), (7, 2, 2), 2), (1000, (64, 64), (7, 2, 2), 0),
            (1000, (512, 512), (7, 1, 3), 0), (0, (16, 16), (7, 2, 2), 0),
            (100, (0, 0), (7, 2, 2), 0), (100, (256, 256), (0, 2, 2), 0),
            (100, (256, 256), (17, 2, 2), 0))]),
    'dicomrle': dict(kind='decoder', streams=[
        (f'{key}', _dicomrle_stream(make_input(key)), A(dtype))
        for key, dtype in (('u1:17x19', 'u1'), ('u2:17x19', '<u2'),
                           ('u2:17x19', '>u2'), ('u4:17x19', '<u4'),
                           ('i2:17x19', '<i2'), ('u1:9x11x3', 'u1'),
                           ('u1:1x1', 'u1'), ('f4:17x19', '<f4'))]
        + [('header only', struct.pack('<16I', 0, *[0] * 15), A('u1')),
           ('b:rand', 'b:rand', A('u1'))]),
    'pglz': dict(STREAM, encode=[{}, {'header': True},
                                 {'strategy': 'always'},
                                 {'strategy': 'always', 'header': True}],
                 decode=('header',),
                 streams=[('checkcomplete', None, {'checkcomplete': True})]),
    'lzo': dict(kind='decoder', streams=[
        (f'{key}{" header" if hdr else ""}', _lzo_stream(
            make_input(key), hdr), {'header': True} if hdr else {
                'out': len(make_input(key))})
        for key in ('b:byte', 'b:text', 'b:rand') for hdr in (False, True)]
        + [('no size', _lzo_stream(b'abcdefgh'), {})]),
    'rcomp': dict(kind='array', inputs=arrays(('u1', 'i1', 'u2', 'i2', 'u4',
                                               'i4'), ('17x19', '33')) + (
        'u2:1x1', 'u2:0', 'u2:0d', 'u2:9x11x3', '>u2:17x19', 'u2:17x19/nc',
        'u8:17x19', 'f4:17x19'),
        encode=[{}, {'nblock': 16}, {'nblock': 1}, {'nblock': 0}],
        param_inputs=('u2:17x19', 'i1:33'),
        decode=lambda inp, v: dict(_shape_dtype(inp, v), **{
            k: v[k] for k in ('nblock',) if k in v})),
    'ljpeg': dict(kind='array', inputs=arrays(('u1', 'u2'), (
        '17x19', '1x1', '64x64')) + ('u2:0x5', 'u2:33', 'u1:9x11x3',
                                      'u2:17x19/nc', '>u2:17x19', 'i2:17x19',
                                      'f4:17x19'),
        encode=[{}, {'bitspersample': 12}, {'bitspersample': 8},
                {'bitspersample': 17}],
        param_inputs=('~u2:17x19',), decode=lambda inp, v: {}),
    'jpegsof3': dict(kind='decoder', streams_from='ljpeg'),
    'bcn': dict(kind='decoder', streams=[
        (f'BC{fmt} {shape}', _rand(size, f'bcn{fmt}'), A(fmt, shape=shape))
        for fmt, size, shape in (
            (1, 128, (16, 16, 4)), (2, 256, (16, 16, 4)),
            (3, 256, (16, 16, 4)), (4, 128, (16, 16)), (5, 256, (16, 16, 2)),
            (6, 256, (16, 16, 3)), (-6, 256, (16, 16, 3)),
            (7, 256, (16, 16, 4)), (1, 128, (13, 13, 4)),
            (1, 64, (16, 16, 4)), (1, 128, (16, 16, 3)),
            (1, 128, (2, 16, 16, 4)), (8, 128, (16, 16, 4)),
            (0, 128, (16, 16, 4)))] + [
        ('BC1 no shape', _rand(128, 'bcn1'), A(1))]),
    'dds': dict(kind='decoder', streams=[
        ('DXT1 16x16', _dds_stream(16, 16, b'DXT1', _rand(128, 'dds1')), {}),
        ('DXT3 16x16', _dds_stream(16, 16, b'DXT3', _rand(256, 'dds3')), {}),
        ('DXT5 16x16', _dds_stream(16, 16, b'DXT5', _rand(256, 'dds5')), {}),
        ('DXT1 13x7', _dds_stream(13, 7, b'DXT1', _rand(64, 'dds7')), {}),
        ('DXT1 mips', _dds_stream(16, 16, b'DXT1', _rand(168, 'ddsm'), 3),
         {}),
        ('DXT1 mips mipmap=1', _dds_stream(16, 16, b'DXT1', _rand(
            168, 'ddsm'), 3), {'mipmap': 1}),
        ('DXT1 short', _dds_stream(16, 16, b'DXT1', _rand(100, 'dds1')), {}),
        ('ABCD', _dds_stream(16, 16, b'ABCD', _rand(256, 'dds1')), {}),
        ('header only', b'DDS ' + bytes(124), {})]),
    'aec': dict(STREAM, inputs=BYTES + ('u1:17x19', 'u2:17x19', 'i2:17x19',
                                        'u4:17x19', 'i4:33', 'u2:0',
                                        'u2:17x19/nc', 'b:text/ba'),
                encode=[{}, {'bitspersample': 16}, {'bitspersample': 12,
                                                    'flags': 8},
                        {'bitspersample': 16, 'flags': 9, 'blocksize': 16,
                         'rsi': 64}, {'bitspersample': 8, 'flags': 16 + 8},
                        {'blocksize': 7}],
                param_inputs=('~u2:17x19', '~i2:17x19'), decode='same'),
    'szip': dict(
        kind='array', inputs=('u2:17x19', 'u1:17x19', 'u4:17x19'),
        encode=[A(4 + 128, 32, 16, 19), A(4 + 128, 32, 16, 19, header=True),
                A(4 + 128, 8, 8, 19), A(4 + 128, 32, 32, 19), A(
                    4 + 16 + 128, 16, 16, 19), A(4, 32, 16, 0), A(4, 7, 16,
                                                                  19)],
        param_inputs=('u2:17x19',), decode='same',
        calls={'szip_params': [
            (key, [('in', key)], kw) for key in ('u2:17x19', 'u1:33',
                                                  'f8:17x19', 'u2:0d')
            for kw in ({}, {'options_mask': 4, 'pixels_per_block': 8})]}),
    'zlib': dict(STREAM, encode=LEVELS + [{'level': 0}, {'level': -1}],
                 calls={**_checksums('zlib_crc32'),
                        **_checksums('zlib_adler32')}),
    'zlibng': dict(STREAM, encode=LEVELS + [{'level': 0}, {'level': -1}],
                   calls={**_checksums('zlibng_crc32'),
                          **_checksums('zlibng_adler32')}),
    'deflate': dict(STREAM, encode=LEVELS + [{'level': 12}, {'raw': True},
                                             {'level': 0}],
                    decode=('raw',), calls={**_checksums('deflate_crc32'),
                                            **_checksums('deflate_adler32')}),
    'gzip': dict(STREAM, encode=LEVELS + [{'level': 0}]),
    'zstd': dict(STREAM, encode=LEVELS + [{'level': 19}, {'level': -5},
                                          {'level': 0}]),
    'lz4': dict(STREAM, encode=[{}, {'level': 9}, {'hc': True},
                                {'hc': True, 'level': 12}, {'header': True},
                                {'level': -1}], decode=('header',)),
    'lz4h5': dict(STREAM, encode=[{}, {'level': 9}, {'blocksize': 1000},
                                  {'blocksize': 1}]),
    'lz4f': dict(STREAM, encode=[{}, {'level': 9}, {'blocksizeid': 4},
                                 {'blocksizeid': 7}, {
                                     'contentchecksum': True,
                                     'blockchecksum': True}]),
    'blosc': dict(STREAM, inputs=BYTES + BUFFERS + arrays(
        ('f8', 'u4'), ('17x19',)), encode=[
        {}, {'level': 9}, {'compressor': 'zstd'}, {'compressor': 'lz4hc'},
        {'compressor': 'zlib'}, {'compressor': 'snappy'},
        {'shuffle': 'bitshuffle'}, {'shuffle': 'noshuffle'},
        {'shuffle': 2, 'typesize': 4}, {'blocksize': 1024},
        {'numthreads': 2}],
        param_inputs=('u2:17x19', 'b:mixed'), decode=lambda inp, v: {}),
    'blosc2': dict(STREAM, inputs=BYTES + BUFFERS + arrays(
        ('f8', 'u4'), ('17x19',)), encode=[
        {}, {'level': 9}, {'compressor': 'zstd'}, {'compressor': 'lz4hc'},
        {'compressor': 'zlib'}, {'shuffle': 'bitshuffle'},
        {'shuffle': 'delta'}, {'shuffle': 'noshuffle'},
        {'splitmode': 'always'}, {'splitmode': 'never'},
        {'typesize': 4}, {'blocksize': 1024}, {'numthreads': 2}],
        param_inputs=('u2:17x19', 'b:mixed'), decode=lambda inp, v: {}),
    'brotli': dict(STREAM, encode=LEVELS + [{'level': 11}, {'mode': 1},
                                            {'lgwin': 10}, {'level': 0}]),
    'snappy': dict(STREAM, encode=[{}]),
    'lzma': dict(STREAM, encode=LEVELS + [{'check': 0}, {'check': 4},
                                          {'check': 10}]),
    'bz2': dict(STREAM, encode=LEVELS + [{'level': 0}]),
    'lzf': dict(STREAM, encode=[{}, {'header': True}], decode=('header',)),
    'lzfse': dict(STREAM, encode=[{}]),
    'lzham': dict(STREAM, encode=LEVELS + [{'level': 10}, {'level': 0}]),
    'zopfli': dict(STREAM, inputs=BYTES[:4] + ('b:text/ba', 'u1:17x19'),
                   encode=[{}], param_inputs=('b:text',)),
    'bitshuffle': dict(
        STREAM, inputs=BYTES + BUFFERS + arrays(('u1', 'u4', 'f8', 'i2'), (
            '17x19',)) + ('u2:0', 'u2:0d', 'u2:9x11x3', '>u2:17x19'),
        encode=[{}, {'itemsize': 4}, {'itemsize': 2, 'blocksize': 8},
                {'blocksize': 16}, {'itemsize': 3}, {'blocksize': 7}],
        param_inputs=('b:rand', 'u2:17x19'), decode='same'),
    # lossy codecs get finite fields (~), one input with inf and nan
    'lerc': dict(kind='array', inputs=arrays(
        ('~f4', '~f8', 'u1', 'u2', 'i4')) + (
        'f4:17x19', '~f4:9x11x3', '~f4:1x1', '~f4:33', '~f4:0', '~f4:4x5x6',
        '~f4:17x19/nc', '~>f4:17x19', 'u8:17x19', '~f4:2x3x4x5'),
        encode=[{}, {'level': 0.01}, {'level': 1.0}, {'version': 2},
                {'version': 3}, {'planar': True}, {'compression': 'zstd'},
                {'compression': 'deflate', 'compressionargs': {'level': 5}}],
        param_inputs=('~f4:17x19', '~f4:9x11x3', 'u2:17x19'),
        decode=lambda inp, v: {},
        lossy=lambda inp, v: v.get('level') or None,
        streams=[('masks', None, {'masks': True})]),
    'zfp': dict(kind='array', inputs=arrays(('~f4', '~f8', 'i4', 'i8')) + (
        'f4:17x19', '~f4:33', '~f4:4x5x6', '~f4:2x3x4x5', '~f4:1x1', '~f4:0',
        '~f4:17x19/nc', '~>f4:17x19', 'u2:17x19'),
        encode=[{}, {'level': 0.01, 'mode': 'a'}, {'level': 8, 'mode': 'r'},
                {'level': 16, 'mode': 'p'}, {'header': False},
                {'mode': 'R'}],
        param_inputs=('~f4:17x19', '~f8:4x5x6'),
        decode=lambda inp, v: _shape_dtype(inp, v) if v.get(
            'header') is False else {},
        lossy=lambda inp, v: v.get('level') if v.get('mode') == 'a' else
        None),
    'sperr': dict(kind='array', inputs=(
        '~f4:17x19', 'f4:17x19', '~f8:17x19', '~f4:4x5x6', '~f4:33',
        '~f4:1x1', '~f4:0', '~f4:17x19/nc', '~>f4:17x19', 'u2:17x19',
        '~f4:64x64'),
        encode=[A(0.01, 'pwe'), A(8.0, 'bpp'), A(40, 'psnr'),
                A(0.01, 'pwe', header=False), A(0.01, 'pwe', chunks=(8, 8)),
                A(0, 'pwe'), A(0.5, 'bpp')],
        param_inputs=('~f4:17x19', '~f8:17x19', '~f4:4x5x6'),
        decode=lambda inp, v: dict(_shape_dtype(inp, v), header=False)
        if v.get('header') is False else {},
        lossy=lambda inp, v: v['_args'][0] if v['_args'][1] == 'pwe'
        else None),
}

# invalid calls every codec gets for its encoder and decoder
GENERIC_INVALID = [
    ('None', [None], {}), ('str', ['text'], {}), ('float', [1.5], {}),
    ('object array', [('in', 'b:text/obj')], {}),
    ('complex array', [('in', 'c8:33')], {}),
    ('bool array', [('in', 'b1:33')], {}),
]
LEVEL_INVALID = [('level=1000', {'level': 1000}),
                 ('level=-1000', {'level': -1000}),
                 ('level="x"', {'level': 'x'})]

# ---------------------------------------------------------------------------
# Corpus building


class Corpus:
    """Cases of one phase: what the workers run plus what compare needs."""

    def __init__(self, inputs):
        self.inputs = inputs  # key -> driver-side value (shared by phases)
        self.cases = []

    def add(self, codec, func, label, args, kwargs, **meta):
        case = dict(codec=codec, func=func, label=label, args=list(args),
                    kwargs=dict(kwargs), **meta)
        self.cases.append(case)
        return case

    def wire(self):
        used = {}

        def walk(obj):
            if isinstance(obj, tuple) and obj and obj[0] == MARK:
                if obj[1] == 'in':
                    used.setdefault(obj[2], None)
                return obj
            if isinstance(obj, (list, tuple)):
                return type(obj)(walk(o) for o in obj)
            if isinstance(obj, dict):
                return {k: walk(v) for k, v in obj.items()}
            if isinstance(obj, numpy.ndarray):
                return wire_array(obj)
            return obj

        cases = [(c['func'], walk(c['args']), walk(c['kwargs']))
                 for c in self.cases]
        inputs = {}
        for key in used:
            value = self.inputs[key]
            inputs[key] = wire_array(value) if isinstance(
                value, numpy.ndarray) else value
        return {'inputs': inputs, 'cases': cases}


class Inputs(dict):
    """Input values by key, made on first use."""

    def __missing__(self, key):
        value = make_input(key)
        self[key] = value
        return value

    def ref(self, key):
        base, variant = _split_variant(key)
        self[base]  # noqa: B018  (made now, so wire() finds it)
        return (MARK, 'in', base, variant)

    def value(self, key):
        return self[_split_variant(key)[0]]


def _resolve(inputs, obj):
    """Turn ('in', key) shorthands of the table into input markers."""
    if isinstance(obj, tuple) and len(obj) == 2 and obj[0] == 'in':
        return inputs.ref(obj[1])
    if isinstance(obj, list):
        return [_resolve(inputs, o) for o in obj]
    if isinstance(obj, dict):
        return {k: _resolve(inputs, v) for k, v in obj.items()}
    return obj


def _split(variant):
    kwargs = dict(variant)
    args = list(kwargs.pop('_args', ()))
    return args, kwargs


def _fmt_variant(variant):
    args, kwargs = _split(variant)
    parts = [repr(a) for a in args] + [f'{k}={v!r}' for k, v in
                                       kwargs.items()]
    return ' '.join(parts)


def _label(*parts):
    return ' '.join(p for p in parts if p)


def _decode_variant(spec, inp, variant):
    decode = spec.get('decode', 'same' if spec['kind'] == 'filter' else ())
    if callable(decode):
        return decode(inp, variant)
    if decode == 'same':
        return {k: v for k, v in variant.items() if k != 'out'}
    return {k: variant[k] for k in decode if k in variant}


def build_phase_a(codecs, inputs, functions):
    """Calls that need no earlier results."""
    corpus = Corpus(inputs)
    for codec in codecs:
        spec = CODECS.get(codec)
        if spec is None:
            continue
        kind = spec['kind']
        enc, dec = f'{codec}_encode', f'{codec}_decode'
        variants = spec.get('encode', [{}])
        if kind in ('stream', 'array', 'filter'):
            for n, variant in enumerate(variants):
                keys = spec['inputs'] if n == 0 else spec.get(
                    'param_inputs', spec['inputs'][:2])
                for key in keys:
                    args, kwargs = _split(variant)
                    corpus.add(codec, enc, _label(key, _fmt_variant(variant)),
                               [inputs.ref(key)] + args, kwargs,
                               role='encode', input=key, variant=variant,
                               spec_kind=kind, lossy_encode=bool(
                                   spec.get('lossy')) and kind == 'filter')
        if kind == 'filter':
            _filter_out_cases(corpus, codec, spec, inputs)
        if kind == 'decoder':
            # decode-only: the encoder must refuse, with the same class
            corpus.add(codec, enc, 'u2:17x19', [inputs.ref('u2:17x19')], {})
        for label, stream, variant in spec.get('streams', ()):
            if stream is None:
                continue  # needs an encoding: phase B
            if isinstance(stream, bytes):
                key = 'raw:' + codec + ':' + label
                inputs[key] = stream
            else:
                key = stream
            args, kwargs = _split(variant)
            corpus.add(codec, dec, _label(label, _fmt_variant(kwargs)),
                       [inputs.ref(key)] + args, kwargs, role='stream',
                       input=key, variant=variant)
        for func, calls in spec.get('calls', {}).items():
            for label, args, kwargs in calls:
                corpus.add(codec, func, label, _resolve(inputs, args),
                           _resolve(inputs, kwargs))
        # check and version of every codec
        for key in ('b:empty', 'b:text', 'b:rand', 'u2:17x19'):
            corpus.add(codec, f'{codec}_check', key, [inputs.ref(key)], {})
        corpus.add(codec, f'{codec}_version', '', [], {}, cmp='type')
        # invalid arguments
        for func in (enc, dec) if kind != 'plain' else ():
            for label, args, kwargs in GENERIC_INVALID:
                # an object array's buffer holds pointers: only whether a
                # side accepts it and the output size can be compared
                corpus.add(codec, func, 'invalid ' + label,
                           _resolve(inputs, args), kwargs,
                           cmp='size' if 'object' in label else None)
        if any('level' in v for v in variants):
            key = spec['param_inputs'][0]
            for label, kwargs in LEVEL_INVALID:
                corpus.add(codec, enc, f'invalid {key} {label}',
                           [inputs.ref(key)], kwargs)
        for suffix, args, kwargs in spec.get('invalid', ()):
            corpus.add(codec, f'{codec}_{suffix}', 'invalid ' + ' '.join(
                repr(a) if not isinstance(a, tuple) else a[1]
                for a in args), _resolve(inputs, args), kwargs)
    # functions of these codecs the table does not call: without arguments,
    # with bytes, with an array
    covered = {c['func'] for c in corpus.cases}
    for codec in codecs:
        for func in functions.get(codec, ()):
            if func not in covered:
                corpus.add(codec, func, '(not in table)', [], {})
                for key in ('b:text', 'u2:17x19'):
                    corpus.add(codec, func, f'{key} (not in table)',
                               [inputs.ref(key)], {})
    return corpus


def _filter_out_cases(corpus, codec, spec, inputs):
    """out= of array filters: new, in place, read-only input, wrong ones."""
    variant = spec.get('encode', [{}])[0]
    args, kwargs = _split(variant)
    keys = [k for k in spec['inputs'] if k in ('u2:17x19', 'f4:17x19')]
    for key in keys[:2]:
        value = inputs.value(key)
        outs = [
            ('out=zeros', (MARK, 'zeros', value.dtype.str, value.shape,
                           None), None),
            ('out=input', (MARK, 'arg', 0), None),
            ('out=input/ro', (MARK, 'arg', 0), 'ro'),
            ('out=zeros/nc', (MARK, 'zeros', value.dtype.str, value.shape,
                              'nc'), None),
            ('out=wrong dtype', (MARK, 'zeros', 'f8' if value.dtype.kind !=
                                 'f' else 'u1', value.shape, None), None),
            ('out=wrong shape', (MARK, 'zeros', value.dtype.str,
                                 (value.shape[0] + 1, value.shape[1]), None),
             None),
            ('out=bytearray', (MARK, 'bytearray', value.nbytes), None),
            ('out=int', value.nbytes, None),
            ('out=bytes', (MARK, 'type', 'bytes'), None),
        ]
        for func in (f'{codec}_encode', f'{codec}_decode'):
            for label, out, inp_variant in outs:
                ref = inputs.ref(key + ('/' + inp_variant if inp_variant
                                        else ''))
                corpus.add(codec, func, _label(key, _fmt_variant(variant),
                                               label),
                           [ref] + args, dict(kwargs, out=out),
                           input=key, variant=variant)


def _equal_values(a, b):
    if isinstance(a, numpy.ndarray) or isinstance(b, numpy.ndarray):
        return (isinstance(a, numpy.ndarray) and isinstance(b, numpy.ndarray)
                and a.dtype == b.dtype and a.shape == b.shape
                and a.tobytes() == b.tobytes())
    return a == b


def _value_of(summary):
    """The data of a result, as bytes or ndarray, or None if not kept."""
    v = summary.get('value', {})
    if 'data' not in v:
        return None
    if v['t'] == 'ndarray':
        return unwire_array(v['dtype'], v['shape'], v['data'])
    return v['data']


def build_phase_b(codecs, inputs, phase_a, results_a):
    """Decodes of each side's encodings, encode out=, corrupt streams."""
    corpus = Corpus(inputs)
    per_codec_streams = {}
    for index, case in enumerate(phase_a.cases):
        spec = CODECS.get(case['codec'], {})
        codec = case['codec']
        if case.get('role') == 'stream':
            # crafted streams of decode-only codecs get corrupted too
            if results_a['ref'][index].get('status') == 'ok' and isinstance(
                    inputs[case['input']], bytes):
                per_codec_streams.setdefault(codec, []).append(
                    (case['input'], case, None))
            continue
        if case.get('role') != 'encode':
            continue
        ours, ref = results_a['ours'][index], results_a['ref'][index]
        streams = {}
        for side, res in (('ours', ours), ('ref', ref)):
            if res.get('status') == 'ok':
                value = _value_of(res)
                if value is not None:
                    streams[side] = value
        if not streams:
            continue
        same = ('ours' in streams and 'ref' in streams and _equal_values(
            streams['ours'], streams['ref']))
        inp = inputs.value(case['input'])
        dvariant = _decode_variant(spec, inp, case['variant'])
        dargs, dkwargs = _split(dvariant)
        tol = spec['lossy'](inp, case['variant']) if spec.get(
            'lossy') else None
        case['cross'] = {}
        for side in (['both'] if same else sorted(streams)):
            value = streams['ref' if side == 'both' else side]
            key = f'enc:{side}:{index}'
            inputs[key] = value
            label = f'enc[{side}]({case["label"]})'
            dec = corpus.add(codec, f'{codec}_decode', label,
                             [inputs.ref(key)] + dargs, dkwargs,
                             role='decode', of=index, input=case['input'],
                             stream=key, lossy=bool(spec.get('lossy')),
                             tol=tol, dvariant=dvariant)
            case['cross'][side] = len(corpus.cases) - 1
            if side in ('both', 'ref') and isinstance(value, bytes):
                per_codec_streams.setdefault(codec, []).append(
                    (key, dec, case))
        # out= of the encoder, sized by the reference's output
        if (spec.get('kind') in ('stream', 'array') and 'ref' in streams
                and isinstance(streams['ref'], bytes) and case['variant']
                == spec.get('encode', [{}])[0] and case['input'] in
                spec.get('param_inputs', ())[:2]):
            # exact sizes only where both encodings have the same length
            sizes = {len(bytes(v)) for v in streams.values()}
            args, kwargs = _split(case['variant'])
            for label, out in _byte_outs(max(sizes), len(sizes) == 1):
                corpus.add(codec, case['func'], _label(case['label'], label),
                           [inputs.ref(case['input'])] + args,
                           dict(kwargs, out=out), role='out', of=index)
    # the decoders whose input comes from another codec's encoder
    for codec in codecs:
        spec = CODECS.get(codec, {})
        source = spec.get('streams_from')
        if source:
            for key, dec, _ in per_codec_streams.get(source, [])[:12]:
                corpus.add(codec, f'{codec}_decode', dec['label'],
                           [inputs.ref(key)], {}, role='decode',
                           stream=key)
                per_codec_streams.setdefault(codec, []).append(
                    (key, corpus.cases[-1], None))
        # table streams that decode an encoding with extra parameters
        for label, stream, variant in spec.get('streams', ()):
            if stream is not None:
                continue
            for key, dec, _ in per_codec_streams.get(codec, [])[:3]:
                args, kwargs = _split(dict(dec.get('dvariant', {}),
                                           **variant))
                corpus.add(codec, f'{codec}_decode', _label(
                    dec['label'], label), [inputs.ref(key)] + args, kwargs)
    # corrupt streams: truncated, bytes flipped, junk appended
    for codec, items in per_codec_streams.items():
        chosen, seen = [], set()
        for key, dec, _ in items:
            value = inputs[key]
            if len(value) < 8 or value in seen:
                continue
            seen.add(value)
            chosen.append((key, dec))
            if len(chosen) == CORRUPT_STREAMS:
                break
        for key, dec in chosen:
            value = inputs[key]
            rng = numpy.random.default_rng(_seed('corrupt', codec, key))
            n = len(value)
            variants = [(f'trunc:{m}', value[:m]) for m in sorted(
                {1, n // 2, n - 1})]
            for pos in sorted(set(rng.integers(0, n, 4).tolist()) | {0}):
                flipped = bytearray(value)
                flipped[pos] ^= 0xFF
                variants.append((f'flip:{pos}', bytes(flipped)))
            variants.append(('junk:+16', value + b'\x00' * 16))
            variants.append(('junk:+16rand', value + rng.bytes(16)))
            args, kwargs = _split(dec.get('dvariant', {})) if dec.get(
                'dvariant') else ([], {})
            if not args and not kwargs:
                args, kwargs = dec['args'][1:], dec['kwargs']
            for label, data in variants:
                ckey = f'{key}:{label}'
                inputs[ckey] = data
                corpus.add(codec, dec['func'], f'{dec["label"]} {label}',
                           [inputs.ref(ckey)] + list(args), dict(kwargs),
                           role='corrupt')
                if label.startswith('trunc'):
                    corpus.add(codec, f'{codec}_check', f'{dec["label"]} '
                               f'{label}', [inputs.ref(ckey)], {})
        for key, dec in chosen[:1]:
            corpus.add(codec, f'{codec}_check', dec['label'],
                       [inputs.ref(key)], {})
    return corpus


def _byte_outs(n, exact=True):
    """out= for an output of n bytes; without the exact sizes when n is
    only the larger of two outputs."""
    sized = [('out=n-1', n - 1), ('out=n', n),
             ('out=bytearray(n)', (MARK, 'bytearray', n))]
    return (sized if exact else []) + [
        ('out=n+100', n + 100),
        ('out=bytearray(n+100)', (MARK, 'bytearray', n + 100)),
        ('out=memoryview(n+100)', (MARK, 'mvba', n + 100)),
        ('out=zeros(n+100,u1)', (MARK, 'zeros', '|u1', (n + 100,), None)),
        ('out=bytes', (MARK, 'type', 'bytes')),
        ('out=bytearray', (MARK, 'type', 'bytearray')),
        ('out=bytes instance', b'\x00' * (n + 1))]


def build_phase_c(inputs, phase_b, results_b):
    """out= of decoders, sized by their output where both sides agree."""
    corpus = Corpus(inputs)
    done = {}
    for index, case in enumerate(phase_b.cases):
        if case.get('role') != 'decode':
            continue
        res, ours = results_b['ref'][index], results_b['ours'][index]
        if res.get('status') != 'ok' or ours.get('status') != 'ok' or (
                res['value'].get('sha') != ours['value'].get('sha')):
            continue  # a plain decode that differs says it all already
        codec = case['codec']
        if done.get(codec, 0) >= 2:
            continue
        v = res['value']
        if v['t'] == 'ndarray':
            dtype, shape = v['dtype'], tuple(v['shape'])
            if not shape or 0 in shape:
                continue
            wrong = 'f8' if numpy.dtype(dtype).kind != 'f' else 'u1'
            outs = [('out=zeros', (MARK, 'zeros', dtype, shape, None)),
                    ('out=zeros/nc', (MARK, 'zeros', dtype, shape, 'nc')),
                    ('out=zeros/ro', (MARK, 'zeros', dtype, shape, 'ro')),
                    ('out=wrong dtype', (MARK, 'zeros', wrong, shape, None)),
                    ('out=wrong shape', (MARK, 'zeros', dtype,
                                         (shape[0] + 1,) + shape[1:], None)),
                    ('out=flat', (MARK, 'zeros', dtype, (int(numpy.prod(
                        shape)),), None)),
                    ('out=bytearray', (MARK, 'bytearray', v['len']))]
        elif v['t'] in ('bytes', 'bytearray'):
            if v['len'] == 0:
                continue
            outs = _byte_outs(v['len'])
        else:
            continue
        done[codec] = done.get(codec, 0) + 1
        for label, out in outs:
            corpus.add(codec, case['func'], _label(case['label'], label),
                       case['args'], dict(case['kwargs'], out=out),
                       role='out')
    return corpus
