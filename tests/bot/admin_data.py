"""A hand-made tenant for the admin surfaces (summary, digest, dashboard).

The clock is ``tests.conftest.START`` (Monday 2026-11-23 08:00 UTC), the zone UTC, so
``adoption summary`` covers the four full weeks W44–W47 (26 Oct – 22 Nov) against
W40–W43, and the digest covers W47 against W46.

Sales (``team-a``; members a1–a4)
  t0  a1  Mon 05 Oct   no reply                       (previous period)
  t1  a1  Mon 16 Nov 10:00  └ a2 10:30                answered after 30 min
  t2  a2  Tue 17 Nov 09:00  └ a3 11:00                answered after 120 min
  t3  a1  Wed 18 Nov 12:00  no reply
Ops (``team-b``; members b1, b2)
  u1  b1  Tue 10 Nov   no reply

Hand-computed: Sales reply rate 2/3, weekly active shares 0, 0, 0, 3/4 (mean 0.1875),
median first reply 75 min, no trend (W46 empty) → health 100·(0.9524·0.35 + 0.375·0.25
+ 1·0.2)/0.8 = 78, green, trend "new". Ops reply rate 0, weekly shares 0, 0, 1/2, 0
(mean 0.125), no first reply, activity 1 → 0 (−100%, trend score 0) → 100·(0.25·0.25)/0.8
= 8, red, trend "down". Tenant: 4 roots, 2 answered → 50% (before: 0 of 1 → 0%);
active 4 of 6 members → 67% (before 1 of 6 → 17%).

Champion a2 nudged Sales on Thu 12 Nov 09:00 (delivered; a second, failed nudge is
ignored): 7 days before 0 threads and 0 replies, 7 days after 3 threads, 2 replies.

Circle "Writers" (2 members) started Mon 2 Nov 09:00, Monday 09:00 UTC slot: at the
clock it is in week 3, so weeks 1–2 have passed: 3 of 4 check-ins → 75%. Circle
"Readers" is completed, "Drafts" is forming.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from adoption.facts import ChannelFact, MessageFact, TeamFact, ThreadFact
from adoption.repository import AdoptionRepository
from bot.storage import DocumentStore
from tests.fakes.activities import TENANT_ID
from wol_circles.model import CheckIn, Circle, CircleState, Member, Origin, OriginKind, Slot
from wol_circles.repository import CircleRepository

SALES, OPS = "team-a", "team-b"
SALES_BOT_ID = "19:sales-general@thread.tacv2"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def msg(mid: str, author: str, when: str) -> MessageFact:
    return MessageFact(mid, author, at(when))


def thread(team: str, root: MessageFact, *replies: MessageFact) -> ThreadFact:
    return ThreadFact(team, "general", root, tuple(replies))


async def seed_adoption(store: DocumentStore) -> None:
    repo = AdoptionRepository(store)
    general = (ChannelFact("general", "General"),)
    await repo.save_team(TeamFact(SALES, "Sales", ("a1", "a2", "a3", "a4"), general))
    await repo.save_team(TeamFact(OPS, "Ops", ("b1", "b2"), general))
    await repo.save_threads(
        SALES,
        [
            thread(SALES, msg("t0", "a1", "2026-10-05 10:00")),
            thread(SALES, msg("t1", "a1", "2026-11-16 10:00"), msg("r1", "a2", "2026-11-16 10:30")),
            thread(SALES, msg("t2", "a2", "2026-11-17 09:00"), msg("r2", "a3", "2026-11-17 11:00")),
            thread(SALES, msg("t3", "a1", "2026-11-18 12:00")),
        ],
    )
    await repo.save_threads(OPS, [thread(OPS, msg("u1", "b1", "2026-11-10 10:00"))])


async def seed_champions(store: DocumentStore) -> None:
    await store.put("champions.registry", "a2", {"aad_id": "a2", "name": "Ann Champ"})
    base = {"champion": "a2", "team_id": SALES_BOT_ID, "graph_id": SALES}
    await store.put(
        "champions.nudges",
        "n1",
        {**base, "at": "2026-11-12T09:00:00+00:00", "status": "delivered"},
    )
    await store.put(
        "champions.nudges", "n2", {**base, "at": "2026-11-13T09:00:00+00:00", "status": "failed"}
    )


def _circle(cid: str, name: str, state: CircleState, started: datetime | None) -> Circle:
    created = at("2026-10-01 09:00")
    return Circle(
        id=cid,
        tenant_id=TENANT_ID,  # the tenant the admins talk from: the home tenant
        name=name,
        facilitator="m1",
        members=(Member("m1", "Mo", created), Member("m2", "Max", created)),
        origin=Origin(OriginKind.PERSONAL, "user:m1"),
        slot=Slot(0, time(9), "UTC"),
        state=state,
        created_at=created,
        started_at=started,
        finished_at=at("2026-11-20 09:00") if state is CircleState.COMPLETED else None,
    )


async def seed_circles(store: DocumentStore) -> None:
    repo = CircleRepository(store)
    await repo.save(_circle("c1", "Writers", CircleState.ACTIVE, at("2026-11-02 09:00")))
    await repo.save(_circle("c2", "Readers", CircleState.COMPLETED, at("2026-08-24 09:00")))
    await repo.save(_circle("c3", "Drafts", CircleState.FORMING, None))
    for week, user in ((1, "m1"), (1, "m2"), (2, "m1"), (3, "m1")):
        await repo.save_checkin(CheckIn("c1", week, user, "done", 4, at("2026-11-03 09:00")))


async def seed_all(store: DocumentStore) -> None:
    await seed_adoption(store)
    await seed_champions(store)
    await seed_circles(store)
