"""Circles as the admin surfaces show them, read through their owner's repository.

Champions and nudges come from :mod:`champions` (``ChampionRegistry``, ``NudgeLog``),
circles from :class:`wol_circles.repository.CircleRepository`; no admin view reads
another feature's collection directly.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from bot.storage import DocumentStore
from cards.adoption_summary import CircleActivity
from champions import TenantScope
from wol_circles.repository import CircleRepository
from wol_circles.slots import week_at

log = logging.getLogger(__name__)


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


async def circle_rows(
    store: DocumentStore, now: datetime, scope: TenantScope | None = None
) -> list[CircleRow]:
    """Every circle (of the scope's tenant) with its check-ins over the weeks fully passed."""
    repo = CircleRepository(store)
    rows: list[CircleRow] = []
    try:
        circles = await repo.all()
    except (KeyError, ValueError, TypeError):
        log.warning("circles could not be read for the admin summary", exc_info=True)
        return []
    circles = [c for c in circles if scope is None or scope.holds(c.tenant_id)]
    checkins_of = await repo.all_checkins()  # every circle's: one read of the collection
    for circle in circles:
        until = circle.finished_at or now
        week = week_at(circle.slot, circle.started_at, until) if circle.started_at else 0
        done = min(max(week - 1, 0), 12)
        checkins = [c for c in checkins_of.get(circle.id, ()) if c.week <= done]
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


def circle_activity(rows: list[CircleRow]) -> CircleActivity:
    """Active, forming and completed circles; check-in rate over the active ones."""
    active = [r for r in rows if r.state == "active"]
    expected = sum(r.expected_checkins for r in active)
    return CircleActivity(
        active=len(active),
        forming=sum(r.state == "forming" for r in rows),
        completed=sum(r.state == "completed" for r in rows),
        checkin_rate=sum(r.checkins for r in active) / expected if expected else None,
    )
