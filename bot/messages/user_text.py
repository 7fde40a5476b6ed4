"""User text inside our answers: escaped so it renders as typed, and echoes kept short.

Every answer that repeats something a person typed or named (a circle name, a team name
from Teams or Graph, the argument of a failed command) puts it through one of these:

* :func:`shown` — a name or text shown in full (names are already length-limited by their
  owners), escaped with :func:`cards.elements.escape_markdown` so ``_``, ``*`` or ``[`` in it
  cannot turn into emphasis or a link.
* :func:`in_code` — a name inside a `code span` (an example command to copy), where
  escapes would show: only backticks are replaced.
* :func:`echo` — what the user typed, repeated in an error answer: at most
  :data:`ECHO_LIMIT` characters (then "…"), escaped; with ``code=True`` for a place inside
  a `code span`, where escapes would show, so backticks are replaced instead.
"""

from __future__ import annotations

from cards.elements import escape_markdown

ECHO_LIMIT = 100
"""Characters of the user's own input an answer repeats (100 KB in must not mean 100 KB out)."""

ELLIPSIS = "…"


def clip(text: str, limit: int = ECHO_LIMIT) -> str:
    """``text`` cut to ``limit`` characters, "…" marking a cut (white space folded)."""
    folded = " ".join(str(text).split())
    return folded if len(folded) <= limit else folded[: limit - 1].rstrip() + ELLIPSIS


def echo(text: object, *, code: bool = False, limit: int = ECHO_LIMIT) -> str:
    """What the user typed, short and literal, for an answer that repeats it."""
    short = clip(str(text), limit)
    return in_code(short) if code else escape_markdown(short)


def shown(text: object) -> str:
    """A name or text as typed, literal in Teams markdown (``**{shown(name)}**``)."""
    return escape_markdown(str(text))


def in_code(text: object) -> str:
    """A name inside a `code span` (shown as typed there; a backtick would end the span)."""
    return str(text).replace("`", "'")
