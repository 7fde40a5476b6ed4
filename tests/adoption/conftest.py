"""A crafted tenant on the loopback Graph server, and the gateway pointed at it.

The tenant (now = 2026-11-20 12:00 UTC, look-back 28 days, so the window starts on
2026-10-23 12:00):

Team "Contoso Sales" (TEAM_A; members ALICE, BOB, CAROL)
  General (standard)
    r1  ALICE  now-3d   mentions BOB, reactions BOB+CAROL   html body BODY-R1
        ├ BOB    now-3d+30m
        ├ CAROL  now-3d+2h   reaction ALICE
        ├ bot (from.application)          dropped
        └ CAROL  deleted                  dropped
    r2  BOB    now-10d  no replies
    s1  system event, messageType unknownFutureValue, from null       dropped
    s2  system event, messageType systemEventMessage, from null       dropped
    b1  bot post (from.application, user null)                        dropped
    d1  ALICE post with deletedDateTime                               dropped
    o1  ALICE  now-40d  no replies: outside the window, never returned
    o2  CAROL  now-35d  └ ALICE now-5d: an old root with a reply inside the window
  Deal Room (private)
    p1  CAROL  now-1d  └ ALICE now-1d+1h mentions CAROL
Team "Engineering" (TEAM_B; members BOB, DAVE)
  Shared Eng (shared)
    e1  DAVE   now-2d
Team "Archived" (TEAM_GONE): listed by /teams, 404 on everything below it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import pytest

from adoption.config import GraphSettings
from adoption.graph import GraphGateway, GraphLimits, build_gateway
from bot.graph_transport import AiohttpTransport
from tests.fakes.graph_server import FakeMessage, FakeTenant, GraphServer

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
ALICE = "8ea0e38b-efb3-4757-924a-5f94061cf8c2"
BOB = "5d8d505c-864f-4804-88c7-4583c966cde8"
CAROL = "c651e5be-7631-42ad-99c6-12c59def11fb"
DAVE = "b525e831-bd00-45e5-860c-a4329ef5f5d8"
USERS = (ALICE, BOB, CAROL, DAVE)
BOT_APP = "75e7a5d1-0c2c-4e3a-9c55-6f9d1b0c7a11"
TEAM_A = "fbe2bf47-16c8-47cf-b4a5-4b9b187c508b"
TEAM_B = "02bd9fd6-8f93-4758-87c3-1fb73740a315"
TEAM_GONE = "13be6971-79db-4f33-9d41-b25589ca25af"
GENERAL = "19:4a95f7d8db4c4e7fae857bcebe0623e6@thread.tacv2"
DEAL_ROOM = "19:561fbdbbfca848a484f0a6f00ce9dbbd@thread.tacv2"
SHARED_ENG = "19:561fbdbbfca848a484gabdf00ce9dbbd@thread.tacv2"
BODY_MARKERS = ("BODY-R1", "BODY-R2", "BODY-REPLY", "BODY-P1", "BODY-E1", "BODY-O2", "Standup")
NAMES = {ALICE: "Robin Kline", BOB: "Megan Bowen", CAROL: "Miriam Graham", DAVE: "Isaiah Langer"}


def ago(days: float, minutes: float = 0) -> datetime:
    return NOW - timedelta(days=days) + timedelta(minutes=minutes)


def crafted_tenant() -> FakeTenant:
    t = FakeTenant()
    t.names.update(NAMES)
    t.add_team(TEAM_A, "Contoso Sales", [ALICE, BOB, CAROL])
    t.add_channel(TEAM_A, GENERAL, "General")
    t.add_channel(TEAM_A, DEAL_ROOM, "Deal Room", "private")
    t.add_team(TEAM_B, "Engineering", [BOB, DAVE])
    t.add_channel(TEAM_B, SHARED_ENG, "Shared Eng", "shared")
    t.add_team(TEAM_GONE, "Archived", [ALICE])
    t.add_channel(TEAM_GONE, "19:gone@thread.tacv2", "General")

    def post(team: str, channel: str, mid: str, when: datetime, who: str | None, **kw: object):
        return t.post(team, channel, FakeMessage(mid, when, who, **kw))  # type: ignore[arg-type]

    def reply(team: str, channel: str, root: str, mid: str, when: datetime, who: str, **kw: object):
        t.reply(team, channel, root, FakeMessage(mid, when, who, **kw))  # type: ignore[arg-type]

    body = '<div>BODY-R1 numbers <at id="0">Megan Bowen</at></div>'
    post(TEAM_A, GENERAL, "1001", ago(3), ALICE, body=body, mentions=(BOB,), reactions=(BOB, CAROL))
    reply(TEAM_A, GENERAL, "1001", "1002", ago(3, 30), BOB, body="<p>BODY-REPLY a</p>")
    reply(TEAM_A, GENERAL, "1001", "1003", ago(3, 120), CAROL, reactions=(ALICE,))
    reply(TEAM_A, GENERAL, "1001", "1004", ago(3, 130), BOT_APP, sender_kind="application",
          body="<p>Standup bot says hi</p>")  # fmt: skip
    reply(TEAM_A, GENERAL, "1001", "1005", ago(3, 140), CAROL, deleted=ago(3, 150))
    post(TEAM_A, GENERAL, "1010", ago(10), BOB, body="<p>BODY-R2</p>")
    post(TEAM_A, GENERAL, "1020", ago(9), None, sender_kind="none",
         message_type="unknownFutureValue", body="<systemEventMessage/>")  # fmt: skip
    post(TEAM_A, GENERAL, "1021", ago(8), None, sender_kind="none",
         message_type="systemEventMessage", body="<systemEventMessage/>")  # fmt: skip
    post(TEAM_A, GENERAL, "1022", ago(7), BOT_APP, sender_kind="application",
         body="<p>Standup summary</p>")  # fmt: skip
    post(TEAM_A, GENERAL, "1023", ago(6), ALICE, deleted=ago(5))
    post(TEAM_A, GENERAL, "1030", ago(40), ALICE, body="<p>BODY-OLD</p>")
    post(TEAM_A, GENERAL, "1040", ago(35), CAROL, body="<p>BODY-O2</p>")
    reply(TEAM_A, GENERAL, "1040", "1041", ago(5), ALICE)
    post(TEAM_A, DEAL_ROOM, "2001", ago(1), CAROL, body="<p>BODY-P1</p>")
    reply(TEAM_A, DEAL_ROOM, "2001", "2002", ago(1, 60), ALICE, mentions=(CAROL,))
    post(TEAM_B, SHARED_ENG, "3001", ago(2), DAVE, body="<p>BODY-E1</p>")
    t.usage.update({ALICE: (10, 30, 4, 6), BOB: (5, 5, 2, 3), CAROL: (0, 20, 0, 0)})
    return t


class SleepRecorder:
    """Stands in for ``asyncio.sleep``: records each wait, never waits."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def tenant() -> FakeTenant:
    return crafted_tenant()


@pytest.fixture
async def server(tenant: FakeTenant) -> AsyncIterator[GraphServer]:
    srv = GraphServer(tenant)
    await srv.start()
    srv.gone_teams.add(TEAM_GONE)
    yield srv
    await srv.close()


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture(params=["httpx", "aiohttp"])
def wire(request: pytest.FixtureRequest) -> str:
    """Every gateway test runs over httpx's transport and the bot's aiohttp one."""
    return str(request.param)


@pytest.fixture
async def make_gateway(
    server: GraphServer, sleeps: SleepRecorder, wire: str
) -> AsyncIterator[Callable[..., GraphGateway]]:
    made: list[GraphGateway] = []

    def factory(token: str = "test-token", **limits: object) -> GraphGateway:
        settings = GraphSettings(base_url=server.base_url, token=token)
        transport = AiohttpTransport() if wire == "aiohttp" else None
        gateway = build_gateway(
            settings, limits=GraphLimits.unpaced(**limits), sleep=sleeps, transport=transport
        )
        made.append(gateway)
        return gateway

    yield factory
    for gateway in made:
        await gateway.aclose()
