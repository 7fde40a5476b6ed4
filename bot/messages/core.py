"""Strings of the core service: help, welcome, errors, roles."""

from __future__ import annotations

UNEXPECTED_ERROR = (
    "Sorry, something went wrong on my side while handling that. "
    "It has been logged; please try again in a moment."
)
STORAGE_FAILED = (
    "Sorry, I could not save that, so nothing has changed. "
    "Please try again in a few minutes; if it keeps failing, tell your Trimtab admin."
)
STORAGE_UNAVAILABLE = (
    "Sorry, my storage is unavailable right now, so nothing was changed. "
    "Please try again in a minute."
)
EMPTY_MESSAGE = "I did not catch a command there. Type `help` to see what I can do."
UNKNOWN_COMMAND = "I don't know `{text}`."
DID_YOU_MEAN = "Did you mean {suggestions}?"
ROLE_REQUIRED = (
    "`{command}` is for {role}s. You are signed in as a {current}; "
    "ask an admin if you need the {role} role."
)
HELP_TITLE = "What I can do for you"
HELP_INTRO = "Type a command, or @mention me with it in a channel. Commands ignore case."
HELP_ROLE_LINE = "You are a **{role}**."

WELCOME_TITLE = "Hi, I'm {bot} 👋"
WELCOME_PERSONAL = (
    "I help your teams work in the open: conversations in channels first, files and structure "
    "later. I run Working Out Loud circles and share one small habit at a time."
)
WELCOME_TEAM = (
    "Thanks for adding me to **{team}**. I'll help this team keep its conversations in "
    "channels and threads. Anyone can @mention me with `help`."
)
WELCOME_GROUP = (
    "Thanks for adding me here. I can run a Working Out Loud circle for this group: "
    "try `circle create <name>`."
)

ADMIN_ADD_NEEDS_MENTION = (
    "Tell me who: `admin add @person` (use an @mention so I know exactly who)."
)
ADMIN_REMOVE_NEEDS_MENTION = (
    "Tell me who: `admin remove @person` (use an @mention so I know exactly who)."
)
ADMIN_ADDED = "{name} is now an admin."
ADMIN_ALREADY = "{name} is already an admin."
ADMIN_REMOVED = "{name} is no longer an admin. Their dashboard links and sessions stopped working."
ADMIN_NOT_ADDED = "{name} is not an admin added in chat, so there was nothing to remove."
ADMIN_CONFIGURED = (
    "{name} is an admin through TRIMTAB_ADMINS and stays one. To remove them, take them out "
    "of TRIMTAB_ADMINS and restart Trimtab."
)
MENTION_UNRESOLVED = (
    "I could not look up {name} in this conversation. @mention someone who is a member here."
)

TENANT_REFUSED = "This Trimtab is not enabled for your organisation."

CARD_TOO_LONG = (
    "That answer is too long to show in Teams, so I left it out. Narrow it down: name one "
    "circle or team (e.g. `circle status <name>`, `adoption summary <team name>`), keep "
    "goals, check-ins and nudge messages to a few sentences, or open the `dashboard`."
)
