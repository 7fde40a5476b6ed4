"""Strings of issue #13: mutes, time zones, delivery report, unreachable people."""

from __future__ import annotations

from typing import Any

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
    "failed",
    "in doubt",
    "acted",
)
DELIVERIES_ROW = "**{feature}**: {counts}"
DELIVERIES_UNREACHABLE = "Unreachable ({feature}): {name} — {reason}"
DELIVERIES_IN_DOUBT = (
    "In doubt ({feature}): {name} — the run sending it stopped before Teams answered "
    "(claimed {claimed}); maybe delivered, not resent"
)
DELIVERIES_IN_DOUBT_MORE = "… and {count} more in doubt: the dashboard's Deliveries page lists all."
#: in-doubt lines shown in chat (the dashboard lists every one)
IN_DOUBT_SHOWN = 20
DELIVERIES_BAD_WEEK = "“{value}” is not an ISO week: try `deliveries 2026-W48`."

UNREACHABLE_REASONS = {
    "blocked": "blocked the bot or removed it",
    "uninstalled": "does not have the app (not installed)",
    "not_found": "not found",
}
DIGEST_UNREACHABLE = (
    "{count} could not be reached in {week}: {people}. `deliveries {week}` lists them; "
    "people without the app can add it from the Teams app store."
)
NOT_INSTALLED_FIX = (
    "{names} could not be reached: they do not have {bot} installed. Ask them to add it "
    "from the Teams app store, or grant the app the Graph permission "
    "TeamsAppInstallation.ReadWriteSelfForUser.All and set TRIMTAB_TEAMS_APP_ID so I can "
    "install it for them."
)


def deliveries_text(report: Any) -> str:
    """The ``deliveries`` answer for a :class:`bot.delivery_report.DeliveryReport`."""
    if not report.rows:
        return DELIVERIES_EMPTY.format(week=report.week)
    lines = [f"**{DELIVERIES_TITLE.format(week=report.week)}**"]
    for row in report.rows:
        counts = " · ".join(
            f"{n} {label}" for n, label in zip(row.counts(), DELIVERIES_COLUMNS, strict=True)
        )
        lines.append(DELIVERIES_ROW.format(feature=row.feature, counts=counts))
    for person in report.unreachable:
        reason = UNREACHABLE_REASONS.get(person.reason, person.reason)
        lines.append(
            DELIVERIES_UNREACHABLE.format(feature=person.feature, name=person.name, reason=reason)
        )
    for doubt in report.in_doubt[:IN_DOUBT_SHOWN]:
        lines.append(
            DELIVERIES_IN_DOUBT.format(
                feature=doubt.feature, name=doubt.name, claimed=doubt.claimed_at[:19]
            )
        )
    if len(report.in_doubt) > IN_DOUBT_SHOWN:
        lines.append(DELIVERIES_IN_DOUBT_MORE.format(count=len(report.in_doubt) - IN_DOUBT_SHOWN))
    return "\n\n".join(lines)
