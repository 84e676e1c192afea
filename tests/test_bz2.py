# SPDX-License-Identifier: BSD-3-Clause
"""BZ2 codec, checked against Python's bz2 module."""

import bz2

import pytest

from imagecodecs import Bz2Error, bz2_check, bz2_decode, bz2_encode
from harness import PAYLOADS, check_compressor, require


@pytest.fixture(autouse=True)
def available():
    require('bz2')


def test_compressor():
    check_compressor(bz2_encode, bz2_decode, Bz2Error, levels=(None, 1, 9),
                     compress=bz2.compress, decompress=bz2.decompress)


def test_concatenated_streams():
    data = PAYLOADS['text']
    assert bz2_decode(bz2_encode(data) + bz2.compress(b'end')) == data + b'end'


def test_check():
    assert bz2_check(bz2_encode(b'abc'))
    assert not bz2_check(b'BZh0') and not bz2_check(b'')
