"""Strings of the admin surfaces: adoption summary, sync, digest and dashboard."""

from __future__ import annotations

UNKNOWN_TEAM = "{problem}. Try `adoption summary` for every team, or check the name."
NO_DATA = (
    "No adoption data yet. Run `adoption sync` (or `trimtab sync` on the server) to collect "
    "channel conversations from Microsoft Graph first."
)
NOT_YOUR_DATA = (
    "No adoption data for your organisation: this Trimtab collects the channel activity of "
    "another Microsoft 365 tenant only, so it has no numbers, digest or dashboard for yours."
)
SUMMARY_TITLE = "Adoption summary"

ACTIONS = {
    "answer_open_threads": (
        "Answer open threads: ask the team to reply to unanswered posts from last week, "
        "and a champion to nudge the channel."
    ),
    "invite_quiet_members": (
        "Invite quiet members in: @mention two or three people who only read, "
        "with a question they can answer."
    ),
    "reply_sooner": (
        "Reply sooner: agree who watches the General channel each day so posts get a "
        "first answer within a few hours."
    ),
    "restart_conversations": (
        "Restart conversations: activity is falling; post one open question in the team's "
        "channel this week and move a decision from chat into the channel."
    ),
    "keep_going": "Keep going: every measure is at its target. Share what works with others.",
    "start_conversations": (
        "Start conversations: no activity measured yet. Post the team's first question in a "
        "channel instead of a chat."
    ),
}

SYNC_NOT_CONFIGURED = (
    "Adoption sync is not configured: {problem}.\n\n"
    "Set `TRIMTAB_GRAPH_TENANT_ID`, `TRIMTAB_GRAPH_CLIENT_ID` and "
    "`TRIMTAB_GRAPH_CLIENT_SECRET` (an app registration with the application permissions "
    "Team.ReadBasic.All, Channel.ReadBasic.All, ChannelMember.Read.All, "
    "ChannelMessage.Read.All and Reports.Read.All), or `TRIMTAB_GRAPH_TOKEN` for a trial, "
    "then restart Trimtab."
)
SYNC_STARTED = (
    "Sync started: collecting channel conversations from Microsoft Graph in the background; "
    "I'll post the result here."
)
SYNC_RUNNING = "A sync is already running; I'll not start a second one. Try again when it ends."
SYNC_DONE = (
    "Sync finished: {teams} teams, {channels} channels, {threads} threads and "
    "{messages} messages stored ({requests} Graph requests)."
)
SYNC_SKIPPED = "Skipped {count} team(s) Graph no longer finds."
SYNC_FAILED_TEAMS = "{count} team(s) failed and will be retried next time: {teams}."
SYNC_AUTH_FAILED = "Graph refused the credentials: {problem}. Check the app registration."
SYNC_GRAPH_FAILED = "The sync failed talking to Graph: {problem}. Try again later."
SYNC_UNEXPECTED = (
    "The sync stopped on an unexpected error (the server log has the details). What it "
    "stored so far is kept; `adoption sync` again resumes from there."
)

DIGEST_ON = (
    "Weekly digest on: every Monday at 08:00 ({zone}) you'll get the adoption digest here. "
    "Type `digest off` to stop it."
)
DIGEST_ALREADY_ON = "Your weekly digest is already on (Mondays 08:00, {zone})."
DIGEST_OFF = "Weekly digest off. Type `digest on` to get it again."
DIGEST_ALREADY_OFF = "Your weekly digest was not on. Type `digest on` to start it."
DIGEST_SUMMARY = "Weekly adoption digest {week}"

#: the one period text of card, digest and dashboard (``adoption.comparison``)
PERIOD = "last {weeks} full weeks, {start} – {end} (vs the {weeks} weeks before)"
#: under a team's weekly rows when some weeks are before its collected span
NO_DATA_NOTE = "– : no data (collected since {since})"
DASHBOARD_BAD_WEEKS = (
    "weeks must be one of {allowed} (the last N full weeks, compared with the N before); "
    "got {value}"
)

DASHBOARD_LINK = (
    "Here is your dashboard link, valid until {expires} ({zone}). It is signed for you: "
    "please don't forward it.\n\n[Open the dashboard]({url})"
)
DASHBOARD_BUTTON = "Open dashboard"
