"""Errors the bot turns into answers.

TrimtabError
 ├── UserFacingError      bad input or a refused action: the text is shown to the user
 ├── SyncBusyError        ``adoption sync`` while one runs (here or on another instance)
 └── SettingsError        a configuration value is wrong: the start stops with one line

Domain packages raise their own errors; ``bot.messages.errors.ERROR_ANSWERS`` words them.
"""

from __future__ import annotations


class TrimtabError(Exception):
    """Base class of the bot's own errors."""


class UserFacingError(TrimtabError):
    """Something the user can fix or should know; ``str(error)`` is the whole answer."""


class SyncBusyError(TrimtabError):
    """A sync is already running in this app (or, on PostgreSQL, on another instance)."""


class SettingsError(TrimtabError):
    """A configuration variable holds a value Trimtab cannot use."""

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"{variable}: {problem}")
        self.variable = variable
