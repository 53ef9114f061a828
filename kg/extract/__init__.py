"""Extractors: a parsed spaCy Doc in, plain candidates out.

spaCy objects stop here; what leaves is Mentions, RelationCandidates and
ClaimCandidates with character offsets into the source document.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from spacy.tokens import Doc

from kg.datatypes import DocExtraction, RelationCandidate, SourceDoc
from kg.extract.business import extract_business
from kg.extract.claims import extract_claims
from kg.extract.constructions import extract_constructions, extract_reactions
from kg.extract.coref import read_subject_chain
from kg.extract.entities import extract_mentions
from kg.extract.nominals import extract_relations
from kg.extract.reading import Act, Reading
from kg.extract.regulatory import extract_regulatory
from kg.extract.structural import extract_structural
from kg.gazetteer import Gazetteer, load_gazetteer
from kg.lexicon import Lexicon, load_lexicon


def _through_envoy(rc: RelationCandidate, relations: list[RelationCandidate],
                   lex: Lexicon) -> RelationCandidate:
    """Summoning or pressing an ambassador presses the state the ambassador serves."""
    if rc.predicate != "pressures" or getattr(rc.obj, "type", None) != "Person":
        return rc
    served = [r.obj for r in relations if r.predicate == "officialOf"
              and r.subject.key == rc.obj.key and r.obj.type == "Country"
              and set(re.findall(r"[a-z]+", r.evidence.sentence.lower())) & lex.envoy_titles]
    if not served:
        return rc
    return RelationCandidate(rc.subject, rc.predicate, served[0], rc.evidence, rc.polarity,
                             rc.modality)


def extract_document(doc: Doc, source: SourceDoc, gaz: Gazetteer | None = None,
                     lex: Lexicon | None = None) -> DocExtraction:
    """Runs the extraction passes over one parsed document.

    Each pass takes what the earlier ones returned, as values, and returns
    its own: mentions; coreference (which mention each subject names);
    structure (offices, nationalities, ownership: whom an act is against);
    acts (verbs, nominals, constructions, regulation); business; reactions
    (to the acts read); claims (with the denials that answer them).
    """
    gaz = gaz or load_gazetteer()
    lex = lex or load_lexicon()
    reading = read_subject_chain(Reading(doc, source, extract_mentions(doc, gaz, lex), gaz, lex))
    relations: tuple[RelationCandidate, ...] = ()
    acts: tuple[Act, ...] = ()
    for extractors in PASSES:
        found, new_acts = _run_pass(extractors, reading.knowing(relations=relations, acts=acts))
        relations, acts = relations + found, acts + new_acts
    last = reading.knowing(relations=relations, acts=acts)
    claimed = tuple(extract_claims(last))
    every = list(dict.fromkeys([*claimed, *relations]))
    every = [_through_envoy(rc, every, lex) for rc in every]
    return DocExtraction(source, tuple(reading.index.mentions), tuple(every),
                         tuple(last.new_claims))


Extractor = Callable[[Reading], Iterable[RelationCandidate]]
# The passes after coreference, in order; each sees the relations and acts of
# the ones before. Structure comes first: nationalities and offices tell whom
# an act is against.
PASSES: tuple[tuple[Extractor, ...], ...] = (
    (extract_structural,),
    (extract_relations, extract_constructions, extract_regulatory),
    (extract_business,),
    (extract_reactions,),
)


def _run_pass(extractors: tuple[Extractor, ...],
              reading: Reading) -> tuple[tuple[RelationCandidate, ...], tuple[Act, ...]]:
    """The relations and the acts one pass reads, in the order read."""
    found = tuple(rc for extract in extractors for rc in extract(reading))
    return found, tuple(reading.new_acts)
