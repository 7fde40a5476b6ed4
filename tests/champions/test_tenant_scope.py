"""The tenant rule on its own: a scope sees its own records; untagged ones are the home's."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.storage import MemoryStore
from champions import REGISTRY, Champion, ChampionService, TenantScope

HOME = TenantScope("Tenant-A", is_home=True)
OTHER = TenantScope("tenant-b")
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
TEAM = [{"id": "19:t@thread.tacv2", "name": "Ops", "aad_group_id": "g-t"}]


def test_a_scope_holds_its_own_records_and_the_home_scope_the_untagged_ones() -> None:
    assert HOME.tenant_id == "tenant-a"
    assert HOME.holds("TENANT-A") and HOME.holds("") and HOME.holds(None)
    assert not HOME.holds("tenant-b")
    assert OTHER.holds("tenant-b") and not OTHER.holds("") and not OTHER.holds("tenant-a")


async def test_registry_nudges_and_the_daily_limit_are_read_per_tenant() -> None:
    store = MemoryStore()
    service = ChampionService(store, zone=ZoneInfo("UTC"))
    await service.registry.add(Champion("a1", "Ann", tenant_id="tenant-a"))
    await service.registry.add(Champion("b1", "Bo", tenant_id="tenant-b"))
    await store.put(REGISTRY, "old", {"name": "Olga"})  # stored before tenancy
    assert [c.name for c in await service.registry.all(HOME)] == ["Ann", "Olga"]
    assert [c.name for c in await service.registry.all(OTHER)] == ["Bo"]
    assert not await service.registry.is_champion("a1", OTHER)
    assert not await service.registry.remove("a1", OTHER)
    assert await service.registry.is_champion("a1", HOME)

    plan = await service.plan_nudge("b1", TEAM, "Ops hello", NOW, OTHER)
    assert plan.tenant_id == "tenant-b"
    await service.record(
        plan,
        champion_name="Bo",
        message="hello",
        now=NOW,
        status="delivered",
        outcome="delivered",
        detail="",
        activity_id="x",
    )
    assert [n.champion for n in await service.nudges.delivered(OTHER)] == ["b1"]
    assert await service.nudges.delivered(HOME) == []
    champions, standings = await service.leaderboard(now=NOW, scope=HOME)
    assert [s.nudges for s in standings] == [0, 0] and len(champions) == 2
