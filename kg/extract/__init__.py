"""Extractors: a parsed spaCy Doc in, plain candidates out.

spaCy objects stop here; what leaves is Mentions, RelationCandidates and
ClaimCandidates with character offsets into the source document.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from kg.datatypes import DocExtraction, RelationCandidate, SourceDoc
from kg.extract.business import extract_business
from kg.extract.claims import extract_claims
from kg.extract.constructions import extract_constructions, extract_reactions
from kg.extract.context import DocContext
from kg.extract.entities import extract_mentions
from kg.extract.nominals import extract_relations
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
    """Runs every extractor over one parsed document."""
    gaz = gaz or load_gazetteer()
    lex = lex or load_lexicon()
    ctx = DocContext(doc, source, extract_mentions(doc, gaz, lex), gaz, lex)
    ctx.build_subject_chain()
    # Structure first (nationalities and offices tell whom an act is against),
    # then the acts; a denial looks back at who accused the denier.
    ctx.relations = list(extract_structural(ctx))
    ctx.relations += [*extract_relations(ctx), *extract_constructions(ctx),
                      *extract_regulatory(ctx)]
    ctx.relations += list(extract_business(ctx))
    ctx.relations += list(extract_reactions(ctx))
    relations = list(dict.fromkeys([*extract_claims(ctx), *ctx.relations]))
    relations = [_through_envoy(rc, relations, lex) for rc in relations]
    return DocExtraction(source, tuple(ctx.index.mentions), tuple(relations), tuple(ctx.claims))
