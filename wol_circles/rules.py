"""Circle lifecycle rules as pure functions: each takes a circle and returns a new one.

Decisions:

* Joining is only possible while the circle is *forming*: a WOL circle is a fixed group
  for its 12 weeks. At most :data:`MAX_MEMBERS` members, the facilitator included.
* Any member may leave a forming or active circle. The facilitator may not leave while
  others remain (:class:`FacilitatorCannotLeave`; they can ``circle end`` it instead);
  a facilitator who is the last member leaving ends the circle.
* Only the facilitator starts (with at least :data:`MIN_MEMBERS_TO_START` members) and
  ends a circle; ending a forming circle cancels it. Week 12 completes it anyway.
* Check-ins are for an active circle, for the current week or an earlier one.
* At most :data:`MAX_OPEN_CIRCLES_PER_PERSON` open circles per person: counted on the
  person's membership index when a join or create claims their place
  (:mod:`wol_circles.memberships`), so two instances cannot both take the last one.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from wol_circles.errors import (
    AlreadyMember,
    AlreadyStarted,
    CircleFull,
    EmptyText,
    FacilitatorCannotLeave,
    InvalidWeek,
    NotActive,
    NotAMember,
    NotFacilitator,
    NotOpen,
    TooFewMembers,
)
from wol_circles.model import (
    MAX_MEMBERS,
    MIN_MEMBERS_TO_START,
    CheckIn,
    Circle,
    CircleState,
    Goal,
    Member,
    Origin,
    Slot,
)
from wol_circles.parsing import parse_rating, validate_name
from wol_circles.programme import WEEKS_IN_PROGRAMME
from wol_circles.slots import week_at


def new_circle(
    circle_id: str,
    tenant_id: str,
    name: str,
    slot: Slot,
    facilitator: Member,
    origin: Origin,
    now: datetime,
) -> Circle:
    """A forming circle whose only member is its facilitator."""
    return Circle(
        id=circle_id,
        tenant_id=tenant_id,
        name=validate_name(name),
        facilitator=facilitator.user_id,
        members=(facilitator,),
        origin=origin,
        slot=slot,
        state=CircleState.FORMING,
        created_at=now,
    )


def join(circle: Circle, member: Member) -> Circle:
    if circle.state is not CircleState.FORMING:
        raise NotOpen(circle.name, circle.state.value)
    if circle.has_member(member.user_id):
        raise AlreadyMember(circle.name)
    if len(circle.members) >= MAX_MEMBERS:
        raise CircleFull(circle.name, MAX_MEMBERS)
    return replace(circle, members=(*circle.members, member))


def leave(circle: Circle, user_id: str, now: datetime) -> Circle:
    if not circle.state.is_open:
        raise NotOpen(circle.name, circle.state.value)
    if not circle.has_member(user_id):
        raise NotAMember(circle.name, user_id)
    rest = tuple(m for m in circle.members if m.user_id != user_id)
    former = tuple(dict.fromkeys((*circle.former, user_id)))
    if user_id == circle.facilitator:
        if rest:
            raise FacilitatorCannotLeave(circle.name, len(rest))
        ended = replace(circle, members=rest, former=former)
        return replace(ended, state=CircleState.ENDED, finished_at=now)
    return replace(circle, members=rest, former=former)


def _require_facilitator(circle: Circle, user_id: str) -> None:
    if user_id != circle.facilitator:
        raise NotFacilitator(circle.name, circle.facilitator)


def start(circle: Circle, user_id: str, now: datetime) -> Circle:
    """Week 1 begins at ``now``."""
    _require_facilitator(circle, user_id)
    if circle.state is not CircleState.FORMING:
        raise AlreadyStarted(circle.name, circle.state.value)
    if len(circle.members) < MIN_MEMBERS_TO_START:
        raise TooFewMembers(circle.name, len(circle.members), MIN_MEMBERS_TO_START)
    return replace(circle, state=CircleState.ACTIVE, started_at=now)


def end(circle: Circle, user_id: str, now: datetime) -> Circle:
    """Ended early by the facilitator (a forming circle is cancelled)."""
    _require_facilitator(circle, user_id)
    if not circle.state.is_open:
        raise NotOpen(circle.name, circle.state.value)
    return replace(circle, state=CircleState.ENDED, finished_at=now)


def complete(circle: Circle, now: datetime) -> Circle:
    """The programme is over (driven by the schedule, not by a user)."""
    return replace(circle, state=CircleState.COMPLETED, finished_at=now)


def check_in(
    circle: Circle,
    user_id: str,
    now: datetime,
    *,
    text: str = "",
    rating: object = None,
    week: int | None = None,
) -> CheckIn:
    """A check-in for ``week`` (default: the current week); validates member, state, rating."""
    if not circle.has_member(user_id):
        raise NotAMember(circle.name, user_id)
    current = week_at(circle.slot, circle.started_at, now)
    if circle.state is not CircleState.ACTIVE or not 1 <= current <= WEEKS_IN_PROGRAMME:
        raise NotActive(circle.name, circle.state.value)
    chosen = current if week is None else week
    if not 1 <= chosen <= current:
        raise InvalidWeek(circle.name, chosen, current)
    score = None if rating is None else parse_rating(rating)
    return CheckIn(circle.id, chosen, user_id, text.strip(), score, now)


def set_goal(circle: Circle, user_id: str, text: str, now: datetime) -> Goal:
    if not circle.has_member(user_id):
        raise NotAMember(circle.name, user_id)
    if not circle.state.is_open:
        raise NotOpen(circle.name, circle.state.value)
    if not text.strip():
        raise EmptyText("goal")
    return Goal(circle.id, user_id, text.strip(), now)
