"""Which team a ``nudge`` means, and the one-nudge-a-day window in the configured zone."""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class TeamMatch:
    """The outcome of resolving a team name: one team, or candidates to offer."""

    team: dict[str, Any] | None
    message: str
    candidates: list[dict[str, Any]]
    ambiguous: bool = False
    """``candidates`` all fit the name asked for."""
    close: bool = False
    """``candidates`` have names close to the one asked for (did you mean)."""


#: how alike (difflib ratio) a name must be to be offered as "did you mean"
CLOSE = 0.8


def fold(value: str) -> str:
    """A name for comparing: accents dropped, case folded, white space collapsed
    (``Équipe  Ventes`` → ``equipe ventes``)."""
    decomposed = unicodedata.normalize("NFKD", value)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


def resolve_team(teams: list[dict[str, Any]], text: str) -> TeamMatch:
    """Find the team whose name (or id) starts ``text``; the rest is the message.

    The longest run of leading words equal to a team's name (ignoring case and accents)
    wins. Two teams with that name are ambiguous; no match gives as candidates the teams
    whose name is close to a leading run of words (did you mean) or contains the first word.
    """
    words = text.split()
    for n in range(_longest_run(teams, words), 0, -1):
        wanted = fold(" ".join(words[:n]))
        found = [t for t in teams if wanted in (fold(str(t.get("name", ""))), fold(t["id"]))]
        if len(found) == 1:
            return TeamMatch(found[0], " ".join(words[n:]), [])
        if len(found) > 1:
            return TeamMatch(None, "", found, ambiguous=True)
    close = close_teams(teams, words)
    if close:
        return TeamMatch(None, "", close, close=True)
    first = fold(words[0]) if words else ""
    containing = [t for t in teams if first and first in fold(str(t.get("name", "")))]
    return TeamMatch(None, "", containing, ambiguous=len(containing) > 1)


def close_teams(teams: list[dict[str, Any]], words: list[str]) -> list[dict[str, Any]]:
    """Teams whose name is close to a leading run of ``words`` (a typo), best first."""
    by_name = {fold(str(t.get("name", ""))): t for t in teams}
    close: list[dict[str, Any]] = []
    for n in range(_longest_run(teams, words, slack=1), 0, -1):
        wanted = fold(" ".join(words[:n]))
        for name in difflib.get_close_matches(wanted, by_name, n=3, cutoff=CLOSE):
            if by_name[name] not in close:
                close.append(by_name[name])
    return close


def _longest_run(teams: list[dict[str, Any]], words: list[str], *, slack: int = 0) -> int:
    """How many leading words can name a team: no more than the longest name has (plus
    ``slack`` for a typo that splits a word), so a 100 KB message costs no more than a short
    one (trying every leading run of it was quadratic)."""
    longest = max(
        (len(str(t.get(key, "")).split()) for t in teams for key in ("name", "id")), default=0
    )
    return min(len(words), longest + slack)


def local_day(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()


def next_day_start(moment: datetime, tz: ZoneInfo) -> datetime:
    """Local midnight after ``moment`` in ``tz`` (aware, in ``tz``)."""
    return datetime.combine(local_day(moment, tz) + timedelta(days=1), time(0), tzinfo=tz)
