"""``mute tips|digest|circle <name>|all [for N weeks]`` and ``unmute …``: rules, no wording.

A mute without a duration lasts until ``unmute``. ``for N weeks`` lasts N × 7 days from the
moment it is set, so ``mute tips for 2 weeks`` skips exactly the next two weekly tips.
A muted send is *skipped* (recorded as such), never *failed*.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from audience.errors import (
    InvalidDuration,
    MissingMuteTarget,
    NotMuted,
    NotReceiving,
    UnknownMuteTarget,
)

if TYPE_CHECKING:
    from audience.preferences import Preferences

MAX_WEEKS = 52
_DURATION = re.compile(r"^(?P<target>.*?)\s+for\s+(?P<weeks>\S+)(?:\s+weeks?)?\s*$", re.I)


class Feature(StrEnum):
    TIPS = "tips"
    DIGEST = "digest"
    CIRCLE = "circle"
    ALL = "all"


@dataclass(frozen=True)
class Target:
    """What a mute covers: a feature, and for ``circle`` the circle's name."""

    feature: Feature
    circle: str | None = None

    @classmethod
    def tips(cls) -> Target:
        return cls(Feature.TIPS)

    @classmethod
    def digest(cls) -> Target:
        return cls(Feature.DIGEST)

    @classmethod
    def of_circle(cls, name: str) -> Target:
        return cls(Feature.CIRCLE, name)

    def covers(self, feature: Feature, circle: str | None) -> bool:
        if self.feature is Feature.ALL:
            return True
        if self.feature is not feature:
            return False
        return feature is not Feature.CIRCLE or _same(self.circle, circle)

    def __str__(self) -> str:
        return f"circle {self.circle}" if self.circle else self.feature.value


@dataclass(frozen=True)
class Mute:
    target: Target
    until: datetime | None
    """``None``: until ``unmute``."""

    def active(self, now: datetime) -> bool:
        return self.until is None or now < self.until


@dataclass(frozen=True)
class MuteRequest:
    target: Target
    weeks: int | None = None


def parse_mute(args: str) -> MuteRequest:
    """``tips``, ``digest``, ``circle <name>``, ``all``, each optionally ``for N weeks``."""
    text = " ".join(args.split())
    weeks: int | None = None
    match = _DURATION.match(text)
    if match:
        text, raw = match["target"], match["weeks"]
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_WEEKS:
            raise InvalidDuration(raw, MAX_WEEKS)
        weeks = int(raw)
    if not text:
        raise MissingMuteTarget()
    head, _, rest = text.partition(" ")
    try:
        feature = Feature(head.casefold())
    except ValueError:
        raise UnknownMuteTarget(text) from None
    if feature is Feature.CIRCLE:
        if not rest:
            raise UnknownMuteTarget(text)
        return MuteRequest(Target.of_circle(rest), weeks)
    if rest:
        raise UnknownMuteTarget(text)
    return MuteRequest(Target(feature), weeks)


def mute(
    prefs: Preferences, request: MuteRequest, *, receiving: Collection[Target], now: datetime
) -> Preferences:
    """``prefs`` with the mute added (replacing one on the same target).

    ``receiving`` is what the person gets today; muting anything else is refused with
    :class:`NotReceiving` (``all`` needs at least one thing received).
    """
    target = request.target
    names = tuple(str(r) for r in receiving)
    if target.feature is Feature.ALL:
        if not receiving:
            raise NotReceiving(str(target), names)
    elif not any(_same_target(target, r) for r in receiving):
        raise NotReceiving(str(target), names)
    canonical = next((r for r in receiving if _same_target(target, r)), target)
    until = now + timedelta(weeks=request.weeks) if request.weeks else None
    kept = tuple(m for m in prefs.mutes if not _same_target(m.target, canonical))
    return replace(prefs, mutes=(*kept, Mute(canonical, until)))


def unmute(prefs: Preferences, request: MuteRequest, *, now: datetime) -> Preferences:
    """``prefs`` without the mute on ``request.target`` (``all`` lifts every mute)."""
    live = tuple(m for m in prefs.mutes if m.active(now))
    if request.target.feature is Feature.ALL:
        if not live:
            raise NotMuted(str(request.target))
        return replace(prefs, mutes=())
    kept = tuple(m for m in live if not _same_target(m.target, request.target))
    if len(kept) == len(live):
        raise NotMuted(str(request.target))
    return replace(prefs, mutes=kept)


def is_muted(
    prefs: Preferences | None, feature: Feature, *, now: datetime, circle: str | None = None
) -> bool:
    """Whether a send of ``feature`` (for circle ``circle``) to this person is muted at ``now``."""
    if prefs is None:
        return False
    return any(m.active(now) and m.target.covers(feature, circle) for m in prefs.mutes)


def snoozed_until(
    prefs: Preferences | None, feature: Feature, *, now: datetime, circle: str | None = None
) -> datetime | None:
    """When the latest live mute covering this send ends (``datetime.max`` for no end)."""
    if prefs is None:
        return None
    ends = [
        m.until or datetime.max.replace(tzinfo=now.tzinfo)
        for m in prefs.mutes
        if m.active(now) and m.target.covers(feature, circle)
    ]
    return max(ends, default=None)


def _same(a: str | None, b: str | None) -> bool:
    return (a or "").casefold() == (b or "").casefold()


def _same_target(a: Target, b: Target) -> bool:
    return a.feature is b.feature and _same(a.circle, b.circle)
