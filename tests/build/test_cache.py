"""Incremental builds: the per-document cache, the manifest and no-op rebuilds.

Whether a document was parsed is read off the parser itself: a spy on
``nlp.pipe`` records every text the parser is given.
"""

from __future__ import annotations

import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph
from typer.testing import CliRunner

from kg.build import cache, manifest
from kg.build.cache import ENTRY_SUFFIX, SOURCE_SUFFIX, DocCache, document_key, rename
from kg.build.ingest import clean_text, read_document
from kg.build.pipeline import build
from kg.cli.app import app
from kg.datatypes import (
    BuildOptions,
    ClaimCandidate,
    Evidence,
    Mention,
    RelationCandidate,
)
from kg.resources import ontology_dir
from kg.vocab import KG

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "000_34bce72a55b3839a.txt"
STORIES = {
    "japan.txt": "Tokyo tightens rules\n\nJapan sanctioned ZTE on Tuesday after a long review.\n",
    "britain.txt": "London acts\n\nBritain excluded Huawei from its 5G network in July.\n",
    "india.md": "# Delhi blocks apps\n\nIndia banned TikTok last year, the ministry said.\n",
}
EXTRA = "Canberra weighs options\n\nAustralia investigated Tencent over data handling in March.\n"
runner = CliRunner()


@pytest.fixture
def fed(monkeypatch) -> list[str]:
    """Every text handed to the parser during the test."""
    from kg.build.nlp import build_nlp

    nlp, texts = build_nlp(), []
    real = nlp.pipe

    def pipe(stream, **kwargs):
        def tap():
            for text in stream:
                texts.append(text)
                yield text
        return real(tap(), **kwargs)

    monkeypatch.setattr(nlp, "pipe", pipe)
    return texts


@pytest.fixture
def src(tmp_path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in STORIES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def ontology_copy(tmp_path, monkeypatch):
    """A copy of the ontology folder that the build reads instead (KG_ONTOLOGY_DIR)."""
    copy = tmp_path / "ontology"
    shutil.copytree(ontology_dir(), copy)
    monkeypatch.setenv("KG_ONTOLOGY_DIR", str(copy))
    ontology_dir.cache_clear()
    yield copy
    monkeypatch.delenv("KG_ONTOLOGY_DIR")
    ontology_dir.cache_clear()


def _facts(out: Path) -> set[tuple[str, str, str]]:
    """(subject label, kg property, object label) of every plain triple in graph.ttl."""
    graph = Graph().parse(out / "graph.ttl", format="turtle")
    rows = graph.query("""PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX kg: <https://w3id.org/kg-geotech/ontology#>
        SELECT ?a ?p ?b WHERE { ?s ?p ?o . ?s rdfs:label ?a . ?o rdfs:label ?b .
            FILTER(STRSTARTS(STR(?p), STR(kg:))) }""")
    return {(str(a), str(p).rsplit("#", 1)[1], str(b)) for a, p, b in rows}


def _file_names(out: Path) -> set[str]:
    graph = Graph().parse(out / "graph.ttl", format="turtle")
    return {str(o) for o in graph.objects(None, KG.fileName)}


def _snapshot(out: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(out).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(out.rglob("*")) if p.is_file() and p.name != ".kg-build.lock"}


# ----- what is parsed again -------------------------------------------------------------
def test_cache_unchanged_documents_are_not_parsed(src, tmp_path, fed):
    first = build(BuildOptions([src], tmp_path / "out"))
    assert len(fed) == 3 and first.stats.parsed == 3 and first.stats.new == 3
    fed.clear()
    (src / "australia.txt").write_text(EXTRA, encoding="utf-8")
    second = build(BuildOptions([src], tmp_path / "out"))
    assert len(fed) == 1 and "Australia investigated Tencent" in fed[0]
    stats = second.stats
    assert (stats.new, stats.changed, stats.removed, stats.reused, stats.parsed) == (1, 0, 0, 3, 1)
    assert ("Australia", "investigates", "Tencent") in _facts(tmp_path / "out")


def test_cache_changed_document_is_parsed(src, tmp_path, fed):
    build(BuildOptions([src], tmp_path / "out"))
    fed.clear()
    (src / "japan.txt").write_text(STORIES["japan.txt"].replace("ZTE", "Huawei"), encoding="utf-8")
    stats = build(BuildOptions([src], tmp_path / "out")).stats
    assert len(fed) == 1 and "Japan sanctioned Huawei" in fed[0]
    assert (stats.changed, stats.new, stats.reused) == (1, 0, 2)
    facts = _facts(tmp_path / "out")
    assert ("Japan", "sanctions", "Huawei") in facts and ("Japan", "sanctions", "ZTE") not in facts


def test_cache_removed_document_leaves_the_graph(src, tmp_path, fed):
    build(BuildOptions([src], tmp_path / "out"))
    assert ("United Kingdom", "excludes", "Huawei") in _facts(tmp_path / "out")
    fed.clear()
    (src / "britain.txt").unlink()
    stats = build(BuildOptions([src], tmp_path / "out")).stats
    assert fed == [] and (stats.removed, stats.documents, stats.reused) == (1, 2, 2)
    assert ("United Kingdom", "excludes", "Huawei") not in _facts(tmp_path / "out")
    assert "britain.txt" not in (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")


def test_cache_renamed_file_is_reused_under_its_new_name(src, tmp_path, fed):
    build(BuildOptions([src], tmp_path / "out"))
    fed.clear()
    (src / "japan.txt").rename(src / "nippon.txt")
    stats = build(BuildOptions([src], tmp_path / "out")).stats
    assert fed == [] and (stats.reused, stats.new, stats.removed) == (3, 1, 1)
    assert _file_names(tmp_path / "out") == {"nippon.txt", "britain.txt", "india.md"}
    build(BuildOptions([src], tmp_path / "fresh", use_cache=False))
    for name in ("graph.ttl", "provenance.trig"):
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes()


@pytest.mark.parametrize(
    ("name", "parsed"),
    [("lexicon.yaml", 3), ("gazetteer.ttl", 3), ("spinning.yaml", 3), ("kg.ttl", 0),
     ("shapes.ttl", 0)],
)
def test_cache_ontology_change_invalidates_only_what_extraction_reads(
        src, tmp_path, fed, ontology_copy, name, parsed):
    build(BuildOptions([src], tmp_path / "out"))
    fed.clear()
    with open(ontology_copy / name, "a", encoding="utf-8") as handle:
        handle.write("\n# a comment added by a test\n")
    stats = build(BuildOptions([src], tmp_path / "out")).stats
    assert len(fed) == stats.parsed == parsed
    assert not stats.up_to_date and stats.reused == 3 - parsed


@pytest.mark.parametrize("damage", [b"", b"not a pickle", pickle.dumps({"x": 1}), b"\x80\x05K"])
def test_cache_corrupt_entry_is_a_miss(src, tmp_path, fed, damage):
    out = tmp_path / "out"
    expected = build(BuildOptions([src], out)).stats
    entries = sorted(e for e in (out / ".kg-cache").glob(f"*{ENTRY_SUFFIX}")
                     if not e.name.endswith(f"{SOURCE_SUFFIX}{ENTRY_SUFFIX}"))
    assert len(entries) == 3
    for entry in entries:
        entry.write_bytes(damage)
    (out / manifest.MANIFEST_NAME).unlink()
    fed.clear()
    stats = build(BuildOptions([src], out)).stats
    assert len(fed) == stats.parsed == 3 and stats.relations == expected.relations
    assert all(pickle.loads(e.read_bytes()).doc_id for e in entries)  # written anew


def test_cache_unused_entries_are_pruned(src, tmp_path):
    out = tmp_path / "out"
    build(BuildOptions([src], out))
    (out / ".kg-cache" / f"{'0' * 64}{ENTRY_SUFFIX}").write_bytes(b"stale")
    (src / "india.md").unlink()
    build(BuildOptions([src], out))
    # one cleaned document and one extraction for each of the two files left
    assert len(list((out / ".kg-cache").iterdir())) == 4


def test_cache_no_cache_parses_everything_and_leaves_the_cache(src, tmp_path, fed):
    build(BuildOptions([src], tmp_path / "out"))
    before = _snapshot(tmp_path / "out" / ".kg-cache")
    fed.clear()
    stats = build(BuildOptions([src], tmp_path / "out", use_cache=False)).stats
    assert len(fed) == stats.parsed == 3 and not stats.up_to_date
    assert _snapshot(tmp_path / "out" / ".kg-cache") == before


def test_cache_cached_build_is_byte_identical_to_uncached(src, tmp_path, fed):
    shutil.copy(SEED, src / SEED.name)
    build(BuildOptions([src], tmp_path / "first"))
    fed.clear()
    options = BuildOptions([src], tmp_path / "second", cache_dir=tmp_path / "first" / ".kg-cache")
    stats = build(options).stats
    assert fed == [] and stats.reused == 4
    build(BuildOptions([src], tmp_path / "plain", use_cache=False))
    for name in ("graph.ttl", "provenance.trig", "validation.txt"):
        plain = (tmp_path / "plain" / name).read_bytes()
        assert (tmp_path / "second" / name).read_bytes() == plain, name


def test_cache_two_jobs_build_the_same_graph(src, tmp_path):
    shutil.copy(SEED, src / SEED.name)
    one = build(BuildOptions([src], tmp_path / "one", use_cache=False, jobs=1))
    two = build(BuildOptions([src], tmp_path / "two", use_cache=False, jobs=2))
    assert two.stats.parsed == 4 and two.stats.warnings == one.stats.warnings == []
    for name in ("graph.ttl", "provenance.trig"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


# ----- no-op rebuilds -------------------------------------------------------------------
def test_cache_noop_rebuild_is_up_to_date_and_writes_nothing(src, tmp_path, fed):
    args = ["build", str(src), "--out", str(tmp_path / "out")]
    assert runner.invoke(app, args).exit_code == 0
    before, fed[:] = _snapshot(tmp_path / "out"), []
    result = runner.invoke(app, [*args, "--timings"])
    assert result.exit_code == 0, result.output
    assert "up to date" in result.stdout and "timings (s): read" in result.stdout
    assert "documents" in result.stdout and "graph.ttl" in result.stdout
    assert fed == [] and _snapshot(tmp_path / "out") == before


def test_cache_noop_rebuild_repeats_counts_and_warnings(src, tmp_path):
    (src / "empty.txt").write_bytes(b"")
    first = build(BuildOptions([src], tmp_path / "out"))
    again = build(BuildOptions([src], tmp_path / "out"))
    assert again.stats.up_to_date and again.graph is None
    for name in ("documents", "entities", "relations", "claims", "negated", "violations",
                 "warnings"):
        assert getattr(again.stats, name) == getattr(first.stats, name), name
    assert again.stats.outputs == first.stats.outputs
    assert again.report.conforms == first.report.conforms
    assert len(again.stats.warnings) == 1 and "empty.txt" in again.stats.warnings[0]


@pytest.mark.parametrize("harm", ["edit", "delete"])
def test_cache_damaged_output_is_rebuilt(src, tmp_path, harm):
    out = tmp_path / "out"
    build(BuildOptions([src], out))
    good = (out / "graph.ttl").read_bytes()
    if harm == "edit":
        (out / "graph.ttl").write_bytes(good + b"# edited\n")
    else:
        (out / "graph.ttl").unlink()
    stats = build(BuildOptions([src], out)).stats
    assert not stats.up_to_date and stats.parsed == 0
    assert (out / "graph.ttl").read_bytes() == good


@pytest.mark.parametrize("change", ["min_confidence", "new_listing_warning"])
def test_cache_other_settings_are_not_up_to_date(src, tmp_path, change):
    build(BuildOptions([src], tmp_path / "out"))
    if change == "min_confidence":
        stats = build(BuildOptions([src], tmp_path / "out", min_confidence=0.9)).stats
    else:
        (src / "notes.pdf").write_bytes(b"%PDF")
        stats = build(BuildOptions([src], tmp_path / "out")).stats
        assert any("notes.pdf" in w for w in stats.warnings)
    assert not stats.up_to_date and stats.parsed == 0


def test_cache_noop_rebuild_loads_neither_spacy_nor_rdflib(src, tmp_path):
    build(BuildOptions([src], tmp_path / "out"))
    code = ("import sys; from pathlib import Path; from kg.build.pipeline import build; "
            "from kg.datatypes import BuildOptions; "
            "r = build(BuildOptions([Path(sys.argv[1])], Path(sys.argv[2]))); "
            "print(r.stats.up_to_date, sorted(m for m in ('spacy', 'rdflib', 'pyshacl') "
            "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code, str(src), str(tmp_path / "out")],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["True", "[]"]


# ----- pieces ---------------------------------------------------------------------------
def test_cache_fingerprint_covers_every_module_extraction_imports():
    code = ("import sys, kg.build.pipeline, kg.extract, kg.build.nlp; "
            "print(' '.join(m.__file__ for n, m in sys.modules.items() if n.startswith('kg.')))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    package = ROOT / "kg"
    covered = {p.resolve() for p in cache._package_files(cache.EXTRACTION_CODE)}
    outside = {Path(f).resolve().relative_to(package).as_posix() for f in done.stdout.split()
               if Path(f).resolve() not in covered}
    # none of them changes what is extracted: they serialize builds, write files and
    # bind the parser processes to the build
    assert outside == {"atomic.py", "build/children.py", "build/lock.py", "build/manifest.py"}


@pytest.mark.parametrize("module", ["extract/arguments.py", "extract/polarity.py",
                                    "extract/relations.py", "extract/titles.py",
                                    "extract/structural.py"])
def test_cache_extractor_module_change_invalidates_the_fingerprint(tmp_path, monkeypatch, module):
    copy = tmp_path / "kg"
    shutil.copytree(ROOT / "kg", copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "_PACKAGE", copy)
    before = cache.extraction_fingerprint(1000)
    with open(copy / module, "a", encoding="utf-8") as handle:
        handle.write("\n# a comment added by a test\n")
    assert cache.extraction_fingerprint(1000) != before


def test_cache_model_packages_match_the_loader():
    from kg.build.nlp import MODEL_PACKAGES

    assert cache.MODEL_PACKAGES == MODEL_PACKAGES


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [(("a.txt", "text one"), ("b.txt", "text one"), True),
     (("a.txt", "text one"), ("a.txt", "text two"), False),
     (("a.txt", "text one"), ("a.md", "text one"), False)],
)
def test_cache_document_key(first, second, same):
    def key(name, text):
        source = clean_text(text, name)
        return document_key(source.__class__(**{**vars(source), "path": f"/x/{name}"}), "fp")

    assert (key(*first) == key(*second)) is same


def test_cache_rename_moves_every_document_id():
    source = clean_text("Old news\n\nAcme said the rules are unfair.\n", "old.txt")
    ev = Evidence("old.txt", 0, 5, "Acme said the rules are unfair.", "rule", 0.8)
    acme = Mention("acme", "Acme", "Acme", "Company", 0, 4)
    act = Mention("act:old.txt:ban", "ban", "ban", "Initiative", 5, 8)
    claim = ClaimCandidate("old.txt#claim1", acme, "the rules are unfair", ev)
    rels = (RelationCandidate(acme, "states", claim, ev),
            RelationCandidate(acme, "opposes", act, ev))
    from kg.datatypes import DocExtraction

    new_source = clean_text("Old news\n\nAcme said the rules are unfair.\n", "new.txt")
    moved = rename(DocExtraction(source, (acme, act), rels, (claim,)), new_source, "old.txt")
    assert moved.source is new_source
    assert [m.key for m in moved.mentions] == ["acme", "act:new.txt:ban"]
    assert moved.claims[0].key == "new.txt#claim1" and moved.claims[0].evidence.doc_id == "new.txt"
    assert moved.relations[0].obj == moved.claims[0]
    assert "old.txt" not in repr(moved.relations)


def test_cache_for_build_follows_the_options(tmp_path):
    assert DocCache.for_build(BuildOptions(out=tmp_path, use_cache=False), "fp") is None
    default = DocCache.for_build(BuildOptions(out=tmp_path), "fp")
    assert default.folder == tmp_path / cache.CACHE_NAME and default.fingerprint == "fp"
    chosen = DocCache.for_build(BuildOptions(out=tmp_path, cache_dir=str(tmp_path / "c")), "fp")
    assert chosen.folder == tmp_path / "c"


def test_cache_entry_is_written_whole_without_leftovers(tmp_path):
    from kg.datatypes import DocExtraction

    doc_cache = DocCache(tmp_path / "cache", "fp")
    source = clean_text("T\n\nText.\n", "t.txt")
    doc_cache.put(source, DocExtraction(source, (), (), ()), ["t.txt: a warning"])
    (entry,) = (tmp_path / "cache").iterdir()
    assert entry.name == document_key(source, "fp") + ENTRY_SUFFIX
    extraction, warnings = DocCache(tmp_path / "cache", "fp").get(source)
    assert extraction.source is source and warnings == ["t.txt: a warning"]


def test_cache_unwritable_folder_is_quietly_skipped(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    doc_cache = DocCache(blocker / "cache", "fp")
    source = clean_text("T\n\nText.\n", "t.txt")
    from kg.datatypes import DocExtraction

    doc_cache.put(source, DocExtraction(source, (), (), ()), [])
    assert doc_cache.get(source) is None


# ----- a very long document ---------------------------------------------------------------
ACTORS = ("Japan", "Britain", "India", "Australia", "Canada", "Germany", "France", "Sweden")
TARGETS = ("ZTE", "Huawei", "TikTok", "Tencent", "Alibaba", "Kaspersky")
ACTS = ("sanctioned", "banned", "investigated", "blocked")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
MEASURE = """
import resource, sys, time
from pathlib import Path
from kg.build.pipeline import BuildOptions, build
start = time.perf_counter()
result = build(BuildOptions([Path(sys.argv[1])], Path(sys.argv[2])))
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{result.stats.relations} {seconds:.1f} {peak:.0f}")
"""


def _digest(size: int) -> str:
    """About ``size`` characters of short news paragraphs, every one with an act."""
    paragraphs, total, n = ["Annual digest of technology trade measures"], 0, 0
    while total < size:
        actor, target = ACTORS[n % len(ACTORS)], TARGETS[n % len(TARGETS)]
        act, day = ACTS[n % len(ACTS)], DAYS[n % len(DAYS)]
        text = (f"In item {n}, {actor} {act} {target} on {day} after a review of supplier "
                f"contracts. Officials said decision {n} followed months of talks. Analysts "
                f"expect more paperwork before item {n + 1}.")
        paragraphs.append(text)
        total, n = total + len(text) + 2, n + 1
    return "\n\n".join(paragraphs) + "\n"


@pytest.mark.slow
def test_cache_one_and_a_half_megabyte_document_builds(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "digest.txt").write_text(_digest(1_500_000), encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", MEASURE, str(tmp_path / "in"),
                           str(tmp_path / "out")], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    relations, seconds, peak_mb = done.stdout.split()
    print(f"1.5 MB document: {seconds} s, peak RSS {peak_mb} MB")  # shown with -s
    assert int(relations) >= 20
    # read in parts, the parser never holds the whole text: memory stays far below what
    # one 1.5 MB parse would need (the figure itself is measured in bench/, not here)
    assert float(peak_mb) < 4096
    facts = _facts(tmp_path / "out")
    assert ("Japan", "sanctions", "ZTE") in facts and ("India", "investigates", "TikTok") in facts


def test_cache_cleaned_documents_are_reused_by_their_bytes(src, tmp_path, monkeypatch):
    import kg.build.pipeline as pipeline

    out = tmp_path / "out"
    first = build(BuildOptions([src], out))
    cleaned = []
    monkeypatch.setattr(pipeline, "read_document",
                        lambda path: cleaned.append(path) or read_document(path))
    (src / "extra.txt").write_text("Ruritania banned Huawei on Friday.\n", encoding="utf-8")
    stats = build(BuildOptions([src], out)).stats
    assert [p.name for p in cleaned] == ["extra.txt"]  # the other files came from the cache
    assert stats.documents == first.stats.documents + 1


def test_cache_cleaned_document_follows_a_rename(src, tmp_path):
    out = tmp_path / "out"
    build(BuildOptions([src], out))
    name = sorted(src.glob("*.txt"))[0]
    name.rename(src / "renamed-story.txt")
    build(BuildOptions([src], out))
    graph = (out / "graph.ttl").read_text(encoding="utf-8")
    assert '"renamed-story.txt"' in graph and f'"{name.name}"' not in graph


@pytest.mark.parametrize(("jobs", "documents", "cores", "expected"), [
    (3, 1, 2, 3),      # asked for: always given
    (0, 39, 8, 1),     # auto, a small build: parsed in-process
    (0, 40, 2, 2),     # auto: one per core ...
    (0, 500, 16, 4),   # ... up to four
    (0, 500, 1, 1),
])
def test_cache_parser_processes(monkeypatch, jobs, documents, cores, expected):
    import os

    from kg.build.pipeline import parser_processes

    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: set(range(cores)), raising=False)
    assert parser_processes(jobs, documents) == expected
