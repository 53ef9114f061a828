"""The one place that locates the data directories (ontology/, queries/).

In a checkout or an editable install they sit beside the ``kg`` package; a
wheel carries them inside it as ``kg/_data/``.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _locate(name: str) -> Path:
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"kg: cannot find the {name}/ directory next to {_PACKAGE}")


@cache
def ontology_dir() -> Path:
    """The ontology folder (schema, shapes, gazetteer, lexicon, spinning)."""
    override = os.environ.get("KG_ONTOLOGY_DIR")
    return Path(override) if override else _locate("ontology")


def ontology_file(name: str) -> Path:
    return ontology_dir() / name


@cache
def queries_dir() -> Path:
    return _locate("queries")
