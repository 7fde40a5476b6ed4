"""One call that runs a sync from settings: for ``trimtab sync``, ``adoption sync`` and the
nightly job.

Errors: :class:`~adoption.config.ConfigError` when the tracker is not configured,
pseudonymisation has no key, or the stored ids are not in the configured id space
(see :mod:`adoption.id_space`); :class:`~adoption.graph.GraphAuthError` when Graph
refuses the credentials. Per-team failures are reported in the result, not raised.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from adoption.collector import Progress, SyncResult, sync_tenant
from adoption.config import ConfigError, GraphSettings, pseudonym_key
from adoption.department_sync import sync_departments
from adoption.graph import (
    GraphAuthError,
    GraphError,
    GraphGateway,
    GraphLimits,
    Sleep,
    build_gateway,
)
from adoption.id_space import check_id_space, record_space
from adoption.ports import Documents
from adoption.pseudonym import Pseudonymiser
from adoption.repository import AdoptionRepository

log = logging.getLogger(__name__)


def pseudonymiser_for(
    settings: GraphSettings, data_dir: str | os.PathLike[str] | None
) -> Pseudonymiser:
    """The pseudonymiser every stored user id goes through (identity when disabled).

    The bot uses the same object to map champion AAD ids into the stored id space.
    """
    if not settings.pseudonymise:
        return Pseudonymiser.disabled()
    if settings.pseudonym_key is None and data_dir is None:
        raise ConfigError("TRIMTAB_PSEUDONYM_KEY is required when no data dir keeps the key")
    return Pseudonymiser(pseudonym_key(settings, data_dir or "."))


async def run_sync(
    settings: GraphSettings,
    store: Documents,
    now: datetime,
    *,
    data_dir: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
    limits: GraphLimits | None = None,
    sleep: Sleep | None = None,
    tz: ZoneInfo | None = None,
    transport: Any = None,
) -> SyncResult:
    """Build the gateway from ``settings`` and collect into ``store``.

    ``data_dir`` (default: the store's own ``data_dir`` attribute, as on
    ``TinyDBStore``) keeps the generated pseudonym key. ``tz`` (default UTC) is the zone
    of the weekly rollups: pass the reports' ``TRIMTAB_TIMEZONE`` so they read rollups.
    ``transport``: see :func:`~adoption.graph.build_gateway` (closed with the gateway).
    """
    if not settings.is_configured:
        raise ConfigError(
            "TRIMTAB_GRAPH_TOKEN or TRIMTAB_GRAPH_TENANT_ID/TRIMTAB_GRAPH_CLIENT_ID/"
            "TRIMTAB_GRAPH_CLIENT_SECRET must be set to sync from Graph"
        )
    where: Any = data_dir if data_dir is not None else getattr(store, "data_dir", None)
    pseudonymiser = pseudonymiser_for(settings, where)
    await check_id_space(store, settings.pseudonymise)
    await record_space(store, settings.pseudonymise)
    gateway = build_gateway(settings, limits=limits, sleep=sleep, transport=transport)
    try:
        result = await sync_tenant(
            gateway,
            AdoptionRepository(store),
            now=now,
            lookback_days=settings.lookback_days,
            backfill_weeks=settings.backfill_weeks,
            excluded=settings.exclude_users,
            pseudonymiser=pseudonymiser,
            progress=progress,
            tz=tz or ZoneInfo("UTC"),
        )
        if settings.by_department:
            await _departments(gateway, store, pseudonymiser, settings, result)
        return result
    finally:
        await gateway.aclose()


async def _departments(
    gateway: GraphGateway,
    store: Documents,
    pseudonymiser: Pseudonymiser,
    settings: GraphSettings,
    result: SyncResult,
) -> None:
    """The departments step; a refused or failed listing is reported, not fatal (the
    teams are collected already)."""
    before = gateway.requests
    try:
        result.departments = await sync_departments(
            gateway, store, pseudonymiser, settings.exclude_users
        )
    except GraphAuthError as error:
        result.departments_error = (
            f"{error}; TRIMTAB_GROUP_BY=department needs the User.Read.All application permission"
        )
    except GraphError as error:
        result.departments_error = str(error)
    if result.departments_error:
        log.warning("departments not collected: %s", result.departments_error)
    result.requests += gateway.requests - before
