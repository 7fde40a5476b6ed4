"""Working Out Loud circles: the 12-week programme, circle rules, check-ins, what is due when.

Never imports ``bot`` or botbuilder. Time is always passed in (aware ``now``); storage is
any object satisfying :class:`wol_circles.ports.Documents`. Full guide: ``docs/circles.md``.

How the bot uses it::

    circles = CircleService(store, default_zone=settings.timezone)   # TRIMTAB_TIMEZONE

    # commands (args = text after the verb; the router strips "circle <verb>")
    await circles.create(tenant, args, Member(uid, name, now), Origin(kind, conv_key), now)
    await circles.join(tenant, parse_name(args), Member(uid, name, now))
    await circles.leave(tenant, parse_name(args), uid, now)
    await circles.start(tenant, parse_name(args), uid, now)   # then run the due loop
    await circles.end(tenant, parse_name(args), uid, now)     # then circles.summary(id)
    await circles.listing(tenant, uid)                        # -> CircleListing
    await circles.status(tenant, uid, parse_optional_name(args), now)   # -> CircleStatus
    await circles.check_in_command(tenant, uid, args, now)    # text `checkin`
    await circles.check_in(circle_id, uid, now, text=..., rating=..., week=...)  # card
    await circles.set_goal(tenant, uid, args, now)

    # the due loop (on start-up, after `circle start`, and at next_due_time)
    for plan in await circles.due(now):
        for d in plan.deliveries:          # d.key = circle/<id>/w<NN>/<recipient>/<kind>
            ...send via bot.proactive with idempotency key d.key; d.recipient is a
            member's user id or CIRCLE_CHAT (plan.circle.origin); week guide: week(d.week)
        for occ in plan.skipped: log it (older than 24 h, never sent)
        circle = await circles.acknowledge(plan, now)   # records markers; may complete
        if plan.completes: await circles.summary(circle.id) -> completion card
    when = await circles.next_due_time(now)  # None: nothing active; schedule one wake-up

Every failure is a :class:`CircleError` subclass carrying facts, not wording; the
hierarchy is in :mod:`wol_circles.errors`.
"""

from wol_circles.errors import (
    AlreadyMember,
    AlreadyStarted,
    AmbiguousCircle,
    CircleError,
    CircleFull,
    DuplicateName,
    EmptyText,
    FacilitatorCannotLeave,
    InputError,
    InvalidName,
    InvalidRating,
    InvalidTime,
    InvalidWeek,
    InvalidWeekday,
    InvalidZone,
    LookupFailure,
    MissingName,
    MissingTime,
    MissingWeekday,
    NotActive,
    NotAMember,
    NotFacilitator,
    NotInAnyCircle,
    NotOpen,
    RuleViolation,
    TooFewMembers,
    TooManyCircles,
    UnexpectedArguments,
    UnknownCircle,
)
from wol_circles.model import (
    MAX_MEMBERS,
    MAX_OPEN_CIRCLES_PER_PERSON,
    MIN_MEMBERS_TO_START,
    CheckIn,
    Circle,
    CircleState,
    Goal,
    Member,
    Origin,
    OriginKind,
    Slot,
)
from wol_circles.parsing import parse_name, parse_optional_name
from wol_circles.programme import PROGRAMME, WEEKS_IN_PROGRAMME, Week, week
from wol_circles.progress import CircleStatus, CompletionSummary, MemberStatus, MemberSummary
from wol_circles.schedule import (
    CATCH_UP_WINDOW,
    CIRCLE_CHAT,
    Delivery,
    DuePlan,
    Kind,
    Occurrence,
    idempotency_key,
)
from wol_circles.service import CheckInResult, CircleListing, CircleService

__all__ = [
    "CATCH_UP_WINDOW",
    "CIRCLE_CHAT",
    "MAX_MEMBERS",
    "MAX_OPEN_CIRCLES_PER_PERSON",
    "MIN_MEMBERS_TO_START",
    "PROGRAMME",
    "WEEKS_IN_PROGRAMME",
    "AlreadyMember",
    "AlreadyStarted",
    "AmbiguousCircle",
    "CheckIn",
    "CheckInResult",
    "Circle",
    "CircleError",
    "CircleFull",
    "CircleListing",
    "CircleService",
    "CircleState",
    "CircleStatus",
    "CompletionSummary",
    "Delivery",
    "DuePlan",
    "DuplicateName",
    "EmptyText",
    "FacilitatorCannotLeave",
    "Goal",
    "InputError",
    "InvalidName",
    "InvalidRating",
    "InvalidTime",
    "InvalidWeek",
    "InvalidWeekday",
    "InvalidZone",
    "Kind",
    "LookupFailure",
    "Member",
    "MemberStatus",
    "MemberSummary",
    "MissingName",
    "MissingTime",
    "MissingWeekday",
    "NotAMember",
    "NotActive",
    "NotFacilitator",
    "NotInAnyCircle",
    "NotOpen",
    "Occurrence",
    "Origin",
    "OriginKind",
    "RuleViolation",
    "Slot",
    "TooFewMembers",
    "TooManyCircles",
    "UnexpectedArguments",
    "UnknownCircle",
    "Week",
    "idempotency_key",
    "parse_name",
    "parse_optional_name",
    "week",
]
