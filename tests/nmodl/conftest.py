"""Fixtures of the NMODL compiler tests (helpers live in nmodl_helpers.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session")
def module_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("nmodl_modules")
