"""Fixtures of the NMODL language tests (the harness lives in oracle.py)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
