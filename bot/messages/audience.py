"""Strings of issue #13: mutes, time zones, delivery report, unreachable people."""

from __future__ import annotations

MUTE_BUTTON = "Mute these"
SKIPPED_DETAIL = "muted by the recipient"

MUTED_UNTIL = "Muted {target} until {until}. `unmute {target}` brings it back sooner."
MUTED_FOREVER = "Muted {target}. `unmute {target}` brings it back."
UNMUTED = "Unmuted {target}: you get it again from its next send."
NOT_RECEIVING = (
    "You do not receive {target}, so there is nothing to mute. You receive: {receiving}."
)
NOTHING_RECEIVED = "nothing yet"
NOT_MUTED = "{target} is not muted."
MISSING_MUTE_TARGET = (
    "Mute what? Try `mute tips`, `mute digest`, `mute circle <name>` or `mute all`."
)
UNKNOWN_MUTE_TARGET = (
    "I can mute `tips`, `digest`, `circle <name>` or `all` (each optionally `for N weeks`), "
    "not “{value}”."
)
INVALID_DURATION = "“{value}” is not a number of weeks from 1 to {maximum}: try `for 2 weeks`."

ZONE_SET = "Your time zone is now {zone}: weekly tips come Mondays 09:00 {zone}."
ZONE_SHOW = "Your time zone is {zone} ({source}). Change it with `my timezone <IANA zone>`."
ZONE_SOURCES = {"set": "set by you", "client": "from your Teams client", "": "the default"}
UNKNOWN_ZONE = "“{value}” is not a time zone I know."
UNKNOWN_ZONE_CLOSE = " Did you mean {suggestions}?"
UNKNOWN_ZONE_HINT = " Use an IANA name such as Europe/Berlin or America/New_York."

DELIVERIES_TITLE = "Deliveries {week}"
DELIVERIES_EMPTY = "No deliveries recorded in {week}."
DELIVERIES_COLUMNS = (
    "sent",
    "delivered",
    "retried",
    "skipped (muted)",
    "unreachable",
    "in doubt",
    "acted",
)
DELIVERIES_UNREACHABLE = "Unreachable: {people}"
DELIVERIES_BAD_WEEK = "“{value}” is not an ISO week: try `deliveries 2026-W48`."

UNREACHABLE_REASONS = {
    "blocked": "blocked the bot or removed it",
    "uninstalled": "does not have the app (not installed)",
    "not_found": "not found",
}
NOT_INSTALLED_FIX = (
    "{names} could not be reached: they do not have {bot} installed. Ask them to add it "
    "from the Teams app store, or grant the app the Graph permission "
    "TeamsAppInstallation.ReadWriteSelfForUser.All and set TRIMTAB_TEAMS_APP_ID so I can "
    "install it for them."
)
