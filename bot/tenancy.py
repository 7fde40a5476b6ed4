"""Tenancy: which organisation a turn belongs to, and which one is *home*.

Every stored record belongs to the tenant it was made in, and every read is scoped by the
tenant of the person asking (:class:`champions.TenantScope`). Adoption data belongs to one
tenant only, the **home tenant**: the organisation whose Graph data the tracker collects.
Records stored before Trimtab kept tenants carry no tenant id; they belong to the home
tenant too. The home tenant is, in this order:

1. ``TRIMTAB_GRAPH_TENANT_ID`` (the tenant the adoption tracker collects),
2. ``MicrosoftAppTenantId`` (a single-tenant bot's own organisation),
3. the first tenant listed in ``TRIMTAB_ALLOWED_TENANTS``,
4. otherwise the first tenant Trimtab ever hears from, remembered in ``bot.tenancy`` so it
   never changes afterwards (for a store that holds one organisation's data, the only
   tenant seen).

Users of any other tenant see only their own champions, circles, teams and admins, and get
"no adoption data for your organisation" instead of the home tenant's numbers.
"""

from __future__ import annotations

import logging

from bot.settings import Settings
from bot.storage import DocumentStore
from champions import TenantScope

log = logging.getLogger(__name__)

TENANCY = "bot.tenancy"
_HOME_KEY = "home"
#: where the home tenant may be configured, in order of precedence
HOME_VARIABLES = ("TRIMTAB_GRAPH_TENANT_ID", "MicrosoftAppTenantId", "TRIMTAB_ALLOWED_TENANTS")


def configured_home(settings: Settings) -> str:
    """The home tenant from the configuration (rules 1–3), or ``""``."""
    for variable in HOME_VARIABLES:
        first = settings.env.get(variable, "").split(",")[0].strip().lower()
        if first:
            return first
    return ""


class Tenancy:
    """Finds the home tenant and the scope of a turn (owns ``bot.tenancy``)."""

    COLLECTIONS = (TENANCY,)

    def __init__(self, store: DocumentStore, settings: Settings) -> None:
        self._store = store
        self._configured = configured_home(settings)
        self._remembered = ""

    async def home(self, seen: str = "") -> str:
        """The home tenant; ``seen`` (a tenant heard from) becomes it when none is known yet."""
        if self._configured:
            return self._configured
        if not self._remembered:
            doc = await self._store.get(TENANCY, _HOME_KEY)
            if doc is None and seen:
                if await self._store.insert_if_absent(TENANCY, _HOME_KEY, {"tenant_id": seen}):
                    log.warning(
                        "home tenant not configured: taking the first tenant heard from, %s "
                        "(set TRIMTAB_GRAPH_TENANT_ID to choose it)",
                        seen,
                    )
                doc = await self._store.get(TENANCY, _HOME_KEY)
            self._remembered = str((doc or {}).get("tenant_id") or "")
        return self._remembered

    async def scope(self, tenant_id: str | None) -> TenantScope:
        """What a person of ``tenant_id`` may see (no tenant: home only while none is known)."""
        tenant = (tenant_id or "").strip().lower()
        home = await self.home(tenant)
        return TenantScope(tenant, is_home=tenant == home)

    async def home_scope(self) -> TenantScope:
        """The home tenant's scope, for the admin surfaces that show adoption data."""
        return TenantScope(await self.home(), is_home=True)
