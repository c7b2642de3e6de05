"""Where the tests find things: the checkout, its bundled data and the sample records."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
DATA = ROOT / "data"
SAMPLES = TESTS / "samples"
