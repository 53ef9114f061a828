"""Tests for the bundled example queries (queries/*.rq) over the store and over rdflib."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import rdflib
from rdflib import Literal
from typer.testing import CliRunner

from kg.cli.app import app
from kg.resources import queries_dir
from kg.sparql.engine import run_query
from kg.sparql.query import load_graph, read_query
from kg.sparql.store import open_store
from kg.sparql.terms import nt_term

CORPUS = Path(__file__).parent.parent / "data" / "query_corpus"
KGR = "https://w3id.org/kg-geotech/resource/"
KG = "https://w3id.org/kg-geotech/ontology#"
WD = "http://www.wikidata.org/entity/"
NUMBERS = {str(rdflib.XSD.decimal), str(rdflib.XSD.double), str(rdflib.XSD.integer)}
QUERIES = sorted(p.name for p in queries_dir().glob("*.rq"))
runner = CliRunner()


@pytest.fixture(scope="module")
def corpus_build(tmp_path_factory) -> Path:
    """The query corpus built once for this module (read-only)."""
    from kg.build.pipeline import build
    from kg.datatypes import BuildOptions

    out = tmp_path_factory.mktemp("bundled-corpus")
    build(BuildOptions([CORPUS], out))
    return out


@pytest.fixture(scope="module", params=["oxigraph", "rdflib"])
def source(request, corpus_build: Path):
    """The corpus as the build's store and as an rdflib graph of graph.ttl."""
    return open_store(corpus_build) if request.param == "oxigraph" else load_graph(corpus_build)


def _short(term) -> str | None:
    """kgr:/kg:/wd: IRIs as local names, other terms as plain text; None when unbound."""
    if term is None:
        return None
    text = str(term)
    for namespace in (KGR, KG, WD):
        if isinstance(term, rdflib.URIRef) and text.startswith(namespace):
            return text[len(namespace):]
    return text


def _rows(source, name: str, *columns: str, **bindings) -> list[tuple]:
    """The named columns of a bundled query's rows, in short form."""
    bound = {k: rdflib.URIRef(v) if "://" in v else Literal(v) for k, v in bindings.items()}
    result = run_query(source, read_query(name), bound)
    index = [result.vars.index(c) for c in columns]
    return [tuple(_short(row[i]) for i in index) for row in result.rows]


def test_bundled_queries_are_documented() -> None:
    assert len(QUERIES) >= 8 and "who-bans-whom.rq" in QUERIES
    for name in QUERIES:
        text = (queries_dir() / name).read_text(encoding="utf-8")
        assert text.startswith("# Question: "), name
        for parameter in re.findall(r"^# Parameter: \?(\w+) \(default ", text, re.MULTILINE):
            assert re.search(rf"VALUES \?{parameter} \{{", text), (name, parameter)


def test_bundled_who_bans_whom(source) -> None:
    assert _rows(source, "who-bans-whom.rq", "actor", "target") == [("canada", "wechat")]


def test_bundled_who_sanctions_whom(source) -> None:
    rows = _rows(source, "who-sanctions-whom.rq", "actor", "measure", "target", "confidence")
    found = {row[:3] for row in rows}
    assert found == {("canada", "bans", "wechat"), ("united-states", "sanctions", "smic"),
                     ("poland", "excludes", "huawei"), ("japan", "restricts", "china")}
    assert all(0.5 <= float(row[3]) <= 1.0 for row in rows)  # the statement's confidence
    assert ("germany", "bans", "dji") not in found  # "did not ban" is no ban


def test_bundled_initiative_members(source) -> None:
    rows = _rows(source, "initiative-members.rq", "initiative", "state", "how")
    expected = {("global-data-security-initiative", state, "joins")
                for state in ("pakistan", "cambodia", "laos")}
    assert set(rows) == expected


def test_bundled_claims_and_denials(source) -> None:
    rows = _rows(source, "claims-and-denials.rq", "text", "speaker", "denier")
    denied = {(speaker, denier) for text, speaker, denier in rows if denier}
    assert denied == {("canada", "tencent"), ("us-department-of-commerce", "smic")}
    texts = {text: denier for text, _, denier in rows}
    assert texts["the messaging app sends the contact lists of its users to servers in China"] \
        == "tencent"
    assert any(denier is None for denier in texts.values())  # an undisputed claim is listed too


def test_bundled_entity_profile_default(source) -> None:
    rows = _rows(source, "entity-profile.rq", "entity", "direction", "property", "value",
                 "sentence")
    assert {row[0] for row in rows} == {"huawei"}
    assert ("huawei", "about", str(rdflib.OWL.sameAs), "Q160120", None) in rows
    assert ("huawei", "in", "excludes", "poland",
            "Poland excluded Huawei from its 5G rollout last year.") in rows


def test_bundled_entity_profile_bound(source) -> None:
    rows = _rows(source, "entity-profile.rq", "direction", "property", "value",
                 entity=KGR + "tencent")
    assert ("out", "owns", "wechat") in rows and ("out", "basedIn", "china") in rows
    assert any(d == "out" and p == "denies" and v.startswith("claim-") for d, p, v in rows)


def test_bundled_companies_targeted_by_states(source) -> None:
    rows = _rows(source, "companies-targeted-by-states.rq", "state", "action", "company")
    assert set(rows) == {("united-states", "sanctions", "smic"),
                         ("poland", "excludes", "huawei"), ("brazil", "investigates", "dji")}


def test_bundled_entities_by_wikidata(source) -> None:
    rows = _rows(source, "entities-by-wikidata.rq", "qid", "entity")
    assert {("Q30", "united-states"), ("Q160120", "huawei"), ("Q16", "canada")} <= set(rows)
    one = _rows(source, "entities-by-wikidata.rq", "qid", "entity", "label", item=WD + "Q30")
    assert one == [("Q30", "united-states", "United States")]


def test_bundled_document_facts(source) -> None:
    rows = _rows(source, "document-facts.rq", "subject", "property", "object", "polarity",
                 "start", "end", file="drone-probe.txt")
    facts = {row[:4] for row in rows}
    assert facts == {("brazil", "investigates", "dji", "positive"),
                     ("germany", "bans", "dji", "negative")}
    text = (CORPUS / "drone-probe.txt").read_text(encoding="utf-8")
    assert all("DJI" in text[int(start):int(end)] for *_, start, end in rows)
    everything = _rows(source, "document-facts.rq", "file")
    assert {f for (f,) in everything} == {p.name for p in CORPUS.glob("*.txt")}


def test_bundled_triple_provenance(source) -> None:
    columns = ("subject", "kind", "polarity", "file", "sentence", "rule", "ruleConfidence")
    rows = _rows(source, "triple-provenance.rq", *columns,
                 property=KG + "sanctions", object=KGR + "smic")
    assert rows and {row[:4] for row in rows} == {
        ("united-states", str(rdflib.RDF.Statement), "positive", "chip-sanctions.txt")}
    assert all("sanctioned SMIC" in row[4] and row[5] and float(row[6]) > 0 for row in rows)
    negated = _rows(source, "triple-provenance.rq", "subject", "object", "kind", "polarity")
    assert ("germany", "dji", "NegatedStatement", "negative") in negated


# ----- the store and rdflib agree -------------------------------------------------------
def _multiset(result) -> Counter:
    """Rows as N-Triples strings; numbers by value, since the store writes 0.850 as 0.85."""
    def key(term) -> str:
        if isinstance(term, Literal) and str(term.datatype) in NUMBERS:
            return f"{term.datatype}:{float(term)}"
        return nt_term(term)

    assert not any(isinstance(t, rdflib.BNode) for row in result.rows for t in row)
    return Counter(tuple(key(t) for t in row) for row in result.rows)


@pytest.mark.parametrize("name", QUERIES)
def test_bundled_store_and_rdflib_agree_on_seeds(seed_build: Path, name: str) -> None:
    sparql = read_query(name)
    by_store = run_query(open_store(seed_build), sparql)
    by_rdflib = run_query(load_graph(seed_build), sparql)
    assert by_store.vars == by_rdflib.vars
    assert _multiset(by_store) == _multiset(by_rdflib)


# ----- kg query --bind ------------------------------------------------------------------
@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_bundled_cli_bind(corpus_build: Path, engine: str) -> None:
    args = ["query", "entities-by-wikidata.rq", "--graph", str(corpus_build), "-f", "csv",
            "--engine", engine, "--bind", "item=wd:Q183"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("item,qid,entity") and len(lines) == 2
    assert f"{WD}Q183,Q183,{KGR}germany,Germany" in lines[1]


def test_bundled_cli_bind_repeated(corpus_build: Path) -> None:
    args = ["query", "triple-provenance.rq", "--graph", str(corpus_build), "-f", "tsv",
            "-b", "property=kg:owns", "-b", "?subject=<" + KGR + "tencent>"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = result.output.strip().splitlines()[1:]
    assert rows and all(row.startswith(f"<{KGR}tencent>\t<{KG}owns>\t<{KGR}wechat>")
                        for row in rows)


@pytest.mark.parametrize("bind", ["novalue", "9x=kgr:a"])
def test_bundled_cli_bad_bind(corpus_build: Path, bind: str) -> None:
    result = runner.invoke(app, ["query", "who-bans-whom.rq", "--graph", str(corpus_build),
                                 "--bind", bind])
    assert result.exit_code == 1 and "--bind" in result.output


def test_bundled_cli_malformed_query(corpus_build: Path) -> None:
    result = runner.invoke(app, ["query", "SELECT ?x WHERE {\n  ?x ?p ", "--graph",
                                 str(corpus_build)])
    assert result.exit_code == 1
    message = result.output.strip()
    assert re.match(r"kg: malformed SPARQL at line 2, column \d+: ", message)
    assert "\n" not in message
