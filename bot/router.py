"""The command table: verbs and sub-verbs → async handlers, with role and help.

Feature modules declare their commands on a module-level :class:`CommandTable`
(as aiohttp's ``RouteTableDef``); the app joins the tables into one
:class:`CommandRouter`, which matches text to the longest command and suggests
close matches for unknown input.
"""

from __future__ import annotations

import difflib
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.roles import Role

#: ``async def handler(ctx: bot.context.CommandContext) -> None`` (typed loosely here so the
#: router does not import the context, which holds the services, which hold the router)
Handler = Callable[..., Awaitable[None]]
#: words one error type: (error, command name, the text after the command) → the answer
Wording = Callable[[Any, str, str], str]


@dataclass(frozen=True)
class Command:
    """One command: its words, the least role it needs, how to use it."""

    words: tuple[str, ...]
    handler: Handler
    role: Role
    usage: str
    summary: str

    @property
    def name(self) -> str:
        return " ".join(self.words)


class CommandTable:
    """A feature's commands, declared with the :meth:`command` decorator."""

    def __init__(self) -> None:
        self.commands: list[Command] = []

    def command(
        self, *words: str, role: Role = Role.MEMBER, usage: str = "", summary: str = ""
    ) -> Callable[[Handler], Handler]:
        """Register the decorated handler under ``words`` (e.g. ``"circle", "join"``)."""
        if not words or any(not w or w != w.lower() or " " in w for w in words):
            raise ValueError(f"command words must be lower-case single words: {words!r}")

        def register(handler: Handler) -> Handler:
            name = " ".join(words)
            self.commands.append(Command(words, handler, role, usage or name, summary))
            return handler

        return register


@dataclass(frozen=True)
class Match:
    """A command found in a message, and the text after its words."""

    command: Command
    args: str


class CommandRouter:
    """All commands of the app; finds the one a message asks for and words its errors."""

    def __init__(
        self,
        tables: Iterable[CommandTable],
        *,
        errors: Mapping[type[BaseException], Wording] | None = None,
    ) -> None:
        """``errors`` is the one error map (see :mod:`bot.messages.errors`)."""
        self.errors = dict(errors or {})
        self.commands: list[Command] = []
        seen: set[tuple[str, ...]] = set()
        for table in tables:
            for command in table.commands:
                if command.words in seen:
                    raise ValueError(f"command {command.name!r} is declared twice")
                seen.add(command.words)
                self.commands.append(command)
        # Longest first, so "circle join" wins over a hypothetical "circle".
        self._by_length = sorted(self.commands, key=lambda c: len(c.words), reverse=True)

    def answer(self, error: BaseException, command: Command, args: str) -> str | None:
        """The answer for ``error`` from the most specific mapped type; ``None``: unexpected."""
        for kind in type(error).__mro__:
            wording = self.errors.get(kind)
            if wording is not None:
                return wording(error, command.name, args)
        return None

    def match(self, text: str) -> Match | None:
        """The command ``text`` starts with (case-insensitive), or ``None``."""
        tokens = text.split()
        lowered = [t.lower() for t in tokens]
        for command in self._by_length:
            n = len(command.words)
            if tuple(lowered[:n]) == command.words:
                rest = text.strip()
                for token in tokens[:n]:
                    rest = rest[len(token) :].lstrip()
                return Match(command, rest)
        return None

    def suggest(self, text: str, *, role: Role, limit: int = 3) -> list[Command]:
        """Commands this role may use that look like ``text`` (for "did you mean …")."""
        allowed = {c.name: c for c in self.visible_to(role)}
        words = text.lower().split()
        candidates = {" ".join(words[:n]) for n in (1, 2, 3) if len(words) >= n}
        scored: dict[str, float] = {}
        for candidate in candidates:
            for name in difflib.get_close_matches(candidate, allowed, n=limit, cutoff=0.6):
                ratio = difflib.SequenceMatcher(None, candidate, name).ratio()
                scored[name] = max(scored.get(name, 0.0), ratio)
        if words:  # "circle" alone suggests every "circle …" command
            for name in allowed:
                if name.split()[0] == words[0]:
                    scored.setdefault(name, 0.5)
        best = sorted(scored, key=lambda n: (-scored[n], n))[:limit]
        return [allowed[name] for name in best]

    def visible_to(self, role: Role) -> list[Command]:
        """Commands a user with ``role`` may use, in declaration order."""
        return [c for c in self.commands if c.role <= role]
