"""The bot-facing facade: parse, apply the rules, persist — one call per command.

Every change of a stored circle is a conditional write retried on conflict
(:meth:`CircleRepository.change`): the rule (circle full, not the facilitator, …) runs
inside the retried function, on the circle actually replaced. Two joins at once, in one
process or in two instances sharing a database, never lose a member nor exceed the limit.
Names are claimed with an atomic insert. A join or create first claims the person's place
in their membership index (:mod:`wol_circles.memberships`), a conditional write that
counts their open circles, and gives it back when the circle refuses: two joins at once
cannot take a person past :data:`MAX_OPEN_CIRCLES_PER_PERSON`. No in-process lock.
"""

from __future__ import annotations

import difflib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from wol_circles import rules
from wol_circles.errors import (
    AmbiguousCircle,
    DuplicateName,
    NotAMember,
    NotInAnyCircle,
    UnknownCircle,
)
from wol_circles.model import MAX_MEMBERS, CheckIn, Circle, CircleState, Goal, Member, Origin
from wol_circles.parsing import parse_checkin, parse_create, parse_goal, resolve_zone
from wol_circles.places import Places
from wol_circles.ports import Documents
from wol_circles.progress import CircleStatus, CompletionSummary, completion_summary, status
from wol_circles.repository import CircleRepository
from wol_circles.schedule import DuePlan, Zones, due, next_due_time, settle


@dataclass(frozen=True)
class CheckInResult:
    checkin: CheckIn
    circle: Circle
    replaced: bool


@dataclass(frozen=True)
class CircleListing:
    """``circle list``: forming circles the user could join, and the user's own open circles."""

    joinable: tuple[Circle, ...]
    mine: tuple[Circle, ...]


def _new_id() -> str:
    return uuid.uuid4().hex[:12]


class CircleService:
    """Everything the bot needs; ``now`` is always passed in."""

    def __init__(
        self, store: Documents, *, default_zone: str, new_id: Callable[[], str] = _new_id
    ) -> None:
        self.repo = CircleRepository(store)
        self.places = Places(self.repo)
        self.default_zone = resolve_zone(default_zone)
        self._new_id = new_id

    # ---- lookup -------------------------------------------------------------------------
    async def find(self, tenant_id: str, name: str) -> Circle:
        """The open circle called ``name``; :class:`UnknownCircle` with close names otherwise."""
        circle = await self.repo.by_name(tenant_id, name)
        if circle is not None and circle.state.is_open:
            return circle
        names = [c.name for c in await self.repo.circles(tenant_id, open_only=True)]
        close = difflib.get_close_matches(name.casefold(), [n.casefold() for n in names], n=3)
        raise UnknownCircle(name, tuple(n for n in names if n.casefold() in close))

    async def resolve(
        self, tenant_id: str, user_id: str, name: str | None, now: datetime | None = None
    ) -> Circle:
        """The named circle (user must be a member), or the user's only open circle."""
        mine = None if name is not None else await self.repo.circles_of(tenant_id, user_id, now)
        return await self._resolve(tenant_id, user_id, name, mine)

    async def _resolve(
        self, tenant_id: str, user_id: str, name: str | None, mine: list[Circle] | None
    ) -> Circle:
        if name is not None:
            circle = await self.find(tenant_id, name)
            if not circle.has_member(user_id):
                raise NotAMember(circle.name, user_id)
            return circle
        if not mine:
            raise NotInAnyCircle(user_id)
        if len(mine) > 1:
            raise AmbiguousCircle(tuple(c.name for c in mine))
        return mine[0]

    # ---- commands -----------------------------------------------------------------------
    async def create(
        self, tenant_id: str, args: str, facilitator: Member, origin: Origin, now: datetime
    ) -> Circle:
        """``circle create <args>``; the creator is the facilitator and first member."""
        request = parse_create(args, self.default_zone)
        circle = rules.new_circle(
            self._new_id(), tenant_id, request.name, request.slot, facilitator, origin, now
        )
        place = await self.places.take(tenant_id, facilitator.user_id, circle.id, now)
        try:
            if not await self.repo.claim_name(circle):
                existing = await self.repo.by_name(tenant_id, circle.name)
                if existing is not None and existing.state.is_open:
                    raise DuplicateName(circle.name, existing.name)
                await self.repo.take_name(circle)  # a stale claim left by a crash
            await self.repo.save(circle)
        except Exception:  # a cancelled or crashed create leaves a place that ages out
            await self.places.give_back(tenant_id, facilitator.user_id, place)
            raise
        return circle

    async def join(self, tenant_id: str, name: str, member: Member) -> Circle:
        """Join; full, started or already a member are checked on the circle written, the
        person's open circles on their index document (``member.joined_at`` is now)."""
        circle = await self.find(tenant_id, name)
        place = await self.places.take(tenant_id, member.user_id, circle.id, member.joined_at)
        try:
            return await self.repo.change(circle.id, lambda fresh: rules.join(fresh, member))
        except Exception:  # a cancelled or crashed join leaves a place that ages out
            await self.places.give_back(tenant_id, member.user_id, place)
            raise

    async def leave(self, tenant_id: str, name: str, user_id: str, now: datetime) -> Circle:
        found = await self.find(tenant_id, name)
        place = await self.places.held(tenant_id, user_id, found.id)
        circle = await self.repo.change(found.id, lambda fresh: rules.leave(fresh, user_id, now))
        await self.places.left(tenant_id, user_id, place)
        await self._release_if_closed(circle)
        return circle

    async def start(self, tenant_id: str, name: str, user_id: str, now: datetime) -> Circle:
        """Week 1 begins at ``now``; run the due loop right after to send its prompt."""
        found = await self.find(tenant_id, name)
        return await self.repo.change(found.id, lambda fresh: rules.start(fresh, user_id, now))

    async def end(self, tenant_id: str, name: str, user_id: str, now: datetime) -> Circle:
        found = await self.find(tenant_id, name)
        circle = await self.repo.change(found.id, lambda fresh: rules.end(fresh, user_id, now))
        await self._release_if_closed(circle)
        return circle

    async def check_in(
        self,
        circle_id: str,
        user_id: str,
        now: datetime,
        *,
        text: str = "",
        rating: object = None,
        week: int | None = None,
        tenant_id: str | None = None,
    ) -> CheckInResult:
        """A check-in by circle id (the card path: the card carries circle id and week).

        With ``tenant_id`` (a card submitted in a turn), a circle of another tenant is
        unknown: its name is not revealed across organisations.
        """
        circle = await self.repo.get(circle_id)
        if circle is None or (tenant_id is not None and circle.tenant_id != tenant_id):
            raise UnknownCircle(circle_id)
        checkin = rules.check_in(circle, user_id, now, text=text, rating=rating, week=week)
        replaced = await self.repo.save_checkin(checkin)
        return CheckInResult(checkin, circle, replaced)

    async def check_in_command(
        self, tenant_id: str, user_id: str, args: str, now: datetime
    ) -> CheckInResult:
        """``checkin [<name>] [<n>/5] [<text>]``."""
        mine = await self.repo.circles_of(tenant_id, user_id, now)
        request = parse_checkin(args, await self._candidate_names(tenant_id, mine))
        circle = await self._resolve(tenant_id, user_id, request.circle, mine)
        return await self.check_in(
            circle.id, user_id, now, text=request.text, rating=request.rating
        )

    async def set_goal(self, tenant_id: str, user_id: str, args: str, now: datetime) -> Goal:
        """``goal [<name>] <text>``; a second goal replaces the first."""
        mine = await self.repo.circles_of(tenant_id, user_id, now)
        request = parse_goal(args, await self._candidate_names(tenant_id, mine))
        circle = await self._resolve(tenant_id, user_id, request.circle, mine)
        goal = rules.set_goal(circle, user_id, request.text, now)
        await self.repo.save_goal(goal)
        return goal

    async def listing(self, tenant_id: str, user_id: str) -> CircleListing:
        open_circles = await self.repo.circles(tenant_id, open_only=True)
        joinable = tuple(
            c
            for c in open_circles
            if c.state is CircleState.FORMING
            and len(c.members) < MAX_MEMBERS
            and not c.has_member(user_id)
        )
        return CircleListing(joinable, tuple(c for c in open_circles if c.has_member(user_id)))

    async def status(
        self, tenant_id: str, user_id: str, name: str | None, now: datetime
    ) -> CircleStatus:
        return await self.status_of(await self.resolve(tenant_id, user_id, name, now), now)

    async def status_of(self, circle: Circle, now: datetime) -> CircleStatus:
        """Where ``circle`` stands this week (its check-ins and goals read by key)."""
        return status(circle, *await self.repo.progress(circle), now)

    async def summary(self, circle_id: str) -> CompletionSummary:
        circle = await self.repo.get(circle_id)
        if circle is None:
            raise UnknownCircle(circle_id)
        return completion_summary(circle, *await self.repo.progress(circle))

    # ---- schedule -----------------------------------------------------------------------
    async def due(self, now: datetime, zones: Zones | None = None) -> list[DuePlan]:
        """One plan per active circle with something ripe at ``now``; ``zones``: each member's
        zone by user id, for each-local circles."""
        active = [c for c in await self.repo.all() if c.state is CircleState.ACTIVE]
        checkins = await self.repo.checkins_of(active)
        plans = (due(circle, checkins[circle.id], now, zones) for circle in active)
        return [plan for plan in plans if plan is not None]

    async def acknowledge(self, plan: DuePlan, now: datetime) -> Circle:
        """Record that ``plan`` was sent (or skipped); completes the circle when due.

        Idempotent: a second acknowledgement of the same plan (another instance's due run)
        records the same markers again."""

        def settled(fresh: Circle) -> Circle | None:
            return settle(fresh, plan, now) if fresh.state is CircleState.ACTIVE else None

        if await self.repo.get(plan.circle.id) is None:
            return plan.circle
        circle = await self.repo.change(plan.circle.id, settled)
        await self._release_if_closed(circle)
        return circle

    async def next_due_time(self, now: datetime, zones: Zones | None = None) -> datetime | None:
        return next_due_time(await self.repo.all(), now, zones)

    async def _candidate_names(self, tenant_id: str, mine: list[Circle]) -> list[str]:
        """Names a ``checkin``/``goal`` text may start with: the user's open circles, or, for
        a user in none, every open circle (so the answer can be "not a member of X")."""
        found = mine or await self.repo.circles(tenant_id, open_only=True)
        return [c.name for c in found]

    async def _release_if_closed(self, circle: Circle) -> None:
        """A closed circle frees its name and its members' places."""
        if not circle.state.is_open:
            await self.repo.release_name(circle)
            await self.places.closed(circle)
