"""Champions: the registry, nudges and their daily limit, the one lift rule, the leaderboard.

Public surface::

    ChampionService, NudgePlan, ChampionStats, Effect     what the bot calls (service)
    ChampionRegistry, NudgeLog, REGISTRY, NUDGES, SLOTS   the owners of the collections
    Champion, Nudge, NudgeClaim                           the stored records (model)
    TenantScope                                           which tenant's records a read sees
    LIFT_DAYS, nudge_lift, measured_lift, Standing        the one lift rule (lift)
    ChampionError and subclasses                          refusals, worded by the bot (errors)

Never imports ``bot``, botbuilder or aiohttp; time comes in as ``now`` and a zone.
"""

from champions.errors import (
    AmbiguousTeamError,
    ChampionError,
    DailyLimitError,
    NoTeamsError,
    NudgeUsageError,
    UnknownTeamError,
)
from champions.lift import LIFT_DAYS, Standing, measured_lift, nudge_lift
from champions.model import DELIVERED, Champion, Nudge, NudgeClaim
from champions.repository import NUDGES, REGISTRY, SLOTS, ChampionRegistry, NudgeLog
from champions.scope import TenantScope
from champions.service import ChampionService, ChampionStats, Effect, NudgePlan

__all__ = [
    "DELIVERED",
    "LIFT_DAYS",
    "NUDGES",
    "REGISTRY",
    "SLOTS",
    "AmbiguousTeamError",
    "Champion",
    "ChampionError",
    "ChampionRegistry",
    "ChampionService",
    "ChampionStats",
    "DailyLimitError",
    "Effect",
    "NoTeamsError",
    "Nudge",
    "NudgeClaim",
    "NudgeLog",
    "NudgePlan",
    "NudgeUsageError",
    "Standing",
    "TenantScope",
    "UnknownTeamError",
    "measured_lift",
    "nudge_lift",
]
