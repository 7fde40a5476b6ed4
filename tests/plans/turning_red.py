"""Hand-made weeks of a team turning red (no tests here; see tests/plans/test_signals.py).

Team t1, members m1..m4, UTC. Weeks W40–W44: 4 roots a week (m1..m4, Monday 09:00 + n h),
each answered 10 minutes later by the next member. Weeks W45–W48: 4 roots a week by m1,
none answered: health to W46 90 (green), to W47 74 (amber), to W48 41 (red).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from adoption.facts import MessageFact, ThreadFact
from adoption.weeks import IsoWeek

MEMBERS = ("m1", "m2", "m3", "m4")
W48 = IsoWeek(2026, 48)


def facts() -> list[ThreadFact]:
    threads = []
    week = IsoWeek(2026, 40)
    while week <= W48:
        good = week <= IsoWeek(2026, 44)
        for n in range(4):
            at = datetime.combine(week.monday, time(9), tzinfo=UTC) + timedelta(hours=n)
            author = MEMBERS[n] if good else "m1"
            root = MessageFact(f"{week.label}-{n}", author, at)
            other = MEMBERS[(n + 1) % 4]
            replies = (MessageFact(f"{root.id}r", other, at + timedelta(minutes=10)),)
            threads.append(ThreadFact("t1", "general", root, replies if good else ()))
        week = week.next()
    return threads
