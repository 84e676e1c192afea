# SPDX-License-Identifier: BSD-3-Clause
"""Differential check: run the same codec calls in our build and the reference.

    python tools/diffcheck.py --setup                 # once: scratch venv
    python tools/diffcheck.py [codec ...] [--json FILE]
    python tools/diffcheck.py --reference /path/to/python --ours /other/python

How to run
----------
`--setup` creates a virtual environment (`--venv`, default
/tmp/imagecodecs-reference) and installs the reference package
(`--version`, default 2026.3.6) and numpy with pip from its configured
index; without `--reference` that environment's python is the reference.
`--ours` defaults to the interpreter running this script, and imports
`imagecodecs` as `python -c 'import imagecodecs'` would in the current
directory: an installed build, or a source tree built in place and found
through PYTHONPATH or the current directory, e.g.

    cd /tmp && PYTHONPATH=~/imagecodecs python ~/imagecodecs/tools/diffcheck.py

The reference runs in a scratch folder without PYTHONPATH, so it never sees
a source tree. This is a developer tool, not a test: CI does not run it,
since it installs the reference.

Only codecs available in both builds are checked (name some to check just
those). For every public function of each, the table in diffcheck_corpus.py
(`CODECS`: one dict of inputs and parameters per codec, expanded by shared
generators) gives the cases: encodes of bytes of several sizes and of arrays
of the codec's dtypes and shapes (0-d, zero-size, (1, 1), non-contiguous,
big-endian) with its main parameters; decodes of each side's own encoding
and of the other side's (cross-decoding); out= variants; invalid arguments;
truncated, byte-flipped and padded encodings (fixed seeds). Each side runs
them in a worker process (diffcheck_worker.py); a worker that dies
(segfault, abort) or hangs (`--timeout`) costs one case, which is run again
alone to confirm, and the next worker goes on after it. A full run takes
about a minute on 2 cores.

How to read the output
----------------------
The first table counts the cases of each codec by result:

same            identical output (type, dtype, shape, bytes, and whether
                the out= object is returned) or the same exception class
same~           lossy codec: outputs differ, but our error against the
                original is within the tolerance or the reference's error
other-class     both raise; the reference's `except` (its builtin base such
                as ValueError or RuntimeError) catches ours, which has
                another name
enc-differs     encoded bytes differ, but each side decodes the other's
                stream to what the reference decodes from its own (library
                versions, encoder choices): not a failure
DIFFERS         both return, the outputs differ; the detail says how: type,
                length, dtype, shape, first differing byte or element, max
                abs diff, and for encoders which side fails to cross-decode
OURS-RAISES     ours raises where the reference returns
REF-RAISES      the reference raises where ours returns (often a fix on
                our side: check the detail)
NOT-CAUGHT      both raise, but an `except` for the reference's exception
                (its class if builtin, else its builtin base, RuntimeError
                for the codec errors) does not catch ours
OURS-CRASH, REF-CRASH, BOTH-CRASH
                the worker died on the case (signal in the detail); "only
                after earlier cases" in a detail: it did not die when run
                alone, so an earlier case may have corrupted memory
OURS-HANG, REF-HANG
                no answer within --timeout seconds
ref-unstable    ours and the reference differ, but so do two runs of the
                reference (it returns uninitialized memory or its
                exception depends on it): noise; the detail has the result
                ours vs reference
OURS-UNSTABLE   two runs of ours differ (`--once` skips the second runs)

The second table groups the non-same cases of all codecs into kinds (result,
sort of call, outcome with each codec's own error class as CodecError),
worst first: crashes, wrong outputs and our exceptions on valid calls before
bad arguments and corrupt streams. Each kind shows one example call.

Then every non-same row: codec, function, case label, result, detail; rows
of one codec, function, result and detail (numbers aside) fold after two
(`--all` lists them all). A label names the input (`b:rand` random bytes,
`u2:17x19` an array of dtype and shape, `>` big-endian, `/nc` a
non-contiguous view, `/ro` read-only, `/ba` bytearray, `/mv` memoryview)
and the parameters. `enc[ref]`, `enc[ours]`, `enc[both]` is the encoding
that side made (both: the same bytes); `trunc:N`, `flip:N`, `junk:+16`
mark corrupted streams; `out=...` the output argument (n is the size
needed). `--json FILE` writes every case with its call and both results.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import queue
import re
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time

import numpy

from diffcheck_corpus import (CODECS, Inputs, build_phase_a, build_phase_b,
                              build_phase_c)
from diffcheck_worker import MARK, unwire_array

WORKER = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      'diffcheck_worker.py')

# ---------------------------------------------------------------------------
# Running the workers

BOOT = ('import runpy, sys; '
        'runpy.run_path(sys.argv[1])["worker_main"](sys.argv[2:])')


class Side:
    """One interpreter: runs corpora in worker processes, survives crashes."""

    def __init__(self, name, python, cwd, env, timeout, memlimit, logdir):
        self.name, self.python, self.cwd, self.env = name, python, cwd, env
        self.timeout, self.memlimit = timeout, memlimit
        self.log = open(os.path.join(logdir, f'{name}.log'), 'ab')
        self.restarts = 0

    def _start(self, argv):
        return subprocess.Popen(
            [self.python, '-c', BOOT, WORKER, *argv], cwd=self.cwd,
            env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=self.log, start_new_session=True)

    @staticmethod
    def _reader(proc, frames):
        stream = proc.stdout
        while True:
            head = stream.read(8)
            if len(head) < 8:
                frames.put(None)
                return
            (size,) = struct.unpack('<Q', head)
            frames.put(pickle.loads(stream.read(size)))

    def _kill(self, proc):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        proc.wait()

    def probe(self):
        proc = self._start(['probe'])
        out, _ = proc.communicate(timeout=120)
        if proc.returncode or len(out) < 8:
            raise SystemExit(f'{self.name}: {self.python} cannot import '
                             f'imagecodecs:\n{self._log_tail()}')
        return pickle.loads(out[8:])

    def _log_tail(self):
        self.log.flush()
        with open(self.log.name, 'rb') as fh:
            return fh.read().decode(errors='replace').strip()[-2000:]

    def run(self, path, count, start=0, stop=None):
        """Results of cases start..stop; a crash or hang costs one case."""
        stop = count if stop is None else stop
        results = {}
        while start < stop:
            proc = self._start(['run', path, str(start), str(stop),
                                str(self.memlimit)])
            frames = queue.Queue()
            reader = threading.Thread(target=self._reader,
                                      args=(proc, frames), daemon=True)
            reader.start()
            nxt, ready = start, False
            while nxt < stop:
                try:
                    item = frames.get(timeout=self.timeout)
                except queue.Empty:
                    self._kill(proc)
                    results[nxt] = {'status': 'hang'}
                    nxt += 1
                    break
                if item == 'ready':
                    ready = True
                    continue
                if item is None:
                    proc.wait()
                    rc = proc.returncode
                    if not ready:
                        raise SystemExit(f'{self.name}: worker failed to '
                                         f'start (exit {rc}):\n'
                                         f'{self._log_tail()}')
                    sig = -rc if rc and rc < 0 else None
                    results[nxt] = {'status': 'crash', 'rc': rc, 'signal': (
                        signal.Signals(sig).name if sig else None)}
                    nxt += 1
                    break
                index, res = item
                results[index] = res
                nxt = index + 1
            else:
                proc.wait()
            reader.join(timeout=5)
            proc.stdout.close()
            if nxt < stop:
                self.restarts += 1
            start = nxt
        return results


def run_phase(sides, corpus, tmpdir, tag, verbose):
    path = os.path.join(tmpdir, f'corpus-{tag}.pickle')
    with open(path, 'wb') as fh:
        pickle.dump(corpus.wire(), fh, protocol=4)
    count = len(corpus.cases)
    results, errors = {}, []
    t0 = time.monotonic()

    def work(side):
        try:
            confirmed(side)
        except BaseException as exc:  # raised again in the main thread
            errors.append(exc)

    def confirmed(side):
        res = side.run(path, count)
        # a death is confirmed by running the case alone in a new worker
        for index, r in list(res.items()):
            if r['status'] in ('crash', 'hang'):
                alone = side.run(path, count, index, index + 1)[index]
                if alone['status'] != r['status']:
                    alone['flaky'] = r['status']
                    res[index] = alone
        results[side.name] = [res[i] for i in range(count)]

    threads = [threading.Thread(target=work, args=(s,)) for s in sides]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    if verbose:
        print(f'phase {tag}: {count} cases in {time.monotonic() - t0:.1f} s',
              file=sys.stderr)
    return results


# ---------------------------------------------------------------------------
# Comparing

SAME, SAME_TOL, OTHER_CLASS, ENC_DIFFERS = ('same', 'same~', 'other-class',
                                            'enc-differs')
DIFFERS, OURS_RAISES, REF_RAISES, NOT_CAUGHT = ('DIFFERS', 'OURS-RAISES',
                                                'REF-RAISES', 'NOT-CAUGHT')
OURS_CRASH, REF_CRASH, BOTH_CRASH = 'OURS-CRASH', 'REF-CRASH', 'BOTH-CRASH'
OURS_HANG, REF_HANG = 'OURS-HANG', 'REF-HANG'
REF_UNSTABLE, OURS_UNSTABLE = 'ref-unstable', 'OURS-UNSTABLE'
RESULTS = (SAME, SAME_TOL, OTHER_CLASS, ENC_DIFFERS, REF_UNSTABLE, DIFFERS,
           OURS_RAISES, REF_RAISES, NOT_CAUGHT, OURS_UNSTABLE, OURS_CRASH,
           REF_CRASH, BOTH_CRASH, OURS_HANG, REF_HANG)


def _array(v):
    return unwire_array(v['dtype'], v['shape'], v['data'])


def _describe_diff(o, r, path=''):
    """None if equal, else how the summaries differ."""
    where = f'{path}: ' if path else ''
    if o['t'] != r['t']:
        return f'{where}type {o["t"]} vs reference {r["t"]}'
    if 'items' in o or 'items' in r:
        oi, ri = o.get('items'), r.get('items')
        if isinstance(oi, dict):
            if set(oi) != set(ri):
                return f'{where}keys {sorted(oi)} vs {sorted(ri)}'
            for k in oi:
                d = _describe_diff(oi[k], ri[k], f'{path}[{k!r}]')
                if d:
                    return d
            return None
        if len(oi) != len(ri):
            return f'{where}{len(oi)} items vs {len(ri)}'
        for i, (a, b) in enumerate(zip(oi, ri)):
            d = _describe_diff(a, b, f'{path}[{i}]')
            if d:
                return d
        return None
    if o['t'] == 'ndarray':
        if o['dtype'] != r['dtype']:
            return f'{where}dtype {o["dtype"]} vs {r["dtype"]}'
        if tuple(o['shape']) != tuple(r['shape']):
            return (f'{where}shape {tuple(o["shape"])} vs '
                    f'{tuple(r["shape"])}')
        if o.get('sha') == r.get('sha') and o.get('repr') == r.get('repr'):
            return None
        if 'data' in o and 'data' in r:
            a, b = _array(o).ravel(), _array(r).ravel()
            bad = numpy.flatnonzero(a.view(f'u{a.itemsize}') != b.view(
                f'u{b.itemsize}')) if a.dtype.itemsize in (1, 2, 4, 8) else \
                numpy.flatnonzero(a != b)
            text = f'{where}{len(bad)} of {a.size} elements differ'
            if len(bad):
                i = int(bad[0])
                text += f', first at {i}: {a[i]!r} vs {b[i]!r}'
                if a.dtype.kind in 'uif':
                    with numpy.errstate(all='ignore'):
                        d = numpy.abs(a.astype('f8') - b.astype('f8'))
                    text += f', max abs diff {numpy.nanmax(d):.4g}' if (
                        numpy.isfinite(d).any()) else ''
            return text
        return f'{where}values differ (sha {o["sha"]} vs {r["sha"]})'
    if 'sha' in o:
        if o['sha'] == r['sha']:
            return None
        text = f'{where}'
        if o['len'] != r['len']:
            text += f'length {o["len"]} vs {r["len"]}'
        if 'data' in o and 'data' in r:
            a, b = o['data'], r['data']
            m = min(len(a), len(b))
            first = next((i for i in range(m) if a[i] != b[i]), None)
            if first is not None:
                text += (', ' if text != where else '') + (
                    f'first differing byte {first}: {a[first]:#04x} vs '
                    f'{b[first]:#04x}')
            elif o['len'] != r['len']:
                text += ', one is a prefix of the other'
        return text
    if o.get('value') != r.get('value') or o.get('repr') != r.get('repr'):
        a = o.get('value', o.get('repr'))
        b = r.get('value', r.get('repr'))
        return f'{where}{a!r} vs {b!r}'
    return None


def _max_error(summary, orig):
    v = summary.get('value', {})
    if v.get('t') != 'ndarray' or 'data' not in v:
        return None
    a = _array(v)
    o = numpy.asarray(orig)
    if a.size != o.size or a.dtype.kind not in 'uif' or o.dtype.kind not in \
            'uif':
        return None
    with numpy.errstate(all='ignore'):
        d = numpy.abs(a.astype('f8').ravel() - o.astype('f8').ravel())
    finite = numpy.isfinite(a.astype('f8').ravel()) == numpy.isfinite(
        o.astype('f8').ravel())
    if not finite.all():
        return float('inf')
    d = d[numpy.isfinite(d)]
    return float(d.max()) if d.size else 0.0


def _builtin_base(res):
    for name, mod in zip(res['mro'], res['mromod']):
        if mod == 'builtins':
            return name
    return 'BaseException'


def _compare_raise(o, r):
    if o['exc'] == r['exc']:
        return SAME, ''
    base = _builtin_base(r)
    caught = base in o['mro']
    detail = f'ours {o["exc"]}({_builtin_base(o)}), reference {r["exc"]}'
    if r['exc'] != base:
        detail += f'({base})'
    if not caught:
        return NOT_CAUGHT, detail + f'; ours is no {base}'
    return OTHER_CLASS, detail


def _short(res):
    if res['status'] == 'raise':
        msg = res['msg'].splitlines()[0][:80] if res['msg'] else ''
        return f'{res["exc"]}: {msg}' if msg else res['exc']
    if res['status'] == 'ok':
        v = res['value']
        if v['t'] == 'ndarray':
            return f'ndarray {v["dtype"]} {tuple(v["shape"])}'
        if 'len' in v:
            return f'{v["t"]}[{v["len"]}]'
        return f'{v["t"]} {v.get("value", v.get("repr"))!r}'[:80]
    return res['status']


def compare(case, o, r, inputs):
    """(result, detail) of one case."""
    result, detail = _compare(case, o, r, inputs)
    for side, x in (('OURS', o), ('REF', r)):
        if x.get('flaky'):
            # died in sequence but not alone: an earlier case of the same
            # worker may have corrupted memory, so it stays visible
            alone = f'{result}: {detail}' if detail else result
            return (f'{side}-{x["flaky"].upper()}', f'only after earlier '
                    f'cases; alone {alone}')
    return result, detail


def _compare(case, o, r, inputs):
    so, sr = o['status'], r['status']
    dead = {'crash', 'hang'}
    if so in dead or sr in dead:
        def how(x):
            return (f'signal {x["signal"]}' if x.get('signal') else
                    f'exit {x.get("rc")}') if x['status'] == 'crash' else \
                'no answer'
        if so == 'crash' and sr == 'crash':
            return BOTH_CRASH, f'ours {how(o)}, reference {how(r)}'
        if so == 'crash':
            return OURS_CRASH, f'{how(o)}; reference: {_short(r)}'
        if sr == 'crash':
            return REF_CRASH, f'{how(r)}; ours: {_short(o)}'
        if so == 'hang':
            return OURS_HANG, f'reference: {_short(r)}'
        return REF_HANG, f'ours: {_short(o)}'
    if so == 'raise' and sr == 'raise':
        return _compare_raise(o, r)
    if so == 'raise':
        return OURS_RAISES, f'ours {_short(o)}; reference {_short(r)}'
    if sr == 'raise':
        return REF_RAISES, f'reference {_short(r)}; ours {_short(o)}'
    if case.get('cmp') in ('type', 'size'):
        keys = ('t',) if case['cmp'] == 'type' else ('t', 'len', 'dtype',
                                                      'shape')
        for key in keys:
            a, b = o['value'].get(key), r['value'].get(key)
            if a != b:
                return DIFFERS, f'{key} {a} vs {b}'
        return SAME, ''
    diff = _describe_diff(o['value'], r['value'])
    if not diff and o.get('is_out') != r.get('is_out'):
        diff = ('ours returns the out= object' if o.get('is_out') else
                'ours returns a new object, the reference the out= object')
    if not diff:
        return SAME, ''
    if case.get('lossy') or case.get('lossy_encode'):
        orig = inputs.value(case['input'])
        eo, er = _max_error(o, orig), _max_error(r, orig)
        if eo is not None and er is not None:
            tol = case.get('tol')
            limit = max(tol or 0.0, er * 1.01 + 1e-12)
            text = f'max error ours {eo:.4g}, reference {er:.4g}'
            if eo <= limit:
                return SAME_TOL, text
            return DIFFERS, f'{diff}; {text}'
    return DIFFERS, diff


def _stable(case, a, b):
    """Did two runs of one interpreter give the same result?"""
    if case.get('cmp') == 'size':
        return True  # object arrays: the pointers differ from run to run
    if a['status'] != b['status']:
        return False
    if a['status'] == 'raise':
        return a['exc'] == b['exc']
    if a['status'] == 'ok':
        return _describe_diff(a['value'], b['value']) is None
    return True  # both crashed or both hung


def _agree(dec_case, a, b, inputs):
    """None if two decodes agree (within tolerance if lossy), else how not.
    Both must have returned."""
    diff = _describe_diff(a['value'], b['value'])
    if diff and dec_case.get('lossy'):
        orig = inputs.value(dec_case['input'])
        e1, e2 = _max_error(a, orig), _max_error(b, orig)
        if e1 is not None and e2 is not None and e1 <= max(
                dec_case.get('tol') or 0.0, e2 * 1.01 + 1e-12):
            return None
    return diff


def classify_encodes(phase_a, res_a, phase_b, res_b, inputs, versions):
    """Encoders whose output differs: does each side decode the other's?"""
    rows = {}
    for index, case in enumerate(phase_a.cases):
        cross = case.get('cross')
        if not cross or 'both' in cross or not {'ours', 'ref'} <= set(cross):
            continue
        if case.get('spec_kind') == 'filter':
            continue  # transforms have one right answer
        o, r = res_a['ours'][index], res_a['ref'][index]
        if o['status'] != 'ok' or r['status'] != 'ok':
            continue
        dcase = phase_b.cases[cross['ref']]
        ref_own = res_b['ref'][cross['ref']]  # what the reference expects
        others = (('reference decoding ours', res_b['ref'][cross['ours']]),
                  ('ours decoding the reference\'s',
                   res_b['ours'][cross['ref']]))
        problems = []
        if ref_own['status'] != 'ok':
            problems.append(f'the reference cannot decode its own stream: '
                            f'{_short(ref_own)}')
        else:
            for what, res in others:
                if res['status'] != 'ok':
                    problems.append(f'{what}: {_short(res)}')
                else:
                    how = _agree(dcase, res, ref_own, inputs)
                    if how:
                        problems.append(f'{what}: {how}')
        diff = _describe_diff(o['value'], r['value']) or ''
        vo, vr = (versions[s].get(case['codec'], '') for s in ('ours', 'ref'))
        # the package's own version in a codec version says nothing
        note = f' (versions {vo} / {vr})' if vo.replace(
            versions['ours_pkg'], '') != vr.replace(versions['ref_pkg'],
                                                    '') else ''
        rows[index] = ((DIFFERS, '; '.join([diff] + problems) + note)
                       if problems else (ENC_DIFFERS, diff + note))
    return rows


# ---------------------------------------------------------------------------
# Reporting


def _fmt_arg(obj, inputs):
    if isinstance(obj, tuple) and obj and obj[0] == MARK:
        kind = obj[1]
        if kind == 'in':
            key = obj[2]
            value = inputs.get(key)
            if key.count(':') > 1:  # encodings, crafted and corrupt ones
                size = len(value) if isinstance(value, bytes) else getattr(
                    value, 'nbytes', '?')
                key = f'{type(value).__name__}[{size}]'
            return f'<{key}{"/" + obj[3] if obj[3] else ""}>'
        if kind == 'arg':
            return '<the input>'
        if kind == 'zeros':
            return (f'zeros({tuple(obj[3])}, {obj[2]!r})' +
                    (f'/{obj[4]}' if obj[4] else ''))
        if kind == 'bytearray':
            return f'bytearray({obj[2]})'
        if kind == 'mvba':
            return f'memoryview(bytearray({obj[2]}))'
        if kind == 'type':
            return obj[2]
    if isinstance(obj, bytes) and len(obj) > 16:
        return f'<bytes[{len(obj)}]>'
    return repr(obj)


def call_repr(case, inputs):
    args = [_fmt_arg(a, inputs) for a in case['args']]
    args += [f'{k}={_fmt_arg(v, inputs)}' for k, v in case['kwargs'].items()]
    return f'{case["func"]}({", ".join(args)})'


ABBREV = {SAME: 'same', SAME_TOL: 'same~', OTHER_CLASS: 'other-class',
          ENC_DIFFERS: 'enc-differs'}


def _normal(text):
    """A detail without the numbers and messages that vary per case."""
    text = re.sub(r"'[^']*'|\"[^\"]*\"", "'...'", text)
    text = re.sub(r'(ours|reference) (\w+): [^;]*', r'\1 \2', text)
    text = re.sub(r'\([^()]*\)', '(..)', text)
    text = re.sub(r'np\.\w+\([^)]*\)|0x[0-9a-f]+', 'X', text)
    return re.sub(r'\d+', 'N', text)


def _kind(row):
    """What sort of call a row is: its out=, invalid, corrupt or role."""
    label = row['label']
    match = re.search(r'out=[^|]*$', label)
    if match:
        return match.group(0).strip()
    if label.startswith('invalid'):
        return label.split(' ', 1)[0] + ' ' + re.sub(
            r'^\S+ ', '', _normal(label))
    if re.search(r'(trunc|flip|junk):', label):
        return 'corrupt'
    return row['func'].split('_', 1)[1] if '_' in row['func'] else ''


def _outcome(res, codec):
    if res['status'] == 'raise':
        # each codec's own error class groups as one kind
        return ('CodecError' if res['exc'].lower() == codec + 'error' else
                res['exc'])
    if res['status'] == 'ok':
        return 'returns ' + res['value']['t']
    return res['status']


def kinds_of_difference(rows):
    """Non-same rows grouped across codecs by result, call kind, outcome."""
    groups = {}
    for row in rows:
        if row['result'] in (SAME, SAME_TOL):
            continue
        if row['result'] in (DIFFERS, ENC_DIFFERS):
            how = _normal(row['detail'].split(';')[0].split(',')[0])
        else:
            how = (f'ours {_outcome(row["ours"], row["codec"])}, '
                   f'reference {_outcome(row["ref"], row["codec"])}')
        key = (row['result'], _kind(row), how)
        groups.setdefault(key, []).append(row)
    severity = {r: i for i, r in enumerate(
        (OURS_CRASH, BOTH_CRASH, OURS_HANG, DIFFERS, OURS_RAISES, NOT_CAUGHT,
         REF_CRASH, REF_HANG, REF_RAISES, OTHER_CLASS, ENC_DIFFERS))}
    # valid calls before bad arguments and corrupt streams, then by count
    return sorted(groups.items(), key=lambda item: (
        severity.get(item[0][0], 99), item[0][1].startswith((
            'invalid', 'corrupt')), -len(item[1])))


def report(rows, probe, args, elapsed, uncovered, restarts):
    out = []
    po, pr = probe['ours'], probe['ref']
    out.append(f'ours: imagecodecs {po["version"]} at {po["file"]} '
               f'(python {po["python"]}, numpy {po["numpy"]})')
    out.append(f'reference: imagecodecs {pr["version"]} at {pr["file"]} '
               f'(python {pr["python"]}, numpy {pr["numpy"]})')
    only_ref = sorted(k for k, v in pr['available'].items()
                      if v and not po['available'].get(k))
    only_ours = sorted(k for k, v in po['available'].items()
                       if v and not pr['available'].get(k))
    if only_ref:
        out.append(f'available only in the reference: {", ".join(only_ref)}')
    if only_ours:
        out.append(f'available only in ours: {", ".join(only_ours)}')
    codecs = list(dict.fromkeys(row['codec'] for row in rows))
    # third-party libraries only: our own code reports the package version
    differ = [f'{c} {po["versions"][c]} / {pr["versions"][c]}'
              for c in codecs if po['versions'].get(c) and pr[
                  'versions'].get(c) and po['version'] not in po['versions'][
                      c] and po['versions'][c] != pr['versions'][c]]
    if differ:
        out.append('library versions (ours / reference): ' + ', '.join(
            differ))
    if uncovered:
        out.append(f'no corpus entry (version and check only): '
                   f'{", ".join(uncovered)}')
    out.append(f'{len(rows)} cases in {elapsed:.0f} s; workers restarted '
               f'after a crash or hang: ours {restarts[0]}, reference '
               f'{restarts[1]}')
    out.append('')
    used = [r for r in RESULTS if any(row['result'] == r for row in rows)]
    out.append('| codec | cases | ' + ' | '.join(used) + ' |')
    out.append('|---|---:|' + '---:|' * len(used))
    total = {r: 0 for r in used}
    for codec in codecs:
        mine = [row for row in rows if row['codec'] == codec]
        counts = {r: sum(row['result'] == r for row in mine) for r in used}
        for r in used:
            total[r] += counts[r]
        out.append(f'| {codec} | {len(mine)} | ' + ' | '.join(
            str(counts[r] or '') for r in used) + ' |')
    out.append(f'| **all** | {len(rows)} | ' + ' | '.join(
        str(total[r]) for r in used) + ' |')

    kinds = kinds_of_difference(rows)
    if kinds:
        out.append('')
        out.append('Kinds of difference, across codecs (worst first):')
        out.append('')
        out.append('| result | call | outcome | cases | codecs | example |')
        out.append('|---|---|---|---:|---|---|')
        for (result, kind, how), group in kinds[:args.kinds]:
            codecs = list(dict.fromkeys(row['codec'] for row in group))
            names = ', '.join(codecs[:6]) + (
                f' +{len(codecs) - 6}' if len(codecs) > 6 else '')
            out.append(f'| {result} | {_md(kind)} | {_md(how)} | '
                       f'{len(group)} | {names} | `{_md(group[0]["call"])}` |')
        if len(kinds) > args.kinds:
            out.append(f'| ... | {len(kinds) - args.kinds} more kinds | | | '
                       f'| |')

    bad = [row for row in rows if row['result'] != SAME]
    if bad:
        out.append('')
        out.append('| codec | function | case | result | detail |')
        out.append('|---|---|---|---|---|')
        groups = {}
        for row in bad:
            key = (row['codec'], row['func'], row['result'],
                   _normal(row['detail']))
            groups.setdefault(key, []).append(row)
        for key, group in groups.items():
            shown = group if args.all else group[:2]
            for row in shown:
                out.append(f'| {row["codec"]} | {row["func"]} | '
                           f'{_md(row["label"])} | {row["result"]} | '
                           f'{_md(row["detail"])} |')
            if len(group) > len(shown):
                out.append(f'| {key[0]} | {key[1]} | ... '
                           f'{len(group) - len(shown)} more like this | '
                           f'{key[2]} | |')
    return '\n'.join(out)


def _md(text):
    return str(text).replace('|', '\\|').replace('\n', ' ')


def _jsonable(res):
    res = dict(res)
    if 'value' in res:
        res['value'] = _strip(res['value'])
    return res


def _strip(v):
    v = dict(v)
    v.pop('data', None)
    if 'items' in v:
        items = v['items']
        v['items'] = ({k: _strip(x) for k, x in items.items()} if
                      isinstance(items, dict) else [_strip(x) for x in items])
    if 'shape' in v:
        v['shape'] = list(v['shape'])
    return v


# ---------------------------------------------------------------------------
# Main


def codec_functions(names, codecs):
    """Public functions per codec: NAME_* names, longest codec prefix wins."""
    out = {c: [] for c in codecs}
    by_len = sorted(codecs, key=len, reverse=True)
    for name in names:
        if not name.islower() or '_' not in name:
            continue
        for codec in by_len:
            if name.startswith(codec + '_'):
                out[codec].append(name)
                break
    return out


def setup_reference(venv, version):
    python = os.path.join(venv, 'bin', 'python')
    if not os.path.exists(python):
        subprocess.run([sys.executable, '-m', 'venv', venv], check=True)
    subprocess.run([python, '-m', 'pip', 'install', '--quiet',
                    f'imagecodecs=={version}', 'numpy'], check=True)
    return python


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n')[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('codecs', nargs='*', help='codecs to check')
    parser.add_argument('--reference', help='python of the reference build')
    parser.add_argument('--ours', default=sys.executable,
                        help='python that imports our build (default: this)')
    parser.add_argument('--setup', action='store_true',
                        help='create --venv with the reference first')
    parser.add_argument('--venv', default='/tmp/imagecodecs-reference')
    parser.add_argument('--version', default='2026.3.6',
                        help='reference version --setup installs')
    parser.add_argument('--json', metavar='FILE', help='write every case')
    parser.add_argument('--timeout', type=float, default=30,
                        help='seconds one case may take before it counts '
                             'as a hang')
    parser.add_argument('--memlimit', type=float, default=6,
                        help='address space limit of a worker in GiB '
                             '(0: none)')
    parser.add_argument('--once', action='store_true',
                        help='run each build once: faster, but cases where '
                             'one is not deterministic show as differences')
    parser.add_argument('--all', action='store_true',
                        help='list every non-same row, do not fold')
    parser.add_argument('--kinds', type=int, default=40,
                        help='kinds of difference to list')
    parser.add_argument('-q', '--quiet', action='store_true')
    args = parser.parse_args(argv)

    if args.setup:
        ref_python = setup_reference(args.venv, args.version)
        args.reference = args.reference or ref_python
    if not args.reference:
        args.reference = os.path.join(args.venv, 'bin', 'python')
        if not os.path.exists(args.reference):
            parser.error('no reference: pass --reference PYTHON or --setup')

    t0 = time.monotonic()
    tmpdir = tempfile.mkdtemp(prefix='diffcheck-')
    env_ref = {k: v for k, v in os.environ.items()
               if k not in ('PYTHONPATH', 'PYTHONHOME', 'PYTHONSTARTUP')}
    memlimit = int(args.memlimit * (1 << 30))
    ours = Side('ours', args.ours, os.getcwd(), dict(os.environ),
                args.timeout, memlimit, tmpdir)
    ref = Side('ref', args.reference, tmpdir, env_ref, args.timeout,
               memlimit, tmpdir)
    # second workers find the cases where a build disagrees with itself
    # (uninitialized memory in its output)
    ours2 = Side('ours2', args.ours, os.getcwd(), dict(os.environ),
                 args.timeout, memlimit, tmpdir)
    ref2 = Side('ref2', args.reference, tmpdir, env_ref, args.timeout,
                memlimit, tmpdir)
    probe = {'ours': ours.probe(), 'ref': ref.probe()}
    if os.path.realpath(probe['ours']['file']) == os.path.realpath(
            probe['ref']['file']):
        raise SystemExit(f'both interpreters import {probe["ours"]["file"]}')
    both = [name.lower() for name, ok in probe['ref']['available'].items()
            if ok and probe['ours']['available'].get(name)]
    if args.codecs:
        unknown = set(args.codecs) - set(both)
        if unknown:
            parser.error(f'not available in both builds: {sorted(unknown)}')
        both = [c for c in both if c in args.codecs]
    names = sorted(set(probe['ours']['all']) | set(probe['ref']['all']))
    functions = codec_functions(names, both)
    uncovered = [c for c in both if c not in CODECS]
    versions = {s: probe[s]['versions'] for s in ('ours', 'ref')}
    versions.update(ours_pkg=probe['ours']['version'],
                    ref_pkg=probe['ref']['version'])

    inputs = Inputs()
    sides = [ours, ref] + ([] if args.once else [ours2, ref2])
    verbose = not args.quiet
    phase_a = build_phase_a(both, inputs, functions)
    res_a = run_phase(sides, phase_a, tmpdir, 'a', verbose)
    phase_b = build_phase_b(both, inputs, phase_a, res_a)
    res_b = run_phase(sides, phase_b, tmpdir, 'b', verbose)
    phase_c = build_phase_c(inputs, phase_b, res_b)
    res_c = run_phase(sides, phase_c, tmpdir, 'c', verbose)

    encode_rows = classify_encodes(phase_a, res_a, phase_b, res_b, inputs,
                                   versions)
    rows = []
    for tag, corpus, res in (('a', phase_a, res_a), ('b', phase_b, res_b),
                             ('c', phase_c, res_c)):
        for index, case in enumerate(corpus.cases):
            o, r = res['ours'][index], res['ref'][index]
            result, detail = compare(case, o, r, inputs)
            if 'ours2' in res and not _stable(case, res['ours2'][index], o):
                result, detail = OURS_UNSTABLE, (
                    f'two runs of ours: {_short(o)} / '
                    f'{_short(res["ours2"][index])}')
            elif ('ref2' in res and not _stable(case, res['ref2'][index], r)
                  and result != SAME):
                result, detail = REF_UNSTABLE, f'{result}: {detail}'
            elif tag == 'a' and index in encode_rows and result == DIFFERS:
                result, detail = encode_rows[index]
            elif (tag == 'b' and case.get('role') == 'out' and result ==
                  DIFFERS and encode_rows.get(case['of'], ('',))[0] ==
                  ENC_DIFFERS and not detail.startswith('type')):
                # out= of an encoder whose streams legitimately differ
                result = ENC_DIFFERS
            rows.append({'codec': case['codec'], 'func': case['func'],
                         'label': case['label'], 'result': result,
                         'detail': detail, 'call': call_repr(case, inputs),
                         'ours': _jsonable(o), 'ref': _jsonable(r)})
    order = {c: i for i, c in enumerate(both)}
    rows.sort(key=lambda row: order.get(row['codec'], 0))
    elapsed = time.monotonic() - t0
    print(report(rows, probe, args, elapsed, uncovered,
                 (ours.restarts, ref.restarts)))
    if args.json:
        with open(args.json, 'w') as fh:
            json.dump({'probe': probe, 'elapsed': elapsed, 'rows': rows}, fh,
                      indent=1, default=str)
    for side in (ours, ref, ours2, ref2):
        side.log.close()
    return 0


if __name__ == '__main__':
    sys.exit(main())
