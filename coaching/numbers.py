"""A team's own adoption numbers for coaching and nudges, read from the tracker's facts.

Teams in the bot's team directory are keyed by the Bot Framework team id (``19:…@thread…``);
the tracker keys teams by their Graph id, which is the ``aad_group_id`` the bot
learns from channel data. Numbers exist only once a sync has stored the team.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from adoption.facts import ThreadFact
from adoption.health import Health, health_inputs, score_health
from adoption.metrics import WeekMetrics, weekly_metrics, window_metrics
from adoption.repository import AdoptionRepository
from adoption.weeks import IsoWeek, Period
from coaching.ports import Documents

HEALTH_WEEKS = 4
"""How many full weeks before today the health score (and its weakest measure) looks at."""


@dataclass(frozen=True)
class TeamNumbers:
    """Last week's numbers of one team and its weakest measure over recent weeks."""

    week: str
    last_week: WeekMetrics
    health: Health

    @property
    def reply_rate(self) -> float | None:
        return self.last_week.reply_rate

    @property
    def unanswered(self) -> int:
        return self.last_week.unanswered

    @property
    def weakest(self) -> str | None:
        return self.health.weakest


def graph_team_id(team_doc: dict[str, Any] | None) -> str | None:
    """The Graph id (AAD group id) of a team document of the bot's directory."""
    group = (team_doc or {}).get("aad_group_id")
    return str(group) if group else None


async def team_threads(store: Documents, graph_id: str | None) -> list[ThreadFact] | None:
    """The team's stored threads, or ``None`` when the tracker has never synced the team."""
    if not graph_id:
        return None
    repo = AdoptionRepository(store)
    if await repo.team(graph_id) is None:
        return None
    return await repo.threads(graph_id)


async def team_numbers(
    store: Documents, graph_id: str | None, *, now: datetime, tz: ZoneInfo
) -> TeamNumbers | None:
    """Numbers for the last full ISO week before ``now`` (in ``tz``), or ``None`` without data."""
    if not graph_id:
        return None
    repo = AdoptionRepository(store)
    team = await repo.team(graph_id)
    if team is None:
        return None
    threads = await repo.threads(graph_id)
    last = IsoWeek.of_datetime(now, tz).previous()
    first = IsoWeek.of(last.monday)
    for _ in range(HEALTH_WEEKS - 1):
        first = first.previous()
    period = Period(first.monday, last.sunday)
    members = len(team.member_ids)
    weeks = weekly_metrics(threads, period.weeks, tz, member_count=members)
    totals = window_metrics(threads, *period.bounds(tz), member_count=members)
    health = score_health(health_inputs(totals, weeks), team.targets)
    return TeamNumbers(week=last.label, last_week=weeks[-1], health=health)
