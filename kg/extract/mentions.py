"""The index of a document's mentions: which tokens each covers.

The mentions pass (:func:`kg.extract.entities.extract_mentions`) fills it;
every later pass reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

from kg.datatypes import Mention


@dataclass
class MentionIndex:
    """The mentions of one Doc and which tokens they cover."""

    mentions: list[Mention] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)
    by_token: dict[int, int] = field(default_factory=dict)

    def add(self, mention: Mention, start: int, end: int) -> None:
        """Adds a mention over tokens ``start:end`` unless a mention covers one of them."""
        if any(i in self.by_token for i in range(start, end)):
            return
        idx = len(self.mentions)
        self.mentions.append(mention)
        self.spans.append((start, end))
        for i in range(start, end):
            self.by_token[i] = idx

    def at(self, token: Token) -> Mention | None:
        """The mention covering ``token``, if any."""
        idx = self.by_token.get(token.i)
        return None if idx is None else self.mentions[idx]

    def span_of(self, mention: Mention) -> tuple[int, int]:
        """The token span (start, end) of ``mention``."""
        return self.spans[self.mentions.index(mention)]

    def at_index(self, i: int) -> Mention | None:
        """The mention covering the token at index ``i``, if any."""
        idx = self.by_token.get(i)
        return None if idx is None else self.mentions[idx]
