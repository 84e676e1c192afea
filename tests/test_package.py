# SPDX-License-Identifier: BSD-3-Clause
"""The package as a whole: registry, lazy loading, public interface."""

import importlib
import inspect
import os
import pathlib
import re
import subprocess
import sys

import pytest

import imagecodecs
from imagecodecs._registry import CODECS, modules
from conftest import ROOT

API = pathlib.Path(os.environ.get(
    'IMAGECODECS_API_REFERENCE', ROOT.parent / 'shared/reference/api-2024.txt'
))
# the newest interface: keyword-only parameters, some new or renamed
API_2026 = API.with_name('api-2026.txt')

# Codecs this package implements without any third-party library: they
# must be available in every build, the lite one included.
OWN_CODECS = [c.name for c in CODECS if not c.libs and not c.pending]
# Codecs whose names exist but which are not implemented yet.
PENDING_CODECS = [c for c in CODECS if c.pending]


def test_import_loads_no_extension():
    code = (
        'import sys, time; t = time.perf_counter(); import imagecodecs; '
        't = time.perf_counter() - t; '
        'mods = [m for m in sys.modules if m.startswith("imagecodecs.")]; '
        'print(t, sorted(mods))'
    )
    # run where the imported package lives, installed or in place
    parent = pathlib.Path(imagecodecs.__file__).parent.parent
    env = dict(os.environ, PYTHONPATH=str(parent))
    out = subprocess.run([sys.executable, '-c', code], capture_output=True,
                         text=True, check=True, cwd=parent,
                         env=env).stdout.split(' ', 1)
    seconds, loaded = float(out[0]), eval(out[1])
    assert all(not m.split('.')[1].startswith('_') or m.split('.')[1] in {
        '_registry', '_exceptions'} for m in loaded), loaded
    assert seconds < 0.1


@pytest.mark.parametrize('name', OWN_CODECS)
def test_own_codecs_available(name):
    assert getattr(imagecodecs, name.upper()).available


def test_registry_modules_have_sources():
    package = ROOT / 'imagecodecs'
    for name, module in modules().items():
        suffix = '.py' if module.pure else '.pyx'
        if module.lite and not module.pending:
            assert (package / (name + suffix)).exists(), name
            for source in module.sources:
                assert (package / '_c' / source).exists(), source


def test_every_name_resolves():
    for codec in CODECS:
        for name in codec.names:
            assert getattr(imagecodecs, name) is not None
        if codec.error:
            error = getattr(imagecodecs, codec.error_name)
            assert issubclass(error, Exception)


@pytest.mark.parametrize('codec', PENDING_CODECS, ids=lambda c: c.name)
def test_pending_codecs_have_stubs(codec):
    """A codec of the interface that is not built yet keeps its names."""
    assert getattr(imagecodecs, codec.constants).available is False
    assert getattr(imagecodecs, f'{codec.name}_check')(b'') is False
    assert getattr(imagecodecs, f'{codec.name}_version')().endswith('n/a')
    for name in (f'{codec.name}_decode', f'{codec.name}_encode') + codec.extra:
        with pytest.raises(imagecodecs.DelayedImportError):
            getattr(imagecodecs, name)(b'')
    assert issubclass(getattr(imagecodecs, codec.error_name),
                      imagecodecs.ImagecodecsError)


def test_unavailable_codec_stub():
    imagecodecs._MISSING['_nonexistent'] = 'not built'
    stub = imagecodecs._stub('xyz_decode', '_nonexistent')
    with pytest.raises(imagecodecs.DelayedImportError, match='_nonexistent'):
        stub(b'')
    assert imagecodecs._stub('xyz_check', '_nonexistent')(b'') is False
    assert imagecodecs._stub('XYZ', '_nonexistent').available is False


def test_version():
    text = imagecodecs.version()
    assert text.startswith(f'imagecodecs-{imagecodecs.__version__}')
    info = imagecodecs.version(dict)
    assert info['imagecodecs'] == imagecodecs.__version__
    assert info['imcd'] == imagecodecs.__version__
    assert all('-' in item for item in imagecodecs.version(tuple))
    with pytest.raises(TypeError):
        imagecodecs.version(list)


def test_dir_lists_public_names():
    names = dir(imagecodecs)
    assert 'lzw_decode' in names and 'LzwError' in names


def _api_reference(path=API):
    if not path.exists():
        pytest.skip(f'{path} not found (set IMAGECODECS_API_REFERENCE)')
    return path.read_text().splitlines()


def _reference_functions(path=API):
    functions = {}
    for line in _api_reference(path):
        match = re.match(r'^([a-z0-9_]+)\((.*)\)( ->.*)?$', line)
        if match:
            functions[match.group(1)] = match.group(2)
    return functions


def _split_top_level(text):
    """Split a parameter list at commas outside brackets and quotes."""
    parts, depth, quote, start = [], 0, '', 0
    for i, char in enumerate(text):
        if quote:
            quote = '' if char == quote else quote
        elif char in '\'"':
            quote = char
        elif char in '([{':
            depth += 1
        elif char in ')]}':
            depth -= 1
        elif char == ',' and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    return parts + [text[start:]]


def _parameters(text):
    """Return [(name, default)] of a signature's parameter list."""
    params = []
    for part in _split_top_level(text):
        part = part.strip()
        if not part or part in {'/', '*'}:
            continue
        name, _, default = part.partition('=')
        name = name.split(':')[0].strip()
        params.append((name, default.strip() or None))
    return params


def test_reference_names_exist():
    missing = [name for name in _reference_functions()
               if not hasattr(imagecodecs, name)]
    assert not missing


def test_reference_signatures_of_available_codecs():
    # the reference's stubs of codecs it did not build (encode(*args,
    # **kwargs), check(arg, /)) say nothing about the parameters
    stubs = set()
    for line in _api_reference():
        match = re.match(r'^codec (\w+): available=False$', line)
        if match:
            stubs.add(match[1].lower())
    mismatched = []
    for name, text in _reference_functions().items():
        func = getattr(imagecodecs, name, None)
        module = imagecodecs._NAME_MODULE.get(name)
        if func is None or (module and imagecodecs._import(module) is None):
            continue  # missing or an unavailable stub
        try:
            ours = inspect.signature(func)
        except (TypeError, ValueError):
            continue
        if name.rpartition('_')[0] in stubs:
            continue
        theirs = [(n, d) for n, d in _parameters(text)
                  if not n.startswith('*')]
        params = [p for p in ours.parameters.values()
                  if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
        # keywords of the newer interface may follow, keyword-only and
        # optional, so that callers of either interface are served
        newer = params[len(theirs):]
        if not all(p.kind == p.KEYWORD_ONLY and p.default is not p.empty
                   for p in newer):
            mismatched.append((name, [p.name for p in newer]))
            continue
        ours = [(p.name, None if p.default is inspect.Parameter.empty
                 else repr(p.default)) for p in params[:len(theirs)]]
        if [n for n, _ in ours] != [n for n, _ in theirs]:
            mismatched.append((name, ours, theirs))
            continue
        for (n, d1), (_, d2) in zip(ours, theirs):
            if d2 is not None and d1 != d2:
                mismatched.append((name, n, d1, d2))
    assert not mismatched


def _available_function(name):
    func = getattr(imagecodecs, name, None)
    module = imagecodecs._NAME_MODULE.get(name)
    if func is None or (module and imagecodecs._import(module) is None):
        return None
    return func


def test_reference_2026_calls_of_available_codecs():
    """Every parameter of the 2026 interface is accepted by name, and its
    positional parameters (before '*') keep their places."""
    rejected = []
    for name, text in _reference_functions(API_2026).items():
        func = _available_function(name)
        if func is None:
            continue
        ours = inspect.signature(func).parameters
        if any(p.kind == p.VAR_KEYWORD for p in ours.values()):
            continue
        positional = [p.name for p in ours.values()
                      if p.kind in (p.POSITIONAL_ONLY,
                                    p.POSITIONAL_OR_KEYWORD)]
        theirs = [p.strip() for p in _split_top_level(text)]
        count = 0
        if '/' in theirs:  # positional-only: only their places count
            count = theirs.index('/')
            if len(positional) < count:
                rejected.append(f'{name}: {count} positional parameters')
            theirs = theirs[count + 1:]
        keyword_only = False
        place = count if '/' in text else 0
        for part in theirs:
            if part.startswith('*'):
                keyword_only = True
                continue
            if not part:
                continue
            param = part.partition('=')[0].split(':')[0].strip()
            if param not in ours:
                rejected.append(f'{name}: {param}')
            elif not keyword_only and place >= len(positional):
                rejected.append(f'{name}: {param} not positional')
            place += 1
    assert not rejected


def test_reference_enums_of_available_codecs():
    mismatched = []
    for line in _api_reference():
        match = re.match(r'^\s+enum (\w+)\.(\w+): (.*)$', line)
        if not match:
            continue
        codec, enum, members = match.groups()
        constants = getattr(imagecodecs, codec, None)
        if constants is None or not constants.available:
            continue
        ours = getattr(constants, enum, None)
        for member in members.split(', '):
            key, value = member.split('=')
            if ours is None or int(getattr(ours, key, -999)) != int(value):
                mismatched.append(f'{codec}.{enum}.{key}')
    assert not mismatched


def test_reference_exceptions():
    for line in _api_reference():
        match = re.match(r'^exception (\w+)\((\w+)\)$', line)
        if match:
            name, base = match.groups()
            cls = getattr(imagecodecs, name)
            assert issubclass(cls, {'RuntimeError': RuntimeError,
                                    'ImportError': ImportError,
                                    'Exception': Exception}[base]), name


def test_derived_files_are_current():
    sync = ROOT / 'tools' / 'sync.py'
    if not sync.exists():
        pytest.skip('not run from a source checkout')
    result = subprocess.run([sys.executable, str(sync), '--check'],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def _main(*args) -> subprocess.CompletedProcess:
    parent = pathlib.Path(imagecodecs.__file__).parent.parent
    return subprocess.run([sys.executable, '-m', 'imagecodecs', *args],
                          capture_output=True, text=True, cwd=parent,
                          env=dict(os.environ, PYTHONPATH=str(parent)))


def test_command_line_check_and_codecs():
    from imagecodecs._build_info import MODULES

    checked = _main('--check')
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith(f'{len(MODULES)} modules')
    listed = _main('--codecs').stdout.splitlines()
    available = listed[0].split(':', 1)[1].split()
    assert available == [c.name.upper() for c in CODECS
                         if getattr(imagecodecs, c.name.upper()).available]


@pytest.mark.parametrize('option', ['--help', '--version', '--codecs',
                                    '--check', '--sbom', '--demo'])
def test_command_line_options(option):
    """Every option of `python -m imagecodecs` exits 0 on this build."""
    result = _main(option)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (result.stdout + result.stderr).strip()
    if option == '--demo':
        # every codec of the demo that this build has is exact
        lines = result.stdout.splitlines()[2:]
        assert lines and all(line.endswith(('lossless', 'not in this build'))
                             for line in lines), result.stdout


@pytest.mark.parametrize('name, shape, dtype', [
    ('ljpeg/2dht.ljp', None, None),
    ('384x256.hdr', (384, 256, 3), 'float32'),
    ('rgb.u1.npy', None, 'uint8'),
])
def test_command_line_decodes_sample(samples, name, shape, dtype):
    """`python -m imagecodecs FILE` decodes a file made by another tool."""
    path = samples / name
    if not path.exists():
        pytest.skip(f'{path} not found')
    result = _main(str(path))
    assert result.returncode == 0, result.stderr
    # FILE: (shape) dtype via codec_decode
    image = imagecodecs.imread(path)
    assert result.stdout.strip() == (
        f'{path}: {image.shape} {image.dtype} via '
        f'{imagecodecs.imread(path, return_codec=True)[1].__name__}')
    if shape is not None:
        assert image.shape == shape
    if dtype is not None:
        assert image.dtype == dtype


def test_command_line_fails_on_unreadable_file(tmp_path):
    path = tmp_path / 'noise.bin'
    path.write_bytes(bytes(range(7)) * 3)
    result = _main(str(path))
    assert result.returncode == 1
    assert 'noise.bin' in result.stderr and 'Traceback' not in result.stderr


def test_bill_of_materials_and_licences_of_linked_libraries():
    """Each vendored library a built module links has its licence and BOM entry."""
    from imagecodecs._build_info import VENDORED

    folder = pathlib.Path(imagecodecs.__file__).parent / 'licenses'
    if not VENDORED:
        sbom = _main('--sbom')
        assert sbom.returncode == 0 and not sbom.stdout
        pytest.skip('built without the vendored prefix (lite or system '
                    'libraries)')
    import json

    bom = json.loads(_main('--sbom').stdout)
    assert bom['bomFormat'] == 'CycloneDX'
    assert bom['metadata']['component']['version'] == imagecodecs.__version__
    listed = {c['name'] for c in bom['components']}
    assert listed == set(VENDORED)
    for component in bom['components']:
        assert re.fullmatch('[0-9a-f]{64}', component['hashes'][0]['content'])
        assert component['licenses'][0]['expression']
        text = (folder / f'LICENSE-{component["name"]}.txt').read_text()
        assert len(text) > 100


def test_reported_versions_match_the_linked_libraries():
    """NAME_version() names the version of the vendored library it links.

    A placeholder or a header of another copy of the library fails this.
    """
    import json

    from imagecodecs._build_info import VENDORED

    if not VENDORED:
        pytest.skip('built without the vendored prefix')
    versions = {c['name']: c['version']
                for c in json.loads(_main('--sbom').stdout)['components']}
    checked = 0
    for codec in CODECS:
        lib = codec.libs[0] if codec.libs else None
        if lib not in versions or not getattr(
                imagecodecs, codec.constants).available:
            continue
        reported = getattr(imagecodecs, f'{codec.name}_version')()
        # a development snapshot (5.0.0.dev) reports the release it leads to
        version = versions[lib].removesuffix('.dev')
        assert version in reported, (codec.name, lib, reported)
        checked += 1
    assert checked >= len(VENDORED) // 2
