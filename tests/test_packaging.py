"""Tests for the packaging: exact pins, the console script, bundled data."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from kg import __version__, resources

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]
ALL_REQUIREMENTS = PROJECT["dependencies"] + [
    req for extra in PROJECT.get("optional-dependencies", {}).values() for req in extra
]
PIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*==[0-9][A-Za-z0-9.+!-]*$")


@pytest.mark.parametrize("requirement", ALL_REQUIREMENTS)
def test_packaging_dependency_pinned_exactly(requirement: str) -> None:
    assert PIN.match(requirement), f"not pinned with ==: {requirement}"


def test_packaging_build_backend_pinned() -> None:
    assert all("==" in req for req in PYPROJECT["build-system"]["requires"])


@pytest.mark.parametrize(
    "name", ["spacy", "rdflib", "pyshacl", "pyvis", "typer", "networkx", "pyyaml", "rich"]
)
def test_packaging_runtime_dependency_listed(name: str) -> None:
    names = {req.split("==")[0].lower() for req in PROJECT["dependencies"]}
    assert name in names


def test_packaging_console_script() -> None:
    assert PROJECT["scripts"] == {"kg": "kg.cli.app:app"}


def test_packaging_version_matches_package() -> None:
    assert PYPROJECT["tool"]["hatch"]["version"]["path"] == "kg/__init__.py"
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)


def test_packaging_wheel_bundles_data_dirs() -> None:
    forced = PYPROJECT["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert forced == {"ontology": "kg/_data/ontology", "queries": "kg/_data/queries"}


def test_packaging_data_dirs_found() -> None:
    assert resources.ontology_dir().is_dir()
    assert (resources.queries_dir() / "who-bans-whom.rq").is_file()


def test_packaging_example_queries_state_their_question() -> None:
    for query in sorted(resources.queries_dir().glob("*.rq")):
        first = query.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("#"), f"{query.name}: first line should be a # question"
