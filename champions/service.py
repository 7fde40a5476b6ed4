"""The champions feature as the bot calls it: register, plan and record nudges, stats.

    service = ChampionService(store, zone=ZoneInfo("Europe/Berlin"))
    plan = await service.plan_nudge("aad-id", installed_teams, "My Team hello", now)
    claim = await service.claim(plan, "Megan Bowen", now)  # DailyLimitError when taken
    ...post the card; if nothing was posted: await service.release(claim)
    await service.record(plan, champion=..., status="delivered", ...)

A team gets at most one champion nudge per local day, whoever sends it: the (team, day)
slot is claimed with an atomic insert *before* the card is posted, so two champions on
two instances at once get one post and one refusal naming who nudged.

Refusals raise :mod:`champions.errors` types; the bot words them. Team numbers come from
:mod:`coaching` (the owner of the figures a nudge focuses on), threads from the adoption
repository.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from adoption.lift import Lift
from champions.errors import (
    AmbiguousTeamError,
    DailyLimitError,
    NoTeamsError,
    NudgeUsageError,
    UnknownTeamError,
)
from champions.lift import Standing, measured_lift, nudge_lift, standings
from champions.model import Champion, Nudge, NudgeClaim
from champions.ports import Documents
from champions.repository import ChampionRegistry, NudgeLog
from champions.scope import TenantScope
from champions.teams import local_day, next_day_start, resolve_team
from coaching.numbers import graph_team_id, team_numbers, team_threads


@dataclass(frozen=True)
class NudgePlan:
    """A nudge that may go out: the team, its weakest measure and the idempotency key."""

    champion: str
    team_id: str
    team_name: str
    graph_id: str | None
    day: date
    metric: str | None
    custom_message: str
    tenant_id: str = ""

    @property
    def key(self) -> str:
        """The delivery's idempotency key: one post per team and day, like the slot."""
        return f"nudge:{self.team_id}:{self.day.isoformat()}"


@dataclass(frozen=True)
class Effect:
    """A team's latest delivered nudge and the lift around it (``None``: no adoption data)."""

    nudge: Nudge
    lift: Lift | None


@dataclass(frozen=True)
class ChampionStats:
    """A champion's nudges (oldest first), the delivered ones, and effects per team."""

    nudges: list[Nudge]
    delivered: list[Nudge]
    effects: list[Effect]

    @property
    def teams(self) -> int:
        return len({n.team_id for n in self.nudges})


class ChampionService:
    """Champions, nudges and their lift over one document store."""

    def __init__(self, store: Documents, *, zone: ZoneInfo) -> None:
        self._store = store
        self.registry = ChampionRegistry(store)
        self.nudges = NudgeLog(store)
        self.zone = zone

    async def plan_nudge(
        self,
        champion: str,
        teams: list[dict[str, Any]],
        text: str,
        now: datetime,
        scope: TenantScope | None = None,
    ) -> NudgePlan:
        """The nudge ``text`` asks for, or a :class:`~champions.errors.ChampionError`.

        ``teams`` are the teams of the champion's tenant (``scope``), the only ones a nudge
        may reach; the plan and the nudge it records carry that tenant.
        """
        if not text.strip():
            raise NudgeUsageError()
        if not teams:
            raise NoTeamsError()
        match = resolve_team(teams, text)
        if match.team is None:
            if match.ambiguous:
                raise AmbiguousTeamError(text.strip(), match.candidates)
            raise UnknownTeamError(text.strip(), match.candidates or teams, close=match.close)
        team = match.team
        team_name = str(team.get("name", team["id"]))
        day = local_day(now, self.zone)
        held = await self.nudges.holder(team["id"], day, scope)
        if held is not None:
            raise self._refusal(team_name, held, champion, now)
        graph_id = graph_team_id(team)
        foreign = scope is not None and not scope.is_home  # no adoption data of theirs
        numbers = (
            None if foreign else await team_numbers(self._store, graph_id, now=now, tz=self.zone)
        )
        metric = numbers.weakest if numbers else None
        tenant = scope.tenant_id if scope else ""
        return NudgePlan(
            champion.lower(), team["id"], team_name, graph_id, day, metric, match.message, tenant
        )

    async def claim(self, plan: NudgePlan, champion_name: str, now: datetime) -> NudgeClaim:
        """Take the team's one nudge of the day for ``plan`` before posting it;
        :class:`DailyLimitError` (naming who holds it) when another nudge took it first."""
        claim = NudgeClaim(
            plan.team_id, plan.day.isoformat(), plan.champion, champion_name, now, plan.tenant_id
        )
        held = await self.nudges.claim(claim)
        if held is not None:
            raise self._refusal(plan.team_name, held, plan.champion, now)
        return claim

    async def release(self, claim: NudgeClaim) -> None:
        """Give the day's slot back: the post did not happen, a retry may take it."""
        await self.nudges.release(claim)

    def daily_limit(self, plan: NudgePlan, now: datetime) -> DailyLimitError:
        """The refusal for a nudge the delivery log already holds for today."""
        return DailyLimitError(plan.team_name, next_day_start(now, self.zone))

    def _refusal(
        self, team_name: str, held: NudgeClaim, champion: str, now: datetime
    ) -> DailyLimitError:
        return DailyLimitError(
            team_name,
            next_day_start(now, self.zone),
            by=held.champion,
            by_name=held.champion_name,
            at=held.at,
            by_you=held.champion == champion.lower(),
        )

    async def record(
        self,
        plan: NudgePlan,
        *,
        champion_name: str,
        message: str,
        now: datetime,
        status: str,
        outcome: str,
        detail: str,
        activity_id: str,
    ) -> Nudge:
        """Keep the outcome of ``plan`` in the nudge log."""
        nudge = Nudge(
            champion=plan.champion,
            team_id=plan.team_id,
            at=now,
            status=status,
            champion_name=champion_name,
            team_name=plan.team_name,
            graph_id=plan.graph_id,
            day=plan.day.isoformat(),
            metric=plan.metric,
            message=message,
            custom=bool(plan.custom_message),
            outcome=outcome,
            detail=detail,
            activity_id=activity_id,
            tenant_id=plan.tenant_id,
        )
        await self.nudges.record(nudge)
        return nudge

    async def lift_of(
        self, nudge: Nudge, *, now: datetime, scope: TenantScope | None = None
    ) -> Lift | None:
        """Lift around ``nudge`` so far; ``None`` when its team has no adoption data (as
        every team outside the home tenant, whose data the tracker does not collect)."""
        if scope is not None and not scope.is_home:
            return None
        threads = await team_threads(self._store, nudge.graph_id)
        return None if threads is None else nudge_lift(threads, nudge, now=now)

    async def stats(
        self, champion: str, *, now: datetime, scope: TenantScope | None = None
    ) -> ChampionStats:
        """``champion stats``: every nudge and the lift around each team's latest one."""
        mine = await self.nudges.by_champion(champion, scope)
        delivered = [n for n in mine if n.delivered]
        latest = {n.team_id: n for n in delivered}  # oldest first, so the last one wins
        effects = [Effect(n, await self.lift_of(n, now=now, scope=scope)) for n in latest.values()]
        return ChampionStats(mine, delivered, effects)

    async def leaderboard(
        self, *, now: datetime, scope: TenantScope | None = None
    ) -> tuple[list[Champion], list[Standing]]:
        """The scope's champions and standings (lift counts only fully measured nudges).

        Lift is read from adoption data only for the home tenant, whose teams the tracker
        collects; in another tenant it stays unmeasured.
        """
        champions = await self.registry.all(scope)
        delivered = await self.nudges.delivered(scope)
        lifts: dict[str, Lift | None] = {}
        for nudge in delivered:
            foreign = scope is not None and not scope.is_home
            threads = None if foreign else await team_threads(self._store, nudge.graph_id)
            lifts[nudge.key] = None if threads is None else measured_lift(threads, nudge, now=now)
        return champions, standings(champions, delivered, lifts)
