"""What can go wrong in the champions feature; the bot words each type in ``bot/messages``.

ChampionError
 ├── NudgeUsageError       ``nudge`` without a team name
 ├── NoTeamsError          the bot is installed in no team
 ├── UnknownTeamError      no installed team has that name (``candidates``: close or all)
 ├── AmbiguousTeamError    several teams have that name (``candidates``)
 └── DailyLimitError       the team was already nudged today, by anyone (``by``, ``until``)
"""

from __future__ import annotations

from datetime import datetime
from typing import Any


class ChampionError(Exception):
    """Base class of the champions feature's refusals."""


class NudgeUsageError(ChampionError):
    """``nudge`` was given no team."""


class NoTeamsError(ChampionError):
    """There is no installed team to nudge."""


class UnknownTeamError(ChampionError):
    """No team matches ``name``; ``candidates`` are the teams worth offering (``close``: names
    close to ``name``, for a did-you-mean; otherwise every team)."""

    def __init__(self, name: str, candidates: list[dict[str, Any]], *, close: bool = False) -> None:
        super().__init__(name)
        self.name = name
        self.candidates = candidates
        self.close = close


class AmbiguousTeamError(UnknownTeamError):
    """Several teams match ``name``."""


class DailyLimitError(ChampionError):
    """A team gets one champion nudge per local day, whoever sends it.

    ``by``/``by_name``: the champion who nudged it (``by_you`` when that is the one asking),
    ``at``: when; the next nudge is possible ``until`` (the next local midnight).
    """

    def __init__(
        self,
        team: str,
        until: datetime,
        *,
        by: str = "",
        by_name: str = "",
        at: datetime | None = None,
        by_you: bool = True,
    ) -> None:
        super().__init__(team)
        self.team = team
        self.until = until
        self.by = by
        self.by_name = by_name
        self.at = at
        self.by_you = by_you
