"""Within one document, the several names of one entity become one key.

- an acronym defined in parentheses, "National Information Technology
  Development Agency (NITDA)", and every later "NITDA";
- initials that spell a full name of the same document ("GM" after
  "General Motors");
- a short name of a body whose full name the document gives: "Supreme
  Court" after "Supreme Federal Court", "Supreme Court of the United States";
  the tail of a long name ("Security Service" after "Swedish Security Service");
- a part of a person's full name: "Wang" after "Wang Yi", "Lula" after
  "Luiz Inacio Lula da Silva", "Moon" after "Moon Jae-in".
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from kg.datatypes import Mention
from kg.extract.mentions import MentionIndex
from kg.gazetteer import normalize_name

ORG_TYPES = {"Company", "GovernmentBody", "InternationalOrganization", "Organization"}
FUNCTION_WORDS = {"of", "and", "the", "for", "on", "in", "&", "de", "du", "des", "la", "le",
                  "da", "do", "dos", "di", "del", "della", "van", "von", "der", "bin", "al"}
CORPORATE_TAIL = {"co", "corp", "inc", "ltd", "llc", "plc", "limited", "sa", "ag", "nv", "spa",
                  "gmbh", "bv", "ab", "company", "corporation"}
ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,7}$")


def _retarget(m: Mention, target: Mention) -> Mention:
    """``m`` as a further surface form of ``target``."""
    return Mention(target.key, m.text, target.label, target.type, m.start_char, m.end_char,
                   target.gazetteer_iri)


def spells(acronym: str, name: str) -> bool:
    """Whether ``acronym`` is made of the initials of ``name``: every content word
    gives its first letter, function words ("of", "and") may or may not."""
    words = [w for w in re.split(r"[\s\-/,]+", name) if w and w[0].isalnum()]
    while len(words) > 1 and words[-1].lower().strip(".") in CORPORATE_TAIL:
        words.pop()
    letters = acronym.lower().replace("&", "")
    if len(words) < 2 or len(letters) < 2:
        return False

    def match(i: int, j: int) -> bool:
        if i == len(words):
            return j == len(letters)
        word = words[i].lower()
        hit = j < len(letters) and word[0] == letters[j] and match(i + 1, j + 1)
        return hit or (word in FUNCTION_WORDS and match(i + 1, j))
    return match(0, 0)


def _acronym_definitions(doc: Doc, index: MentionIndex) -> dict[str, Mention]:
    """ "Full Name (ABBR)": the acronym and the mention it abbreviates."""
    out: dict[str, Mention] = {}
    for tok in doc[1:-2]:
        abbr, close = doc[tok.i + 1], doc[tok.i + 2]
        if tok.text != "(" or close.text != ")" or not ACRONYM.match(abbr.text):
            continue
        defined = index.at_index(tok.i - 1)
        if defined is not None and defined.type != "Country" and defined.text != abbr.text \
                and spells(abbr.text, defined.label) | spells(abbr.text, defined.text):
            out.setdefault(abbr.text, defined)
    return out


def unify_acronyms(doc: Doc, index: MentionIndex) -> None:
    """Every use of a defined acronym, or of initials spelling an organization named
    in the document, is that organization."""
    defined = _acronym_definitions(doc, index)
    orgs = [m for m in index.mentions if m.type in ORG_TYPES | {"Initiative"}
            and len(m.label.split()) > 1]
    for i, m in enumerate(index.mentions):
        text = m.text.strip()
        if not ACRONYM.match(text) or m.gazetteer_iri:
            continue
        target = defined.get(text)
        if target is None:
            found = {o.key: o for o in orgs if o.key != m.key and spells(text, o.label)}
            target = next(iter(found.values())) if len(found) == 1 else None
        if target is not None and target.key != m.key:
            index.mentions[i] = _retarget(m, target)
    for tok in doc:  # an acronym the NER model did not tag
        target = defined.get(tok.text)
        if target is not None and tok.i not in index.by_token:
            index.add(Mention(target.key, tok.text, target.label, target.type, tok.idx,
                              tok.idx + len(tok.text), target.gazetteer_iri), tok.i, tok.i + 1)


def _core_words(label: str) -> list[str]:
    """The words of a body's name before a qualifying "of ..." ("Supreme Court"
    of "Supreme Court of the United States")."""
    words = normalize_name(label).split()
    return words[:words.index("of")] if "of" in words[1:] else words


def _is_short_form(short: list[str], full: list[str]) -> bool:
    """ "supreme court" of "supreme federal court": same first and head word, the
    short one's words in order among the full one's."""
    if len(short) < 2 or len(short) >= len(full) or short[-1] != full[-1] \
            or short[0] != full[0]:
        return False
    it = iter(full)
    return all(w in it for w in short)


def unify_short_names(index: MentionIndex) -> None:
    """A shorter name of an organization named in full in the same document is
    that organization: a tail ("Security Service" of "Swedish Security
    Service"), the words before "of" ("Supreme Court of the United States"), or
    the name without an inner qualifier ("Supreme Court", "Supreme Federal Court")."""
    full = [m for m in index.mentions if m.type in ORG_TYPES and len(m.label.split()) > 1]
    for i, m in enumerate(index.mentions):
        words = normalize_name(m.label).split()
        if m.gazetteer_iri or m.type not in ORG_TYPES or len(words) < 2:
            continue
        found = {}
        for longer in full:
            lwords = normalize_name(longer.label).split()
            if longer.key == m.key or len(lwords) <= len(words):
                continue
            core = _core_words(longer.label)
            if lwords[-len(words):] == words and len(lwords) > 2 or core == words \
                    or (longer.type == m.type and _is_short_form(words, core)):
                found[longer.key] = longer
        if len(found) == 1:
            index.mentions[i] = _retarget(m, next(iter(found.values())))


def _name_parts(index: MentionIndex) -> dict[str, Mention]:
    """Keys of the parts of the full person names in a document: the last word,
    the first word (names written family name first: "Wang Yi", "Moon Jae-in")
    and, in names of three words or more, any capitalized middle word ("Lula")."""
    parts: dict[str, dict[str, Mention]] = {}
    for m in index.mentions:
        words = m.label.split()
        if m.type != "Person" or len(words) < 2:
            continue
        chosen = {words[0], words[-1]}
        if len(words) > 2:
            chosen |= {w for w in words[1:-1] if w[:1].isupper() and len(w) > 2}
        for w in chosen:
            parts.setdefault(w.lower(), {}).setdefault(m.key, m)
    return {w: next(iter(ms.values())) for w, ms in parts.items() if len(ms) == 1}


def unify_person_names(index: MentionIndex) -> None:
    """Within a document, "Wang" after "Wang Yi" is the same person, even
    where the NER model took the bare surname for an organization."""
    full = _name_parts(index)
    for i, m in enumerate(index.mentions):
        if " " not in m.text.strip() and m.gazetteer_iri is None:
            target = full.get(m.label.lower())
            if target and target.key != m.key:
                index.mentions[i] = _retarget(m, target)


def surname_mentions(doc: Doc, index: MentionIndex) -> None:
    """A bare surname the NER model missed, once the full name is known."""
    full = _name_parts(index)
    for tok in doc:
        m = full.get(tok.lower_)
        if m is not None and tok.pos_ == "PROPN" and tok.i not in index.by_token:
            index.add(Mention(m.key, tok.text, m.label, m.type, tok.idx, tok.idx + len(tok.text),
                              m.gazetteer_iri), tok.i, tok.i + 1)


def unify_names(doc: Doc, index: MentionIndex) -> None:
    """All within-document name merging, in order."""
    unify_acronyms(doc, index)
    unify_person_names(index)
    unify_short_names(index)
    surname_mentions(doc, index)
