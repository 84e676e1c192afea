# SPDX-License-Identifier: BSD-3-Clause
"""Example of the distributor hook of setup.py.

If a module named ``imagecodecs_distributor_setup`` is importable when
setup.py runs, its ``customize_build(EXTENSIONS, OPTIONS)`` is called after
the codec modules and their libraries were selected and before anything is
compiled. Distributors copy this file, edit it and put it on ``sys.path``
(or edit it in place). As shipped it changes nothing.

EXTENSIONS maps module name ('_zstd', '_packbits', ...) to a dict of
setuptools.Extension arguments: 'sources', 'include_dirs', 'library_dirs',
'libraries', 'extra_objects', 'define_macros', 'extra_compile_args',
'extra_link_args'. Delete a key to skip that module; edit the lists to
change how it links.

OPTIONS holds settings for all modules: 'include_dirs', 'define_macros',
'extra_compile_args', 'compiler_directives' (Cython), and the parsed build
options 'lite', 'skip' and 'only'.
"""


def customize_build(EXTENSIONS: dict, OPTIONS: dict) -> None:
    """Change the build in place; this template leaves it as it is."""
    # Examples of what a distributor might do:
    #
    # Link the system's shared zstd instead of the vendored static one:
    #     EXTENSIONS['_zstd'].update(extra_objects=[], libraries=['zstd'])
    #
    # Do not build the LZHAM codec:
    #     EXTENSIONS.pop('_lzham', None)
    #
    # Tune for the build machine (never do this for wheels that travel):
    #     OPTIONS['extra_compile_args'].append('-march=native')
