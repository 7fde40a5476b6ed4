"""The one lift rule: activity in the 7 days after a nudge against the 7 days before.

Used by ``champion stats`` (per nudge, also while the week after is still running), the
leaderboard and the admin summary (both count only nudges whose week after has passed).
The figures come from :func:`adoption.lift.lift` over the team's stored threads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from adoption.facts import ThreadFact
from adoption.lift import Lift, lift
from champions.model import Champion, Nudge

LIFT_DAYS = 7


def nudge_lift(threads: Sequence[ThreadFact], nudge: Nudge, *, now: datetime) -> Lift:
    """Lift around ``nudge`` so far (``complete`` once its 7 days after have passed)."""
    return lift(threads, nudge.at, now=now, days=LIFT_DAYS)


def measured_lift(threads: Sequence[ThreadFact], nudge: Nudge, *, now: datetime) -> Lift | None:
    """Lift around ``nudge`` once it can be counted (its week after is over), else ``None``."""
    measured = nudge_lift(threads, nudge, now=now)
    return measured if measured.complete else None


@dataclass(frozen=True)
class Standing:
    """A champion on the leaderboard."""

    aad_id: str
    name: str
    nudges: int
    measured: int
    lift: float | None  # mean change in threads + replies per measured nudge


def standings(
    champions: list[Champion],
    delivered: list[Nudge],
    lifts: dict[str, Lift | None],
) -> list[Standing]:
    """Every champion (and former champion with nudges) with delivered nudges and mean lift.

    ``lifts`` maps a nudge key to its :func:`measured_lift` (``None``: not measurable yet).
    """
    names = {c.aad_id: c.name for c in champions}
    for nudge in delivered:
        names.setdefault(nudge.champion, nudge.champion_name)
    result = []
    for aad_id, name in names.items():
        mine = [n for n in delivered if n.champion == aad_id]
        changes = [
            m.threads_change + m.replies_change
            for m in (lifts.get(n.key) for n in mine)
            if m is not None
        ]
        mean = sum(changes) / len(changes) if changes else None
        result.append(Standing(aad_id, name, len(mine), len(changes), mean))
    return result
