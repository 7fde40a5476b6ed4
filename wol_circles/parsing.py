"""Parsing the argument text of the circle commands (after ``circle <verb>`` is stripped).

Grammar (case-insensitive; PRODUCT.md)::

    circle create <name> [<weekday> <HH:MM> [<IANA zone>]]
    circle join|leave|start|end <name>
    circle status [<name>]
    checkin [<name>] [<n>/5] [<text>]
    goal [<name>] <text>

Names: one or more words (letters, digits, spaces and ``- _ ' . & + ( ) !``; at most
:data:`MAX_NAME_LENGTH` characters, at least one letter). In ``circle create`` the name
ends at the first word after the first that is a full weekday name (``monday`` …) or
that is followed by an ``H:MM``-shaped word (``tue 08:30``); so ``Monday Club`` is a
valid name, and a name that must contain a weekday later on is written in double quotes:
``circle create "Lunch Friday" tuesday 08:30``. Weekdays: English names or their 3–5
letter abbreviations. Times: 24-hour ``H:MM`` / ``HH:MM``. Zones: IANA names, matched
case-insensitively (``europe/berlin`` → ``Europe/Berlin``).

In ``checkin`` and ``goal`` the name is optional: the text starts with it when its first
words equal one of the user's circle names (the longest match wins) or it is quoted.
"""

from __future__ import annotations

import difflib
import functools
import re
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import time

from wol_circles.errors import (
    EmptyText,
    InvalidName,
    InvalidRating,
    InvalidTime,
    InvalidWeekday,
    InvalidZone,
    MissingName,
    MissingTime,
    MissingWeekday,
    UnexpectedArguments,
)
from wol_circles.model import WEEKDAYS, Slot, fold_name

MAX_NAME_LENGTH = 40
DEFAULT_WEEKDAY = 0
DEFAULT_TIME = time(9, 0)

_ABBREVIATIONS = {
    "mon": 0, "tue": 1, "tues": 1, "wed": 2, "weds": 2, "thu": 3, "thur": 3, "thurs": 3,
    "fri": 4, "sat": 5, "sun": 6,
}  # fmt: skip
_TIMEISH = re.compile(r"^\d+[:.]\d*$|^\d+(am|pm)$", re.IGNORECASE)
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
_NAME = re.compile(r"^[\w\s'’.&+()!-]+$")
_QUOTES = {'"': '"', "“": "”", "„": "“"}


@dataclass(frozen=True)
class Token:
    text: str
    quoted: bool


@dataclass(frozen=True)
class CreateRequest:
    name: str
    slot: Slot


@dataclass(frozen=True)
class CheckinRequest:
    circle: str | None
    text: str
    rating: int | None


@dataclass(frozen=True)
class GoalRequest:
    circle: str | None
    text: str


def tokenize(text: str) -> list[Token]:
    """Whitespace-separated words; double quotes (straight or curly) group words."""
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
        elif text[i] in _QUOTES:
            close = text.find(_QUOTES[text[i]], i + 1)
            if close < 0 and text[i] == "“":
                close = text.find('"', i + 1)
            end = n if close < 0 else close
            tokens.append(Token(" ".join(text[i + 1 : end].split()), True))
            i = end + 1
        else:
            j = i
            while j < n and not text[j].isspace():
                j += 1
            tokens.append(Token(text[i:j], False))
            i = j
    return [t for t in tokens if t.text or t.quoted]


def parse_weekday(value: str) -> int:
    """0 (Monday) … 6 (Sunday); raises :class:`InvalidWeekday`."""
    word = value.strip().lower()
    if word in WEEKDAYS:
        return WEEKDAYS.index(word)
    if word in _ABBREVIATIONS:
        return _ABBREVIATIONS[word]
    raise InvalidWeekday(value)


def parse_time(value: str) -> time:
    """A 24-hour ``H:MM``; raises :class:`InvalidTime` (``25:00``, ``8``, ``9am``)."""
    match = _TIME.match(value.strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise InvalidTime(value)
    return time(int(match[1]), int(match[2]))


@functools.cache
def _zones() -> dict[str, str]:
    return {z.lower(): z for z in zoneinfo.available_timezones()}


def resolve_zone(value: str) -> str:
    """The canonical IANA name for ``value`` (any case); raises :class:`InvalidZone`."""
    canonical = _zones().get(value.strip().lower())
    if canonical is None:
        close = difflib.get_close_matches(value.strip().lower(), _zones(), n=3, cutoff=0.6)
        raise InvalidZone(value, tuple(_zones()[c] for c in close))
    return canonical


def parse_rating(value: object) -> int:
    """A progress rating 1–5 from an int or text (``4`` or ``4/5``); else :class:`InvalidRating`."""
    if isinstance(value, bool):
        raise InvalidRating(value)
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and re.fullmatch(r"\s*\d+\s*(/\s*5\s*)?", value):
        number = int(value.split("/")[0])
    else:
        raise InvalidRating(value)
    if not 1 <= number <= 5:
        raise InvalidRating(value)
    return number


def validate_name(name: str) -> str:
    """The name with whitespace collapsed; raises :class:`InvalidName` / :class:`MissingName`."""
    clean = " ".join(name.split())
    if not clean:
        raise MissingName()
    if len(clean) > MAX_NAME_LENGTH:
        raise InvalidName(clean, f"longer than {MAX_NAME_LENGTH} characters")
    if not _NAME.match(clean):
        raise InvalidName(clean, "only letters, digits, spaces and - _ ' . & + ( ) !")
    if not any(ch.isalpha() for ch in clean):
        raise InvalidName(clean, "it needs at least one letter")
    return clean


EACH_LOCAL = "each-local"


def parse_create(args: str, default_zone: str) -> CreateRequest:
    """``<name> [<weekday> <HH:MM> [<zone>]] [each-local]``; default slot Monday 09:00 in
    ``default_zone``. ``each-local``: the slot in each member's own zone."""
    tokens = tokenize(args)
    each_local = bool(tokens) and not tokens[-1].quoted and tokens[-1].text.lower() == EACH_LOCAL
    if each_local:
        tokens = tokens[:-1]
    request = _parse_create(tokens, default_zone)
    return replace(request, slot=replace(request.slot, each_local=each_local))


def _parse_create(tokens: list[Token], default_zone: str) -> CreateRequest:
    if not tokens:
        raise MissingName()
    boundary = _slot_boundary(tokens)
    if boundary is None:
        stray = next((t for t in tokens if not t.quoted and _TIMEISH.match(t.text)), None)
        if stray is not None:
            raise MissingWeekday(stray.text)
        name = validate_name(" ".join(t.text for t in tokens))
        return CreateRequest(name, Slot(DEFAULT_WEEKDAY, DEFAULT_TIME, resolve_zone(default_zone)))
    name = validate_name(" ".join(t.text for t in tokens[:boundary]))
    weekday = parse_weekday(tokens[boundary].text)
    rest = tokens[boundary + 1 :]
    if not rest:
        raise MissingTime(tokens[boundary].text)
    at = parse_time(rest[0].text)
    zone = resolve_zone(rest[1].text if len(rest) > 1 else default_zone)
    if len(rest) > 2:
        raise UnexpectedArguments(" ".join(t.text for t in rest[2:]))
    return CreateRequest(name, Slot(weekday, at, zone))


def _slot_boundary(tokens: list[Token]) -> int | None:
    for i in range(1, len(tokens)):
        if tokens[i].quoted:
            continue
        if tokens[i].text.lower() in WEEKDAYS:
            return i
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        if following is not None and not following.quoted and _TIMEISH.match(following.text):
            return i
    return None


def parse_name(args: str) -> str:
    """The whole argument text as a circle name (quotes optional)."""
    return validate_name(" ".join(t.text for t in tokenize(args)))


def parse_optional_name(args: str) -> str | None:
    """Like :func:`parse_name`, but ``None`` for empty input (``circle status``)."""
    return parse_name(args) if tokenize(args) else None


def split_circle_name(args: str, circle_names: Iterable[str]) -> tuple[str | None, list[Token]]:
    """Split a leading circle name (quoted, or one of ``circle_names``) from the rest."""
    tokens = tokenize(args)
    if tokens and tokens[0].quoted:
        return validate_name(tokens[0].text), tokens[1:]
    best: tuple[str, int] | None = None
    for name in circle_names:
        width = len(name.split())
        head = " ".join(t.text for t in tokens[:width])
        matches = len(tokens) >= width and fold_name(head) == fold_name(name)
        if matches and (best is None or width > best[1]):
            best = (name, width)
    if best is None:
        return None, tokens
    return best[0], tokens[best[1] :]


def parse_checkin(args: str, circle_names: Iterable[str]) -> CheckinRequest:
    """``[<name>] [<n>/5] [<text>]``; ``circle_names`` are the user's open circles."""
    name, rest = split_circle_name(args, circle_names)
    rating = None
    if rest and not rest[0].quoted and re.fullmatch(r"-?\d+/\d+", rest[0].text):
        if not rest[0].text.endswith("/5"):
            raise InvalidRating(rest[0].text)
        rating = parse_rating(rest[0].text)
        rest = rest[1:]
    return CheckinRequest(name, " ".join(t.text for t in rest), rating)


def parse_goal(args: str, circle_names: Iterable[str]) -> GoalRequest:
    """``[<name>] <text>``; raises :class:`EmptyText` when there is no goal text."""
    name, rest = split_circle_name(args, circle_names)
    text = " ".join(t.text for t in rest)
    if not text:
        raise EmptyText("goal")
    return GoalRequest(name, text)
