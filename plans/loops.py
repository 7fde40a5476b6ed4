"""Feedback-loop rules: which card fires for whom, as pure functions (no sending here).

Rules (docs/plans.md, "Feedback loops"), evaluated once per team per ISO week:

- **band drop** (green→amber, amber→red, green→red) → a card to the team's champions with
  the reason and the suggested action; **goal off track** (a goal whose status became
  off track) → the same, kind ``goal_off_track``;
- a team with no champion gets neither: the admins get one **find a champion** card
  listing the team's most active people instead;
- **goal met** (status became met, the goal's ``celebrate`` on) → a celebration for the
  team's General channel.

Each kind can be switched off (:class:`LoopSettings`). At most one card per team, kind
and ISO week: :func:`loop_key` is the idempotency key the sender and the loop log use,
and keys already in ``sent`` are not returned again.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from adoption.facts import ThreadFact
from adoption.personas import user_activity
from adoption.weeks import IsoWeek
from plans.trajectory import MET, OFF_TRACK

BAND_DROP, GOAL_OFF_TRACK = "band_drop", "goal_off_track"
FIND_CHAMPION, CELEBRATION = "find_champion", "celebration"
KINDS = (BAND_DROP, GOAL_OFF_TRACK, FIND_CHAMPION, CELEBRATION)
CHAMPIONS, ADMINS, TEAM = "champions", "admins", "team"
_BAND_ORDER = {"green": 2, "amber": 1, "red": 0}
MOST_ACTIVE = 5


@dataclass(frozen=True, slots=True)
class LoopSettings:
    """Which loops are on (all by default)."""

    band_drop: bool = True
    goal_off_track: bool = True
    celebration: bool = True


ALL_ON = LoopSettings()


@dataclass(frozen=True, slots=True)
class GoalSignal:
    """A goal's status last week and this week."""

    goal_id: str
    metric: str
    status_before: str
    status_now: str
    celebrate: bool = True


@dataclass(frozen=True, slots=True)
class TeamSignal:
    """What the loop rules look at for one team this week."""

    team_id: str
    team_name: str
    band_before: str
    band_now: str
    action: str  # adoption's suggested action key (health.action)
    champions: tuple[str, ...] = ()
    most_active: tuple[str, ...] = ()
    goals: tuple[GoalSignal, ...] = ()


@dataclass(frozen=True, slots=True)
class LoopCard:
    """One card to send: to whom, why, and the key that makes it once per week."""

    kind: str
    key: str
    team_id: str
    team_name: str
    audience: str  # champions, admins or team (its General channel)
    recipients: tuple[str, ...]
    reasons: tuple[str, ...]  # band_drop:<from>-><to>, goal_off_track:<goal id>, goal_met:<id>
    action: str = ""
    people: tuple[str, ...] = field(default=())  # find_champion: most active people


def loop_key(kind: str, team_id: str, week: IsoWeek) -> str:
    """The idempotency key: one card per team, loop kind and ISO week."""
    return f"{kind}|{team_id}|{week.label}"


def band_dropped(before: str, now: str) -> bool:
    """``True`` for green→amber, amber→red and green→red (``none`` never counts)."""
    return before in _BAND_ORDER and now in _BAND_ORDER and _BAND_ORDER[now] < _BAND_ORDER[before]


def loops_for(
    team: TeamSignal,
    week: IsoWeek,
    *,
    settings: LoopSettings = ALL_ON,
    sent: Collection[str] = (),
) -> list[LoopCard]:
    """The cards this team's week calls for, minus any whose key is in ``sent``."""
    trouble: list[tuple[str, str]] = []
    if settings.band_drop and band_dropped(team.band_before, team.band_now):
        trouble.append((BAND_DROP, f"band_drop:{team.band_before}->{team.band_now}"))
    if settings.goal_off_track:
        for g in team.goals:
            if g.status_now == OFF_TRACK and g.status_before != OFF_TRACK:
                trouble.append((GOAL_OFF_TRACK, f"goal_off_track:{g.goal_id}"))
    cards: list[LoopCard] = []

    def add(
        kind: str, audience: str, who: Sequence[str], reasons: list[str], action: str = "",
        people: tuple[str, ...] = (),
    ) -> None:  # fmt: skip
        key = loop_key(kind, team.team_id, week)
        if reasons and key not in sent:
            cards.append(LoopCard(kind, key, team.team_id, team.team_name, audience, tuple(who),
                                  tuple(reasons), action, people))  # fmt: skip

    if team.champions:
        for kind in (BAND_DROP, GOAL_OFF_TRACK):
            reasons = [r for k, r in trouble if k == kind]
            add(kind, CHAMPIONS, team.champions, reasons, action=team.action)
    else:
        add(FIND_CHAMPION, ADMINS, (), [r for _, r in trouble], people=team.most_active)
    if settings.celebration:
        met = [
            f"goal_met:{g.goal_id}"
            for g in team.goals
            if g.celebrate and g.status_now == MET and g.status_before != MET
        ]
        add(CELEBRATION, TEAM, (), met)
    return cards


def most_active(
    threads: Iterable[ThreadFact], start: datetime, end: datetime, *, limit: int = MOST_ACTIVE
) -> tuple[str, ...]:
    """The people who started and answered the most conversations in ``[start, end)``
    (adoption's per-user counts: threads started plus replies to others), busiest first."""
    activity = user_activity(threads, start, end)
    ranked = sorted(activity.values(), key=lambda a: (-(a.posts + a.given), a.user))
    return tuple(a.user for a in ranked if a.posts + a.given > 0)[:limit]
