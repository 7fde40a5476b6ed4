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

from adoption.department_store import DepartmentRepository
from adoption.graph import DirectoryUser, GraphGateway
from adoption.ports import Documents
from adoption.pseudonym import Pseudonymiser
from adoption.repository import TEAMS, rollup_collection
from adoption.rollups import ROLLUPS

NO_DEPARTMENT = "(no department)"
#: Graph caps ``department`` at 64 characters; anything longer is cut, not trusted.
MAX_DEPARTMENT = 64


def department_name(value: str | None) -> str:
    """The stored name: trimmed, at most 64 characters, :data:`NO_DEPARTMENT` when blank."""
    name = (value or "").strip()[:MAX_DEPARTMENT]
    return name or NO_DEPARTMENT


async def measured_people(store: Documents) -> set[str]:
    """Stored ids of roster members and of every author in the weekly rollups."""
    people: set[str] = set()
    teams = await store.all(TEAMS)
    for team_id, team in teams.items():
        people.update(team.get("member_ids", []))
        rollup = (await store.read_all(rollup_collection(team_id))).get(team_id)
        if rollup is not None:
            people.update(str(p) for p in rollup.get("people", []))
    for legacy in (await store.read_all(ROLLUPS)).values():  # before rollup version 2
        for channels in legacy.get("weeks", {}).values():
            for tally in channels.values():
                people.update(tally.get("people", {}))
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
) -> int:
    """List the directory and replace ``adoption.departments``; returns the people stored.

    Raises :class:`~adoption.graph.GraphError` (``GraphAuthError`` without
    ``User.Read.All``); nothing is written then.
    """
    users = await gateway.list_user_departments()
    found = departments_of(users, await measured_people(store), pseudonymiser, excluded)
    return await DepartmentRepository(store).replace(found)
