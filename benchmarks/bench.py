# SPDX-License-Identifier: BSD-3-Clause
"""Encode and decode throughput of every codec, ours against a reference.

    python benchmarks/bench.py                      # this interpreter only
    python benchmarks/bench.py --reference /path/to/other/python --rounds 3

With --reference the same cases run in the other interpreter (for example a
scratch virtual environment with the reference imagecodecs package), with
the same data, in the same run, and a table of speed ratios is printed
(ratio > 1: ours is faster). Data are realistic: image-like smooth 16-bit
tiles, 8-bit RGB photos with noise, float32 fields, bytes of a text corpus.
Only codecs available in both builds are compared.
"""

from __future__ import annotations

import argparse
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


DATA = {
    'u16': _image_u16, 'u8rgb': _image_u8, 'f32': _field_f4, 'text': _text,
    'u16bytes': lambda: _image_u16().tobytes(),
    'sparse': lambda: (_image_u16() // 512).astype(numpy.uint8).tobytes(),
}

# (codec, data, encode kwargs, decode kwargs). Decoders that need the shape
# receive it through kwargs resolved against the data below; None passes
# the encode kwargs, False times the encoder only (lossy filters).
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
]
DATA['f32rgb'] = lambda: numpy.repeat(_field_f4((512, 512))[..., None], 3, 2)
DATA['text16k'] = lambda: _text(1 << 14)


def _best(func, number=3, repeat=5) -> float:
    return min(timeit.repeat(func, number=number, repeat=repeat)) / number


def run(names: list[str] | None = None) -> dict:
    import imagecodecs

    results = {'version': imagecodecs.__version__}
    cache = {}
    for codec, dataname, enc_kw, dec_kw in CASES:
        if names and codec not in names:
            continue
        if not getattr(imagecodecs, codec.upper()).available:
            continue
        data = cache.setdefault(dataname, DATA[dataname]())
        encode = getattr(imagecodecs, f'{codec}_encode')
        decode = getattr(imagecodecs, f'{codec}_decode')
        try:
            encoded = encode(data, **enc_kw)
        except Exception as exc:  # report, do not stop the run
            results[codec] = {'error': f'encode: {exc}'}
            continue
        if dec_kw is False:  # lossy: the decoder is the identity
            decode, dec_kw = (lambda data: data), {}
        elif dec_kw is None:
            dec_kw = dict(enc_kw)
        dec_kw = {k: (getattr(data, k) if v is None else v)
                  for k, v in dec_kw.items()}
        nbytes = numpy.asarray(data).nbytes if not isinstance(
            data, bytes) else len(data)
        try:
            decode(encoded, **dec_kw)
            results[codec] = {
                'data': dataname,
                'ratio': nbytes / max(len(bytes(encoded)), 1)
                if not hasattr(encoded, 'dtype') else 1.0,
                'encode': nbytes / _best(lambda: encode(data, **enc_kw)) / 1e6,
                'decode': nbytes / _best(lambda: decode(encoded, **dec_kw))
                / 1e6,
            }
        except Exception as exc:
            results[codec] = {'error': f'decode: {exc}'}
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
    """Merge one round into `best`, keeping each codec's fastest times."""
    for codec, res in results.items():
        old = best.get(codec)
        if not isinstance(res, dict) or old is None or 'error' in old:
            best[codec] = res
        elif 'error' not in res:
            for key in ('encode', 'decode'):
                old[key] = max(old[key], res[key])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--reference', help='python of the reference build')
    parser.add_argument('--json', action='store_true', help='print JSON')
    parser.add_argument('--rounds', type=int, default=1,
                        help='alternate both builds this often, keep the best')
    parser.add_argument('codecs', nargs='*')
    args = parser.parse_args()
    if args.json:
        print(json.dumps(run(args.codecs)))
        return 0
    ours, theirs = {}, {}
    # alternating rounds spread a busy machine's noise over both builds
    for _ in range(max(args.rounds, 1)):
        _keep_best(ours, run(args.codecs))
        if args.reference:
            _keep_best(theirs, _run_reference(args.reference, args.codecs))
    print(f'ours {ours.pop("version")}'
          + (f', reference {theirs.pop("version")}' if theirs else ''))
    print(f'{"codec":12} {"data":8} {"ratio":>6} {"enc MB/s":>9} '
          f'{"dec MB/s":>9}' + ('  enc x   dec x  (ours/reference)'
                               if theirs else ''))
    for codec, res in ours.items():
        if 'error' in res:
            print(f'{codec:12} {res["error"]}')
            continue
        line = (f'{codec:12} {res["data"]:8} {res["ratio"]:6.2f} '
                f'{res["encode"]:9.1f} {res["decode"]:9.1f}')
        ref = theirs.get(codec)
        if ref and 'error' not in ref:
            line += (f'  {res["encode"] / ref["encode"]:5.2f}  '
                     f'{res["decode"] / ref["decode"]:5.2f}')
        elif ref:
            line += f'  reference: {ref["error"]}'
        print(line)
    return 0


if __name__ == '__main__':
    sys.exit(main())
