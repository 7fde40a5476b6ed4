"""A hand-made tenant over 2026-Q3 and Q4 for review tests (times in UTC).

Every week from 2026-W27 (29 Jun) to 2026-W53 (28 Dec – 3 Jan), thread roots on Monday
09:00 + n hours, answers 10 minutes later by the next member:

| team | members | roots/week | answered/week |
|---|---|---|---|
| t1 Contoso Sales | a1..a5 (a1 is a champion) | 6 | 5 (Q3 and Q4) |
| t2 Engineering | e1..e4 | 4 | 3 in Q3, 1 in Q4 |
| t3 Design Ops | d1..d3 | 3 | 2 |
| t4 Finance | f1..f6 | 2 | 0 |

Plans: goal g1 (Engineering reply_rate 90% by 2027-03-31, set 2026-10-05, baseline 75%),
goal g2 (Contoso Sales posts 6 by 2027-02-01, set 2026-10-05, baseline 6). Champion a1
nudged Engineering on 2026-11-10. Two circles started in Q4 (one completed 2026-12-20),
one started in Q3. One loop fired for Engineering on 2026-10-12.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from adoption.facts import MessageFact, ThreadFact
from adoption.repository import AdoptionRepository
from adoption.weeks import IsoWeek
from bot.storage import DocumentStore
from plans.goals import Goal
from plans.log import LoopEntry
from plans.repository import PlanRepository
from tests.adoption.factories import team
from wol_circles.model import Circle, CircleState, Member, Origin, OriginKind, Slot
from wol_circles.repository import CircleRepository

NOW = datetime(2027, 1, 5, 8, tzinfo=UTC)
FIRST, LAST = IsoWeek(2026, 27), IsoWeek(2026, 53)
Q4_START = date(2026, 10, 1)
TEAMS = {
    "t1": ("Contoso Sales", [f"a{i}" for i in range(1, 6)]),
    "t2": ("Engineering", [f"e{i}" for i in range(1, 5)]),
    "t3": ("Design Ops", [f"d{i}" for i in range(1, 4)]),
    "t4": ("Finance", [f"f{i}" for i in range(1, 7)]),
}


def _answered(team_id: str, week: IsoWeek) -> tuple[int, int]:
    q4 = week.monday >= Q4_START
    return {"t1": (6, 5), "t2": (4, 1 if q4 else 3), "t3": (3, 2), "t4": (2, 0)}[team_id]


def threads_of(team_id: str) -> list[ThreadFact]:
    members = TEAMS[team_id][1]
    found = []
    week = FIRST
    while week <= LAST:
        roots, answered = _answered(team_id, week)
        start = datetime.combine(week.monday, time(9), tzinfo=UTC)
        for n in range(roots):
            at = start + timedelta(hours=n)
            author = members[n % len(members)]
            other = members[(n + 1) % len(members)]
            root = MessageFact(f"{team_id}-{week.label}-{n}", author, at)
            replies = (
                (MessageFact(f"{root.id}-r", other, at + timedelta(minutes=10)),)
                if n < answered
                else ()
            )
            found.append(ThreadFact(team_id, "general", root, replies))
        week = week.next()
    return found


def circle(cid: str, started: datetime, finished: datetime | None) -> Circle:
    state = CircleState.COMPLETED if finished else CircleState.ACTIVE
    return Circle(
        id=cid, tenant_id="tenant", name=cid, facilitator="a1",
        members=(Member("a1", "Avery", started),), origin=Origin(OriginKind.PERSONAL, "k"),
        slot=Slot(0, time(9), "UTC"), state=state, created_at=started - timedelta(days=1),
        started_at=started, finished_at=finished,
    )  # fmt: skip


async def seed_tenant(store: DocumentStore) -> None:
    repo = AdoptionRepository(store)
    for team_id, (name, members) in TEAMS.items():
        await repo.save_team(team(team_id, name, tuple(members)))
        await repo.save_threads(team_id, threads_of(team_id))
    await store.put("champions.registry", "a1", {"aad_id": "a1", "name": "Avery"})
    await store.put(
        "champions.nudges",
        "2026-11-10T09:00:00+00:00|a1|19:eng",
        {"champion": "a1", "champion_name": "Avery", "team_id": "19:eng", "graph_id": "t2",
         "team_name": "Engineering", "at": "2026-11-10T09:00:00+00:00", "status": "delivered"},
    )  # fmt: skip
    await store.put(
        "champions.nudges",
        "2026-11-11T09:00:00+00:00|a1|19:eng",
        {"champion": "a1", "team_id": "19:eng", "graph_id": "t2", "team_name": "Engineering",
         "at": "2026-11-11T09:00:00+00:00", "status": "refused"},
    )  # fmt: skip
    plans = PlanRepository(store)
    for goal in (
        Goal("g1", "t2", "Engineering", "reply_rate", 0.9, date(2027, 3, 31),
             date(2026, 10, 5), 0.75, "decisions move from chat to channels"),
        Goal("g2", "t1", "Contoso Sales", "posts", 6, date(2027, 2, 1), date(2026, 10, 5), 6),
    ):  # fmt: skip
        await plans.add_goal(goal)
    fired = datetime(2026, 10, 12, 9, tzinfo=UTC)
    await plans.log_loop(
        LoopEntry("band_drop|t2|2026-W42", "band_drop", "t2", "Engineering", fired,
                  "champions", ("a1",), ("band_drop:amber->red",), "a1", fired)
    )  # fmt: skip
    circles = CircleRepository(store)
    q4 = datetime(2026, 10, 5, 9, tzinfo=UTC)
    await circles.save(circle("c1", q4, datetime(2026, 12, 20, 9, tzinfo=UTC)))
    await circles.save(circle("c2", q4 + timedelta(days=30), None))
    await circles.save(circle("c3", datetime(2026, 8, 3, 9, tzinfo=UTC), None))
