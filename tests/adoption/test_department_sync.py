"""TRIMTAB_GROUP_BY=department: the sync stores each measured person's department.

Against the loopback Graph (``tests/fakes/graph_users.py``): paging past 999 users, a
profile without a department, excluded users (by id and by UPN), pseudonymised ids, a
missing ``User.Read.All``, and the fake's own fidelity to the documented ``/users``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import aiohttp

from adoption.collector import SyncResult
from adoption.config import GraphSettings
from adoption.department_store import DEPARTMENTS, DepartmentRepository
from adoption.department_sync import NO_DEPARTMENT, department_name
from adoption.graph import GraphGateway, GraphLimits
from adoption.id_space import pseudonymise_store
from adoption.pseudonym import Pseudonymiser
from adoption.sync import run_sync
from bot.cli_sync import summary
from bot.storage import MemoryStore
from tests.adoption.conftest import ALICE, BOB, CAROL, DAVE, NOW, SleepRecorder
from tests.fakes.graph_server import FakeTenant, GraphServer
from tests.fakes.graph_users import DEFAULT_PROPERTIES

EVE = "0f0e0d0c-0000-4000-8000-00000000000e"  # in the directory, on no team
KEY = "0123456789abcdef0123"
# "List users", Example 1 (user-list.md): the default property set of each user
DOCUMENTED_DEFAULT = {
    "businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone",
    "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id",
}  # fmt: skip


def directory(tenant: FakeTenant, filler: int = 0) -> None:
    """Departments for the crafted tenant, plus ``filler`` people who sort first."""
    tenant.departments.update(
        {ALICE: "Sales", BOB: "Engineering", CAROL: None, DAVE: "  ", EVE: "Finance"}
    )
    for i in range(filler):
        tenant.departments[f"00000000-0000-4000-8000-{i:012d}"] = "Filler"


async def synced(
    server: GraphServer, store: MemoryStore, **settings: Any
) -> tuple[SyncResult, dict[str, str]]:
    config = GraphSettings(
        base_url=server.base_url, token="test-token", group_by="department", **settings
    )
    result = await run_sync(
        config, store, NOW, data_dir=None, limits=GraphLimits.unpaced(), sleep=SleepRecorder()
    )
    return result, await DepartmentRepository(store).all()


async def test_departments_of_roster_people_are_stored_across_pages(
    server: GraphServer, tenant: FakeTenant
) -> None:
    directory(tenant, filler=1200)  # the crafted people sort after the first 999
    store = MemoryStore()
    result, stored = await synced(server, store)
    assert stored == {
        ALICE: "Sales",
        BOB: "Engineering",
        CAROL: NO_DEPARTMENT,  # null in the profile
        DAVE: NO_DEPARTMENT,  # blank
    }  # EVE and the filler people are on no roster and wrote nothing: not stored
    assert result.departments == 4 and result.departments_error is None
    assert server.count("/v1.0/users") == 2  # 1205 users: two pages of at most 999


async def test_a_later_sync_drops_people_who_left_and_follows_changes(
    server: GraphServer, tenant: FakeTenant
) -> None:
    directory(tenant)
    store = MemoryStore()
    await synced(server, store)
    tenant.departments[ALICE] = "Marketing"
    tenant.teams["02bd9fd6-8f93-4758-87c3-1fb73740a315"].members.remove(DAVE)
    tenant.teams["02bd9fd6-8f93-4758-87c3-1fb73740a315"].channels.clear()
    _, stored = await synced(server, store)
    assert stored[ALICE] == "Marketing"
    # DAVE left his only team, but the rollups still hold his post: he stays measured
    assert DAVE in stored


async def test_excluded_users_by_id_or_upn_are_never_stored(
    server: GraphServer, tenant: FakeTenant
) -> None:
    directory(tenant)
    store = MemoryStore()
    excluded = frozenset({CAROL.upper().casefold(), f"{BOB[:8]}@contoso.com"})
    _, stored = await synced(server, store, exclude_users=excluded)
    assert set(stored) == {ALICE, DAVE}
    text = json.dumps(await store.all(DEPARTMENTS))
    assert BOB not in text and CAROL not in text


async def test_pseudonymised_ids_leave_no_raw_id_in_the_departments(
    server: GraphServer, tenant: FakeTenant
) -> None:
    directory(tenant)
    store = MemoryStore()
    _, stored = await synced(server, store, pseudonymise=True, pseudonym_key=KEY)
    pseudo = Pseudonymiser(KEY.encode())
    assert stored == {
        pseudo.apply(ALICE): "Sales",
        pseudo.apply(BOB): "Engineering",
        pseudo.apply(CAROL): NO_DEPARTMENT,
        pseudo.apply(DAVE): NO_DEPARTMENT,
    }
    text = json.dumps(await store.all(DEPARTMENTS)).lower()
    for raw in (ALICE, BOB, CAROL, DAVE, EVE):
        assert raw not in text and raw[:8] not in text  # no id, no UPN


async def test_rewriting_a_store_to_pseudonyms_rewrites_department_keys(
    server: GraphServer, tenant: FakeTenant
) -> None:
    directory(tenant)
    store = MemoryStore()
    await synced(server, store)
    pseudo = Pseudonymiser(KEY.encode())
    await pseudonymise_store(store, pseudo)
    stored = await DepartmentRepository(store).all()
    assert stored == {pseudo.apply(u): d for u, d in
                      [(ALICE, "Sales"), (BOB, "Engineering"), (CAROL, NO_DEPARTMENT),
                       (DAVE, NO_DEPARTMENT)]}  # fmt: skip


async def test_without_user_read_all_the_teams_sync_and_the_reason_is_reported(
    server: GraphServer, tenant: FakeTenant
) -> None:
    directory(tenant)
    tenant.users_permission = False
    store = MemoryStore()
    result, stored = await synced(server, store)
    assert stored == {}
    assert result.ok and result.teams == 2
    assert "User.Read.All" in (result.departments_error or "")


async def test_grouping_off_never_asks_for_users(server: GraphServer, tenant: FakeTenant) -> None:
    directory(tenant)
    store = MemoryStore()
    settings = GraphSettings(base_url=server.base_url, token="test-token")
    result = await run_sync(
        settings, store, NOW, limits=GraphLimits.unpaced(), sleep=SleepRecorder()
    )
    assert result.departments is None and server.count("/v1.0/users") == 0
    assert await store.all(DEPARTMENTS) == {}


async def test_the_gateway_lists_every_user_with_department(
    make_gateway: Callable[..., GraphGateway], tenant: FakeTenant
) -> None:
    directory(tenant, filler=1000)
    users = await make_gateway().list_user_departments()
    assert len(users) == 1005 and len({u.id for u in users}) == 1005
    found = {u.id: (u.department, u.upn) for u in users}
    assert found[ALICE] == ("Sales", f"{ALICE[:8]}@contoso.com")
    assert found[CAROL][0] is None


def test_department_names_are_trimmed_and_capped() -> None:
    assert department_name("  Sales ") == "Sales"
    assert department_name(None) == department_name("") == NO_DEPARTMENT
    assert department_name("x" * 80) == "x" * 64


async def test_the_fake_users_endpoint_follows_the_documentation(
    server: GraphServer, tenant: FakeTenant
) -> None:
    directory(tenant)
    headers = {"Authorization": "Bearer test-token"}
    async with aiohttp.ClientSession(headers=headers) as http:
        plain = await (await http.get(f"{server.base_url}/users")).json()
        # department is "returned only on $select"; the default set is the documented one
        assert set(DEFAULT_PROPERTIES) == DOCUMENTED_DEFAULT
        assert all(set(u) == DOCUMENTED_DEFAULT for u in plain["value"])
        assert plain["@odata.context"].endswith("$metadata#users")
        picked = await (await http.get(f"{server.base_url}/users?$select=id,department")).json()
        assert picked["@odata.context"].endswith("$metadata#users(id,department)")
        assert {"id": CAROL, "department": None} in picked["value"]
        for query in ("$top=1000", "$top=0", "$skip=2", "$select=id,nickname"):
            answer = await http.get(f"{server.base_url}/users?{query}")
            assert answer.status == 400, query
            assert (await answer.json())["error"]["code"] == "Request_BadRequest"
        first = await (await http.get(f"{server.base_url}/users?$top=2&$select=id")).json()
        second = await (await http.get(first["@odata.nextLink"])).json()
        assert "$select=id" in first["@odata.nextLink"] and len(second["value"]) == 2
        assert {u["id"] for u in first["value"]}.isdisjoint(u["id"] for u in second["value"])


def test_the_sync_summary_says_what_happened_to_departments() -> None:
    assert "departments: stored for 4 people" in summary(SyncResult(departments=4))
    refused = summary(SyncResult(departments_error="refused (403); needs User.Read.All"))
    assert "departments not collected: refused (403); needs User.Read.All" in refused
    assert "departments" not in summary(SyncResult())
