# SPDX-License-Identifier: BSD-3-Clause
"""BROTLI codec, checked against the brotli command line tool if present."""

import shutil
import subprocess

import pytest

from imagecodecs import BrotliError, brotli_decode, brotli_encode
from harness import PAYLOADS, check_compressor, require


@pytest.fixture(autouse=True)
def available():
    require('brotli')


def _tool(args, data):
    return subprocess.run(['brotli', *args], input=data, check=True,
                          capture_output=True).stdout


def test_compressor():
    check_compressor(brotli_encode, brotli_decode, BrotliError,
                     levels=(None, 0, 5, 11))


@pytest.mark.parametrize('mode', [0, 1, 2])  # BROTLI.MODE
def test_modes_and_window(mode):
    data = PAYLOADS['text']
    for lgwin in (None, 10, 24):
        encoded = brotli_encode(data, level=4, mode=mode, lgwin=lgwin)
        assert brotli_decode(encoded) == data


@pytest.mark.skipif(shutil.which('brotli') is None, reason='no brotli tool')
def test_command_line_tool():
    data = PAYLOADS['text']
    assert _tool(['-d', '-c'], brotli_encode(data)) == data
    assert brotli_decode(_tool(['-c'], data)) == data
