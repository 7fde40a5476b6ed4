"""`plan add` end to end in the domain: parse, baseline from adoption's weeks, store."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from adoption.repository import AdoptionRepository
from bot.storage import MemoryStore
from plans.errors import UnknownTeamError
from plans.goals import TENANT
from plans.repository import PlanRepository
from plans.service import add_goal
from tests.plans.tenant import seed_tenant

NOW = datetime(2026, 11, 4, 10, tzinfo=UTC)  # Wednesday of 2026-W45


async def test_plan_add_measures_the_baseline_and_stores_the_goal() -> None:
    store = MemoryStore()
    await seed_tenant(store)
    adoption, plans = AdoptionRepository(store), PlanRepository(store)
    goal = await add_goal('engineering reply_rate 60% by 2027-03-31 "decide in channels"',
                          adoption, plans, tz=ZoneInfo("UTC"), now=NOW, by="admin1")  # fmt: skip
    # W41..W44 (October, Q4): Engineering answers 1 of 4 roots each week → baseline 25%
    assert (goal.id, goal.team_id, goal.baseline, goal.start) == (
        "g3",
        "t2",
        0.25,
        date(2026, 11, 4),
    )
    assert goal.use_case == "decide in channels" and goal.created_by == "admin1"
    tenant = await add_goal("tenant posts 200 by 2027-01-31", adoption, plans,
                            tz=ZoneInfo("UTC"), now=NOW, by="admin1")  # fmt: skip
    # every team: 6 + 4 + 3 + 2 = 15 roots a week
    assert (tenant.id, tenant.team_id, tenant.baseline) == ("g4", TENANT, 15)
    assert [g.id for g in await plans.goals()] == ["g4", "g2", "g1", "g3"]  # by due date


async def test_unknown_team_stores_nothing() -> None:
    store = MemoryStore()
    await seed_tenant(store)
    plans = PlanRepository(store)
    with pytest.raises(UnknownTeamError) as caught:
        await add_goal("Enginering reply_rate 60% by 2027-03-31", AdoptionRepository(store),
                       plans, tz=ZoneInfo("UTC"), now=NOW, by="a")  # fmt: skip
    assert caught.value.candidates == ("Engineering",)
    assert [g.id for g in await plans.goals()] == ["g2", "g1"]
