"""The sync's usage-report step: tenant totals per report period, fetched at most daily."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from adoption.graph import GraphError, GraphGateway
from adoption.pseudonym import Pseudonymiser
from adoption.repository import AdoptionRepository
from adoption.usage import UsageReportError, parse_user_activity_csv

log = logging.getLogger(__name__)

USAGE_PERIODS = ("D7", "D30")
USAGE_MAX_AGE = timedelta(hours=20)


async def collect_usage(
    gateway: GraphGateway,
    repo: AdoptionRepository,
    pseudonymiser: Pseudonymiser,
    periods: tuple[str, ...],
    now: datetime,
) -> tuple[list[str], str | None]:
    """Usage totals per period; a missing Reports.Read.All permission is not fatal.

    Returns the periods collected and the last error (None without one). Reports
    refresh about once a day and are limited to 14 requests per 10 minutes per app, so
    a period fetched less than ``USAGE_MAX_AGE`` ago is not fetched again.
    """
    collected: list[str] = []
    error: str | None = None
    stored = await repo.tenant_usage()
    for period in periods:
        fetched = stored.get(period, {}).get("fetched")
        if isinstance(fetched, str) and now - datetime.fromisoformat(fetched) < USAGE_MAX_AGE:
            continue
        try:
            csv_text = await gateway.teams_user_activity_csv(period)
            usage = parse_user_activity_csv(csv_text, period, pseudonymiser)
        except (GraphError, UsageReportError) as exc:
            log.warning("usage report %s not collected: %s", period, exc)
            error = str(exc)
            continue
        await repo.save_tenant_usage(period, {**usage.to_doc(), "fetched": now.isoformat()})
        collected.append(period)
    return collected, error
