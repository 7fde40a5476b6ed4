"""History that tells the truth (issue 12): backfill, collected span, orphaned replies.

The tenant here replaces the crafted one: team "History" (six members) whose General
channel has eight weeks of activity before NOW, a quiet week, a deleted root with three
replies written two weeks after it, and a system-event root with one reply.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from adoption.collector import sync_tenant
from adoption.config import GraphSettings
from adoption.graph import GraphLimits
from adoption.pseudonym import Pseudonymiser
from adoption.report import build_report
from adoption.report_formats import to_csv
from adoption.report_html import to_html
from adoption.repository import AdoptionRepository
from adoption.sync import run_sync
from adoption.weeks import IsoWeek, parse_period
from bot.storage import MemoryStore, TinyDBStore
from tests.adoption.conftest import NOW, SleepRecorder, ago
from tests.fakes.graph_server import FakeMessage, FakeTenant, GraphServer

Z = ZoneInfo("UTC")
TEAM = "7d1c3b52-6a43-4c55-9d1e-0b6f5e3a9f10"
OTHER = "0e6e2f0a-58a4-4a21-8bd7-6d3c8f1b2e77"
CHANNEL = "19:history0general0000000000000000@thread.tacv2"
OTHER_CHANNEL = "19:history0other000000000000000000@thread.tacv2"
MEMBERS = [f"aaaaaaaa-0000-4000-8000-00000000000{i}" for i in range(1, 7)]
# days before NOW of each post -> how many replies (by the next members), one hour later
POSTS = {2: 1, 9: 2, 16: 0, 23: 3, 37: 1, 44: 2, 51: 1, 53: 0}  # no post 30..36 days ago
DELETED_ROOT_DAYS, ORPHAN_REPLY_DAYS = 58, 32
SYSTEM_ROOT_DAYS, SYSTEM_REPLY_DAYS = 20, 19


def history_tenant() -> FakeTenant:
    t = FakeTenant()
    t.add_team(TEAM, "History", MEMBERS)
    t.add_channel(TEAM, CHANNEL, "General")
    t.add_team(OTHER, "Other", MEMBERS)
    t.add_channel(OTHER, OTHER_CHANNEL, "General")
    t.post(OTHER, OTHER_CHANNEL, FakeMessage("9001", ago(3), MEMBERS[0]))
    for n, (days, replies) in enumerate(POSTS.items()):
        root = f"{1000 + n}"
        t.post(TEAM, CHANNEL, FakeMessage(root, ago(days), MEMBERS[n % 6]))
        for r in range(replies):
            who = MEMBERS[(n + r + 1) % 6]
            t.reply(TEAM, CHANNEL, root, FakeMessage(f"{root}-{r}", ago(days, 60 + r), who))
    t.post(TEAM, CHANNEL, FakeMessage("5000", ago(DELETED_ROOT_DAYS), MEMBERS[0]))
    for r in range(3):
        reply = FakeMessage(f"5000-{r}", ago(ORPHAN_REPLY_DAYS, 10 * r), MEMBERS[r + 1])
        t.reply(TEAM, CHANNEL, "5000", reply)
    t.root(TEAM, CHANNEL, "5000").deleted = ago(ORPHAN_REPLY_DAYS - 1)
    system = FakeMessage(
        "6000",
        ago(SYSTEM_ROOT_DAYS),
        None,
        sender_kind="none",
        message_type="systemEventMessage",
        body="<systemEventMessage/>",
    )
    t.post(TEAM, CHANNEL, system)
    t.reply(TEAM, CHANNEL, "6000", FakeMessage("6000-0", ago(SYSTEM_REPLY_DAYS), MEMBERS[4]))
    return t


@pytest.fixture
def tenant() -> FakeTenant:  # the `server` fixture of conftest serves this tenant
    return history_tenant()


def week_of(days: float) -> str:
    return IsoWeek.of_datetime(ago(days), Z).label


def expected_weeks() -> dict[str, tuple[int, int]]:
    """(posts, replies) per ISO week, hand-derived from POSTS and the orphaned replies."""
    weeks: dict[str, tuple[int, int]] = {}

    def add(days: float, posts: int, replies: int) -> None:
        p, r = weeks.get(week_of(days), (0, 0))
        weeks[week_of(days)] = (p + posts, r + replies)

    for days, replies in POSTS.items():
        add(days, 1, replies)
    add(ORPHAN_REPLY_DAYS, 0, 3)  # the deleted root is not a post; its replies count
    add(SYSTEM_REPLY_DAYS, 0, 1)
    return weeks


async def default_sync(server: GraphServer, store: object, **settings: object) -> None:
    config = GraphSettings(base_url=server.base_url, token="test-token", **settings)  # type: ignore[arg-type]
    await run_sync(config, store, NOW, limits=GraphLimits.unpaced(), sleep=SleepRecorder())  # type: ignore[arg-type]


async def test_first_sync_with_default_settings_collects_all_eight_weeks(
    server: GraphServer,
) -> None:
    store = MemoryStore()
    await default_sync(server, store)
    period = parse_period("10w", today=NOW.date())
    report = await build_report(
        AdoptionRepository(store), start=period.start, end=period.end, tz=Z, now=NOW
    )
    team = next(t for t in report.to_json()["teams"] if t["id"] == TEAM)
    assert team["coverage"] == {"since": (NOW - timedelta(weeks=26)).date().isoformat()}
    got = {w["week"]: (w["posts"], w["replies"]) for w in team["weeks"]}
    expected = expected_weeks()
    # the current week (2 days ago) is outside the 10 full weeks
    for week, counts in expected.items():
        if week in got:
            assert got[week] == counts, week
    assert [w for w, c in got.items() if c != (0, 0)] == sorted(w for w in expected if w in got)
    assert all(got[w][0] + got[w][1] > 0 for w in expected if w in got)


async def test_a_deleted_root_with_three_replies_is_no_post_and_three_replies(
    server: GraphServer,
) -> None:
    store = MemoryStore()
    await default_sync(server, store)
    repo = AdoptionRepository(store)
    orphan = next(t for t in await repo.threads(TEAM) if t.root.id == "5000")
    assert not orphan.root_is_post and orphan.root.author == ""
    start = IsoWeek.of_datetime(ago(ORPHAN_REPLY_DAYS), Z).monday
    report = await build_report(repo, start=start, end=start + timedelta(days=6), tz=Z, now=NOW)
    week = next(t for t in report.teams if t.id == TEAM).weeks[0]
    assert (week.posts, week.replies) == (0, 3)
    root_week = IsoWeek.of_datetime(ago(DELETED_ROOT_DAYS), Z).monday
    report = await build_report(
        repo, start=root_week, end=root_week + timedelta(days=6), tz=Z, now=NOW
    )
    assert next(t for t in report.teams if t.id == TEAM).weeks[0].posts == 0


async def test_weeks_before_the_collected_span_are_no_data_never_zero(
    server: GraphServer,
) -> None:
    store = MemoryStore()
    await default_sync(server, store, backfill_weeks=4, lookback_days=7)
    since = NOW - timedelta(weeks=4)
    period = parse_period("8w", today=NOW.date())
    report = await build_report(
        AdoptionRepository(store), start=period.start, end=period.end, tz=Z, now=NOW
    )
    doc = next(t for t in report.to_json()["teams"] if t["id"] == TEAM)
    assert doc["coverage"] == {"since": since.date().isoformat()}
    first_full = IsoWeek.of_datetime(since, Z).next()
    for week in doc["weeks"]:
        collected = week["week"] >= first_full.label
        assert (week["posts"] is not None) == collected, week
        assert (week["replies"] is not None) == collected, week
    assert report.to_json()["tenant"]["coverage"] == {"since": since.date().isoformat()}
    rows = [r for r in csv.DictReader(io.StringIO(to_csv(report))) if r["team_id"] == TEAM]
    assert {r["collected_since"] for r in rows} == {since.date().isoformat()}
    assert [r["posts"] == "" for r in rows] == [r["week"] < first_full.label for r in rows]
    html = to_html(report)
    assert f"collected since {since.date().isoformat()}" in html
    missing = sum(1 for w in doc["weeks"] if w["posts"] is None)
    assert missing and html.count("no data (before collection started)") >= missing


async def test_a_killed_first_sync_resumes_with_the_teams_not_yet_done(
    server: GraphServer, make_gateway: object
) -> None:
    store = MemoryStore()
    repo = AdoptionRepository(store)

    class Killed(Exception):
        pass

    def kill(done: int, total: int, name: str) -> None:
        raise Killed(name)

    async def sync(progress: object) -> object:
        return await sync_tenant(
            make_gateway(),  # type: ignore[operator]
            repo,
            now=NOW,
            lookback_days=28,
            backfill_weeks=26,
            pseudonymiser=Pseudonymiser.disabled(),
            progress=progress,  # type: ignore[arg-type]
            concurrency=1,
        )

    with pytest.raises(Killed):
        await sync(kill)
    done = [t.id for t in await repo.teams()]
    assert len(done) == 1
    first = await repo.team(done[0])
    assert first is not None
    before = server.count("/messages/delta")
    result = await sync(None)
    assert {t.id for t in await repo.teams()} == {TEAM, OTHER}
    # the team done before the kill costs one delta request (its cursor), the other a round
    assert server.count("/messages/delta") - before == 2
    assert (await repo.team(done[0])).collected_since == first.collected_since  # type: ignore[union-attr]
    assert result.teams == 2  # type: ignore[attr-defined]


async def test_excluded_users_are_neither_stored_nor_counted(
    server: GraphServer, tmp_path: Path
) -> None:
    store = await TinyDBStore.open(tmp_path / "data")
    try:
        await default_sync(server, store, exclude_users=frozenset({MEMBERS[0]}))
        threads = await AdoptionRepository(store).threads(TEAM)
        team = await AdoptionRepository(store).team(TEAM)
    finally:
        await store.close()
    text = "\n".join(p.read_text() for p in (tmp_path / "data").rglob("*.json"))
    assert MEMBERS[0] not in text and MEMBERS[1] in text
    assert team is not None and MEMBERS[0] not in team.member_ids
    # MEMBER 0 wrote roots 1000 (2 days ago) and 1006 and the deleted root 5000
    kept = {t.root.id: t.root_is_post for t in threads}
    assert kept["1000"] is False and kept["1006"] is False
    assert all(r.author != MEMBERS[0] for t in threads for r in t.replies)
