"""Strings of the coaching feature: tips, the persona question, weekly tips and `coach`."""

from __future__ import annotations

PERSONA_TITLE = "Before your first tip"
PERSONA_QUESTION = (
    "Which fits you best? I'll order the habits for you. You can skip this; "
    "the tips work either way."
)
PERSONA_CHOICES = (
    ("new", "I'm new to Teams"),
    ("member", "I'm a team member"),
    ("owner", "I own a team"),
)
PERSONA_SKIP = "Skip"
PERSONA_SET = "Got it: you are {label}. Here is your first habit."
PERSONA_SKIPPED = "No problem. Here is your first habit."
PERSONA_UNKNOWN = "I know the personas `new`, `member` and `owner`; try `tips persona member`."

TIP_LEAD_WEEKLY = "Your habit for this week"
TIP_LEAD_DONE = "Nice — “{title}” is done."
TIP_LEAD_SKIPPED = "Skipped for now; it comes back later."
ALL_DONE = (
    "You have worked through all {total} habits of the conversation-first path. "
    "Keep them going — and share them with your team with `coach` in its channel."
)
TIPS_ARGS = "`tips` takes no extra words here: try `tips`, `tips off` or `tips on`."

WEEKLY_OFF = (
    "Weekly tips are off. Your progress is kept: type `tips` any time, or `tips on` to get "
    "a habit every week again."
)
WEEKLY_ALREADY_OFF = "Weekly tips were already off. `tips on` turns them back on."
WEEKLY_ON = "Weekly tips are on: one habit every Monday morning. `tips off` stops them."
WEEKLY_ALREADY_ON = "Weekly tips are already on. `tips off` stops them."

COACH_TITLE = "Conversation-first checklist for {team}"
COACH_THIS_TEAM = "this team"
COACH_INTRO = (
    "In Teams the conversation is the collaboration. Start with conversations in channels "
    "and threads; the structure follows."
)
COACH_NUMBERS_TITLE = "This team last week ({week})"
COACH_NO_NUMBERS_TITLE = "This team's numbers"
COACH_REPLY_RATE = "Reply rate"
COACH_UNANSWERED = "Unanswered threads"
COACH_THREADS = "New threads"
COACH_HEALTH = "Health (last 4 weeks)"
COACH_NO_THREADS = "no threads"
COACH_NUMBERS_NOTE = "From the adoption tracker; the weakest measure picks the focus below."
COACH_NO_NUMBERS = (
    "No adoption numbers for this team yet: the tracker has not collected it. "
    "Once it has, `coach` shows the reply rate and unanswered threads here."
)
COACH_FOCUS_TITLE = "Focus this week: {title}"
COACH_NOT_IN_CHANNEL = (
    "`coach` works in a team channel: @mention me there with `coach` and I'll post the "
    "team's checklist. Here in chat, `tips` gives you the habits one at a time."
)

METRIC_NAMES = {
    "reply_rate": "reply rate",
    "active_share": "share of active members",
    "median_first_reply_minutes": "time to first reply",
    "trend": "activity trend",
}
