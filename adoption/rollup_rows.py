"""Report rows from rollup sums: the rules of :mod:`adoption.metrics`, made cheap.

A 2,000-team report over 26 weeks builds about 570,000 :class:`WeekMetrics`; these
helpers build them from a window's sums (:func:`row`) without the per-message work of
:mod:`adoption.metrics`, and faster than the dataclass's own ``__init__``
(:func:`week_metrics`). ``tests/adoption/test_rollups.py`` checks the numbers equal
those of measuring the threads.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Sequence

from adoption.metrics import MEASURES, WeekMetrics

__all__ = ["blank", "champion_messages", "keeper", "median", "row", "week_metrics", "week_sums"]

# A frozen dataclass's __init__ sets each field through object.__setattr__, twice the cost
# of the slot descriptors' own setters; rows are built here through those setters (same
# class, same fields; checked at import and tested).
_FIELDS = tuple(f.name for f in dataclasses.fields(WeekMetrics))
_SETTERS = tuple(getattr(WeekMetrics, name).__set__ for name in _FIELDS)
(_WEEK, _POSTS, _REPLIES, _RATE, _UNANSWERED, _MEDIAN) = _SETTERS[:6]
(_ACTIVE, _SHARE, _MENTIONS, _REACTIONS, _CHAMPIONS, _COLLECTED) = _SETTERS[6:]
_new = object.__new__


def week_metrics(
    week: str,
    posts: int,
    replies: int,
    reply_rate: float | None,
    unanswered: int,
    median: float | None,
    active: int,
    share: float | None,
    mentions: int,
    reactions: int,
    champion_share: float | None,
) -> WeekMetrics:
    """``WeekMetrics(week, posts, ...)`` (a collected week) at half the cost."""
    out = _new(WeekMetrics)
    _WEEK(out, week)
    _POSTS(out, posts)
    _REPLIES(out, replies)
    _RATE(out, reply_rate)
    _UNANSWERED(out, unanswered)
    _MEDIAN(out, median)
    _ACTIVE(out, active)
    _SHARE(out, share)
    _MENTIONS(out, mentions)
    _REACTIONS(out, reactions)
    _CHAMPIONS(out, champion_share)
    _COLLECTED(out, True)
    return out


if ("week", *MEASURES, "collected") != _FIELDS:
    week_metrics = WeekMetrics  # type: ignore[assignment]  # fields changed: the plain way


# Rows' ratios and medians take few values (2,453 distinct among 1.7 M at 2,000 teams × 26
# weeks) but each division makes a new float: keeping one object per value saves ~38 MB.
_FLOATS: dict[float, float] = {}


def keeper() -> Callable[[float, float], float]:
    """``keep(x, x)``: ``x`` as the one float object kept for its value (a bounded cache,
    emptied when full). Only for ratios of counts and medians of minutes: never NaN, and
    -0.0 (one key with 0.0) does not occur."""
    if len(_FLOATS) > 65_536:
        _FLOATS.clear()
    return _FLOATS.setdefault


def median(values: Sequence[float]) -> float | None:
    """``statistics.median`` (same result), ``None`` for no values; inlined for speed."""
    n = len(values)
    if n < 2:
        return values[0] if n else None
    ordered = sorted(values)
    half = n // 2
    return ordered[half] if n % 2 else (ordered[half - 1] + ordered[half]) / 2


def row(
    label: str,
    counts: Sequence[int],  # posts, answered, replies, mentions, reactions
    minutes: Sequence[float],
    active: int,
    by_champions: int,
    members: int,
) -> WeekMetrics:
    """The measures of one window from its sums (the rules of :mod:`adoption.metrics`)."""
    posts, answered, replies, mentions, reactions = counts
    messages = posts + replies
    keep = keeper()
    middle = median(minutes)
    return week_metrics(
        label,
        posts,
        replies,
        keep(ratio := answered / posts, ratio) if posts else None,  # reply_rate
        posts - answered,  # unanswered
        None if middle is None else keep(middle, middle),
        active,
        keep(share := min(active / members, 1.0), share) if members else None,  # active_share
        mentions,
        reactions,
        keep(by := by_champions / messages, by) if messages else None,  # champion_share
    )


@functools.lru_cache(maxsize=4096)
def blank(label: str, members: int) -> WeekMetrics:
    """A collected week without a message (shared: rows are immutable)."""
    return row(label, (0,) * 5, (), 0, 0, members)


def week_sums(channels: Sequence[int]) -> list[int]:
    """posts, answered, replies, mentions, reactions of a team-week from its channel rows
    (stride 7: channel, posts, answered, replies, mentions, reactions, people)."""
    c = channels
    return [sum(c[1::7]), sum(c[2::7]), sum(c[3::7]), sum(c[4::7]), sum(c[5::7])]


def champion_messages(people: Sequence[int], stride: int, champions: frozenset[int]) -> int:
    """Messages by ``champions`` (person indexes) in a strided person array: stride 2
    (person, messages) or stride 5 (person, posts, given, received, own replies).

    A person appears at most once per array, so a few champions are looked up by index
    (a scan in C) instead of walking every person in Python."""
    if not champions:
        return 0
    if len(champions) <= 4:
        ids = people[0::stride]
        found = 0
        for x in champions:
            if x in ids:
                at = stride * ids.index(x)
                found += people[at + 1]
                if stride == 5:
                    found += people[at + 2] + people[at + 4]
        return found
    if stride == 2:
        return sum(n for i, n in zip(people[0::2], people[1::2], strict=True) if i in champions)
    return sum(
        p + g + o
        for i, p, g, o in zip(people[0::5], people[1::5], people[2::5], people[4::5], strict=True)
        if i in champions
    )
