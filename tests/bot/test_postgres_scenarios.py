"""Two Trimtab instances on one real PostgreSQL database, at the same moment (issue 11).

Each scenario starts two ``create_app``s on one database, talks to them through
``/api/messages`` with Teams-shaped activities and reads what they sent from the one
recording connector. Requests go out together (``asyncio.gather``), alternating instances,
so their reads and conditional writes interleave on the database.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from aiohttp.test_utils import TestClient
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, JobExecutionEvent

from bot.app import LEADERSHIP, SERVICES, create_app
from bot.circles_delivery import (
    STARTUP_JOB_ID,
    WAKE_JOB_ID,
    run_circle_due,
    schedule_wake_up,
)
from bot.clock import FakeClock
from bot.coaching_delivery import WEEKLY_JOB_ID, send_weekly_tips
from bot.leader import LeaderElection
from bot.services import Services
from bot.settings import Settings
from champions import NUDGES
from coaching import ProgressRepository
from tests.bot.champions_support import install_team, make_champion
from tests.conftest import START, Trimtab
from tests.fakes.activities import (
    ADELE,
    ALEX,
    GRADY,
    LEE,
    MEGAN,
    MY_TEAM,
    NESTOR,
    PATTI,
    ActivityFactory,
    Person,
)
from tests.fakes.connector import FakeConnector, Sent
from tests.fakes.ticker import Ticker
from wol_circles import CircleState

ClientFactory = Callable[..., Awaitable[TestClient]]
FULL = "**Explorers** is full: a circle holds at most 5 members."


@pytest.fixture
def start_two(
    aiohttp_client: ClientFactory, connector: FakeConnector, pg_url: str, tmp_path: Path
) -> Callable[[], Awaitable[tuple[Trimtab, Trimtab, Ticker]]]:
    """Two instances on ``pg_url`` sharing one fake clock and one leadership ticker."""

    async def start() -> tuple[Trimtab, Trimtab, Ticker]:
        clock, ticker = FakeClock(START), Ticker()
        instances = []
        for name in ("a", "b"):
            settings = Settings.from_env(
                {
                    "TRIMTAB_DATABASE_URL": pg_url,
                    "TRIMTAB_DATA_DIR": str(tmp_path / name),
                    "TRIMTAB_ADMINS": ADELE.aad_id,
                    "TRIMTAB_TIMEZONE": "Europe/Berlin",
                },
                dotenv=None,
            )
            app = create_app(settings, time_source=clock.time_source(), leader_sleep=ticker.sleep)
            client = await aiohttp_client(app)
            store = client.server.app[SERVICES].store
            teams = ActivityFactory(connector.url)
            instances.append(Trimtab(client, connector, clock, store, teams, settings))
        await ticker.settle(2)
        return instances[0], instances[1], ticker

    return start


def answers(sent: list[Sent], person: Person) -> list[str]:
    """The texts the bot sent into ``person``'s 1:1 chat."""
    return [s.all_text() for s in sent if s.conversation_id == person.personal_conversation]


async def test_five_join_one_circle_at_once_through_two_instances(start_two: Any) -> None:
    a, b, _ = await start_two()
    await a.say(GRADY, "circle create Explorers")
    joiners = (ADELE, MEGAN, LEE, ALEX, NESTOR)

    await asyncio.gather(
        *(
            (a if i % 2 == 0 else b).say(person, "circle join Explorers")
            for i, person in enumerate(joiners)
        )
    )

    sent = a.connector.sent
    replies = {p.name: answers(sent, p)[-1] for p in joiners}
    joined = [name for name, text in replies.items() if "You joined **Explorers**" in text]
    refused = [name for name, text in replies.items() if FULL in text]
    assert len(joined) == 4 and len(refused) == 1, replies
    [circle] = await a.services.circles.repo.all()
    assert len(circle.members) == 5
    assert {m.name for m in circle.members} == {GRADY.name, *joined}

    late = await b.say(PATTI, "circle join Explorers")
    assert FULL in answers(late, PATTI)[0]
    on_a = answers(await a.say(GRADY, "circle status Explorers"), GRADY)
    on_b = answers(await b.say(GRADY, "circle status Explorers"), GRADY)
    assert on_a == on_b and len(on_a) == 1
    for name in (GRADY.name, *joined):
        assert name in on_a[0]
    assert refused[0] not in on_a[0] and PATTI.name not in on_a[0]


async def test_two_champions_nudge_one_team_at_once_one_post(start_two: Any) -> None:
    a, b, _ = await start_two()
    await install_team(a, people=[ADELE, MEGAN, PATTI])
    await make_champion(a, MEGAN)
    await make_champion(b, PATTI)
    a.connector.clear()

    sent_a, sent_b = await asyncio.gather(
        a.say(MEGAN, "nudge My Team"), b.say(PATTI, "nudge My Team")
    )

    posts = [s for s in a.connector.sent if s.conversation_id.split(";")[0] == MY_TEAM.id]
    assert len(posts) == 1, "one nudge card in General"
    megan, patti = answers(sent_a, MEGAN), answers(sent_b, PATTI)
    outcomes = sorted([megan[0], patti[0]], key=lambda text: not text.startswith("Nudged"))
    assert outcomes[0].startswith("Nudged **My Team**")
    winner = MEGAN if outcomes[0] == megan[0] else PATTI
    assert f"{winner.name} already nudged **My Team** today (at 09:00)" in outcomes[1]
    assert f"From {winner.name}" in posts[0].all_text()
    [record] = (await a.store.all(NUDGES)).values()
    assert record["status"] == "delivered" and record["champion_name"] == winner.name


def _leader(a: Trimtab, b: Trimtab) -> tuple[Trimtab, Trimtab]:
    leading = [t for t in (a, b) if t.client.server.app[LEADERSHIP].is_leader]
    assert len(leading) == 1
    return (a, b) if leading[0] is a else (b, a)


def _ran(services: Services, job_id: str) -> asyncio.Event:
    """Set once the instance's scheduler has run ``job_id`` (executed or failed)."""
    done = asyncio.Event()

    def listener(event: JobExecutionEvent) -> None:
        if event.job_id == job_id:
            done.set()

    services.scheduler.add_listener(listener, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
    return done


def week_prompts(connector: FakeConnector, person: Person, week: int) -> list[Sent]:
    return [
        s
        for s in connector.to(person.personal_conversation)
        for card in s.cards
        if any(act.get("verb") == "checkin" for act in card.get("actions", []))
        and int(card["actions"][0]["data"]["week"]) == week
    ]


async def test_the_weekly_prompt_goes_out_once_not_once_per_instance(
    start_two: Any, pg_url: str
) -> None:
    a, b, ticker = await start_two()
    leader, follower = _leader(a, b)
    await follower.say(GRADY, "circle create Explorers")
    await leader.say(MEGAN, "circle join Explorers")
    await follower.say(LEE, "circle join Explorers")
    await follower.say(GRADY, "circle start Explorers")  # week 1 goes out from this turn
    members = (GRADY, MEGAN, LEE)
    assert [len(week_prompts(a.connector, p, 1)) for p in members] == [1, 1, 1]

    a.clock.advance(timedelta(days=7))  # week 2 is due; both instances share the clock
    ran_on_leader = _ran(leader.services, WAKE_JOB_ID)
    for instance in (a, b):  # each instance has its wake-up placed, due now
        assert await schedule_wake_up(instance.services) == a.clock()
    await asyncio.wait_for(ran_on_leader.wait(), 60)  # a bound against a hang, not speed
    assert [len(week_prompts(a.connector, p, 2)) for p in members] == [1, 1, 1]
    assert not follower.services.scheduler.running, "the follower's job waits"

    # Both run the due loop at the very same moment (as two leaders would during a
    # takeover): nothing goes out twice.
    await asyncio.gather(run_circle_due(a.services), run_circle_due(b.services))
    # The leader dies: the follower takes over and runs its pending start-up catch-up.
    ran_on_follower = _ran(follower.services, STARTUP_JOB_ID)
    election = leader.client.server.app[LEADERSHIP]
    assert isinstance(election, LeaderElection)
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (election.backend_pid,))
    for _ in range(50):  # rounds, not time
        await ticker.round(2)
        if follower.client.server.app[LEADERSHIP].is_leader:
            break
    assert follower.client.server.app[LEADERSHIP].is_leader
    await asyncio.wait_for(ran_on_follower.wait(), 60)

    assert [len(week_prompts(a.connector, p, 2)) for p in members] == [1, 1, 1]
    [circle] = await a.services.circles.repo.all()
    assert circle.state is CircleState.ACTIVE
    assert "w02.prompt" in circle.handled, circle.handled


def weekly_tips(connector: FakeConnector, person: Person) -> list[Sent]:
    return [
        s
        for s in connector.to(person.personal_conversation)
        if "Your habit for this week" in s.all_text()
    ]


async def test_the_weekly_tip_goes_out_once_not_once_per_instance(start_two: Any) -> None:
    a, b, _ = await start_two()
    leader, follower = _leader(a, b)
    a.clock.set(START + timedelta(hours=1))  # Monday 09:00 UTC: the tip is due
    for instance, person in ((a, MEGAN), (b, LEE)):
        await instance.say(person, "tips")
        await instance.say(person, "tips persona new")

    ran = _ran(leader.services, WEEKLY_JOB_ID)
    wall_now = datetime.now(UTC)
    for instance in (a, b):  # the job is installed on both; only the leader's scheduler runs
        instance.services.scheduler.modify_job(WEEKLY_JOB_ID, next_run_time=wall_now)
    await asyncio.wait_for(ran.wait(), 60)  # a bound against a hang, not speed
    assert not follower.services.scheduler.running
    # and both at the very same moment, as two leaders would during a takeover
    await asyncio.gather(send_weekly_tips(a.services), send_weekly_tips(b.services))

    assert [len(weekly_tips(a.connector, p)) for p in (MEGAN, LEE)] == [1, 1]
    for person in (MEGAN, LEE):
        progress = await ProgressRepository(a.store).get(person.aad_id)
        assert progress is not None and progress.last_week == "2026-W48"


async def test_one_person_joins_two_circles_at_once_through_two_instances(
    start_two: Any,
) -> None:
    """Issue 11: in 4 open circles, two joins at once on two instances both used to pass
    the "at most 5 open circles" check. The place is claimed in the person's index first."""
    a, b, _ = await start_two()
    for i in range(4):
        await (a if i % 2 else b).say(PATTI, f"circle create Alpha {i}")
    await a.say(GRADY, "circle create Explorers")
    await b.say(LEE, "circle create Builders")

    await asyncio.gather(
        a.say(PATTI, "circle join Explorers"), b.say(PATTI, "circle join Builders")
    )

    replies = answers(a.connector.sent, PATTI)[-2:]
    joined = [r for r in replies if "You joined" in r]
    refused = [r for r in replies if "already in 5 open circles" in r]
    assert len(joined) == 1 and len(refused) == 1, replies
    mine = await b.services.circles.repo.circles_of(a.teams.tenant_id, PATTI.aad_id.lower())
    assert len(mine) == 5
    circles = {c.name: c for c in await a.services.circles.repo.all()}
    in_new = [n for n in ("Explorers", "Builders") if circles[n].has_member(PATTI.aad_id.lower())]
    assert len(in_new) == 1 and in_new[0] in joined[0]
    status = answers(await b.say(PATTI, f"circle status {in_new[0]}"), PATTI)
    assert PATTI.name in status[0]
