"""Weekly rollups give the report exactly the numbers the threads give, and stay current."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import UTC as UTC_TZ
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from adoption.collector import sync_tenant
from adoption.facts import ChannelFact, MessageFact, TeamFact, ThreadFact
from adoption.graph import GraphGateway
from adoption.pseudonym import Pseudonymiser
from adoption.report import build_report
from adoption.repository import AdoptionRepository, rollup_collection
from adoption.rollup_doc import decode
from adoption.rollups import ROLLUPS
from bot.storage import MemoryStore
from tests.adoption.conftest import GENERAL, NOW, TEAM_A, ago
from tests.adoption.factories import BERLIN, CHAMPIONS, seed
from tests.adoption.factories import NOW as REPORT_NOW
from tests.adoption.rollup_support import canonical
from tests.fakes.graph_server import FakeMessage, FakeTenant

UTC = ZoneInfo("UTC")


async def both(
    repo: AdoptionRepository, start: date, end: date, tz: ZoneInfo, **kw: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The report from rollups, then from threads (rollups removed)."""
    args: dict[str, Any] = {"start": start, "end": end, "tz": tz, "now": REPORT_NOW, **kw}
    from_rollups = (await build_report(repo, **args)).to_json()
    for team in await repo.teams():
        await repo.store.delete(ROLLUPS, team.id)
        await repo.store.delete(rollup_collection(team.id), team.id)
    from_threads = (await build_report(repo, **args)).to_json()
    return from_rollups, from_threads


async def test_rollup_report_equals_thread_report_on_the_hand_computed_scenario() -> None:
    store = MemoryStore()
    repo = await seed(store)
    for team in await repo.teams():
        await repo.update_rollup(team.id, await repo.threads(team.id), BERLIN)
    assert await repo.rollups(BERLIN, await repo.teams()) is not None
    a, b = await both(
        repo, date(2026, 10, 19), date(2026, 11, 15), BERLIN, champions=CHAMPIONS, min_group_size=4
    )
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    one = next(t for t in a["teams"] if t["name"] == "Team One")
    assert sum(w["posts"] for w in one["weeks"]) == 6  # the scenario: not an empty match


async def test_rollups_in_another_zone_or_part_weeks_fall_back_to_threads() -> None:
    store = MemoryStore()
    repo = await seed(store)
    for team in await repo.teams():
        await repo.update_rollup(team.id, [], UTC)
    assert await repo.rollups(BERLIN, await repo.teams()) is None
    # the UTC rollups must not be used for a Berlin report, nor for a period of part weeks
    a, b = await both(repo, date(2026, 10, 26), date(2026, 11, 8), BERLIN, champions=CHAMPIONS)
    assert a == {**b, "generated": a["generated"]}
    for team in await repo.teams():
        await repo.update_rollup(team.id, [], UTC, rebuild=True)
    a, b = await both(repo, date(2026, 10, 28), date(2026, 11, 5), UTC)
    assert a == b


async def test_sync_keeps_rollups_current_and_closed_weeks_frozen(
    tenant: FakeTenant, make_gateway: Callable[..., GraphGateway]
) -> None:
    store = MemoryStore()
    repo = AdoptionRepository(store)

    async def sync() -> None:
        await sync_tenant(
            make_gateway(),
            repo,
            now=NOW,
            lookback_days=28,
            backfill_weeks=26,
            pseudonymiser=Pseudonymiser.disabled(),
        )

    await sync()
    before = await store.get(rollup_collection(TEAM_A), TEAM_A)
    assert before is not None and before["tz"] == "UTC" and before["v"] == 2
    # a new reply to the 35-day-old thread: its root's week and today's week change
    tenant.reply(TEAM_A, GENERAL, "1040", FakeMessage("1042", ago(0, -60), "someone-else"))
    await sync()
    after = await store.get(rollup_collection(TEAM_A), TEAM_A)
    assert after is not None
    changed = {
        w
        for w in set(before["weeks"]) | set(after["weeks"])
        if before["weeks"].get(w) != after["weeks"].get(w)
    }
    root_week, today = "2026-W42", "2026-W47"
    assert changed == {root_week, today}  # every other week's stored text is untouched
    rebuilt = AdoptionRepository(MemoryStore())
    for team in await repo.teams():
        await rebuilt.store.put_many(
            f"adoption.threads.{team.id}",
            {t.key: t.to_doc() for t in await repo.threads(team.id)},
        )
        await rebuilt.save_team(team)
        await rebuilt.update_rollup(team.id, [], UTC, rebuild=True)
    fresh = await rebuilt.store.get(rollup_collection(TEAM_A), TEAM_A)
    assert fresh is not None
    assert canonical(decode(after)) == canonical(decode(fresh))


def _random_tenant(rng: random.Random) -> list[tuple[TeamFact, list[ThreadFact]]]:
    """Teams sharing people, collected since different weeks, in eight Berlin weeks."""
    start = datetime(2026, 9, 27, 22, tzinfo=UTC_TZ)  # Monday 00:00 in Berlin
    people = [f"p{i}" for i in range(14)]  # few enough that teams share them
    out = []
    for n in range(5):
        members = tuple(rng.sample(people, 8))
        team = TeamFact(
            id=f"t{n}",
            name=f"Team {n}",
            member_ids=members,
            channels=(ChannelFact(f"t{n}-a", "General"), ChannelFact(f"t{n}-b", "Design")),
            collected_since=start + timedelta(weeks=n % 3),
        )
        threads = []
        for t in range(40):
            created = start + timedelta(minutes=rng.randrange(8 * 7 * 24 * 60))
            root = MessageFact(f"{n}-{t}", rng.choice(members), created, rng.randrange(2), 1)
            replies, when = [], created
            for r in range(rng.choice((0, 1, 3))):
                when += timedelta(minutes=rng.randrange(1, 3000))
                replies.append(MessageFact(f"{n}-{t}-{r}", rng.choice(people), when, 0, 0))
            threads.append(ThreadFact(team.id, f"t{n}-{'ab'[t % 2]}", root, tuple(replies)))
        out.append((team, threads))
    return out


@pytest.mark.parametrize("champions", [2, 6])  # the by-index and the scanning champion paths
async def test_rollup_report_equals_thread_report_for_teams_that_share_people(
    champions: int,
) -> None:
    rng = random.Random(champions)
    repo = AdoptionRepository(MemoryStore())
    tenant = _random_tenant(rng)
    await repo.save_teams(team for team, _ in tenant)
    for team, threads in tenant:
        await repo.save_threads(team.id, threads)
        await repo.update_rollup(team.id, threads, BERLIN, complete=True)
    chosen = frozenset(f"p{i}" for i in range(champions))
    a, b = await both(repo, date(2026, 9, 28), date(2026, 11, 22), BERLIN, champions=chosen)
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    tenant_weeks = a["tenant"]["weeks"]
    assert [w["posts"] is None for w in tenant_weeks] == [True, True] + [False] * 6
    assert a["tenant"]["champion_share"] > 0
    # people in several teams count once: fewer active in the tenant than summed over teams
    assert a["tenant"]["active_posters"] < sum(t["totals"]["active_posters"] for t in a["teams"])
