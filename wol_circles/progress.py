"""Progress views: streaks, ``circle status`` data and the completion summary."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from wol_circles.model import CheckIn, Circle, CircleState, Goal
from wol_circles.programme import WEEKS_IN_PROGRAMME
from wol_circles.slots import COMPLETION_WEEK, week_at, week_start


def _rating(checkin: CheckIn | None) -> int | None:
    return checkin.rating if checkin is not None else None


def streak(weeks: Iterable[int], current_week: int) -> int:
    """Consecutive checked-in weeks ending at ``current_week``; an open current week
    without a check-in does not break the streak yet (it counts back from the week before)."""
    done = set(weeks)
    week = current_week if current_week in done else current_week - 1
    count = 0
    while week >= 1 and week in done:
        count += 1
        week -= 1
    return count


def longest_streak(weeks: Iterable[int]) -> int:
    """The longest run of consecutive checked-in weeks."""
    best = run = 0
    previous = None
    for week in sorted(set(weeks)):
        run = run + 1 if previous is not None and week == previous + 1 else 1
        best = max(best, run)
        previous = week
    return best


@dataclass(frozen=True)
class MemberStatus:
    user_id: str
    name: str
    is_facilitator: bool
    checked_in: bool
    rating: int | None
    streak: int
    goal: str | None


@dataclass(frozen=True)
class CircleStatus:
    """``circle status``: week N of 12 (0 while forming), members, the next prompt time."""

    circle: Circle
    week: int
    members: tuple[MemberStatus, ...]
    next_prompt_at: datetime | None
    completes_at: datetime | None

    @property
    def next_prompt_local(self) -> datetime | None:
        """The next prompt time in the circle's own zone."""
        if self.next_prompt_at is None:
            return None
        return self.next_prompt_at.astimezone(ZoneInfo(self.circle.slot.zone))


def status(
    circle: Circle, checkins: Iterable[CheckIn], goals: Iterable[Goal], now: datetime
) -> CircleStatus:
    started = circle.started_at
    active = circle.state is CircleState.ACTIVE and started is not None
    week = min(week_at(circle.slot, started, now), WEEKS_IN_PROGRAMME) if active else 0
    by_user: dict[str, dict[int, CheckIn]] = {}
    for c in checkins:
        if c.circle_id == circle.id:
            by_user.setdefault(c.user_id, {})[c.week] = c
    goal_of = {g.user_id: g.text for g in goals if g.circle_id == circle.id}
    members = tuple(
        MemberStatus(
            user_id=m.user_id,
            name=m.name,
            is_facilitator=m.user_id == circle.facilitator,
            checked_in=week in by_user.get(m.user_id, {}),
            rating=_rating(by_user.get(m.user_id, {}).get(week)),
            streak=streak(by_user.get(m.user_id, {}), week),
            goal=goal_of.get(m.user_id),
        )
        for m in circle.members
    )
    next_prompt = completes = None
    if active and started is not None:
        completes = week_start(circle.slot, started, COMPLETION_WEEK)
        if week < WEEKS_IN_PROGRAMME:
            next_prompt = week_start(circle.slot, started, week + 1)
    return CircleStatus(circle, week, members, next_prompt, completes)


@dataclass(frozen=True)
class MemberSummary:
    """One member over the programme; ``ratings[i]`` is week i+1's rating (or ``None``)."""

    user_id: str
    name: str
    goal: str | None
    weeks_checked_in: tuple[int, ...]
    ratings: tuple[int | None, ...]
    longest_streak: int

    @property
    def checkins(self) -> int:
        return len(self.weeks_checked_in)


@dataclass(frozen=True)
class CompletionSummary:
    """Data for the completion card (also usable for a circle ended early)."""

    circle: Circle
    members: tuple[MemberSummary, ...]

    @property
    def total_checkins(self) -> int:
        return sum(m.checkins for m in self.members)


def completion_summary(
    circle: Circle, checkins: Iterable[CheckIn], goals: Iterable[Goal]
) -> CompletionSummary:
    by_user: dict[str, dict[int, CheckIn]] = {}
    for c in checkins:
        if c.circle_id == circle.id:
            by_user.setdefault(c.user_id, {})[c.week] = c
    goal_of = {g.user_id: g.text for g in goals if g.circle_id == circle.id}
    members = []
    for m in circle.members:
        mine = by_user.get(m.user_id, {})
        ratings = tuple(_rating(mine.get(w)) for w in range(1, WEEKS_IN_PROGRAMME + 1))
        members.append(
            MemberSummary(
                m.user_id,
                m.name,
                goal_of.get(m.user_id),
                tuple(sorted(mine)),
                ratings,
                longest_streak(mine),
            )
        )
    return CompletionSummary(circle, tuple(members))
