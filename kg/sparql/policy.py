"""The read-only policy of ``kg query`` and ``kg serve``: what they refuse to run.

Both refuse SPARQL updates, and ``SERVICE`` (a federated query) unless it is
allowed: pyoxigraph and rdflib would otherwise fetch from the network. A refusal
carries its kind and a one-line message worded for the place that refuses (the
command line or the endpoint); the server chooses the HTTP status of a kind itself.

The check reads the query text: strings, IRIs and comments are blanked first
(after undoing ``\\u`` escapes, which SPARQL allows anywhere), so the words
count only as keywords.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class RefusalKind(StrEnum):
    """Why a query is refused."""

    UPDATE = "update"
    SERVICE = "service"


class Audience(StrEnum):
    """Where a refusal is reported, which decides its wording."""

    COMMAND = "command"
    ENDPOINT = "endpoint"


@dataclass(frozen=True)
class Refusal:
    """A query the policy will not run.

    Attributes:
        kind: what in the query is refused.
        message: the one-line reason to show.
    """

    kind: RefusalKind
    message: str


_MESSAGES = {
    (Audience.COMMAND, RefusalKind.UPDATE): "kg query is read-only: SPARQL updates are refused",
    (Audience.COMMAND, RefusalKind.SERVICE):
        "SERVICE (a federated query) fetches from the network; add --allow-service to run it",
    (Audience.ENDPOINT, RefusalKind.UPDATE):
        "read-only endpoint: SPARQL updates{keyword} are refused",
    (Audience.ENDPOINT, RefusalKind.SERVICE):
        "SERVICE (federated query) is not allowed on this endpoint",
}

_UPDATE_WORDS = frozenset("INSERT DELETE LOAD CLEAR CREATE DROP COPY MOVE ADD WITH".split())
# Strings, IRIs and comments: removed before looking for keywords.
_LEXEMES = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n\r]*",
    re.DOTALL,
)
_ESCAPES = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_SERVICE = re.compile(r"(?<![\w?$:])SERVICE(?![\w:])", re.IGNORECASE)
_PROLOGUE = re.compile(r"\s*(?:(?:BASE|PREFIX\s*[^\s:]*:)\s*)*(\w*)", re.IGNORECASE)


@dataclass(frozen=True)
class ReadOnlyPolicy:
    """What a read-only engine refuses.

    Attributes:
        allow_service: whether ``SERVICE`` may run.
        audience: who reports a refusal (``kg query`` or the endpoint of ``kg serve``).
    """

    allow_service: bool = False
    audience: Audience = Audience.COMMAND

    def check(self, sparql: str) -> Refusal | None:
        """Why ``sparql`` must not run, or ``None`` when it may.

        Args:
            sparql: the query text as the client sent it.
        """
        bare = _LEXEMES.sub(" ", _ESCAPES.sub(_unescape, sparql))
        first = _PROLOGUE.match(bare).group(1).upper()
        if first in _UPDATE_WORDS:
            return self.refuse_update(first)
        if not self.allow_service and _SERVICE.search(bare):
            return self._refusal(RefusalKind.SERVICE)
        return None

    def refuse_update(self, keyword: str | None = None) -> Refusal:
        """The refusal of an update (``keyword``: its first word, when known)."""
        return self._refusal(RefusalKind.UPDATE, keyword)

    def _refusal(self, kind: RefusalKind, keyword: str | None = None) -> Refusal:
        template = _MESSAGES[self.audience, kind]
        return Refusal(kind, template.format(keyword=f" ({keyword})" if keyword else ""))


def _unescape(match: re.Match) -> str:
    code = int(match.group(1) or match.group(2), 16)
    return chr(code) if code <= 0x10FFFF else "\ufffd"
