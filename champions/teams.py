"""Which team a ``nudge`` means, and the one-nudge-a-day window in the configured zone."""

from __future__ import annotations

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


def _norm(value: str) -> str:
    return " ".join(value.casefold().split())


def resolve_team(teams: list[dict[str, Any]], text: str) -> TeamMatch:
    """Find the team whose name (or id) starts ``text``; the rest is the message.

    The longest run of leading words equal to an installed team's name (ignoring case)
    wins. Two teams with that name are ambiguous; no match gives the teams whose name
    contains the first word as candidates.
    """
    words = text.split()
    for n in range(len(words), 0, -1):
        wanted = _norm(" ".join(words[:n]))
        found = [t for t in teams if wanted in (_norm(str(t.get("name", ""))), _norm(t["id"]))]
        if len(found) == 1:
            return TeamMatch(found[0], " ".join(words[n:]), [])
        if len(found) > 1:
            return TeamMatch(None, "", found)
    first = _norm(words[0]) if words else ""
    close = [t for t in teams if first and first in _norm(str(t.get("name", "")))]
    return TeamMatch(None, "", close)


def local_day(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()


def next_day_start(moment: datetime, tz: ZoneInfo) -> datetime:
    """Local midnight after ``moment`` in ``tz`` (aware, in ``tz``)."""
    return datetime.combine(local_day(moment, tz) + timedelta(days=1), time(0), tzinfo=tz)
