"""Read each measured person's department from Graph (``TRIMTAB_GROUP_BY=department``).

After the teams are collected, one paged listing ``GET /users?$select=id,department,
userPrincipalName&$top=999`` (``User.Read.All``) gives every profile's department. Only
the people the tracker measures are kept — those on a collected team's roster and the
authors in the weekly rollups (former members who still posted) — as stored id
(pseudonymised when on) → department name; a profile without a department is stored as
:data:`NO_DEPARTMENT`. Users in ``TRIMTAB_EXCLUDE_USERS`` (by id or UPN) are never stored.
The UPN is read only for that check.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from adoption.department_store import DepartmentRepository
from adoption.graph import DirectoryUser, GraphGateway
from adoption.ports import Documents
from adoption.pseudonym import Pseudonymiser
from adoption.repository import AdoptionRepository

NO_DEPARTMENT = "(no department)"
#: Graph caps ``department`` at 64 characters; anything longer is cut, not trusted.
MAX_DEPARTMENT = 64


def department_name(value: str | None) -> str:
    """The stored name: trimmed, at most 64 characters, :data:`NO_DEPARTMENT` when blank."""
    name = (value or "").strip()[:MAX_DEPARTMENT]
    return name or NO_DEPARTMENT


async def measured_people(store: Documents, tz: ZoneInfo) -> set[str]:
    """Stored ids of roster members and of every author in the weekly rollups (in ``tz``,
    the sync's zone), read through the facts port so both stores answer the same."""
    repo = AdoptionRepository(store)
    people: set[str] = set()
    for team in await repo.teams():
        people.update(team.member_ids)
        rollups = await repo.rollups(tz, [team], weeks=())  # the people, no week decoded
        if rollups is not None:
            people.update(rollups[team.id].people)
    return people


def _excluded(user: DirectoryUser, excluded: frozenset[str]) -> bool:
    return user.id.casefold() in excluded or (user.upn or "").casefold() in excluded


def departments_of(
    users: list[DirectoryUser],
    people: set[str],
    pseudonymiser: Pseudonymiser,
    excluded: frozenset[str] = frozenset(),
) -> dict[str, str]:
    """Stored id → department for the directory ``users`` who are among ``people``."""
    found: dict[str, str] = {}
    for user in users:
        if _excluded(user, excluded):
            continue
        stored = pseudonymiser.apply(user.id)
        if stored in people:
            found[stored] = department_name(user.department)
    return found


async def sync_departments(
    gateway: GraphGateway,
    store: Documents,
    pseudonymiser: Pseudonymiser,
    excluded: frozenset[str] = frozenset(),
    *,
    tz: ZoneInfo,
) -> int:
    """List the directory and replace ``adoption.departments``; returns the people stored.

    Raises :class:`~adoption.graph.GraphError` (``GraphAuthError`` without
    ``User.Read.All``); nothing is written then.
    """
    users = await gateway.list_user_departments()
    found = departments_of(users, await measured_people(store, tz), pseudonymiser, excluded)
    return await DepartmentRepository(store).replace(found)
