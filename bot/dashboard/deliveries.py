"""The dashboard's deliveries page: per feature and ISO week, the unreachable people and the
keys left in doubt (a run stopped mid-request: maybe delivered, not resent)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.dashboard.tables import Table
from bot.delivery_report import delivery_report, parse_week
from bot.messages import audience as msg
from bot.services import Services


async def deliveries_page(request: web.Request, services: Services) -> tuple[str, dict[str, Any]]:
    """``/dashboard/deliveries[?week=2026-W48]``."""
    raw = request.query.get("week", "")
    week = parse_week(raw, services)
    if week is None:
        raise web.HTTPBadRequest(text=msg.DELIVERIES_BAD_WEEK.format(value=raw.strip()))
    report = await delivery_report(services, week)
    counts = Table("deliveries", "Deliveries per feature", ["Feature", *msg.DELIVERIES_COLUMNS])
    for row in report.rows:
        counts.rows.append([row.feature, *row.counts()])
    people = Table("unreachable", "Unreachable people", ["Person", "Feature", "Reason"])
    for person in report.unreachable:
        reason = msg.UNREACHABLE_REASONS.get(person.reason, person.reason)
        people.rows.append([person.name, person.feature, reason])
    doubts = Table("in-doubt", "In doubt (not resent)", ["Person", "Feature", "Key", "Claimed"])
    for doubt in report.in_doubt:
        doubts.rows.append([doubt.name, doubt.feature, doubt.key, doubt.claimed_at[:19]])
    total = sum(r.sent for r in report.rows)
    delivered = sum(r.delivered for r in report.rows)
    return "table_page.html.j2", {
        "title": "Deliveries",
        "period": f"ISO week {week}",
        "charts": [],
        "kpis": [
            ("Sent", str(total), ""),
            ("Delivered", str(delivered), ""),
            ("Unreachable", str(len(report.unreachable)), ""),
            ("In doubt", str(sum(r.in_doubt for r in report.rows)), "not resent"),
        ],
        "tables": [counts, people, doubts],
        "empty": msg.DELIVERIES_EMPTY.format(week=week),
    }
