"""Lift: activity in the days after a moment (a champion's nudge, a plan's card) against
the days before, over a team's :class:`ThreadFact` list. Pure functions.

A root counts as answered in a window when someone other than its author replied before
the window's end, so a recent window is not compared unfairly with an older one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from adoption.facts import ThreadFact
from adoption.metrics import RATIO_DIGITS, ratio, rounded


@dataclass(frozen=True, slots=True)
class WindowActivity:
    """Activity in a window: roots started, replies written, share of those roots answered."""

    threads: int
    replies: int
    reply_rate: float | None

    def to_dict(self) -> dict[str, object]:
        return {
            "threads": self.threads,
            "replies": self.replies,
            "reply_rate": rounded(self.reply_rate, RATIO_DIGITS),
        }


def window_activity(
    threads: Iterable[ThreadFact], start: datetime, end: datetime
) -> WindowActivity:
    """Threads started, replies written and reply rate in the aware window ``[start, end)``.

    A root counts as answered when someone other than its author replied before ``end``,
    so a window that ended recently is not compared unfairly with an older one whose
    threads had more time to collect replies.
    """
    roots = answered = replies = 0
    for thread in threads:
        if thread.root_is_post and start <= thread.root.created < end:
            roots += 1
            first = thread.first_reply_by_other
            if first is not None and first.created < end:
                answered += 1
        replies += sum(1 for r in thread.replies if start <= r.created < end)
    return WindowActivity(roots, replies, ratio(answered, roots))


@dataclass(frozen=True, slots=True)
class Lift:
    """Activity in the days after a moment (a champion's nudge) against the days before."""

    at: datetime
    before: WindowActivity
    after: WindowActivity
    complete: bool  # the "after" window has fully elapsed

    @property
    def threads_change(self) -> int:
        return self.after.threads - self.before.threads

    @property
    def replies_change(self) -> int:
        return self.after.replies - self.before.replies

    @property
    def reply_rate_change(self) -> float | None:
        """Change in points of share, ``None`` when either side had no threads."""
        if self.after.reply_rate is None or self.before.reply_rate is None:
            return None
        return self.after.reply_rate - self.before.reply_rate

    def to_dict(self) -> dict[str, object]:
        return {
            "at": self.at.isoformat(),
            "before": self.before.to_dict(),
            "after": self.after.to_dict(),
            "threads_change": self.threads_change,
            "replies_change": self.replies_change,
            "reply_rate_change": rounded(self.reply_rate_change, RATIO_DIGITS),
            "complete": self.complete,
        }


def lift(threads: Sequence[ThreadFact], at: datetime, *, now: datetime, days: int = 7) -> Lift:
    """``days`` after ``at`` (``[at, at+days)``) against ``days`` before (``[at-days, at)``).

    The "after" window is cut at ``now``; ``complete`` says whether it has fully elapsed.
    """
    span = timedelta(days=days)
    after_end = min(at + span, now) if now > at else at
    return Lift(
        at=at,
        before=window_activity(threads, at - span, at),
        after=window_activity(threads, at, after_end),
        complete=now >= at + span,
    )
