"""User-facing strings of the circle commands and cards, and the wording of domain errors.

:func:`explain` turns every :class:`wol_circles.CircleError` into one answer that says
what was wrong and shows a correct example (the domain carries facts, not wording).
"""

from __future__ import annotations

import re

from bot.messages.user_text import echo, in_code, shown
from wol_circles import (
    AlreadyMember,
    AlreadyStarted,
    AmbiguousCircle,
    CircleError,
    CircleFull,
    DuplicateName,
    EmptyText,
    FacilitatorCannotLeave,
    InvalidName,
    InvalidRating,
    InvalidTime,
    InvalidWeek,
    InvalidWeekday,
    InvalidZone,
    MissingName,
    MissingTime,
    MissingWeekday,
    NotActive,
    NotAMember,
    NotFacilitator,
    NotInAnyCircle,
    NotOpen,
    TooFewMembers,
    TooManyCircles,
    UnexpectedArguments,
    UnknownCircle,
)

EXAMPLE_NAME = "Explorers"
CREATE_EXAMPLE = "circle create {name} tuesday 08:30 Europe/Berlin"

# --- command answers --------------------------------------------------------------------
# ``{name}``: the circle's name escaped for markdown; ``{code}``: as typed, in a code span
# (fill both with :func:`names`).
CREATED = (
    "Circle **{name}** is forming, with you as its facilitator. It meets {slot}. "
    "Others join with `circle join {code}`; start it with `circle start {code}` "
    "once 2–5 people are in."
)
JOINED = (
    "You joined **{name}** ({count} of {limit}). "
    "{facilitator} starts it with `circle start {code}`."
)
LEFT = "You left **{name}**."
LEFT_AND_ENDED = "You left **{name}**; as its last member, the circle is closed."
STARTED = (
    "**{name}** has started: week 1 of 12. Every member gets the week's guide in their "
    "1:1 chat with me now; later weeks arrive {slot}."
)
ENDED = "**{name}** has ended. Thank you for working out loud together."
CANCELLED = "**{name}** was still forming; it is cancelled."
CHECKED_IN = "Checked in to **{name}** for week {week}{rating}. Thanks!"
CHECKIN_REPLACED = "Updated your week {week} check-in for **{name}**{rating}."
GOAL_SET = "Your goal in **{name}**: {text}"
SLOT = "{weekday}s at {time} ({zone})"
SLOT_EACH_LOCAL = "{weekday}s at {time} in each member's own zone ({zone} when unknown)"

# --- delivery --------------------------------------------------------------------------
PROMPT_LATE = "This guide was due {late} ago; Trimtab was away. It is still this week's guide."
CHECKED_IN_CARD = "✅ You checked in for week {week}{rating}. See you at the next one."
REMINDER_TEXT = (
    "Reminder: you have not checked in for week {week} yet. Take five minutes: what did "
    "you try, and how close do you feel to your goal?"
)
CHAT_NOTE = (
    "**{circle}**, week {week} of 12 begins: *{title}*. Each member has the guide and a "
    "check-in form in their 1:1 chat with me."
)
CHAT_NOTE_LATE = " (sent late: Trimtab was away at the slot)"


def names(circle_name: str) -> dict[str, str]:
    """``name`` (escaped, for bold text) and ``code`` (for a code span) of a circle."""
    return {"name": shown(circle_name), "code": in_code(circle_name)}


def goal_set(circle_name: str, goal: str) -> str:
    """The answer to ``goal``: the goal as typed (escaped, a long one cut short)."""
    return GOAL_SET.format(name=shown(circle_name), text=echo(goal))


def chat_note(circle_name: str, week: int, title: str) -> str:
    return CHAT_NOTE.format(circle=shown(circle_name), week=week, title=title)


# --- errors -----------------------------------------------------------------------------
_TIME = re.compile(r"^\d{1,2}:\d{2}$")
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def name_hint(args: str) -> str:
    """The circle name the user probably meant in ``circle create`` args (for examples)."""
    words: list[str] = []
    for word in args.split():
        if _TIME.match(word) or (word.lower()[:3] in _WEEKDAYS and words):
            break
        words.append(word)
    name = " ".join(words).strip('"')
    return name if name and len(name) <= 40 else EXAMPLE_NAME


def _suggest(names: tuple[str, ...]) -> str:
    return " Did you mean " + " or ".join(f"**{shown(n)}**" for n in names) + "?" if names else ""


def explain(error: CircleError, *, command: str = "", args: str = "") -> str:
    """One sentence about what went wrong, with a correct example to copy.

    What the user typed is echoed through :func:`~bot.messages.user_text.echo` (short,
    literal); stored circle names through :func:`~bot.messages.user_text.shown`.
    """
    name = name_hint(args) if command == "circle create" else EXAMPLE_NAME
    create = CREATE_EXAMPLE.format(name=echo(name, code=True))
    match error:
        case InvalidTime(value=value):
            return f"{echo(value)} is not a time; try `{create}`"
        case InvalidWeekday(value=value):
            return f"{echo(value)} is not a weekday; try `{create}`"
        case InvalidZone(value=value, suggestions=suggestions):
            hint = f" (did you mean {', '.join(suggestions)}?)" if suggestions else ""
            return f"{echo(value)} is not a time zone{hint}; try `{create}`"
        case MissingTime(weekday=weekday):
            return f"{echo(weekday)} needs a time after it; try `{create}`"
        case MissingWeekday(time=at):
            return f"{echo(at)} needs a weekday before it; try `{create}`"
        case MissingName() if command == "circle create":
            return f"A circle needs a name; try `{create}`"
        case MissingName():
            usage = command or "circle join"
            return f"Which circle? Give its name; try `{usage} {EXAMPLE_NAME}`"
        case InvalidName(value=value, reason=reason):
            return (
                f"“{echo(value)}” cannot be a circle name ({reason});"
                f" try `{CREATE_EXAMPLE.format(name=EXAMPLE_NAME)}`"
            )
        case InvalidRating(value=value):
            return (
                f"{echo(value)} is not a rating from 1 to 5; try `checkin 4/5 met two new people`"
            )
        case EmptyText(what=what):
            return f"The {what} is empty; try `goal learn to facilitate workshops`"
        case UnexpectedArguments(extra=extra):
            return (
                f"I did not expect “{echo(extra)}” there;"
                f" try `{command or 'circle status'} {EXAMPLE_NAME}`"
            )
        case UnknownCircle(name=missing, suggestions=suggestions):
            return (
                f"There is no open circle called **{echo(missing)}**.{_suggest(suggestions)} "
                "See `circle list`."
            )
        case NotInAnyCircle():
            return (
                "You are not in an open circle yet;"
                " see `circle list` or try `circle join Explorers`."
            )
        case AmbiguousCircle(choices=choices):
            return (
                f"You are in several circles ({', '.join(shown(c) for c in choices)}); name one,"
                f" e.g. `{command or 'checkin'} {echo(choices[0], code=True)} …`"
            )
        case DuplicateName(existing=existing):
            code = echo(existing, code=True)
            return (
                f"A circle called **{shown(existing)}** already exists;"
                f" pick another name, e.g. `circle create {code} 2`,"
                f" or `circle join {code}`."
            )
        case CircleFull(name=full, limit=limit):
            return (
                f"**{shown(full)}** is full: a circle holds at most {limit} members."
                " Start your own with `circle create <name>`."
            )
        case TooManyCircles(limit=limit, names=names) if names:
            return (
                f"You are already in {limit} open circles ({', '.join(shown(n) for n in names)}),"
                " the most one person can be in. Leave one first,"
                f" e.g. `circle leave {echo(names[0], code=True)}`."
            )
        case TooManyCircles(limit=limit):  # joins still under way: their circles not yet known
            return (
                f"You are already joining or in {limit} open circles, the most one person can"
                " be in. Try again in a few minutes, or leave one first (`circle status`)."
            )
    return _explain_state(error, command)


def _explain_state(error: CircleError, command: str) -> str:
    """Refusals about a circle's members and state (the circle's own stored name)."""
    match error:
        case AlreadyMember(name=circle):
            return f"You are already in **{shown(circle)}**; see `circle status {_code(circle)}`."
        case NotAMember(name=circle):
            return (
                f"You are not a member of **{shown(circle)}**;"
                " see `circle list` for circles you can join."
            )
        case NotFacilitator(name=circle):
            return f"Only the facilitator of **{shown(circle)}** can do that."
        case AlreadyStarted(name=circle):
            return f"**{shown(circle)}** has already started; see `circle status {_code(circle)}`."
        case NotOpen(name=circle, state=state):
            return f"**{shown(circle)}** is {state}; see `circle list` for circles you can join."
        case NotActive(name=circle, state=state) if state != "forming":
            return f"**{shown(circle)}** is {state}; check-ins are closed. See `circle list`."
        case NotActive(name=circle, state=state):
            return (
                f"**{shown(circle)}** is {state}, not active yet;"
                f" its facilitator starts it with `circle start {_code(circle)}`."
            )
        case TooFewMembers(name=circle, members=members, minimum=minimum):
            return (
                f"**{shown(circle)}** has {members} member(s); it needs {minimum} to start."
                f" Others join with `circle join {_code(circle)}`."
            )
        case FacilitatorCannotLeave(name=circle, others=others):
            return (
                f"As facilitator you cannot leave **{shown(circle)}** while {others} others "
                f"remain; end it with `circle end {_code(circle)}`."
            )
        case InvalidWeek(name=circle, week=week, current=current):
            return (
                f"Week {week} is not open for check-ins in **{shown(circle)}** (it is week "
                f"{current}); try `checkin {_code(circle)} 4/5 …`"
            )
    return f"{echo(error)}; see `help`."


def _code(name: str) -> str:
    return in_code(name)


SNOOZED_NO_END = "they unmute"
