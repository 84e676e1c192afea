# SPDX-License-Identifier: BSD-3-Clause
"""Shared pytest configuration: sample files and codec availability."""

import os
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent

# Sample files made by other tools; never copied into the repository.
SAMPLES = pathlib.Path(
    os.environ.get('IMAGECODECS_SAMPLES', ROOT.parent / 'shared/data/samples')
)


@pytest.fixture
def samples():
    """Return the folder of sample files, or skip if it is absent."""
    if not SAMPLES.is_dir():
        pytest.skip(f'sample folder {SAMPLES} not found '
                    '(set IMAGECODECS_SAMPLES)')
    return SAMPLES
