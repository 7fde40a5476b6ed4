"""Stored rollups (version 2): same numbers as threads on messy tenants, incremental
updates equal a rebuild, old-format documents still work, bad documents fall back."""

from __future__ import annotations

import json
import logging
from datetime import date
from typing import Any

import pytest

from adoption.report import build_report
from adoption.report_formats import render_chunks
from adoption.repository import AdoptionRepository, rollup_collection
from adoption.rollup_doc import decode, pack, unpack
from adoption.rollups import ROLLUPS, ints, week_tallies
from bot.storage import MemoryStore
from tests.adoption.factories import BERLIN, NOW, seed
from tests.adoption.rollup_support import canonical, random_team, seed_random

PERIODS = [
    (date(2026, 9, 28), date(2026, 12, 13)),  # every week of the data
    (date(2026, 10, 19), date(2026, 11, 1)),  # the weeks around the clock change
    (date(2026, 9, 14), date(2026, 10, 11)),  # starts before any data
]


async def report(repo: AdoptionRepository, start: date, end: date, **kw: Any) -> str:
    built = await build_report(repo, start=start, end=end, tz=BERLIN, now=NOW, **kw)
    doc = built.to_json()
    # the streamed text (rows from a template) is exactly what json.dumps writes
    whole = json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n"
    assert "".join(render_chunks(built, "json")) == whole
    return json.dumps(doc, sort_keys=True)


async def drop_rollups(repo: AdoptionRepository) -> None:
    for team in await repo.teams():
        await repo.store.delete(rollup_collection(team.id), team.id)
        await repo.store.delete(ROLLUPS, team.id)


@pytest.mark.parametrize("seed_value", [1, 2, 3, 4])
async def test_random_tenants_give_the_same_report_from_rollups_and_threads(
    seed_value: int,
) -> None:
    repo = AdoptionRepository(MemoryStore())
    await seed_random(repo, seed_value)
    teams = await repo.teams()
    for team in teams:
        await repo.update_rollup(team.id, await repo.threads(team.id), BERLIN, complete=True)
    assert await repo.rollups(BERLIN, teams) is not None
    champions = frozenset({"shared-person", "u1-0", "u2-1", "gone-3"})
    everyone = frozenset(f"u{n}-{i}" for n in range(6) for i in range(9)) | {"shared-person"}
    options: list[dict[str, Any]] = [
        {},
        {"champions": champions, "min_group_size": 3},
        {"champions": everyone},  # more champions in a team than the quick path takes
    ]
    from_rollups = [await report(repo, *p, **o) for p in PERIODS for o in options]
    await drop_rollups(repo)
    assert await repo.rollups(BERLIN, teams) is None
    from_threads = [await report(repo, *p, **o) for p in PERIODS for o in options]
    assert from_rollups == from_threads
    assert '"posts": 0' in from_rollups[0] and '"posts": 1' in from_rollups[0]


async def test_incremental_updates_equal_a_rebuild_and_keep_untouched_weeks() -> None:
    repo = AdoptionRepository(MemoryStore())
    team, facts = random_team(__import__("random").Random(7), 1)
    await repo.save_team(team)
    old, new = facts[: len(facts) // 2], facts[len(facts) // 2 :]
    await repo.save_threads(team.id, old)
    await repo.update_rollup(team.id, old, BERLIN, complete=True)
    before = await repo.store.get(rollup_collection(team.id), team.id)
    assert before is not None
    # new threads, and an old thread that got a reply from someone never seen before
    grown = old[0].__class__(
        old[0].team_id,
        old[0].channel_id,
        old[0].root,
        (*old[0].replies, new[0].root.__class__("late", "newcomer", new[0].root.created)),
        old[0].root_is_post,
    )
    changed = [*new, grown]
    await repo.save_threads(team.id, changed)
    await repo.update_rollup(team.id, changed, BERLIN)
    after = await repo.store.get(rollup_collection(team.id), team.id)
    assert after is not None
    touched = {label for label in week_tallies(changed, BERLIN)}
    kept = set(before["weeks"]) - touched
    assert kept and all(after["weeks"][w] == before["weeks"][w] for w in kept)
    assert after["people"][: len(before["people"])] == before["people"]  # indexes only grow
    await repo.update_rollup(team.id, [], BERLIN, rebuild=True)
    rebuilt = await repo.store.get(rollup_collection(team.id), team.id)
    assert rebuilt is not None
    assert canonical(decode(after)) == canonical(decode(rebuilt))


async def test_old_format_rollups_are_read_and_replaced_on_the_next_sync() -> None:
    repo = await seed(MemoryStore())
    teams = await repo.teams()
    for team in teams:  # what main stored before version 2
        weeks = week_tallies(await repo.threads(team.id), BERLIN)
        await repo.store.put(ROLLUPS, team.id, {"tz": BERLIN.key, "weeks": weeks})
    rollups = await repo.rollups(BERLIN, teams)
    assert rollups is not None and set(rollups) == {t.id for t in teams}
    period = (date(2026, 10, 19), date(2026, 11, 15))
    from_old = await report(repo, *period, champions=frozenset({"c"}))
    for team in teams:  # the next sync, even one that changed nothing
        await repo.update_rollup(team.id, [], BERLIN)
        assert await repo.store.get(ROLLUPS, team.id) is None
        assert await repo.store.get(rollup_collection(team.id), team.id) is not None
    assert await report(repo, *period, champions=frozenset({"c"})) == from_old
    await drop_rollups(repo)
    assert await report(repo, *period, champions=frozenset({"c"})) == from_old


async def test_old_format_rollups_in_another_zone_are_not_used() -> None:
    repo = await seed(MemoryStore())
    for team in await repo.teams():
        await repo.store.put(ROLLUPS, team.id, {"tz": "UTC", "weeks": {}})
    assert await repo.rollups(BERLIN, await repo.teams()) is None


def _garble(doc: dict[str, Any], how: str) -> dict[str, Any]:
    label = next(iter(doc["weeks"]))
    week = dict(doc["weeks"][label])
    if how == "base64":
        week["p"] = "B:@@not base64@@"
    elif how == "typecode":
        week["c"] = "x:AAAA"
    elif how == "stride":
        week["p"] = pack(ints([0, 1, 2]))
    elif how == "index":
        week["cp"] = pack(ints([99, 1] * (len(unpack(week["cp"])) // 2)))
    elif how == "missing":
        del week["m"]
    else:
        return {**doc, "people": None}
    return {**doc, "weeks": {**doc["weeks"], label: week}}


@pytest.mark.parametrize("how", ["base64", "typecode", "stride", "index", "missing", "people"])
async def test_an_unreadable_rollup_makes_the_report_read_threads(
    how: str, caplog: pytest.LogCaptureFixture
) -> None:
    repo = await seed(MemoryStore())
    for team in await repo.teams():
        await repo.update_rollup(team.id, [], BERLIN, rebuild=True)
    period = (date(2026, 10, 19), date(2026, 11, 15))
    good = await report(repo, *period)
    doc = await repo.store.get(rollup_collection("t1"), "t1")
    assert doc is not None
    await repo.store.put(rollup_collection("t1"), "t1", _garble(doc, how))
    with caplog.at_level(logging.WARNING):
        assert await repo.rollups(BERLIN, await repo.teams()) is None
    assert "rollup of team t1 unreadable, reading threads" in caplog.text
    assert await report(repo, *period) == good


def test_arrays_take_the_narrowest_type_and_round_trip() -> None:
    for values, code in (([1, 255], "B"), ([256], "H"), ([70_000], "I"), ([1 << 40], "Q")):
        packed = ints(values)
        assert packed.typecode == code
        assert list(unpack(pack(packed))) == values


def test_rows_built_through_the_slot_setters_are_plain_frozen_week_metrics() -> None:
    import dataclasses

    from adoption.metrics import WeekMetrics
    from adoption.rollup_rows import week_metrics

    values = ("2026-W45", 3, 5, 0.5, 1, 12.5, 4, 0.2, 1, 2, None)
    fast, plain = week_metrics(*values), WeekMetrics(*values)
    assert type(fast) is WeekMetrics and fast == plain and hash(fast) == hash(plain)
    assert fast.collected and fast.to_dict() == plain.to_dict()
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.posts = 4  # type: ignore[misc]


async def test_pseudonymising_replaces_old_format_rollups_so_no_raw_id_is_left() -> None:
    from adoption.id_space import pseudonymise_store
    from adoption.pseudonym import Pseudonymiser

    store = MemoryStore()
    repo = await seed(store, usage=False)
    for team in await repo.teams():
        weeks = week_tallies(await repo.threads(team.id), BERLIN)
        await store.put(ROLLUPS, team.id, {"tz": BERLIN.key, "weeks": weeks})
    await pseudonymise_store(store, Pseudonymiser(b"k" * 32))
    assert await store.all(ROLLUPS) == {}
    doc = await store.get(rollup_collection("t1"), "t1")
    assert doc is not None and doc["tz"] == BERLIN.key
    assert doc["people"] and all(p.startswith("p_") for p in doc["people"])


async def test_the_port_may_be_asked_for_some_weeks_only() -> None:
    repo = await seed(MemoryStore())
    teams = await repo.teams()
    for team in teams:
        await repo.update_rollup(team.id, [], BERLIN, rebuild=True)
    every = await repo.rollups(BERLIN, teams)
    some = await repo.rollups(BERLIN, teams, weeks={"2026-W45", "2030-W01"})
    assert every is not None and some is not None
    assert set(every["t1"].weeks) == {"2026-W44", "2026-W45"}
    assert set(some["t1"].weeks) == {"2026-W45"} and some["t2"].weeks == {}
    assert some["t1"].weeks["2026-W45"] == every["t1"].weeks["2026-W45"]


async def test_coverage_and_no_data_weeks_from_rollups() -> None:
    repo = AdoptionRepository(MemoryStore())
    await seed_random(repo, 1)
    for team in await repo.teams():
        await repo.update_rollup(team.id, await repo.threads(team.id), BERLIN, complete=True)
    doc = json.loads(await report(repo, *PERIODS[0]))
    late = next(t for t in doc["teams"] if t["id"] == "team-0")  # collected from the 4th week
    assert late["coverage"] == {"since": "2026-10-18"}
    assert [w["posts"] for w in late["weeks"][:3]] == [None, None, None]
    assert all(w["posts"] is not None for w in late["weeks"][3:])
    assert all(t["coverage"] == {"since": None} for t in doc["teams"] if t["id"] == "team-1")


def test_rows_keep_one_float_object_per_ratio_value() -> None:
    """Memory: a 2,000-team report holds 1.7 M ratios of about 2,500 values."""
    from adoption.rollup_rows import row

    first = row("2026-W45", (4, 3, 2, 0, 0), [10.0, 30.0], 2, 1, 3)
    second = row("2026-W46", (8, 6, 4, 0, 0), [5.0, 35.0], 2, 2, 3)
    assert first.reply_rate == 0.75 and first.reply_rate is second.reply_rate
    assert first.median_first_reply_minutes is second.median_first_reply_minutes
    assert first.active_share is second.active_share
    assert first.champion_share == second.champion_share == 1 / 6
    assert first.champion_share is not None and first.champion_share is second.champion_share
