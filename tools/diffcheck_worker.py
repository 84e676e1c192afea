# SPDX-License-Identifier: BSD-3-Clause
"""Worker of tools/diffcheck.py: runs corpus cases in one interpreter.

Started by diffcheck.py in both our and the reference interpreter, it
imports nothing but the standard library, numpy and `imagecodecs`. The
corpus arrives as a pickle of plain Python values (arrays as dtype, shape
and bytes), so it loads whatever numpy version the interpreter has; each
result goes back as one length-prefixed pickle frame on the original
stdout, which the codecs cannot write to.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import struct

import numpy

KEEP = 1 << 20  # data of outputs up to this size goes back to the driver
MARK = '@dc'  # tag of the marker tuples in the corpus


def wire_array(a):
    a = numpy.asarray(a)
    return (MARK, 'nd', a.dtype.str, a.shape, numpy.ascontiguousarray(a)
            .tobytes())


def unwire_array(dtype, shape, raw):
    return numpy.frombuffer(raw, dtype=dtype).reshape(shape).copy()


def _variant(value, variant):
    """Return `value` (bytes or ndarray) in the requested buffer form."""
    if variant is None:
        return value.copy() if isinstance(value, numpy.ndarray) else value
    if variant == 'ba':
        return bytearray(value)
    if variant == 'mv':
        return memoryview(bytes(value))
    if variant == 'ro':
        a = numpy.array(value, copy=True)
        a.flags.writeable = False
        return a
    if variant == 'nc':
        a = numpy.asarray(value)
        if a.ndim == 0:
            return a.copy()
        # every other element of the last axis: strided, not contiguous
        big = numpy.zeros(a.shape[:-1] + (a.shape[-1] * 2,), a.dtype)
        big[..., ::2] = a
        return big[..., ::2]
    if variant == 'obj':
        return numpy.array(list(bytes(value)[:5]) + [None], dtype=object)
    raise ValueError(f'unknown variant {variant!r}')


def _materialize(obj, inputs, args=None):
    if isinstance(obj, tuple) and obj and obj[0] == MARK:
        kind = obj[1]
        if kind == 'nd':
            return unwire_array(*obj[2:])
        if kind == 'in':
            return _variant(_materialize(inputs[obj[2]], inputs), obj[3])
        if kind == 'arg':
            return args[obj[2]]
        if kind == 'zeros':
            dtype, shape, variant = obj[2:]
            return _variant(numpy.zeros(shape, dtype), variant)
        if kind == 'bytearray':
            return bytearray(obj[2])
        if kind == 'mvba':
            return memoryview(bytearray(obj[2]))
        if kind == 'type':
            return {'bytes': bytes, 'bytearray': bytearray}[obj[2]]
        raise ValueError(f'unknown marker {kind!r}')
    if isinstance(obj, tuple):
        return tuple(_materialize(o, inputs, args) for o in obj)
    if isinstance(obj, list):
        return [_materialize(o, inputs, args) for o in obj]
    if isinstance(obj, dict):
        return {k: _materialize(v, inputs, args) for k, v in obj.items()}
    return obj


def _sha(raw):
    return hashlib.sha256(raw).hexdigest()[:16]


def summarize(value, depth=0):
    """Describe a return value with plain Python types."""
    if isinstance(value, numpy.ndarray):
        if value.dtype.hasobject:
            return {'t': 'ndarray', 'dtype': value.dtype.str,
                    'shape': value.shape, 'repr': repr(value)[:200]}
        raw = numpy.ascontiguousarray(value).tobytes()
        out = {'t': 'ndarray', 'dtype': value.dtype.str, 'shape': value.shape,
               'len': len(raw), 'sha': _sha(raw)}
        if len(raw) <= KEEP:
            out['data'] = raw
        return out
    if isinstance(value, (bytes, bytearray, memoryview)):
        raw = value.tobytes() if isinstance(value, memoryview) else bytes(
            value)
        out = {'t': type(value).__name__, 'len': len(raw), 'sha': _sha(raw)}
        if len(raw) <= KEEP:
            out['data'] = raw
        return out
    if isinstance(value, numpy.generic):
        return {'t': 'numpy.' + type(value).__name__, 'value':
                repr(value.item())}
    if value is None or isinstance(value, (bool, int, float, str)):
        # enum members compare by value; floats by repr (nan == nan)
        return {'t': type(value).__name__, 'value': repr(value) if
                isinstance(value, float) else value}
    if isinstance(value, (tuple, list)) and depth < 3:
        return {'t': type(value).__name__,
                'items': [summarize(v, depth + 1) for v in value]}
    if isinstance(value, dict) and depth < 3:
        return {'t': 'dict', 'items': {
            str(k): summarize(v, depth + 1) for k, v in value.items()}}
    return {'t': type(value).__name__, 'repr': repr(value)[:200]}


def _exception(exc):
    mro = type(exc).__mro__
    return {'status': 'raise', 'exc': type(exc).__name__,
            'mro': [c.__name__ for c in mro],
            'mromod': [c.__module__ for c in mro],
            'msg': str(exc)[:300]}


def _run_case(module, inputs, func, args, kwargs):
    try:
        args = _materialize(list(args), inputs)
        kwargs = _materialize(dict(kwargs), inputs, args)
        value = getattr(module, func)(*args, **kwargs)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # the exception class is the result
        return _exception(exc)
    result = {'status': 'ok', 'value': summarize(value)}
    out = kwargs.get('out')
    if out is not None and not isinstance(out, (int, type)):
        result['is_out'] = value is out
    return result


def _send(stream, obj):
    blob = pickle.dumps(obj, protocol=4)
    stream.write(struct.pack('<Q', len(blob)) + blob)
    stream.flush()


def worker_main(argv):
    """Run cases start..stop of a corpus file, one result frame each."""
    import resource
    import warnings

    # the protocol keeps the real stdout; library chatter goes to stderr
    proto = os.fdopen(os.dup(1), 'wb')
    os.dup2(2, 1)
    mode = argv[0]
    if mode == 'probe':
        _send(proto, _probe())
        return
    path, start, stop, memlimit = argv[1], int(argv[2]), int(argv[3]), int(
        argv[4])
    if memlimit:
        # claimed sizes of hostile streams fail as MemoryError, not OOM kills
        resource.setrlimit(resource.RLIMIT_AS, (memlimit, memlimit))
    warnings.simplefilter('ignore')
    import imagecodecs

    with open(path, 'rb') as fh:
        corpus = pickle.load(fh)
    inputs, cases = corpus['inputs'], corpus['cases']
    _send(proto, 'ready')  # a death before this is no case's fault
    for index in range(start, min(stop, len(cases))):
        func, args, kwargs = cases[index]
        _send(proto, (index, _run_case(imagecodecs, inputs, func, args,
                                       kwargs)))


def _probe():
    import platform

    import imagecodecs

    names = list(getattr(imagecodecs, '__all__', []))
    available, versions = {}, {}
    for name in names:
        if not name.isupper():
            continue
        try:
            available[name] = bool(getattr(getattr(imagecodecs, name),
                                           'available', False))
        except Exception:
            available[name] = False
        if available[name]:
            func = getattr(imagecodecs, name.lower() + '_version', None)
            try:
                versions[name.lower()] = str(func()) if func else ''
            except Exception as exc:
                versions[name.lower()] = f'error: {type(exc).__name__}'
    return {'file': imagecodecs.__file__,
            'version': getattr(imagecodecs, '__version__', '?'),
            'all': names, 'available': available, 'versions': versions,
            'numpy': numpy.__version__, 'python': platform.python_version()}
