"""Who is in which department: the one owner of ``adoption.departments``.

One document per person, keyed by the user id as the facts store it (the pseudonym when
``TRIMTAB_PSEUDONYMISE`` is on): ``{"department": "Sales"}``. Only the people the tracker
measures are kept (see :mod:`adoption.department_sync`); nothing else from the profile.
"""

from __future__ import annotations

from collections.abc import Mapping

from adoption.ports import Documents

DEPARTMENTS = "adoption.departments"


class DepartmentRepository:
    """Reads and replaces the department of each measured person."""

    COLLECTIONS = (DEPARTMENTS,)

    def __init__(self, store: Documents) -> None:
        self.store = store

    async def all(self) -> dict[str, str]:
        """Department name by stored user id (empty before the first sync with grouping)."""
        docs = await self.store.all(DEPARTMENTS)
        return {
            key: str(doc["department"])
            for key, doc in docs.items()
            if isinstance(doc.get("department"), str)
        }

    async def replace(self, departments: Mapping[str, str]) -> int:
        """Store ``departments`` (one batch) and drop everyone no longer in it; returns
        how many people are stored."""
        stale = set(await self.store.all(DEPARTMENTS)) - set(departments)
        if departments:
            await self.store.put_many(
                DEPARTMENTS, {uid: {"department": name} for uid, name in departments.items()}
            )
        for uid in sorted(stale):
            await self.store.delete(DEPARTMENTS, uid)
        return len(departments)
