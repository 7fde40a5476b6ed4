"""The admin dashboard served by the bot's own aiohttp app under ``/dashboard``.

Server-rendered with Jinja2 (templates are package data, autoescaped), charts as inline
SVG from :mod:`adoption.charts`, no scripts and nothing fetched from elsewhere, so it
works offline. Access: a link the bot signs for an admin (``dashboard`` command), then
a signed cookie; see :mod:`bot.dashboard.signing` and :mod:`bot.dashboard.routes`.
"""

from __future__ import annotations

from bot.dashboard.routes import setup_dashboard

__all__ = ["setup_dashboard"]
