"""Tests for kg.evaluation.score: gold sets and graphs written here, agreement with score.py."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from hypothesis import example, given
from hypothesis import strategies as st
from typer.testing import CliRunner

from kg.cli.app import app
from kg.errors import KgError
from kg.evaluation.score import (
    EvalError,
    EvalReport,
    GoldSet,
    evaluate,
    format_report,
    load_gold,
    load_schema,
    spaceless_name_key,
)
from kg.gazetteer import normalize_name
from kg.resources import ontology_dir

SHARED_EVAL = Path(__file__).resolve().parents[2].parent / "shared" / "eval"

PREFIXES = """\
@prefix kg: <https://w3id.org/kg-geotech/ontology#> .
@prefix kgr: <https://w3id.org/kg-geotech/resource/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix wd: <http://www.wikidata.org/entity/> .
@prefix ex: <http://example.org/vocab#> .
"""

NODES = """
kgr:ruritania a kg:Country ; rdfs:label "Ruritania" .
kgr:borduria a kg:Country ; rdfs:label "Borduria" .
kgr:acme a kg:Company ; rdfs:label "Acme Phones" .
kgr:zenda a kg:Company ; rdfs:label "Zenda Telecom" .
"""

ENTITIES = [
    {"id": "Ruritania", "type": "Country",
     "names": ["Ruritania", "Ruritanian Republic", "R.U.R."], "wikidata": "Q9990001"},
    {"id": "Borduria", "type": "Country", "names": ["Borduria"]},
    {"id": "Acme", "type": "Company", "names": ["Acme Phones", "Acme"]},
    {"id": "Zenda", "type": "Company", "names": ["Zenda Telecom"]},
    {"id": "Forty", "type": "CountryGroup", "names": [r"re:\b(40|forty)\b.*(nations|countries)"]},
]

runner = CliRunner()


def fact(s: str, p: str | list[str], o: str | dict, **extra) -> dict:
    """A gold fact about story.txt, required unless told otherwise."""
    props = [p] if isinstance(p, str) else p
    return {"doc": "story.txt", "s": s, "p": props, "o": o, "required": True, **extra}


RURITANIA_BANS_ACME = fact("Ruritania", "bans", "Acme")


def write_gold(folder: Path, facts: list[dict], entities: list[dict] | None = None) -> Path:
    """Writes a gold set folder with one story and returns it."""
    (folder / "docs").mkdir(parents=True, exist_ok=True)
    (folder / "docs" / "story.txt").write_text("Ruritania banned Acme Phones.\n", encoding="utf-8")
    rows = {"entities.jsonl": entities or ENTITIES, "gold.jsonl": facts}
    for name, items in rows.items():
        text = "".join(json.dumps(item) + "\n" for item in items)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def graph_of(body: str, nodes: str = NODES) -> rdflib.Graph:
    return rdflib.Graph().parse(data=PREFIXES + nodes + body, format="turtle")


def score(tmp_path: Path, body: str, facts: list[dict], nodes: str = NODES) -> EvalReport:
    return evaluate(graph_of(body, nodes), load_gold(write_gold(tmp_path / "gold", facts)))


def test_evaluate_exact_match(tmp_path: Path) -> None:
    report = score(tmp_path, "kgr:ruritania kg:bans kgr:acme .",
                   [RURITANIA_BANS_ACME])
    assert (report.precision, report.recall, report.f1) == (1.0, 1.0, 1.0)
    assert report.counts["system_triples"] == 1 and not report.missed and not report.unmatched


def test_evaluate_wrong_property_is_a_miss_and_unmatched(tmp_path: Path) -> None:
    report = score(tmp_path, "kgr:ruritania kg:sues kgr:acme .", [RURITANIA_BANS_ACME])
    assert (report.precision, report.recall, report.f1) == (0.0, 0.0, 0.0)
    assert [f.subject for f in report.missed] == ["Ruritania"]
    assert [e.describe() for e in report.unmatched] == ["Ruritania --sues--> Acme Phones"]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("The Ruritanian Republic's", "ruritanianrepublic"),
        ("R.U.R.", "rur"),
        ("Zenda\u2019s  TELECOM", "zendatelecom"),
        ("the", "the"),
        ("Acme-Phones", "acmephones"),
    ],
)
def test_evaluate_spaceless_name_key(written: str, expected: str) -> None:
    assert spaceless_name_key(written) == expected


def _shared_norm():
    """The shared scorer's name key (``norm`` in score.py), or a skip when it is absent."""
    path = SHARED_EVAL / "score.py"
    if not path.is_file():
        pytest.skip(f"the shared scorer is not at {path}")
    spec = importlib.util.spec_from_file_location("shared_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.norm


# Pieces the two keys could disagree on: quotes, possessives, a leading "the",
# punctuation, kinds of space, letters whose case changes their length.
_NAME_PIECES = st.sampled_from(["the", "The", "THE ", " ", "  ", "\t", "\u00a0", "\u2028",
                                "\x1c", "'s", "\u2019s", "\u2018", "\u201c", "\u201d", "'",
                                ".", "-", "_", "&", "\u00df", "\ufb01", "\u0130", "\u03a3",
                                "e\u0301", "U.S.", "a", "B"])


@given(st.lists(st.one_of(st.text(max_size=4), _NAME_PIECES), max_size=8).map("".join))
@example("The U.S.'s")
@example("the")
def test_evaluate_name_key_is_the_shared_scorers(name: str) -> None:
    assert spaceless_name_key(name) == _shared_norm()(name)


@pytest.mark.parametrize(("name", "build_key", "eval_key"), [
    ("United States", "united states", "unitedstates"),  # the build compares word by word
    ("Stra\u00dfe", "strasse", "stra\u00dfe"),  # the build casefolds; the scorer lowercases
    ("the-x", "thex", "x"),  # the scorer reads punctuation as a space
])
def test_evaluate_name_key_differs_from_the_builds(name: str, build_key: str,
                                                   eval_key: str) -> None:
    """Why there are two keys: the build's keeps words and folds case further."""
    assert (normalize_name(name), spaceless_name_key(name)) == (build_key, eval_key)


@pytest.mark.parametrize(
    ("label_triple", "found"),
    [
        ('rdfs:label "the ruritanian republic"', True),
        ('skos:altLabel "R U R"', True),
        ('skos:prefLabel "Ruritania\u2019s"', True),
        ('rdfs:label "Ruritania Telecom"', False),
    ],
)
def test_evaluate_alias_match_after_normalization(
    tmp_path: Path, label_triple: str, found: bool
) -> None:
    nodes = NODES + f"kgr:rr a kg:Country ; {label_triple} .\n"
    report = score(tmp_path, "kgr:rr kg:bans kgr:acme .", [RURITANIA_BANS_ACME], nodes)
    assert report.recall == (1.0 if found else 0.0)


def test_evaluate_regex_names(tmp_path: Path) -> None:
    nodes = NODES + 'kgr:group a kg:CountryGroup ; rdfs:label "Forty Allied Nations" .\n'
    body = "kgr:group kg:opposes kgr:acme ."
    report = score(tmp_path, body, [fact("Forty", "opposes", "Acme")], nodes)
    assert report.recall == 1.0 and report.precision == 1.0


def test_evaluate_wikidata_same_as(tmp_path: Path) -> None:
    nodes = NODES + 'kgr:old a kg:Country ; rdfs:label "Old Kingdom" ; owl:sameAs wd:Q9990001 .\n'
    report = score(tmp_path, "kgr:old kg:bans kgr:acme .", [RURITANIA_BANS_ACME], nodes)
    assert report.recall == 1.0


CLAIM = """
kgr:claim-1 a kg:Claim ; rdfs:label "claim by Ruritania" ;
    kg:text "the handsets send location data abroad" ; kg:speaker kgr:ruritania .
kgr:not-a-claim a kg:Entity ; kg:text "location data" .
kgr:ruritania kg:states kgr:claim-1 .
"""


@pytest.mark.parametrize(
    ("target", "keyword", "found"),
    [
        ("claim-1", "LOCATION data", True),
        ("claim-1", "", True),
        ("claim-1", "microphone", False),
        ("not-a-claim", "location", False),
    ],
)
def test_evaluate_claim_keyword(tmp_path: Path, target: str, keyword: str, found: bool) -> None:
    body = CLAIM + f"kgr:acme kg:denies kgr:{target} ."
    report = score(tmp_path, body, [fact("Acme", "denies", {"claim": keyword})])
    assert report.recall == (1.0 if found else 0.0)


def test_evaluate_states_is_not_scored(tmp_path: Path) -> None:
    facts = [fact("Ruritania", "states", {"claim": "location"}), fact("Acme", "bans", "Zenda")]
    report = score(tmp_path, CLAIM, facts)
    assert report.counts["system_triples"] == 0 and report.counts["required"] == 1


@pytest.mark.parametrize(
    ("prop", "found"), [("cooperatesWith", True), ("supplies", False)]
)
def test_evaluate_symmetric_cooperates_with(tmp_path: Path, prop: str, found: bool) -> None:
    report = score(tmp_path, f"kgr:zenda kg:{prop} kgr:acme .", [fact("Acme", prop, "Zenda")])
    assert report.recall == (1.0 if found else 0.0)


def test_evaluate_negatives_wrongly_asserted(tmp_path: Path) -> None:
    body = """
    kgr:ruritania kg:pressures kgr:acme .
    kgr:stmt-1 a kg:NegatedStatement ; rdf:subject kgr:borduria ; rdf:predicate kg:pressures ;
        rdf:object kgr:zenda ; kg:polarity "negative" .
    """
    facts = [fact("Ruritania", "pressures", "Acme", neg=True, required=False),
             fact("Borduria", "pressures", "Zenda", neg=True, required=False)]
    report = score(tmp_path, body, facts)
    assert [(f.subject, f.object) for f in report.negatives] == [("Ruritania", "Acme")]
    assert report.counts["negatives_asserted"] == 1
    assert report.precision == 0.0 and len(report.unmatched) == 1


def test_evaluate_optional_facts_count_for_precision_only(tmp_path: Path) -> None:
    body = "kgr:ruritania kg:bans kgr:acme . kgr:borduria kg:bans kgr:zenda ."
    facts = [fact("Ruritania", "bans", "Acme"), fact("Borduria", "bans", "Zenda", required=False)]
    report = score(tmp_path, body, facts)
    assert (report.precision, report.recall) == (1.0, 1.0)
    assert report.counts["required"] == 1 and report.counts["system_correct"] == 2


def test_evaluate_splits(tmp_path: Path) -> None:
    nodes = NODES + 'kgr:acme-2 a kg:Company ; rdfs:label "ACME" .\n'
    report = score(tmp_path, "", [RURITANIA_BANS_ACME], nodes)
    resource = "https://w3id.org/kg-geotech/resource/"
    assert report.splits == {"Acme": (f"{resource}acme", f"{resource}acme-2")}
    assert report.counts["split_entities"] == 1


SUB_PROPERTY = """
ex:blacklists rdfs:subPropertyOf ex:penalizes . ex:penalizes rdfs:subPropertyOf kg:bans .
"""


@pytest.mark.parametrize(("where", "found"), [("schema", True), ("graph", True), ("none", False)])
def test_evaluate_super_property(tmp_path: Path, where: str, found: bool) -> None:
    body = "kgr:ruritania ex:blacklists kgr:acme ." + (SUB_PROPERTY if where == "graph" else "")
    schema = graph_of(SUB_PROPERTY, nodes="") if where == "schema" else None
    gold = load_gold(write_gold(tmp_path, [RURITANIA_BANS_ACME]))
    report = evaluate(graph_of(body), gold, schema)
    assert report.recall == (1.0 if found else 0.0)
    assert report.counts["system_triples"] == (1 if found else 0)


def test_evaluate_ignores_literal_and_blank_objects(tmp_path: Path) -> None:
    body = 'kgr:ruritania kg:bans "Acme Phones" . kgr:ruritania kg:bans [ rdfs:label "Acme" ] .'
    report = score(tmp_path, body, [RURITANIA_BANS_ACME])
    assert report.counts["system_triples"] == 0 and report.precision == 0.0


def test_evaluate_per_property_figures(tmp_path: Path) -> None:
    body = """
    kgr:ruritania kg:bans kgr:acme . kgr:ruritania kg:bans kgr:zenda .
    kgr:borduria kg:sanctions kgr:acme .
    """
    facts = [fact("Ruritania", ["bans", "restricts"], "Acme"), fact("Borduria", "bans", "Zenda"),
             fact("Borduria", "sanctions", "Acme"), fact("Acme", "owns", "Zenda")]
    report = score(tmp_path, body, facts)
    assert report.per_property == {
        "bans": (0.5, 0.5, 2), "sanctions": (1.0, 1.0, 1),
        "restricts": (0.0, 1.0, 1), "owns": (0.0, 0.0, 1),
    }
    assert (report.precision, report.recall) == (2 / 3, 0.5)
    assert report.f1 == pytest.approx(4 / 7)


def test_evaluate_dataset_is_read_as_union(tmp_path: Path) -> None:
    dataset = rdflib.Dataset()
    named = dataset.graph(rdflib.URIRef("https://w3id.org/kg-geotech/resource/doc-story"))
    named.parse(data=PREFIXES + NODES + "kgr:ruritania kg:bans kgr:acme .", format="turtle")
    report = evaluate(dataset, load_gold(write_gold(tmp_path, [RURITANIA_BANS_ACME])))
    assert report.recall == 1.0


def test_evaluate_format_report_and_json(tmp_path: Path) -> None:
    body = "kgr:ruritania kg:bans kgr:acme . kgr:zenda kg:sues kgr:borduria ."
    report = score(tmp_path, body, [RURITANIA_BANS_ACME, fact("Acme", "owns", "Zenda")])
    short, full = format_report(report), format_report(report, show=True)
    assert "precision 0.500  recall 0.500  F1 0.500" in short and "## missed" not in short
    assert "## missed (1)" in full and "Zenda Telecom --sues--> Borduria" in full
    data = json.loads(json.dumps(report.to_json()))
    assert data["per_property"]["bans"] == {"precision": 1.0, "recall": 1.0, "support": 1}
    assert data["missed"][0]["properties"] == ["owns"]


@pytest.mark.parametrize(
    ("entities", "facts", "message"),
    [
        (None, ['{"doc": "story.txt", "s": "Acme",'], "gold.jsonl: line 1: not JSON"),
        (None, [json.dumps(fact("Acme", "bans", "Zenda")), "[1]"], "line 2: expected a JSON"),
        (None, [json.dumps(fact("Acme", "bans", "Nobody"))], "unknown entity 'Nobody'"),
        (None, [json.dumps(fact("Acme", "forbids", "Zenda"))], "must list core properties"),
        (None, [json.dumps({**fact("Acme", "bans", "Zenda"), "doc": "other.txt"})], "not in docs/"),
        (None, [json.dumps({**fact("Acme", "bans", "Zenda"), "o": {"quote": "x"}})], "'o' must be"),
        (None, [json.dumps({**fact("Acme", "bans", "Zenda"), "required": "yes"})], "'required'"),
        ([{"id": "X", "names": ["re:(unclosed"]}], [], "entities.jsonl: line 1: bad regular"),
        ([{"id": "X", "names": "X"}], [], "field 'names'"),
    ],
)
def test_evaluate_load_gold_errors(
    tmp_path: Path, entities: list[dict] | None, facts: list[str], message: str
) -> None:
    folder = write_gold(tmp_path, [], entities)
    (folder / "gold.jsonl").write_text("\n".join(facts) + "\n", encoding="utf-8")
    with pytest.raises(EvalError, match=message.replace("(", r"\(")):
        load_gold(folder)


@pytest.mark.parametrize("missing", ["entities.jsonl", "gold.jsonl"])
def test_evaluate_load_gold_missing_file(tmp_path: Path, missing: str) -> None:
    folder = write_gold(tmp_path, [])
    (folder / missing).unlink()
    with pytest.raises(EvalError, match=f"{missing}: cannot read"):
        load_gold(folder)


def test_evaluate_load_gold_reads_fields(tmp_path: Path) -> None:
    facts = [fact("Acme", "denies", {"claim": "data"}, evidence="Acme rejects that."),
             fact("Acme", "pressures", "Zenda", neg=True, required=False)]
    gold = load_gold(write_gold(tmp_path, facts))
    assert isinstance(gold, GoldSet) and len(gold.entities) == len(ENTITIES)
    first, second = gold.facts
    assert first.object.keyword == "data" and first.required and first.line == 1
    assert second.negative and not second.required and second.line == 2
    assert gold.entities[0].wikidata == "Q9990001" and gold.entities[1].wikidata is None


def test_evaluate_eval_error_is_a_kg_error() -> None:
    assert issubclass(EvalError, KgError)


def test_evaluate_load_schema_errors(tmp_path: Path) -> None:
    with pytest.raises(EvalError, match="no such ontology"):
        load_schema(tmp_path / "nowhere")
    (tmp_path / "broken.ttl").write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(EvalError, match="broken.ttl"):
        load_schema(tmp_path)


def test_evaluate_cli(tmp_path: Path) -> None:
    graph = tmp_path / "graph.ttl"
    graph.write_text(PREFIXES + NODES + "kgr:ruritania kg:bans kgr:acme .\n", encoding="utf-8")
    gold = write_gold(tmp_path / "gold", [fact("Ruritania", "bans", "Acme"),
                                          fact("Acme", "owns", "Zenda")])
    result = runner.invoke(app, ["eval", str(gold), "--graph", str(graph), "--show"])
    assert result.exit_code == 0, result.output
    assert "precision 1.000  recall 0.500  F1 0.667" in result.stdout
    assert "story.txt: Acme owns Zenda" in result.stdout
    result = runner.invoke(app, ["eval", str(gold), "--graph", str(tmp_path), "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["recall"] == 0.5


@pytest.mark.parametrize("broken", ["graph", "gold", "ontology"])
def test_evaluate_cli_unreadable_input(tmp_path: Path, broken: str) -> None:
    graph = tmp_path / "graph.ttl"
    graph.write_text(PREFIXES + NODES, encoding="utf-8")
    gold = write_gold(tmp_path / "gold", [])
    args = {"graph": str(graph), "gold": str(gold), "ontology": str(ontology_dir())}
    args[broken] = str(tmp_path / "missing")
    result = runner.invoke(
        app, ["eval", args["gold"], "--graph", args["graph"], "--ontology", args["ontology"]]
    )
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "missing" in result.stderr


@pytest.fixture(scope="module")
def built_sets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The dev and seed evaluation sets, each built once into its own folder."""
    if not (SHARED_EVAL / "score.py").is_file():
        pytest.skip(f"the shared evaluation sets are not at {SHARED_EVAL}")
    from kg.build import pipeline
    from kg.datatypes import BuildOptions

    out = {}
    for name in ("dev", "seed"):
        folder = tmp_path_factory.mktemp(f"build-{name}")
        pipeline.build(BuildOptions([SHARED_EVAL / name / "docs"], folder))
        out[name] = folder / "graph.ttl"
    return out


@pytest.mark.parametrize("name", ["dev", "seed"])
def test_evaluate_agrees_with_score_py(built_sets: dict[str, Path], name: str) -> None:
    graph, gold = built_sets[name], SHARED_EVAL / name
    result = runner.invoke(app, ["eval", str(gold), "--graph", str(graph), "--json"])
    assert result.exit_code == 0, result.output
    ours = json.loads(result.stdout)
    command = [sys.executable, str(SHARED_EVAL / "score.py"), "--graph", str(graph),
               "--gold", str(gold), "--ontology", str(ontology_dir()), "--json"]
    printed = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    body, summary = printed.rstrip("\n").rsplit("\n", 1)
    theirs = json.loads(body)
    for key, value in ours["counts"].items():
        assert value == theirs[key], key
    # score.py rounds to 4 decimals, then prints 3 (0.43651 -> 0.4365 -> "0.436"): the same
    # figures at its precision, and its printed line from them.
    figures = {key: round(ours[key], 4) for key in ("precision", "recall", "f1")}
    assert figures == {key: theirs[key] for key in figures}
    p, r, f1 = figures["precision"], figures["recall"], figures["f1"]
    assert summary == f"F1={f1:.3f} P={p:.3f} R={r:.3f}"


@pytest.mark.parametrize("name", ["dev", "seed"])
def test_evaluate_by_doc_totals_agree_with_score_py(built_sets: dict[str, Path],
                                                    name: str) -> None:
    """The per-story found counts add up to score.py's required facts found."""
    graph, gold = built_sets[name], SHARED_EVAL / name
    args = ["eval", str(gold), "--graph", str(graph), "--json", "--by-doc"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["by_doc"]
    command = [sys.executable, str(SHARED_EVAL / "score.py"), "--graph", str(graph),
               "--gold", str(gold), "--ontology", str(ontology_dir()), "--json"]
    printed = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    theirs = json.loads(printed.rstrip("\n").rsplit("\n", 1)[0])
    assert sum(row["found"] for row in rows) == theirs["required_found"]
    assert sum(row["required"] for row in rows) == theirs["required"]
    stories = {p.name for p in (gold / "docs").iterdir()}
    assert stories <= {row["doc"] for row in rows}
    assert sum(row["emitted"] for row in rows) > 0
