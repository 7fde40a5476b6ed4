"""Command tables of every feature, joined by the app factory into one router."""

from __future__ import annotations

from bot.commands import adoption, audience, champions, circles, coaching, core, plans
from bot.router import CommandTable

COMMAND_TABLES: tuple[CommandTable, ...] = (
    core.commands,
    adoption.commands,
    coaching.commands,
    champions.commands,
    circles.commands,
    plans.commands,
    audience.commands,
)
