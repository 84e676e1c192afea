# SPDX-License-Identifier: BSD-3-Clause
"""LZMA codec, checked against Python's lzma module."""

import lzma

import pytest

from imagecodecs import LzmaError, lzma_check, lzma_decode, lzma_encode
from harness import PAYLOADS, check_compressor, require


@pytest.fixture(autouse=True)
def available():
    require('lzma')


def test_compressor():
    check_compressor(lzma_encode, lzma_decode, LzmaError,
                     levels=(None, 0, 6, 9), compress=lzma.compress,
                     decompress=lzma.decompress)


@pytest.mark.parametrize('check', [0, 1, 4, 10])  # LZMA.CHECK
def test_checks(check):
    data = PAYLOADS['text'][:5000]
    encoded = lzma_encode(data, check=check)
    assert lzma.decompress(encoded) == data
    assert encoded[7] == int(check)  # stream flags byte of the header


def test_alone_format_and_concatenation():
    data = PAYLOADS['text']
    alone = lzma.compress(data, format=lzma.FORMAT_ALONE)
    assert lzma_check(alone) and lzma_decode(alone) == data
    joined = lzma_encode(data) + lzma.compress(b'end')
    assert lzma_decode(joined) == data + b'end'
