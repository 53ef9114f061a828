"""Shared pytest setup: make the checkout importable when pytest runs from anywhere."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory) -> Path:
    """The build folder of ``seeds/`` (built once per test session; treat it as read-only)."""
    from kg.build.pipeline import build
    from kg.datatypes import BuildOptions

    out = tmp_path_factory.mktemp("seed-build")
    build(BuildOptions([ROOT / "seeds"], out))
    return out
