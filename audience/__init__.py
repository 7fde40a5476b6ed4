"""What each person receives and when: their time zone, what they muted, their weekly slot.

A domain package: no botbuilder, aiohttp or ``bot`` import; time is always passed in.

    prefs = await PreferencesRepository(store).get(tenant_id, user_id)
    request = parse_mute("tips for 2 weeks")
    prefs = mute(prefs, request, receiving={Target.tips()}, now=now)
    is_muted(prefs, Feature.TIPS, now=now)          # True for the next two Mondays
    due_week(now, MONDAY_9AM, prefs.zone_or("UTC"))  # "2026-W48" once 09:00 local has passed

Errors (all carry facts; the bot words them)::

    AudienceError
     ├── UnknownZone(value, suggestions)
     ├── MissingMuteTarget()
     ├── UnknownMuteTarget(value)
     ├── InvalidDuration(value)
     ├── NotReceiving(target)
     └── NotMuted(target)
"""

from audience.errors import (
    AudienceError,
    InvalidDuration,
    MissingMuteTarget,
    NotMuted,
    NotReceiving,
    UnknownMuteTarget,
    UnknownZone,
)
from audience.local_time import WeeklySlot, due_week, iso_week, local_occurrence
from audience.mutes import (
    Feature,
    Mute,
    MuteRequest,
    Target,
    is_muted,
    mute,
    parse_mute,
    snoozed_until,
    unmute,
)
from audience.preferences import Preferences, PreferencesRepository, ZoneSource
from audience.zones import resolve_zone, zone_from_entities

__all__ = [
    "AudienceError",
    "Feature",
    "InvalidDuration",
    "MissingMuteTarget",
    "Mute",
    "MuteRequest",
    "NotMuted",
    "NotReceiving",
    "Preferences",
    "PreferencesRepository",
    "Target",
    "UnknownMuteTarget",
    "UnknownZone",
    "WeeklySlot",
    "ZoneSource",
    "due_week",
    "is_muted",
    "iso_week",
    "local_occurrence",
    "mute",
    "parse_mute",
    "resolve_zone",
    "snoozed_until",
    "unmute",
    "zone_from_entities",
]
