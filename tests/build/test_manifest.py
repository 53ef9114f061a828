"""Tests for kg.build.manifest: what a build records, and when the next has nothing to do."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from kg.build import manifest
from kg.datatypes import BuildOptions, BuildStats, ValidationReport, ValidationResult

REPORT = ValidationReport(False, (ValidationResult("kgr:x", "kg:bans", "bad end", "Violation",
                                                   "kgr:y"),))


@pytest.fixture
def sources(tmp_path) -> list[Path]:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in (("a.txt", "Japan sanctioned ZTE."), ("b.md", "# Huawei\n\nBritain acted.")):
        (folder / name).write_text(text, encoding="utf-8")
    return sorted(folder.iterdir())


def _scan(files, options=None, listing=("x.pdf: skipped",), fingerprint="fp"):
    return manifest.scan(files, listing, fingerprint, options or BuildOptions())


def _finish(out: Path, inputs: manifest.Inputs, documents: int = 2) -> BuildStats:
    """Writes two outputs and the manifest, as a finished build does."""
    out.mkdir(exist_ok=True)
    (out / "graph.ttl").write_text("<a> <b> <c> .\n", encoding="utf-8")
    (out / "graph.oxigraph").mkdir(exist_ok=True)
    (out / "graph.oxigraph" / "000001.sst").write_bytes(b"store")
    stats = BuildStats(documents=documents, entities=5, relations=3, claims=1, negated=1,
                       violations=1, warnings=["x.pdf: skipped"],
                       outputs={"graph": str(out / "graph.ttl"),
                                "store": str(out / "graph.oxigraph")})
    manifest.save(out, inputs, {"in/a.txt": "aa", "in/b.md": "bb"}, stats, REPORT)
    return stats


# ----- scan -----------------------------------------------------------------------------
def test_manifest_scan_hashes_every_file_and_keeps_the_settings(sources):
    inputs = _scan(sources, BuildOptions(min_confidence=0.7))
    assert inputs.files == {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sources}
    assert inputs.listing == ["x.pdf: skipped"] and inputs.fingerprint == "fp"
    assert inputs.min_confidence == 0.7


def test_manifest_scan_marks_an_unreadable_file(tmp_path):
    (tmp_path / "folder.txt").mkdir()
    inputs = _scan([tmp_path / "folder.txt", tmp_path / "gone.txt"])
    assert all(value.startswith("unreadable ") for value in inputs.files.values())
    assert len(inputs.files) == 2


@pytest.mark.parametrize("change", ["content", "added", "listing", "fingerprint",
                                    "min_confidence"])
def test_manifest_signature_changes_with_what_the_build_reads(sources, change):
    before = _scan(sources).signature()
    if change == "content":
        sources[0].write_text("Japan sanctioned Huawei.", encoding="utf-8")
    if change == "added":
        sources.append(sources[0].with_name("c.txt"))
        sources[-1].write_text("More news.", encoding="utf-8")
    after = _scan(sources, BuildOptions(min_confidence=0.9 if change == "min_confidence" else 0.5),
                  ("y.pdf: skipped",) if change == "listing" else ("x.pdf: skipped",),
                  "other" if change == "fingerprint" else "fp")
    assert after.signature() != before


def test_manifest_signature_ignores_how_the_build_runs(sources, tmp_path):
    plain = _scan(sources).signature()
    other = BuildOptions(out=tmp_path / "elsewhere", lock_timeout=1, jobs=3, use_cache=False,
                         cache_dir=tmp_path / "cache")
    assert _scan(sources, other).signature() == plain


# ----- save and load --------------------------------------------------------------------
def test_manifest_save_load_round_trip(sources, tmp_path):
    out, inputs = tmp_path / "out", _scan(sources, BuildOptions(min_confidence=0.25))
    _finish(out, inputs)
    data = manifest.load(out)
    assert data["format"] == manifest.FORMAT and data["signature"] == inputs.signature()
    assert data["min_confidence"] == 0.25 and data["fingerprint"] == "fp"
    assert data["documents"] == {"in/a.txt": "aa", "in/b.md": "bb"}
    assert data["outputs"]["graph"] == {"path": "graph.ttl",
                                        "sha256": manifest.digest(out / "graph.ttl")}
    assert data["outputs"]["store"]["sha256"].startswith("dir:")
    assert data["stats"]["documents"] == 2 and data["stats"]["warnings"] == ["x.pdf: skipped"]
    assert data["report"]["results"][0]["message"] == "bad end"


@pytest.mark.parametrize("text", [None, "{not json", "[]", '{"format": 999}'])
def test_manifest_load_without_a_usable_manifest_is_none(tmp_path, text):
    if text is not None:
        (tmp_path / manifest.MANIFEST_NAME).write_text(text, encoding="utf-8")
    assert manifest.load(tmp_path) is None


def test_manifest_save_into_a_missing_folder_does_nothing(tmp_path, sources):
    stats = BuildStats(outputs={})
    manifest.save(tmp_path / "missing", _scan(sources), {}, stats, ValidationReport(True))
    assert not (tmp_path / "missing").exists()


# ----- up_to_date -----------------------------------------------------------------------
def test_manifest_up_to_date_gives_the_recorded_build(sources, tmp_path):
    out = tmp_path / "out"
    recorded = _finish(out, _scan(sources))
    stats, report = manifest.up_to_date(out, _scan(sources))
    assert stats.up_to_date and stats.reused == stats.documents == 2
    for name in ("entities", "relations", "claims", "negated", "violations", "warnings"):
        assert getattr(stats, name) == getattr(recorded, name), name
    assert stats.outputs == recorded.outputs
    assert report == REPORT


def test_manifest_up_to_date_follows_a_moved_output_folder(sources, tmp_path):
    _finish(tmp_path / "out", _scan(sources))
    shutil.copytree(tmp_path / "out", tmp_path / "moved")
    stats, _ = manifest.up_to_date(tmp_path / "moved", _scan(sources))
    assert stats.outputs["graph"] == str(tmp_path / "moved" / "graph.ttl")


def test_manifest_up_to_date_ignores_files_a_store_rewrites_when_read(sources, tmp_path):
    out = tmp_path / "out"
    _finish(out, _scan(sources))
    (out / "graph.oxigraph" / "LOG").write_text("opened", encoding="utf-8")
    (out / "graph.oxigraph" / "LOCK").write_text("", encoding="utf-8")
    assert manifest.up_to_date(out, _scan(sources)) is not None


@pytest.mark.parametrize("change", ["source", "min_confidence", "output_edited",
                                    "output_deleted", "store_edited", "manifest_deleted",
                                    "manifest_broken"])
def test_manifest_what_makes_a_build_not_up_to_date(sources, tmp_path, change):
    out = tmp_path / "out"
    _finish(out, _scan(sources))
    options = BuildOptions(min_confidence=0.6 if change == "min_confidence" else 0.5)
    if change == "source":
        sources[1].write_text("Changed.", encoding="utf-8")
    elif change == "output_edited":
        (out / "graph.ttl").write_text("<a> <b> <d> .\n", encoding="utf-8")
    elif change == "output_deleted":
        (out / "graph.ttl").unlink()
    elif change == "store_edited":
        (out / "graph.oxigraph" / "000002.sst").write_bytes(b"more")
    elif change == "manifest_deleted":
        (out / manifest.MANIFEST_NAME).unlink()
    elif change == "manifest_broken":
        path = out / manifest.MANIFEST_NAME
        data = json.loads(path.read_text(encoding="utf-8"))
        del data["stats"]["entities"]
        path.write_text(json.dumps(data), encoding="utf-8")
    assert manifest.up_to_date(out, _scan(sources, options)) is None


def test_manifest_with_no_outputs_recorded_is_never_up_to_date(sources, tmp_path):
    inputs = _scan(sources)
    manifest.save(tmp_path, inputs, {}, BuildStats(), ValidationReport(True))
    assert manifest.load(tmp_path) is not None
    assert manifest.up_to_date(tmp_path, inputs) is None


# ----- digest and count_changes ---------------------------------------------------------
def test_manifest_digest_of_a_file_a_folder_and_nothing(tmp_path):
    (tmp_path / "f.txt").write_bytes(b"abc")
    assert manifest.digest(tmp_path / "f.txt") == hashlib.sha256(b"abc").hexdigest()
    assert manifest.digest(tmp_path / "missing") == ""
    folder = tmp_path / "store"
    folder.mkdir()
    (folder / "one").write_bytes(b"1")
    before = manifest.digest(folder)
    (folder / "one").rename(folder / "two")  # same bytes under another name
    assert before.startswith("dir:") and manifest.digest(folder) != before


@pytest.mark.parametrize(
    ("before", "now", "expected"),
    [
        (None, {"a": "1", "b": "2"}, (2, 0, 0)),
        ({"a": "1", "b": "2"}, {"a": "1", "b": "2"}, (0, 0, 0)),
        ({"a": "1", "b": "2"}, {"a": "1", "b": "3", "c": "4"}, (1, 1, 0)),
        ({"a": "1", "b": "2"}, {"c": "1"}, (1, 0, 2)),  # a rename: new, and removed
    ],
)
def test_manifest_count_changes_against_the_last_build(before, now, expected):
    stats = BuildStats()
    manifest.count_changes(stats, None if before is None else {"documents": before}, now)
    assert (stats.new, stats.changed, stats.removed) == expected
