"""Which organisation's records a read may see: every stored record belongs to a tenant.

Records carry the Microsoft 365 tenant id they were made in (``tenant_id``). Records stored
before Trimtab kept tenants carry none: they belong to the *home* tenant (the one whose
adoption data Trimtab collects; see ``bot.tenancy`` for how it is chosen). So a read in the
home tenant sees its own records and the untagged ones; a read in any other tenant sees only
records tagged with that tenant.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TenantScope:
    """The tenant a read is made for, and whether it is the home tenant."""

    tenant_id: str
    is_home: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "tenant_id", self.tenant_id.strip().lower())

    def holds(self, record_tenant: object) -> bool:
        """Whether a record tagged ``record_tenant`` (``None``/empty: untagged) is visible."""
        tenant = str(record_tenant or "").strip().lower()
        return tenant == self.tenant_id if tenant else self.is_home
