"""build_report: the documented JSON shape and hand-computed numbers end to end."""

from __future__ import annotations

import json
from datetime import date
from zoneinfo import ZoneInfo

import pytest

from adoption.report import UnknownTeamError, build_report
from adoption.report_tenant import TenantUsage, best_usage
from adoption.repository import AdoptionRepository
from bot.storage import MemoryStore, TinyDBStore
from tests.adoption.factories import (
    BERLIN,
    CHAMPIONS,
    END,
    NOW,
    START,
    msg,
    sample_report,
    seed,
    team,
    thread,
)

WEEK_KEYS = {
    "week",
    "posts",
    "replies",
    "reply_rate",
    "unanswered",
    "median_first_reply_minutes",
    "active_posters",
    "active_share",
    "mentions",
    "reactions",
    "champion_share",
}


async def test_documented_shape_and_numbers() -> None:
    doc = (await sample_report(MemoryStore())).to_json()
    json.dumps(doc)  # JSON-ready
    assert doc["period"] == {"start": "2026-10-26", "end": "2026-11-08"}
    assert {"tenant", "teams"} <= set(doc)
    teams = {t["name"]: t for t in doc["teams"]}
    for t in doc["teams"]:
        assert {"id", "name", "health", "weeks"} <= set(t)
        assert {"score", "band"} <= set(t["health"])
        assert all(set(w) == WEEK_KEYS for w in t["weeks"])
    one = teams["Team One"]
    assert one["id"] == "t1"
    # Values from tests/adoption/test_metrics.py, rounded to 3 decimals / 1 for minutes.
    assert one["weeks"] == [
        {"week": "2026-W44", "posts": 4, "replies": 4, "reply_rate": 0.75, "unanswered": 1,
         "median_first_reply_minutes": 40.0, "active_posters": 3, "active_share": 0.6,
         "mentions": 3, "reactions": 3, "champion_share": 0.25},
        {"week": "2026-W45", "posts": 2, "replies": 5, "reply_rate": 0.5, "unanswered": 1,
         "median_first_reply_minutes": 20.0, "active_posters": 5, "active_share": 1.0,
         "mentions": 0, "reactions": 3, "champion_share": 0.143},
    ]  # fmt: skip
    # Health worked out in test_health.py: 93, green, weakest is the trend.
    assert one["health"]["score"] == 93 and one["health"]["band"] == "green"
    assert one["weakest_metric"] == "trend" and one["suggested_action"] == "restart_conversations"
    assert one["trend"]["activity_change"] == -0.125
    assert one["personas"] == {
        "engager": 1, "catalyst": 1, "responder": 2, "broadcaster": 1, "observer": 0
    }  # fmt: skip
    assert [c["id"] for c in one["channels"]] == ["design", "general"]
    # Design Ops: 2 members, no threads: only active share (0) has data -> 0, red.
    ops = teams["Design Ops"]
    assert ops["health"]["score"] == 0 and ops["health"]["band"] == "red"
    assert ops["weeks"][0]["reply_rate"] is None and ops["weeks"][0]["active_share"] == 0.0
    assert ops["personas"]["observer"] == 2


async def test_tenant_totals_and_chat_balance() -> None:
    tenant = (await sample_report(MemoryStore())).to_json()["tenant"]
    # 7 members (a-e, x, y); 6 roots, 9 replies; answered 4/6; median of 30 1440 40 20 = 35;
    # posters a-e = 5/7; champion c wrote 3 of 15.
    assert (tenant["teams"], tenant["members"], tenant["posts"], tenant["replies"]) == (2, 7, 6, 9)
    assert (tenant["reply_rate"], tenant["median_first_reply_minutes"]) == (0.667, 35.0)
    assert (tenant["active_posters"], tenant["active_share"]) == (5, 0.714)
    assert tenant["champion_share"] == 0.2
    assert tenant["health_bands"] == {"green": 1, "amber": 0, "red": 1, "none": 0}
    # D30 preferred over D7; 120 / (120 + 280) = 0.3; per-user rows are not copied.
    assert tenant["chat_vs_channel"] == {
        "period": "D30", "refreshed": "2026-11-20", "users": 9, "channel_messages": 120,
        "chat_messages": 280, "posts": 50, "replies": 70, "channel_share": 0.3,
    }  # fmt: skip


async def read_tenant_usage(store: MemoryStore) -> TenantUsage | None:
    """What the report reads: the best stored usage period through the facts port."""
    return best_usage(await AdoptionRepository(store).tenant_usage())


async def test_tenant_usage_reader_is_tolerant() -> None:
    store = MemoryStore()
    assert await read_tenant_usage(store) is None  # no collection
    await store.put("adoption.tenant", "odd", {"nothing": 1})
    assert await read_tenant_usage(store) is None  # no message counts
    await store.put("adoption.tenant", "D7", {"team_chat": "12", "private_chat": -3, "posts": True})
    usage = await read_tenant_usage(store)
    assert usage is not None and usage.period == "D7"
    # "12" is read, a negative and a boolean are not counts
    assert (usage.channel_messages, usage.chat_messages, usage.posts) == (12, 0, 0)
    assert usage.channel_share == 1.0


async def test_one_team_by_name_ignoring_case() -> None:
    report = await sample_report(MemoryStore(), team="team ONE")
    assert [t.id for t in report.teams] == ["t1"]
    assert report.tenant.teams == 1 and report.tenant.members == 5
    by_id = await sample_report(MemoryStore(), team="t2")
    assert [t.name for t in by_id.teams] == ["Design Ops"]


async def test_unknown_team_lists_close_matches() -> None:
    with pytest.raises(UnknownTeamError, match=r"no team named 'Team Onw'; did you mean: Team One"):
        await sample_report(MemoryStore(), team="Team Onw")
    with pytest.raises(UnknownTeamError, match="known teams include: Design Ops, Team One"):
        await sample_report(MemoryStore(), team="Finance")
    with pytest.raises(UnknownTeamError, match="run `trimtab sync`"):
        await build_report(
            AdoptionRepository(MemoryStore()), start=START, end=END, tz=BERLIN, now=NOW, team="x"
        )


async def test_end_before_start_is_refused() -> None:
    repo = await seed(MemoryStore())
    with pytest.raises(ValueError, match="before it starts"):
        await build_report(repo, start=END, end=START, tz=BERLIN, now=NOW)


async def test_week_rows_follow_the_zone_across_the_october_change() -> None:
    # 23:30 on Sunday 25 Oct in Berlin (after clocks went back) is 22:30 UTC: W43.
    # 23:30 UTC that Sunday is 00:30 Monday in Berlin: W44 there, W43 in UTC.
    store = MemoryStore()
    repo = AdoptionRepository(store)
    await repo.save_team(team("t1", "Team One", ("a", "b")))
    await repo.save_threads(
        "t1",
        [
            thread(
                msg("a", "2026-10-25 23:30", tz="Europe/Berlin"),
                msg("b", "2026-10-26 08:00", tz="Europe/Berlin"),
            ),
            thread(msg("b", "2026-10-25 23:30")),
        ],
    )
    args = {"start": date(2026, 10, 19), "end": date(2026, 11, 1), "now": NOW}
    berlin = await build_report(repo, tz=BERLIN, **args)  # type: ignore[arg-type]
    assert [(w.week, w.posts, w.replies) for w in berlin.teams[0].weeks] == [
        ("2026-W43", 1, 0),
        ("2026-W44", 1, 1),
    ]
    utc = await build_report(repo, tz=ZoneInfo("UTC"), **args)  # type: ignore[arg-type]
    assert [(w.week, w.posts, w.replies) for w in utc.teams[0].weeks] == [
        ("2026-W43", 2, 0),
        ("2026-W44", 0, 1),
    ]


async def test_reads_a_read_only_tinydb_store(tmp_path: object) -> None:
    writer = await TinyDBStore.open(tmp_path)  # type: ignore[arg-type]
    await seed(writer)
    await writer.close()
    reader = await TinyDBStore.open(tmp_path, read_only=True)  # type: ignore[arg-type]
    report = await build_report(
        AdoptionRepository(reader), start=START, end=END, tz=BERLIN, now=NOW, champions=CHAMPIONS
    )
    assert [t.health.score for t in report.teams] == [0, 93]
    assert report.tenant.usage is not None and report.tenant.usage.channel_messages == 120
