"""Errors the bot turns into answers.

TrimtabError
 ├── UserFacingError      bad input or a refused action: the text is shown to the user
 │    └── RoleRequiredError the user lacks the role a command needs
 └── SettingsError        a configuration value is wrong: the start stops with one line
"""

from __future__ import annotations


class TrimtabError(Exception):
    """Base class of the bot's own errors."""


class UserFacingError(TrimtabError):
    """Something the user can fix or should know; ``str(error)`` is the whole answer."""


class RoleRequiredError(UserFacingError):
    """The command needs a role the user does not have."""


class SettingsError(TrimtabError):
    """A configuration variable holds a value Trimtab cannot use."""

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"{variable}: {problem}")
        self.variable = variable
