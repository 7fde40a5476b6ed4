"""Champions: the registry (``champions.registry``), the nudge record (``champions.nudges``),
team-name resolution for `nudge`, and the numbers behind the leaderboard and stats.

A registry document, keyed by lower-case AAD id (``bot.roles`` reads it)::

    {"aad_id", "name", "teams_id", "by", "at"}

A nudge document, keyed ``<ISO time>|<champion>|<team id>``::

    {"champion", "champion_name", "team_id", "team_name", "graph_id", "at", "day",
     "metric", "message", "custom", "status", "detail", "activity_id"}

``day`` is the local date in the configured zone; one delivered nudge per
champion, team and day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from adoption.metrics import Lift, lift
from bot.roles import CHAMPIONS, UserRef
from bot.storage import DocumentStore
from coaching.numbers import team_threads

NUDGES = "champions.nudges"
DELIVERED = "delivered"
LIFT_DAYS = 7


class ChampionRegistry:
    """Who the champions are."""

    def __init__(self, store: DocumentStore) -> None:
        self._store = store

    async def add(self, person: UserRef, *, by: UserRef, now: datetime) -> bool:
        """Record ``person`` as champion; ``False`` when they already were one."""
        doc = {
            "aad_id": person.aad_id.lower(),
            "name": person.name,
            "teams_id": person.teams_id,
            "by": by.aad_id,
            "at": now.isoformat(),
        }
        return await self._store.insert_if_absent(CHAMPIONS, person.aad_id.lower(), doc)

    async def remove(self, person: UserRef) -> bool:
        return await self._store.delete(CHAMPIONS, person.aad_id.lower())

    async def all(self) -> list[dict[str, Any]]:
        docs = (await self._store.all(CHAMPIONS)).values()
        return sorted(docs, key=lambda d: str(d.get("name", "")).lower())


class NudgeLog:
    """Every nudge, delivered or not."""

    def __init__(self, store: DocumentStore) -> None:
        self._store = store

    async def record(self, doc: dict[str, Any]) -> None:
        key = f"{doc['at']}|{doc['champion']}|{doc['team_id']}"
        await self._store.put(NUDGES, key, doc)

    async def all(self) -> list[dict[str, Any]]:
        docs = (await self._store.all(NUDGES)).values()
        return sorted(docs, key=lambda d: str(d["at"]))

    async def by_champion(self, aad_id: str) -> list[dict[str, Any]]:
        return [d for d in await self.all() if d["champion"] == aad_id.lower()]

    async def delivered_on(self, champion: str, team_id: str, day: date) -> dict[str, Any] | None:
        """The champion's delivered nudge of ``team_id`` on local ``day``, if any."""
        for doc in await self.by_champion(champion):
            if (
                doc["team_id"] == team_id
                and doc["day"] == day.isoformat()
                and doc["status"] == DELIVERED
            ):
                return doc
        return None


def local_day(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()


def next_day_start(moment: datetime, tz: ZoneInfo) -> datetime:
    """Local midnight after ``moment`` in ``tz`` (aware, in ``tz``)."""
    return datetime.combine(local_day(moment, tz) + timedelta(days=1), time(0), tzinfo=tz)


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


def describe(teams: Iterable[dict[str, Any]], *, with_ids: bool = False, limit: int = 8) -> str:
    """Team names for an answer, e.g. ``My Team, Sales (19:…)``."""
    names = []
    for team in list(teams)[:limit]:
        name = str(team.get("name", team["id"]))
        names.append(f"{name} ({team['id']})" if with_ids else name)
    return ", ".join(names) or "none"


async def nudge_lift(store: DocumentStore, nudge: dict[str, Any], *, now: datetime) -> Lift | None:
    """Activity 7 days after a nudge against 7 days before; ``None`` without adoption data."""
    threads = await team_threads(store, nudge.get("graph_id"))
    if threads is None:
        return None
    return lift(threads, datetime.fromisoformat(nudge["at"]), now=now, days=LIFT_DAYS)


@dataclass(frozen=True)
class Standing:
    """A champion on the leaderboard."""

    aad_id: str
    name: str
    nudges: int
    measured: int
    lift: float | None  # mean change in threads + replies per measured nudge


async def leaderboard(
    store: DocumentStore, champions: list[dict[str, Any]], *, now: datetime
) -> list[Standing]:
    """Every champion (and former champion with nudges), with delivered nudges and lift.

    Lift counts only nudges whose 7 days after have passed and whose team has data.
    """
    nudges = [n for n in await NudgeLog(store).all() if n["status"] == DELIVERED]
    names = {c["aad_id"]: str(c.get("name", "")) for c in champions}
    for nudge in nudges:
        names.setdefault(nudge["champion"], str(nudge.get("champion_name", "")))
    standings = []
    for aad_id, name in names.items():
        mine = [n for n in nudges if n["champion"] == aad_id]
        changes = []
        for nudge in mine:
            measured = await nudge_lift(store, nudge, now=now)
            if measured is not None and measured.complete:
                changes.append(measured.threads_change + measured.replies_change)
        mean = sum(changes) / len(changes) if changes else None
        standings.append(Standing(aad_id, name, len(mine), len(changes), mean))
    return standings
