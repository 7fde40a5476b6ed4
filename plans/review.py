"""The review document's data: a month or quarter against the one before.

:func:`build_review` reads everything through adoption's public functions
(:func:`adoption.report.read_report_inputs` and ``compute_report``, the repository,
:func:`adoption.lift.lift`) and
plans' ports, and returns a :class:`Review` that :mod:`plans.review_html` renders.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from adoption.departments import DepartmentReport, build_department_report
from adoption.facts import ThreadFact
from adoption.lift import Lift
from adoption.ports import Offload, inline
from adoption.report import AdoptionReport, TeamReport, compute_report, read_report_inputs
from adoption.repository import AdoptionRepository
from adoption.weeks import IsoWeek
from champions import measured_lift
from plans.goals import Goal
from plans.log import LoopEntry
from plans.periods import ReviewPeriod, previous
from plans.ports import ChampionActivity, CircleSource, Nudge
from plans.recommendations import Recommendation, recommend
from plans.repository import PlanRepository
from plans.series import evaluate, goal_scope
from plans.trajectory import Trajectory, WeekValue
from wol_circles.model import CircleState

TOP_TEAMS = 3


@dataclass(frozen=True, slots=True)
class GoalStatus:
    goal: Goal
    trajectory: Trajectory
    series: list[WeekValue]


@dataclass(frozen=True, slots=True)
class ChampionLine:
    """One champion's delivered nudges in the period and their measured lift."""

    name: str
    nudges: int
    teams: tuple[str, ...]
    measured: int  # nudges whose 7 days after have passed and whose team has data
    activity_lift: float | None  # mean change in threads + replies per measured nudge


@dataclass(frozen=True, slots=True)
class LoopLine:
    entry: LoopEntry
    lift: Lift | None


@dataclass(frozen=True, slots=True)
class Circles:
    started: int
    completed: int
    started_before: int
    completed_before: int


@dataclass(frozen=True, slots=True)
class Review:
    """Everything the review document shows."""

    review: ReviewPeriod
    before: ReviewPeriod
    generated: datetime
    current: AdoptionReport
    previous: AdoptionReport
    goals: list[GoalStatus]
    top: list[TeamReport]
    bottom: list[TeamReport]
    champions: list[ChampionLine]
    circles: Circles
    loops: list[LoopLine]
    recommendations: tuple[Recommendation, ...]
    #: Metrics by department over the period (``TRIMTAB_GROUP_BY=department``), else None.
    departments: DepartmentReport | None = None

    @property
    def has_data(self) -> bool:
        """Any conversation in the period; without it the document says so and stops."""
        return self.current.tenant.totals.activity > 0


def rank_teams(teams: Sequence[TeamReport]) -> tuple[list[TeamReport], list[TeamReport]]:
    """Top and bottom :data:`TOP_TEAMS` scored teams by health (no team in both)."""
    scored = sorted(
        (t for t in teams if t.health.score is not None),
        key=lambda t: (-(t.health.score or 0), t.name.casefold()),
    )
    top = scored[:TOP_TEAMS]
    bottom = [t for t in scored[-TOP_TEAMS:] if t not in top]
    return top, list(reversed(bottom))


def champion_lines(
    nudges: Sequence[Nudge], threads: dict[str, list[ThreadFact]], *, now: datetime
) -> list[ChampionLine]:
    """Per champion, nudges in the period with the champions' one lift rule (``measured_lift``)."""
    by_champion: dict[str, list[Nudge]] = {}
    for nudge in nudges:
        by_champion.setdefault(nudge.champion, []).append(nudge)
    lines = []
    for mine in by_champion.values():
        changes = []
        for nudge in mine:
            if nudge.team_id in threads:
                measured = measured_lift(threads[nudge.team_id], nudge.record, now=now)
                if measured is not None:
                    changes.append(measured.threads_change + measured.replies_change)
        teams = tuple(dict.fromkeys(n.team_name for n in mine))
        mean = sum(changes) / len(changes) if changes else None
        name = mine[0].champion_name or mine[0].champion
        lines.append(ChampionLine(name, len(mine), teams, len(changes), mean))
    return sorted(lines, key=lambda c: (-c.nudges, c.name.casefold()))


async def _circles(source: CircleSource, review: ReviewPeriod, before: ReviewPeriod,
                   tz: ZoneInfo) -> Circles:  # fmt: skip
    now_b, before_b = review.period.bounds(tz), before.period.bounds(tz)

    def within(moment: datetime | None, bounds: tuple[datetime, datetime]) -> bool:
        return moment is not None and bounds[0] <= moment < bounds[1]

    circles = await source.all()
    done = [c for c in circles if c.state == CircleState.COMPLETED]
    return Circles(
        started=sum(within(c.started_at, now_b) for c in circles),
        completed=sum(within(c.finished_at, now_b) for c in done),
        started_before=sum(within(c.started_at, before_b) for c in circles),
        completed_before=sum(within(c.finished_at, before_b) for c in done),
    )


async def build_review(
    adoption: AdoptionRepository,
    plans: PlanRepository,
    activity: ChampionActivity,
    circles: CircleSource,
    *,
    review: ReviewPeriod,
    tz: ZoneInfo,
    now: datetime,
    champions: frozenset[str] = frozenset(),
    by_department: bool = False,
    min_group_size: int = 0,
    offload: Offload = inline,
) -> Review:
    """Measure ``review`` and the period before it; ``champions`` are ids as stored in facts.

    ``by_department`` adds the period's metrics by department, departments with fewer
    than ``min_group_size`` active people suppressed. The store is read here; the measuring
    (reports, goals, lifts, recommendations) is one pure step, run by ``offload`` when
    given, else in the caller's thread.
    """
    before = previous(review)
    reads = [
        await read_report_inputs(adoption, start=r.period.start, end=r.period.end, tz=tz,
                                 now=now, champions=champions, offload=offload)
        for r in (review, before)
    ]  # fmt: skip
    facts = await adoption.teams()
    threads = {t.id: await adoption.threads(t.id) for t in facts}
    goal_list = await plans.goals()
    start, end = review.period.bounds(tz)
    nudges = [n for n in await activity.nudges() if start <= n.at < end]
    fired = [e for e in await plans.loops() if start <= e.fired_at < end]
    counted = await _circles(circles, review, before, tz)
    departments = await build_department_report(
        adoption, start=review.period.start, end=review.period.end, tz=tz,
        champions=champions, min_group_size=min_group_size,
    ) if by_department else None  # fmt: skip

    def measure() -> Review:
        current, prior = compute_report(reads[0]), compute_report(reads[1])
        # goals are judged at the period's last full week (or last week, for a running period)
        last_full = IsoWeek.of(now.astimezone(tz).date()).previous()
        at = min(IsoWeek.of(review.period.end), last_full)
        goals = []
        for goal in goal_list:
            scope, members = goal_scope(goal.team_id, facts, threads)
            trajectory, series = evaluate(goal, scope, members, tz, at=at)
            goals.append(GoalStatus(goal, trajectory, series))
        loops = [
            LoopLine(e, e.lift(threads[e.team_id], now=now) if e.team_id in threads else None)
            for e in fired
        ]
        top, bottom = rank_teams(current.teams)
        recommendations = recommend(
            current.teams,
            bands_before={t.id: t.health.band for t in prior.teams},
            members={t.id: frozenset(t.member_ids) for t in facts},
            champions=champions,
            goal_statuses=[g.trajectory.status for g in goals],
        )
        return Review(
            review=review,
            before=before,
            generated=now,
            current=current,
            previous=prior,
            goals=goals,
            top=top,
            bottom=bottom,
            champions=champion_lines(nudges, threads, now=now),
            circles=counted,
            loops=loops,
            recommendations=recommendations,
            departments=departments,
        )

    return await offload(measure)
