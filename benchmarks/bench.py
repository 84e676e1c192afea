# SPDX-License-Identifier: BSD-3-Clause
"""Encode and decode throughput of every codec, ours against a reference.

    python benchmarks/bench.py                      # this interpreter only
    python benchmarks/bench.py --reference /path/to/other/python --rounds 3
    python benchmarks/bench.py --peers jpeg8 png webp

With --reference the same cases run in the other interpreter (for example a
scratch virtual environment with the reference imagecodecs package), with
the same data, in the same run, and a table of speed ratios is printed
(ratio > 1: ours is faster). Data are realistic: image-like smooth 16-bit
tiles, 8-bit RGB photos with noise, float32 fields, bytes of a text corpus.
Only codecs available in both builds are compared.

With --peers the image cases are also timed with the fastest single-purpose
packages (simplejpeg, pyspng, Pillow, pylibjpeg-openjpeg ...) in this
interpreter, on the same data, and a second table gives ours/peer ratios.
Peers that are not installed are skipped.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import io
import json
import os
import subprocess
import sys
import timeit

import numpy


def _image_u16(shape=(1024, 1024)):
    y, x = numpy.mgrid[: shape[0], : shape[1]]
    rng = numpy.random.default_rng(0)
    data = 2000 + 800 * numpy.sin(x / 37.0) * numpy.cos(y / 53.0)
    return (data + rng.normal(0, 20, shape)).astype(numpy.uint16)


def _image_u8(shape=(1024, 1024, 3)):
    return (_image_u16(shape[:2])[..., None] // 16 + numpy.arange(
        shape[2], dtype=numpy.uint16) * 20).astype(numpy.uint8)


def _field_f4(shape=(1024, 1024)):
    return (_image_u16(shape).astype(numpy.float32) / 7.0)


def _text(size=1 << 22):
    words = b'the quick brown fox jumps over a lazy dog pixel chunk tile '
    rng = numpy.random.default_rng(1)
    parts = rng.integers(0, 12, size // 4)
    split = words.split()
    return b' '.join(split[i] for i in parts)[:size]


# u16 spans about 1200..2900: it is also valid 12-bit data
DATA = {
    'u16': _image_u16, 'u8rgb': _image_u8, 'f32': _field_f4, 'text': _text,
    'u16bytes': lambda: _image_u16().tobytes(),
    'sparse': lambda: (_image_u16() // 512).astype(numpy.uint8).tobytes(),
    'f32rgb': lambda: numpy.repeat(_field_f4((512, 512))[..., None], 3, 2),
    'text16k': lambda: _text(1 << 14),
    'u8gray': lambda: numpy.ascontiguousarray(_image_u8()[..., 1]),
}


class _Lazy:
    """A keyword value that each build makes itself (profiles, enums):
    the imagecodecs attribute `path` (dotted), called with `args` if any."""

    def __init__(self, path: str, *args):
        self.path, self.args = path, args

    def __call__(self, module):
        value = module
        for part in self.path.split('.'):
            value = getattr(value, part)
        return value(*self.args) if self.args else value

    def __repr__(self) -> str:
        return str(self.args[0]) if self.args else self.path.split('.')[-1]


def _profile(name):
    return _Lazy('cms_profile', name)


_SRGB_TO_LAB = {'profile': _profile('srgb'), 'outprofile': _profile('lab4'),
                'colorspace': 'rgb', 'outcolorspace': 'lab'}
_LAB_TO_SRGB = {'profile': _profile('lab4'), 'outprofile': _profile('srgb'),
                'colorspace': 'lab', 'outcolorspace': 'rgb',
                'outdtype': 'uint8'}

# (case, data, encode kwargs, decode kwargs). The case is the codec name,
# or 'codec:variant' for another case of the same codec. Decoders that need
# the shape receive it through kwargs resolved against the data below; None
# passes the encode kwargs, False times the encoder only (lossy filters).
# Encoders that are slow at their defaults get a higher speed or a lower
# effort; the params column of the table shows it.
CASES = [
    ('packbits', 'sparse', {}, {}),
    ('lzw', 'u16bytes', {}, {}),
    ('delta', 'u16', {}, {}),
    ('xor', 'u16', {}, {}),
    ('floatpred', 'f32', {}, {}),
    ('byteshuffle', 'f32', {}, {}),
    ('bitorder', 'u16bytes', {}, {}),
    ('float24', 'f32', {}, {}),
    ('quantize', 'f32', {'mode': 'bitround', 'nsd': 10}, False),
    ('pglz', 'text', {}, {}),
    ('rcomp', 'u16', {}, {'shape': None, 'dtype': None}),
    ('ljpeg', 'u16', {}, {}),
    ('bmp', 'u8rgb', {}, {}),
    ('rgbe', 'f32rgb', {}, {}),
    ('aec', 'u16', {'bitspersample': 16}, None),
    ('zlib', 'u16bytes', {}, {}),
    ('gzip', 'u16bytes', {}, {}),
    ('zlibng', 'u16bytes', {}, {}),
    ('deflate', 'u16bytes', {}, {}),
    ('zstd', 'u16bytes', {}, {}),
    ('lz4', 'u16bytes', {}, {}),
    ('lz4f', 'u16bytes', {}, {}),
    ('lz4h5', 'u16bytes', {}, {}),
    ('blosc', 'u16', {}, {}),
    ('blosc2', 'u16', {}, {}),
    ('brotli', 'text', {}, {}),
    ('snappy', 'u16bytes', {}, {}),
    ('lzma', 'text', {}, {}),
    ('bz2', 'text', {}, {}),
    ('lzf', 'u16bytes', {}, {}),
    ('lzfse', 'u16bytes', {}, {}),
    ('lzham', 'text', {}, {}),
    ('zopfli', 'text16k', {}, {}),  # well under 1 MB/s: a small input
    ('bitshuffle', 'u16', {}, {}),
    ('lerc', 'f32', {}, {}),
    ('zfp', 'f32', {}, {}),
    ('sperr', 'f32', {'level': 0.01, 'mode': 'pwe'}, {}),
    # image codecs
    ('jpeg8', 'u8rgb', {'level': 90, 'subsampling': '420'}, {}),
    ('jpeg8:12bit', 'u16', {'level': 90, 'bitspersample': 12}, {}),
    ('jpeg8:lossless', 'u16', {'lossless': True}, {}),
    ('mozjpeg', 'u8rgb', {'level': 90, 'subsampling': '420'}, {}),
    ('png', 'u8rgb', {}, {}),
    ('png:u16', 'u16', {}, {}),
    ('apng', 'u8rgb', {}, {}),
    ('spng', 'u8rgb', {}, {}),
    ('gif', 'u8gray', {}, {'asrgb': False}),  # indices, as Pillow gives
    ('webp', 'u8rgb', {'level': 80, 'lossless': False, 'method': 4}, {}),
    ('webp:lossless', 'u8rgb', {'lossless': True}, {}),
    ('qoi', 'u8rgb', {}, {}),
    ('tiff', 'u16', {'compression': 'deflate', 'tile': (256, 256)}, {}),
    ('jpeg2k', 'u16', {}, {}),
    ('jpeg2k:rgb', 'u8rgb', {}, {}),
    ('htj2k', 'u16', {}, {}),
    ('htj2k:rgb', 'u8rgb', {}, {}),
    ('jpegxl', 'u8rgb', {'level': 90}, {}),
    ('jpegxl:lossless', 'u16', {'lossless': True, 'effort': 3}, {}),
    ('jpegxr', 'u8rgb', {}, {}),
    ('jpegxr:u16', 'u16', {}, {}),
    # the default speed 6 takes seconds a megapixel; 4:2:0 as the
    # reference and Pillow default to
    ('avif', 'u8rgb', {'level': 80, 'speed': 8,
                       'pixelformat': _Lazy('AVIF.PIXEL_FORMAT.YUV420')}, {}),
    ('cms', 'u8rgb', _SRGB_TO_LAB, _LAB_TO_SRGB),
    ('cms:float32', 'u8rgb', {**_SRGB_TO_LAB, 'outdtype': 'float32'},
     _LAB_TO_SRGB),
]


@functools.cache
def _need(module: str, feature: str | None = None):
    """Import a peer's module; ImportError marks the peer not installed."""
    mod = importlib.import_module(module)
    if feature is not None:
        from PIL import features

        if not features.check(feature):
            raise ImportError(f'Pillow without {feature}')
    return mod


def _pillow(fmt, feature=None, plugin=None, pin=None, **save):
    """Pillow's (encode, decode) of `fmt` with the `save` options.

    plugin: module that registers the format; pin: (module, name, value)
    of a module global that sets the decoder's threads.
    """

    def image_module():
        if plugin:
            _need(plugin)
        if pin:
            setattr(_need(pin[0]), pin[1], pin[2])
        return _need('PIL.Image', feature)

    def encode(data):
        buf = io.BytesIO()
        image_module().fromarray(data).save(buf, format=fmt, **save)
        return buf.getvalue()

    def decode(data):
        return numpy.asarray(image_module().open(io.BytesIO(data)))

    return encode, decode


def _pillow_cms(inmode, outmode):
    """Pillow's ImageCms transform, built per call as cms_transform does."""

    def transform(data):
        image, cms = _need('PIL.Image'), _need('PIL.ImageCms')
        srgb, lab = cms.createProfile('sRGB'), cms.createProfile('LAB')
        profiles = (srgb, lab) if inmode == 'RGB' else (lab, srgb)
        im = image.frombytes(inmode, data.shape[1::-1], data.tobytes())
        return numpy.asarray(cms.applyTransform(
            im, cms.buildTransform(*profiles, inmode, outmode)))

    return transform


def _simplejpeg_encode(**kwargs):
    # simplejpeg defaults to the fast, less exact DCT: use libjpeg's
    # default, the one both imagecodecs builds use
    return lambda data: _need('simplejpeg').encode_jpeg(
        data, fastdct=False, **kwargs)


def _simplejpeg_decode(data):
    return _need('simplejpeg').decode_jpeg(data)


def _pyspng_decode(data):
    return _need('pyspng').load(data)


def _openjpeg_decode(data):
    return _need('openjpeg').decode(data)


def _libjpeg_decode(data):
    return _need('libjpeg').decode(data)


_JXL_ONE_THREAD = ('pillow_jxl.JpegXLImagePlugin', 'DECODE_THREADS', 0)

# case: {peer: (encode or None, decode or None)}. Peers run in this
# interpreter on the case's data with matching parameters; a peer decodes
# the stream our encoder made, so both decoders read the same bytes.
# Threads are pinned to one where a peer would use every core, as ours do.
PEERS = {
    'jpeg8': {
        'simplejpeg': (_simplejpeg_encode(quality=90, colorsubsampling='420'),
                       _simplejpeg_decode),
        'pillow': _pillow('JPEG', quality=90, subsampling=2),
    },
    'jpeg8:12bit': {'pylibjpeg-libjpeg': (None, _libjpeg_decode)},
    'jpeg8:lossless': {'pylibjpeg-libjpeg': (None, _libjpeg_decode)},
    'png': {'pyspng': (None, _pyspng_decode), 'pillow': _pillow('PNG')},
    # pyspng 0.1 returns 16-bit gray as gray and alpha: not comparable
    'png:u16': {'pillow': _pillow('PNG')},
    'spng': {'pyspng': (None, _pyspng_decode)},
    'gif': {'pillow': _pillow('GIF')},
    'webp': {'pillow': _pillow('WEBP', 'webp', quality=80, method=4)},
    'webp:lossless': {'pillow': _pillow('WEBP', 'webp', lossless=True)},
    'qoi': {'pillow': _pillow('QOI')},
    'tiff': {'pillow': (None, _pillow('TIFF', 'libtiff')[1])},
    'jpeg2k': {
        'pylibjpeg-openjpeg': (lambda data: _need('openjpeg').encode(data),
                               _openjpeg_decode),
        # Pillow leaves out the colour transform unless asked
        'pillow': _pillow('JPEG2000', 'jpg_2000', mct=1),
    },
    'jpeg2k:rgb': {
        'pylibjpeg-openjpeg': (
            lambda data: _need('openjpeg').encode(
                data, photometric_interpretation=1),
            _openjpeg_decode),
        # Pillow leaves out the colour transform unless asked
        'pillow': _pillow('JPEG2000', 'jpg_2000', mct=1),
    },
    'htj2k': {
        'pylibjpeg-openjpeg': (None, _openjpeg_decode),
        'pillow': (None, _pillow('JPEG2000', 'jpg_2000')[1]),
    },
    'htj2k:rgb': {
        'pylibjpeg-openjpeg': (None, _openjpeg_decode),
        'pillow': (None, _pillow('JPEG2000', 'jpg_2000')[1]),
    },
    'jpegxl': {'pillow-jxl-plugin': _pillow(
        'JXL', plugin='pillow_jxl', pin=_JXL_ONE_THREAD, quality=90,
        num_threads=1)},
    'jpegxl:lossless': {'pillow-jxl-plugin': _pillow(
        'JXL', plugin='pillow_jxl', pin=_JXL_ONE_THREAD, lossless=True,
        effort=3, num_threads=1)},
    'avif': {'pillow': _pillow(
        'AVIF', 'avif', pin=('PIL.AvifImagePlugin', 'DEFAULT_MAX_THREADS', 1),
        quality=80, speed=8, subsampling='4:2:0', max_threads=1)},
    'cms': {'pillow': (_pillow_cms('RGB', 'LAB'), _pillow_cms('LAB', 'RGB'))},
}


def _best(func, budget: float = 0.5) -> float:
    """Seconds of one call, the best of several samples.

    Fast functions are called in loops of at least 10 ms; slow ones are
    sampled fewer times, so that a case costs about `budget` seconds
    (rounds add samples).
    """
    once = timeit.timeit(func, number=1)
    number = max(1, int(0.01 / max(once, 1e-9)))
    repeat = max(1, min(5, int(budget / (once * number))))
    samples = timeit.repeat(func, number=number, repeat=repeat)
    return min(once, min(samples) / number)


def _nbytes(obj) -> int:
    return len(obj) if isinstance(obj, bytes) else numpy.asarray(obj).nbytes


def _describe(obj) -> str:
    if isinstance(obj, bytes):
        return f'{len(obj)} bytes'
    return f'{obj.dtype} {"x".join(map(str, obj.shape))}'


def _params(kwargs: dict) -> str:
    def short(value):
        if isinstance(value, tuple):
            return 'x'.join(map(str, value))
        return repr(value) if isinstance(value, _Lazy) else str(value)

    return ' '.join(f'{k}={short(v)}' for k, v in kwargs.items())


def _selected(case: str, names) -> bool:
    return not names or case in names or case.split(':')[0] in names


def _run_peers(peers: dict, data, encoded, decoded, nbytes: int) -> dict:
    results = {}
    for peer, (encode, decode) in peers.items():
        res = {}
        try:
            if encode is not None:
                out = encode(data)
                if isinstance(out, bytes):  # not for transforms
                    res['size'] = len(out)
                res['encode'] = nbytes / _best(lambda: encode(data)) / 1e6
            if decode is not None:
                out = numpy.asarray(decode(encoded))
                if out.size != numpy.asarray(decoded).size:
                    raise ValueError(
                        f'decoded {out.shape}, ours {decoded.shape}')
                res['decode'] = nbytes / _best(lambda: decode(encoded)) / 1e6
        except ImportError:
            continue  # optional: not installed
        except Exception as exc:  # report, do not stop the run
            res = {'error': f'{type(exc).__name__}: {exc}'[:70]}
        results[peer] = res
    return results


def run(names: list[str] | None = None, peers: bool = False) -> dict:
    import imagecodecs

    results = {'version': imagecodecs.__version__}
    cache = {}
    for case, dataname, enc_kw, dec_kw in CASES:
        if not _selected(case, names):
            continue
        codec = case.split(':')[0]
        if not getattr(imagecodecs, codec.upper()).available:
            continue
        data = cache.setdefault(dataname, DATA[dataname]())
        encode = getattr(imagecodecs, f'{codec}_encode')
        decode = getattr(imagecodecs, f'{codec}_decode')
        params = _params(enc_kw)
        enc_kw = {k: (v(imagecodecs) if isinstance(v, _Lazy) else v)
                  for k, v in enc_kw.items()}
        try:
            encoded = encode(data, **enc_kw)
        except Exception as exc:  # report, do not stop the run
            results[case] = {'error': f'encode: {exc}'}
            continue
        if dec_kw is False:  # lossy: the decoder is the identity
            decode, dec_kw = (lambda data: data), {}
        elif dec_kw is None:
            dec_kw = dict(enc_kw)
        dec_kw = {k: (getattr(data, k) if v is None else
                      v(imagecodecs) if isinstance(v, _Lazy) else v)
                  for k, v in dec_kw.items()}
        nbytes = _nbytes(data)
        size = (len(bytes(encoded)) if not hasattr(encoded, 'dtype')
                else encoded.nbytes)
        try:
            decoded = decode(encoded, **dec_kw)
            res = results[case] = {
                'data': dataname,
                'shape': _describe(data),
                'params': params,
                'size': size,
                'ratio': nbytes / max(size, 1)
                if not hasattr(encoded, 'dtype') else 1.0,
                'encode': nbytes / _best(lambda: encode(data, **enc_kw)) / 1e6,
                'decode': nbytes / _best(lambda: decode(encoded, **dec_kw))
                / 1e6,
            }
        except Exception as exc:
            results[case] = {'error': f'decode: {exc}'}
            continue
        if peers and case in PEERS:
            res['peers'] = _run_peers(
                PEERS[case], data, bytes(encoded)
                if not hasattr(encoded, 'dtype') else encoded, decoded, nbytes)
    return results


def _run_reference(python: str, codecs: list[str]) -> dict:
    # run from a neutral folder so the reference cannot see our package
    out = subprocess.run(
        [python, os.path.abspath(__file__), '--json', *codecs],
        capture_output=True, text=True, check=True, cwd='/',
        env={k: v for k, v in os.environ.items() if k != 'PYTHONPATH'},
    ).stdout
    return json.loads(out)


def _keep_best(best: dict, results: dict) -> None:
    """Merge one round into `best`, keeping each case's fastest times."""
    for case, res in results.items():
        old = best.get(case)
        if not isinstance(res, dict) or old is None or 'error' in old:
            best[case] = res
        elif 'error' not in res:
            for key in ('encode', 'decode'):
                if key in res:
                    old[key] = max(old.get(key, 0.0), res[key])
            if 'peers' in res:
                _keep_best(old.setdefault('peers', {}), res['peers'])


def _ratio(ours: dict, theirs: dict, key: str) -> str:
    if key not in ours or key not in theirs:
        return f'{"-":>6}'
    if key == 'size':  # smaller is better: ours / theirs bytes
        return f'{ours[key] / max(theirs[key], 1):6.2f}'
    return f'{ours[key] / theirs[key]:6.2f}'


def _print_tables(ours: dict, theirs: dict) -> None:
    print(f'{"case":16} {"data":8} {"ratio":>6} {"enc MB/s":>9} '
          f'{"dec MB/s":>9}' + ('  enc x  dec x size x' if theirs else '')
          + '  params')
    shapes = {}
    for case, res in ours.items():
        if 'error' in res:
            print(f'{case:16} {res["error"]}')
            continue
        shapes[res['data']] = res['shape']
        line = (f'{case:16} {res["data"]:8} {res["ratio"]:6.2f} '
                f'{res["encode"]:9.1f} {res["decode"]:9.1f}')
        ref = theirs.get(case)
        if ref and 'error' not in ref:
            line += ' ' + ' '.join(_ratio(res, ref, k)
                                   for k in ('encode', 'decode', 'size'))
        elif ref:
            line += f'  reference {ref["error"]}'
        elif theirs:
            line += f' {"n/a":>6} {"n/a":>6} {"n/a":>6}'
        print(line + (f'  {res["params"]}' if res['params'] else ''))
    print('data: ' + ', '.join(f'{k} {v}' for k, v in shapes.items()))
    if theirs:
        print('enc x, dec x: ours / reference throughput (> 1: ours faster);'
              ' size x: ours / reference encoded bytes; n/a: not in the'
              ' reference')
    rows = [(case, peer, res, p) for case, res in ours.items()
            for peer, p in res.get('peers', {}).items()]
    if not rows:
        return
    print()
    print(f'{"case":16} {"peer":19} {"enc MB/s":>9} {"dec MB/s":>9} '
          f' enc x  dec x size x')
    for case, peer, res, p in rows:
        if 'error' in p:
            print(f'{case:16} {peer:19} {p["error"]}')
            continue
        print(f'{case:16} {peer:19} '
              + ' '.join(f'{p[k]:9.1f}' if k in p else f'{"-":>9}'
                         for k in ('encode', 'decode'))
              + ' ' + ' '.join(_ratio(res, p, k)
                               for k in ('encode', 'decode', 'size')))
    print('enc x, dec x: ours / peer throughput (> 1: ours faster); size x:'
          ' ours / peer encoded bytes; peers decode our stream')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--reference', help='python of the reference build')
    parser.add_argument('--json', action='store_true', help='print JSON')
    parser.add_argument('--rounds', type=int, default=1,
                        help='alternate both builds this often, keep the best')
    parser.add_argument('--peers', action='store_true',
                        help='also time the single-purpose peer packages')
    parser.add_argument('codecs', nargs='*', help='codecs or cases to run')
    args = parser.parse_args()
    if args.json:
        print(json.dumps(run(args.codecs)))
        return 0
    ours, theirs = {}, {}
    load = os.getloadavg()[0]
    # alternating rounds spread a busy machine's noise over both builds
    for _ in range(max(args.rounds, 1)):
        _keep_best(ours, run(args.codecs, args.peers))
        if args.reference:
            _keep_best(theirs, _run_reference(args.reference, args.codecs))
    print(f'ours {ours.pop("version")}'
          + (f', reference {theirs.pop("version")}' if theirs else '')
          + f'; load average {load:.2f} at start, '
          f'{os.getloadavg()[0]:.2f} at end, {os.cpu_count()} CPUs')
    _print_tables(ours, theirs)
    return 0


if __name__ == '__main__':
    sys.exit(main())
