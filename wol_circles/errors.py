"""Typed domain errors of the circles package.

Every error carries the structured facts the bot needs to word its answer (and an
example of correct input); ``str()`` gives a plain English default for logs and
tests, but the bot owns the user-facing wording.

Hierarchy::

    CircleError
     ├── InputError                 the command text itself is wrong
     │    ├── MissingName()
     │    ├── InvalidName(value, reason)
     │    ├── InvalidWeekday(value)
     │    ├── MissingWeekday(time)
     │    ├── MissingTime(weekday)
     │    ├── InvalidTime(value)
     │    ├── InvalidZone(value, suggestions)
     │    ├── InvalidRating(value)
     │    ├── EmptyText(what)
     │    └── UnexpectedArguments(extra)
     ├── LookupFailure              the circle meant cannot be found
     │    ├── UnknownCircle(name, suggestions)
     │    ├── NotInAnyCircle(user_id)
     │    └── AmbiguousCircle(choices)
     └── RuleViolation              the input is fine but the rules refuse it
          ├── DuplicateName(name, existing)
          ├── CircleFull(name, limit)
          ├── TooManyCircles(limit, names)
          ├── AlreadyMember(name)
          ├── NotAMember(name, user_id)
          ├── NotFacilitator(name, facilitator)
          ├── AlreadyStarted(name, state)
          ├── NotOpen(name, state)
          ├── NotActive(name, state)
          ├── TooFewMembers(name, members, minimum)
          ├── FacilitatorCannotLeave(name, others)
          └── InvalidWeek(name, week, current)
"""

from __future__ import annotations

from dataclasses import dataclass


class CircleError(Exception):
    """Base of every circles error; ``str()`` is a plain default description."""

    def describe(self) -> str:
        return type(self).__name__

    def __str__(self) -> str:
        return self.describe()


class InputError(CircleError):
    """The command text is malformed."""


class LookupFailure(CircleError):
    """The circle the user meant cannot be determined."""


class RuleViolation(CircleError):
    """Well-formed input that the circle rules refuse."""


@dataclass(eq=False)
class MissingName(InputError):
    def describe(self) -> str:
        return "a circle needs a name"


@dataclass(eq=False)
class InvalidName(InputError):
    value: str
    reason: str

    def describe(self) -> str:
        return f"{self.value!r} is not a valid circle name: {self.reason}"


@dataclass(eq=False)
class InvalidWeekday(InputError):
    value: str

    def describe(self) -> str:
        return f"{self.value} is not a weekday"


@dataclass(eq=False)
class MissingWeekday(InputError):
    time: str

    def describe(self) -> str:
        return f"the time {self.time} needs a weekday before it"


@dataclass(eq=False)
class MissingTime(InputError):
    weekday: str

    def describe(self) -> str:
        return f"{self.weekday} needs a time (HH:MM) after it"


@dataclass(eq=False)
class InvalidTime(InputError):
    value: str

    def describe(self) -> str:
        return f"{self.value} is not a time"


@dataclass(eq=False)
class InvalidZone(InputError):
    value: str
    suggestions: tuple[str, ...] = ()

    def describe(self) -> str:
        return f"{self.value} is not an IANA time zone"


@dataclass(eq=False)
class InvalidRating(InputError):
    value: object

    def describe(self) -> str:
        return f"{self.value} is not a rating from 1 to 5"


@dataclass(eq=False)
class EmptyText(InputError):
    what: str

    def describe(self) -> str:
        return f"the {self.what} is empty"


@dataclass(eq=False)
class UnexpectedArguments(InputError):
    extra: str

    def describe(self) -> str:
        return f"unexpected {self.extra!r}"


@dataclass(eq=False)
class UnknownCircle(LookupFailure):
    name: str
    suggestions: tuple[str, ...] = ()

    def describe(self) -> str:
        return f"no circle called {self.name}"


@dataclass(eq=False)
class NotInAnyCircle(LookupFailure):
    user_id: str

    def describe(self) -> str:
        return "you are not in an open circle"


@dataclass(eq=False)
class AmbiguousCircle(LookupFailure):
    choices: tuple[str, ...]

    def describe(self) -> str:
        return f"you are in several circles: {', '.join(self.choices)}"


@dataclass(eq=False)
class DuplicateName(RuleViolation):
    name: str
    existing: str

    def describe(self) -> str:
        return f"a circle called {self.existing} already exists"


@dataclass(eq=False)
class CircleFull(RuleViolation):
    name: str
    limit: int

    def describe(self) -> str:
        return f"{self.name} already has {self.limit} members"


@dataclass(eq=False)
class TooManyCircles(RuleViolation):
    """The person is already in ``limit`` open circles (``names``); one more is refused."""

    limit: int
    names: tuple[str, ...]

    def describe(self) -> str:
        return f"you are already in {self.limit} open circles: {', '.join(self.names)}"


@dataclass(eq=False)
class AlreadyMember(RuleViolation):
    name: str

    def describe(self) -> str:
        return f"you are already in {self.name}"


@dataclass(eq=False)
class NotAMember(RuleViolation):
    name: str
    user_id: str

    def describe(self) -> str:
        return f"you are not a member of {self.name}"


@dataclass(eq=False)
class NotFacilitator(RuleViolation):
    name: str
    facilitator: str

    def describe(self) -> str:
        return f"only the facilitator of {self.name} can do that"


@dataclass(eq=False)
class AlreadyStarted(RuleViolation):
    name: str
    state: str

    def describe(self) -> str:
        return f"{self.name} has already started ({self.state})"


@dataclass(eq=False)
class NotOpen(RuleViolation):
    """Joining needs a forming circle; ending needs a forming or active one."""

    name: str
    state: str

    def describe(self) -> str:
        return f"{self.name} is {self.state}"


@dataclass(eq=False)
class NotActive(RuleViolation):
    name: str
    state: str

    def describe(self) -> str:
        return f"{self.name} is {self.state}, not active"


@dataclass(eq=False)
class TooFewMembers(RuleViolation):
    name: str
    members: int
    minimum: int

    def describe(self) -> str:
        return f"{self.name} has {self.members} member(s); it needs {self.minimum} to start"


@dataclass(eq=False)
class FacilitatorCannotLeave(RuleViolation):
    name: str
    others: int

    def describe(self) -> str:
        return f"the facilitator cannot leave {self.name} while {self.others} others remain"


@dataclass(eq=False)
class InvalidWeek(RuleViolation):
    name: str
    week: int
    current: int

    def describe(self) -> str:
        return (
            f"week {self.week} is not open for check-ins in {self.name} (now week {self.current})"
        )
