"""Champions, nudges and circles as the admin surfaces need them, read tolerantly.

These features are owned by other modules; the summary and the dashboard show
their data when present and never fail when it is absent or shaped differently:
a missing collection gives empty results, a document without the needed fields is
skipped.

- champions: ``champions.registry`` (key: AAD object id, lower case)
- nudges: ``champions.nudges`` (delivered ones: Graph team id, time, champion)
- circles: through :class:`wol_circles.repository.CircleRepository`
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.storage import DocumentStore

log = logging.getLogger(__name__)

CHAMPIONS = "champions.registry"
NUDGES = "champions.nudges"

_TEAM_KEYS = ("graph_id", "graph_team_id", "aad_group_id", "team_id", "team")
_TIME_KEYS = ("at", "sent_at", "created", "created_at", "time")
_BY_KEYS = ("champion", "champion_id", "by", "author", "aad_id", "sender")


@dataclass(frozen=True)
class Champion:
    aad_id: str
    name: str


@dataclass(frozen=True)
class Nudge:
    """One nudge: the team it went to (a Graph or a bot team id), when, and who sent it."""

    team: str
    at: datetime
    by: str


@dataclass(frozen=True)
class CircleRow:
    """One circle for the tables: state, members, the programme week, check-ins."""

    name: str
    state: str
    members: int
    week: int
    checkins: int
    expected_checkins: int
    started_at: datetime | None
    finished_at: datetime | None

    @property
    def checkin_rate(self) -> float | None:
        return self.checkins / self.expected_checkins if self.expected_checkins else None


async def champions(store: DocumentStore) -> list[Champion]:
    """Registered champions by name (empty when the feature has stored none)."""
    docs = await store.all(CHAMPIONS)
    found = [
        Champion(key.lower(), str(doc.get("name") or key) if isinstance(doc, Mapping) else key)
        for key, doc in docs.items()
    ]
    return sorted(found, key=lambda c: c.name.casefold())


def _first(doc: Mapping[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = doc.get(key)
        if isinstance(value, Mapping):
            value = value.get("id") or value.get("aad_id")
        if value:
            return value
    return None


def _when(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


async def nudges(store: DocumentStore) -> list[Nudge]:
    """Every stored nudge, oldest first; malformed documents are skipped."""
    found: list[Nudge] = []
    for doc in (await store.all(NUDGES)).values():
        if not isinstance(doc, Mapping) or doc.get("status", "delivered") != "delivered":
            continue
        team, at, by = (
            _first(doc, _TEAM_KEYS),
            _when(_first(doc, _TIME_KEYS)),
            _first(doc, _BY_KEYS),
        )
        if team and at:
            found.append(Nudge(str(team), at, str(by or "").lower()))
    return sorted(found, key=lambda n: n.at)


async def circle_rows(store: DocumentStore, now: datetime) -> list[CircleRow]:
    """Every circle with its check-ins over the weeks that have fully passed."""
    try:
        from wol_circles.repository import CircleRepository
        from wol_circles.slots import week_at
    except ImportError:  # the circles package is optional for the admin views
        return []
    repo = CircleRepository(store)
    rows: list[CircleRow] = []
    try:
        circles = await repo.all()
    except (KeyError, ValueError, TypeError):
        log.warning("circles could not be read for the admin summary", exc_info=True)
        return []
    for circle in circles:
        until = circle.finished_at or now
        week = week_at(circle.slot, circle.started_at, until) if circle.started_at else 0
        done = min(max(week - 1, 0), 12)
        checkins = [c for c in await repo.checkins(circle.id) if c.week <= done]
        rows.append(
            CircleRow(
                name=circle.name,
                state=str(circle.state),
                members=len(circle.members),
                week=week,
                checkins=len(checkins),
                expected_checkins=done * len(circle.members),
                started_at=circle.started_at,
                finished_at=circle.finished_at,
            )
        )
    return rows
