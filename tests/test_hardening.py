"""Hardening: bad input files, long documents, killed builds, concurrent builds.

The end-to-end tests run ``kg build`` in-process (typer's CliRunner) where a
setting must be patched, and as a subprocess where a build is killed or two
builds race.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from rdflib import Graph
from typer.testing import CliRunner

from kg.atomic import remove_stale_temps
from kg.build import pipeline
from kg.build.ingest import IngestError, clean_text, read_document
from kg.build.lock import build_lock
from kg.cli.app import app
from kg.datatypes import BuildOptions, BuildStats
from kg.vocab import KG

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_34bce72a55b3839a.txt"
CLI = [sys.executable, "-c", "from kg.cli.app import app; app()"]
OUTPUTS = ("graph.ttl", "provenance.trig", "graph.html", "validation.txt")
PREFIXES = """
PREFIX kg:   <https://w3id.org/kg-geotech/ontology#>
PREFIX rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
US_BANS_TIKTOK = """ASK { ?us rdfs:label "United States" . ?app rdfs:label "TikTok" .
                         ?us kg:bans ?app . }"""
EXTRA_STORY = ("Tokyo acts on telecoms\n\nJapan sanctioned ZTE on Tuesday. "
               "Officials in Tokyo said the measure would stay in force.\n")
LONG_LIMIT = 3000  # the parser's max_length while the long-document tests run

runner = CliRunner()


def _ask(graph: Graph, query: str) -> bool:
    return bool(graph.query(PREFIXES + query).askAnswer)


def _long_story() -> str:
    """About 9,000 characters in many short paragraphs; one fact near the end."""
    countries = ("Freedonia", "Sylvania", "Ruritania", "Latveria")
    paragraphs = ["Quarterly round-up of telecoms rules"]
    for n in range(150):
        paragraphs.append(f"Regulators in {countries[n % 4]} met for session {n} to review "
                          "procurement paperwork.")
    paragraphs.insert(140, "Japan sanctioned ZTE in March.")
    return "\n\n".join(paragraphs) + "\n"


def _bad_corpus(folder: Path) -> dict[str, str]:
    """Writes the seed and one file of every awkward kind into ``folder``.

    Returns:
        For each file that must be reported: its name -> a word its warning holds.
    """
    folder.mkdir(parents=True)
    (folder / SEED.name).write_bytes(SEED.read_bytes())
    (folder / "copy of the seed.txt").write_bytes(SEED.read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_bytes(b"  \n\t\n   \n")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01")
    (folder / "noise.txt").write_bytes(random.Random(3).randbytes(4000).replace(b"\0", b"!"))
    (folder / "legacy.txt").write_bytes("Freedonia \u201cacts\u201d\n\nFreedonia banned "
                                        "TikTok \u2013 officials said.\n".encode("cp1252"))
    (folder / "long.txt").write_text(_long_story(), encoding="utf-8")
    (folder / "chapter.txt").mkdir()
    (folder / "report.pdf").write_bytes(b"%PDF-1.4\n")
    (folder / "README").write_text("not a story\n", encoding="utf-8")
    (folder / "東京 news é.txt").write_text(EXTRA_STORY, encoding="utf-8")
    (folder / "evil\u202e\nname.txt").write_bytes(b"")
    with open(os.fsencode(folder) + b"/caf\xe9 notes.txt", "wb") as handle:
        handle.write(b"Cafe notes\n\nSylvania sanctioned Huawei on Friday.\n")
    return {"copy of the seed.txt": "same content", "empty.txt": "empty",
            "blank.txt": "whitespace", "image.txt": "binary", "noise.txt": "binary",
            "legacy.txt": "cp1252", "long.txt": "parts", "chapter.txt": "directory",
            "report.pdf": "unsupported", "README": "unsupported",
            "evil\\u202e\\nname.txt": "empty"}


@pytest.fixture
def short_max_length(monkeypatch):
    from kg.build.nlp import build_nlp

    monkeypatch.setattr(build_nlp(), "max_length", LONG_LIMIT)


# ----- bad inputs, end to end -------------------------------------------------------------
def test_hardening_bad_inputs_build_with_one_warning_each(tmp_path, short_max_length):
    bad = _bad_corpus(tmp_path / "in")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(tmp_path / "in"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert all(line.startswith("warning: ") for line in lines), lines
    for name, reason in bad.items():
        said = [line for line in lines if name in line]
        assert len(said) == 1 and reason in said[0], (name, lines)
    graph = Graph().parse(out / "graph.ttl", format="turtle")
    assert _ask(graph, US_BANS_TIKTOK)
    names = {str(o) for o in graph.objects(None, KG.fileName)}
    assert names == {SEED.name, "legacy.txt", "long.txt", "東京 news é.txt",
                     "caf\ufffd notes.txt"}


def test_hardening_long_document_facts_point_into_the_file(tmp_path, short_max_length):
    (tmp_path / "in").mkdir()
    story = _long_story()
    (tmp_path / "in" / "long.txt").write_text(story, encoding="utf-8")
    result = runner.invoke(app, ["build", str(tmp_path / "in"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    graph = Graph().parse(tmp_path / "o" / "graph.ttl", format="turtle")
    rows = list(graph.query(PREFIXES + """SELECT ?start ?end ?sentence WHERE {
        ?st rdf:subject [ rdfs:label "Japan" ] ; rdf:predicate kg:sanctions ;
            rdf:object [ rdfs:label "ZTE" ] ; kg:evidence ?ev .
        ?ev kg:startChar ?start ; kg:endChar ?end ; kg:sentence ?sentence . }"""))
    assert len(rows) == 1
    start, end, sentence = int(rows[0][0]), int(rows[0][1]), str(rows[0][2])
    assert sentence == "Japan sanctioned ZTE in March."
    assert start > LONG_LIMIT and "sanctioned" in story[start:end]
    assert len(set(graph.subjects(KG.fileName, None))) == 1


def test_hardening_strict_fails_on_a_warning(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "story.txt").write_text(EXTRA_STORY, encoding="utf-8")
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    args = ["build", str(tmp_path / "in"), "--out", str(tmp_path / "o")]
    assert runner.invoke(app, args).exit_code == 0
    result = runner.invoke(app, [*args, "--strict"])
    assert result.exit_code == 1
    assert "empty.txt" in result.stderr and "--strict: 1 warning(s)" in result.stderr


def test_hardening_nothing_readable_names_every_file(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    (tmp_path / "in" / "scan.png").write_bytes(b"\x89PNG")
    result = runner.invoke(app, ["build", str(tmp_path / "in"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert lines[-1].startswith("kg: build failed: nothing to build")
    assert any("empty.txt" in line for line in lines)
    assert any("scan.png" in line for line in lines)


def test_hardening_output_folder_that_is_a_file(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "story.txt").write_text(EXTRA_STORY, encoding="utf-8")
    (tmp_path / "taken").write_text("a file\n", encoding="utf-8")
    result = runner.invoke(app, ["build", str(tmp_path / "in"), "--out", str(tmp_path / "taken")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.startswith("kg: build failed:") and "taken" in result.stderr


def test_hardening_outputs_in_the_source_folder_are_not_read(tmp_path):
    (tmp_path / "story.txt").write_text(EXTRA_STORY, encoding="utf-8")
    pipeline.build(BuildOptions([tmp_path], tmp_path))
    again = pipeline.build(BuildOptions([tmp_path], tmp_path))
    assert again.stats.documents == 1 and again.stats.warnings == []


def test_hardening_claims_of_documents_with_non_ascii_names_stay_apart():
    from kg.build.resolve import resolve
    from kg.datatypes import ClaimCandidate, DocExtraction, Evidence, Mention, SourceDoc
    from kg.gazetteer import load_gazetteer

    def extraction(name: str) -> DocExtraction:
        speaker = Mention("acme", "Acme", "Acme", "Company", 0, 4)
        claim = ClaimCandidate(f"{name}#claim1", speaker, "the rules are unfair",
                               Evidence(name, 0, 20, "Acme said the rules are unfair.", "x", 0.7))
        return DocExtraction(SourceDoc(name, "text"), (speaker,), (), (claim,))

    resolution = resolve([extraction("日本.txt"), extraction("中国.txt")], load_gazetteer())
    assert len({claim.iri for claim in resolution.claims}) == 2


def test_hardening_interrupted_build_exits_130(tmp_path, monkeypatch):
    def interrupted(options):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "build", interrupted)
    result = runner.invoke(app, ["build", str(tmp_path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 130 and "Traceback" not in result.output
    assert result.stderr.startswith("kg: interrupted")


# ----- reading single files ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty (0 bytes)"),
        (b" \n\r\n\t ", "empty (only whitespace)"),
        (b"Advertisement\n", "empty (no text left after cleaning)"),
        (b"text\x00with a NUL", "binary"),
        (bytes(range(1, 32)) * 20, "binary"),
    ],
)
def test_hardening_read_document_reasons(tmp_path, content, reason):
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    with pytest.raises(IngestError, match=re.escape(f"{path}: {reason}")):
        read_document(path)


def test_hardening_control_characters_in_text_are_not_binary(tmp_path):
    path = tmp_path / "log.txt"
    path.write_bytes(b"Freedonia news\n\n" + b"Freedonia banned TikTok.\x0c\x1b[0m\n" * 5)
    assert "banned TikTok" in read_document(path).text


def test_hardening_decode_warning_names_the_path_once(tmp_path):
    path = tmp_path / "old.txt"
    path.write_bytes("Caf\u00e9 news\n\nThe caf\u00e9 closed.\n".encode("cp1252"))
    stats = BuildStats()
    pipeline.read_sources([tmp_path], stats)
    assert stats.warnings == [f"{path}: not UTF-8; decoded as cp1252"]


# ----- long documents ---------------------------------------------------------------------
def test_hardening_parts_read_like_the_whole(monkeypatch):
    paragraphs = ["Telecoms week.", "The United States banned TikTok on Monday.",
                  "Huawei said that the rules were unfair.",
                  "Britain excluded Huawei from its 5G network.",
                  "China said that the ban broke trade rules.", "Japan sanctioned ZTE in March."]
    source = clean_text("\n\n".join(paragraphs) + "\n", "week.txt")

    def extract(limit: int):
        monkeypatch.setattr(pipeline, "PARSE_CHUNK", limit)
        stats = BuildStats()
        (extraction,) = pipeline.extract_all([source], stats)
        return extraction, stats.warnings

    whole, quiet = extract(100_000)
    parts, warnings = extract(90)
    assert quiet == [] and len(warnings) == 1 and "week.txt" in warnings[0]

    def facts(ex):
        return sorted((r.subject.label, r.predicate, r.evidence.start_char, r.evidence.end_char,
                       r.evidence.sentence_index) for r in ex.relations)

    assert facts(parts) == facts(whole) and len(facts(whole)) >= 4
    assert sorted((m.key, m.start_char) for m in parts.mentions) == \
        sorted((m.key, m.start_char) for m in whole.mentions)
    assert len({c.key for c in parts.claims}) == len(parts.claims) >= 2


# ----- atomic outputs and SIGKILL ---------------------------------------------------------
def test_hardening_stale_temp_files_removed(tmp_path):
    for name in (".graph.ttl.0a1b2c3d.tmp", ".notes.txt.0a1b2c3d.tmp", "graph.ttl"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    removed = remove_stale_temps(tmp_path, OUTPUTS)
    assert [p.name for p in removed] == [".graph.ttl.0a1b2c3d.tmp"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".notes.txt.0a1b2c3d.tmp", "graph.ttl"]


def _start_build(sources: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([*CLI, "build", str(sources), "--out", str(out)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _snapshot(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


def _after(delay: float):
    begun = time.monotonic()
    return lambda: time.monotonic() - begun > delay


def _writing(out: Path):
    def temps() -> set[str]:
        return {name for name in os.listdir(out) if name.endswith(".tmp")}

    stale = temps()  # left by an earlier kill
    return lambda: bool(temps() - stale)


def _replaced(out: Path):
    before = (out / "graph.ttl").stat().st_ino
    return lambda: (out / "graph.ttl").stat().st_ino != before


def _kill_build(sources: Path, out: Path, old: dict[str, bytes], trigger) -> float:
    """Puts the old outputs back, starts a build, kills it when ``trigger(out)()`` holds.

    Returns:
        Seconds from the start to the kill.
    """
    for name, data in old.items():
        (out / name).write_bytes(data)
    ready, started = trigger(out), time.monotonic()
    proc = _start_build(sources, out)
    deadline = started + 120
    while proc.poll() is None and not ready() and time.monotonic() < deadline:
        time.sleep(0.001)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    return time.monotonic() - started


def _assert_whole(out: Path, old: dict[str, bytes], new: dict[str, bytes]) -> None:
    """Each output is the old file or the new one (the page: or any complete page)."""
    for name in OUTPUTS:
        data = (out / name).read_bytes()
        if name == "graph.html" and data != old[name]:
            assert data.startswith(b"<!DOCTYPE html>") and data.rstrip().endswith(b"</html>")
        else:
            assert data in (old[name], new[name]), name
    Graph().parse(out / "graph.ttl", format="turtle")


def test_hardening_sigkill_leaves_every_output_whole(tmp_path):
    old_in, new_in, out = tmp_path / "old", tmp_path / "new", tmp_path / "out"
    old_in.mkdir()
    (old_in / "story.txt").write_text(EXTRA_STORY, encoding="utf-8")
    new_in.mkdir()
    (new_in / SEED.name).write_bytes(SEED.read_bytes())
    pipeline.build(BuildOptions([old_in], out))
    old = _snapshot(out)
    pipeline.build(BuildOptions([new_in], tmp_path / "reference"))
    new = _snapshot(tmp_path / "reference")
    assert old["graph.ttl"] != new["graph.ttl"]
    # killed right after graph.ttl is replaced, at random moments, while a file is written
    duration = _kill_build(new_in, out, old, _replaced)
    _assert_whole(out, old, new)
    rng = random.Random(11)
    for delay in [rng.uniform(0.05, duration) for _ in range(3)]:
        _kill_build(new_in, out, old, lambda _out, d=delay: _after(d))
        _assert_whole(out, old, new)
    _kill_build(new_in, out, old, _writing)
    _assert_whole(out, old, new)
    proc = _start_build(new_in, out)
    assert proc.wait(timeout=120) == 0
    for name in ("graph.ttl", "provenance.trig", "validation.txt"):
        assert (out / name).read_bytes() == new[name], name  # the same bytes in a subprocess
    assert not [name for name in os.listdir(out) if name.endswith(".tmp")]


# ----- one build at a time ----------------------------------------------------------------
def test_hardening_two_builds_at_once(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / SEED.name).write_bytes(SEED.read_bytes())
    procs = [_start_build(tmp_path / "in", tmp_path / "out") for _ in range(2)]
    done = [proc.communicate(timeout=180) + (proc.returncode,) for proc in procs]
    for stdout, stderr, code in done:
        assert code == 0 and "Traceback" not in stderr + stdout, stderr
    graph = Graph().parse(tmp_path / "out" / "graph.ttl", format="turtle")
    assert _ask(graph, US_BANS_TIKTOK)


class _Holder:
    """Holds the build lock of a folder in another thread until released."""

    def __init__(self, folder: Path):
        self.folder, self.held, self.release = folder, threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._run)

    def _run(self) -> None:
        with build_lock(self.folder, timeout=0):
            self.held.set()
            self.release.wait(30)

    def __enter__(self):
        self.thread.start()
        assert self.held.wait(10)
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.thread.join(10)


def test_hardening_lock_timeout_exits_with_a_message(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "story.txt").write_text(EXTRA_STORY, encoding="utf-8")
    out = tmp_path / "out"
    with _Holder(out):
        args = ["build", str(tmp_path / "in"), "--out", str(out), "--lock-timeout", "0.3"]
        result = runner.invoke(app, args)
    assert result.exit_code == 3 and "Traceback" not in result.output
    waiting, failed = result.stderr.splitlines()
    assert waiting.startswith(f"kg: {out}: another build") and "waiting" in waiting
    assert failed.startswith(f"kg: {out}: another build (pid {os.getpid()})")
    assert failed.endswith("gave up after waiting 0.3 s")
    assert not (out / "graph.ttl").exists()


def test_hardening_second_build_waits_for_the_first(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "story.txt").write_text(EXTRA_STORY, encoding="utf-8")
    out = tmp_path / "out"
    with _Holder(out) as holder:
        threading.Timer(0.5, holder.release.set).start()
        result = runner.invoke(app, ["build", str(tmp_path / "in"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "waiting" in result.stderr and (out / "graph.ttl").is_file()


def test_hardening_build_help_documents_exit_codes():
    result = runner.invoke(app, ["build", "--help"])
    text = " ".join(result.output.split())
    for phrase in ("Exit status", "0 built", "--strict", "3 another build", "--lock-timeout"):
        assert phrase in text, phrase
