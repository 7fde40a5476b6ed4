"""The dashboard's Departments page (``TRIMTAB_GROUP_BY=department``).

``/dashboard/departments[?weeks=4|8|13|26]``: one row per department with the per-team measures
(``adoption.departments``), "too few people to report" below the minimum group size,
and the table as CSV (``?csv=departments``). With grouping off the page answers 404
saying how to turn it on, and the navigation does not link it.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from adoption.departments import DepartmentReport, build_department_report
from adoption.report import TOO_FEW_PEOPLE
from adoption.repository import AdoptionRepository
from bot.admin.summary import fact_ids, period_label, shared_period
from bot.dashboard.periods import selector, weeks_of
from bot.dashboard.tables import Table, num, pct
from bot.messages import departments as msg
from bot.services import Services
from plans.percentiles import Standing, department_standings


def grouping_on(services: Services) -> bool:
    """True when ``TRIMTAB_GROUP_BY=department``."""
    return services.settings.graph.by_department


def department_table(report: DepartmentReport) -> Table:
    """One row per department; a suppressed one shows only its name, size and why. The last
    column places the department's reply rate among the reported departments."""
    table = Table("departments", msg.TABLE_TITLE, list(msg.HEADERS))
    ranks = department_standings(report.departments, "reply_rate")
    for dep in report.departments:
        t = dep.totals
        if dep.suppressed:
            blanks: list[str | int | float | None] = [None] * (len(msg.HEADERS) - 3)
            table.rows.append([dep.name, dep.members, TOO_FEW_PEOPLE, *blanks])
            continue
        table.rows.append(
            [dep.name, dep.members, t.posts, t.replies, pct(t.reply_rate), t.unanswered,
             num(t.median_first_reply_minutes), t.active_posters, pct(t.active_share),
             pct(t.champion_share), _rank(ranks.get(dep.name))]
        )  # fmt: skip
    return table


def _rank(standing: Standing | None) -> str:
    if standing is None:
        return ""
    return msg.RANK.format(percent=standing.top_percent, ranked=standing.ranked)


async def departments_page(request: web.Request, services: Services) -> tuple[str, dict[str, Any]]:
    """Context of ``table_page.html.j2`` for the Departments page."""
    if not grouping_on(services):
        raise web.HTTPNotFound(text=msg.GROUPING_OFF)
    now = services.clock()
    weeks = weeks_of(request)  # the period of the other pages (4 weeks unless chosen)
    period = shared_period(now, services, weeks).current
    registry = await services.champions.registry.all(await services.tenancy.home_scope())
    size = services.settings.graph.min_group_size
    report = await build_department_report(
        AdoptionRepository(services.store), start=period.start, end=period.end,
        tz=services.settings.timezone, champions=fact_ids(services, (c.aad_id for c in registry)),
        min_group_size=size, offload=services.compute.run,
    )  # fmt: skip
    shown = [d for d in report.departments if not d.suppressed]
    return "table_page.html.j2", {
        "title": msg.TITLE,
        "period": f"{period_label(period)} · {msg.NOTE}",
        "periods": selector(request, weeks),
        "charts": [],
        "kpis": [
            ("Departments", str(len(report.departments)), ""),
            ("Reported", str(len(shown)), ""),
            (
                "Too few people",
                str(len(report.departments) - len(shown)),
                msg.SUPPRESSED_NOTE.format(size=size),
            ),
        ],
        "tables": [department_table(report)],
        "empty": msg.NONE_STORED,
    }
