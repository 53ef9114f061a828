"""The one error base class and the one way to put a message on one line.

Every error kg raises for bad input or a failed operation derives from
:class:`KgError`, so a caller can catch them all and print their message
without a traceback. :func:`one_line` makes any text safe to print as one
line: a file name or a parser's message can hold controls that would break
the line or reorder it on screen.
"""

from __future__ import annotations

import re

# Characters that would break a message over lines or reorder it on screen:
# C0/C1 controls, line and paragraph separators, bidirectional controls, lone
# surrogates (undecodable file names).
_UNSAFE_IN_MESSAGE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


class KgError(Exception):
    """An error whose message is meant for the user: it names what failed and why."""


def one_line(value: object, *, squeeze: bool = False) -> str:
    """``value`` as text safe to print on one line.

    Args:
        value: a message, or an exception (whose type names it when its text is empty).
        squeeze: first make every run of whitespace one space (for the several-line
            messages of parsers); otherwise a line break shows as ``\\n``.

    Returns:
        The text with every unsafe character written as a Python escape.
    """
    text = str(value)
    if squeeze:
        text = " ".join(text.split())
    if not text and isinstance(value, BaseException):
        text = type(value).__name__
    return _UNSAFE_IN_MESSAGE.sub(lambda m: ascii(m.group())[1:-1], text)
