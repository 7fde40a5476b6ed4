"""`circle create … each-local`: prompts (and reminders) at the slot in each member's zone,
09:00 local across both spring DST changes (US 2027-03-14, EU 2027-03-28)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.circles_delivery import run_circle_due
from bot.clock import FakeClock
from tests.bot.circles_support import card_week, prompt_cards
from tests.conftest import AppFactory, Trimtab
from tests.fakes.activities import ADELE, LEE, MEGAN, Person

BERLIN, NEW_YORK = "Europe/Berlin", "America/New_York"
START = datetime(2027, 2, 15, 10, 0, tzinfo=UTC)  # a Monday; 12 weeks span both DST changes


def nine_local(day: date, zone: str) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=ZoneInfo(zone)).astimezone(UTC)


async def each_local_circle(app: Trimtab) -> None:
    app.teams.zones.update({MEGAN.aad_id: BERLIN, LEE.aad_id: NEW_YORK})
    created = await app.send(
        app.teams.group(ADELE, "circle create Explorers monday 09:00 UTC each-local")
    )
    assert "in each member's own zone" in created[0].text
    for person in (MEGAN, LEE):
        await app.send(app.teams.group(person, "circle join Explorers"))
    await app.send(app.teams.group(ADELE, "circle start Explorers"))


def weeks_of(app: Trimtab, person: Person) -> list[int]:
    return [card_week(c) for c in prompt_cards(app, person)]


async def test_each_local_prompts_come_at_nine_local_across_both_dst_changes(
    make_trimtab: AppFactory,
) -> None:
    clock = FakeClock(START)
    app = await make_trimtab(clock=clock)
    await each_local_circle(app)
    assert weeks_of(app, MEGAN) == [1] and weeks_of(app, LEE) == [1]

    offsets = set()
    for week in range(2, 13):
        monday = date(2027, 2, 22) + timedelta(weeks=week - 2)
        for person, zone in ((MEGAN, BERLIN), (LEE, NEW_YORK)):
            due = nine_local(monday, zone)
            offsets.add((zone, due.astimezone(ZoneInfo(zone)).utcoffset()))
            clock.set(due - timedelta(minutes=1))
            await run_circle_due(app.services)
            assert weeks_of(app, person)[-1] == week - 1, f"{person.name} week {week} early"
            clock.set(due)
            await run_circle_due(app.services)
            assert weeks_of(app, person)[-1] == week, f"{person.name} week {week} at 09:00"
    assert len(offsets) == 4, "both zones were seen in winter and in summer time"
    assert weeks_of(app, MEGAN) == weeks_of(app, LEE) == list(range(1, 13))


async def test_reminders_follow_each_members_zone(make_trimtab: AppFactory) -> None:
    clock = FakeClock(START)
    app = await make_trimtab(clock=clock)
    await each_local_circle(app)
    week2 = date(2027, 2, 22)
    clock.set(nine_local(week2, BERLIN) + timedelta(days=2))  # Wednesday 09:00 Berlin
    await run_circle_due(app.services)
    reminders = [
        s
        for s in app.connector.to(MEGAN.personal_conversation)
        if "reminder" in s.all_text().lower()
    ]
    lee_before = len(app.connector.to(LEE.personal_conversation))
    assert reminders, "Megan's week 2 reminder at Wednesday 09:00 Berlin"
    clock.set(nine_local(week2, NEW_YORK) + timedelta(days=2) - timedelta(minutes=1))
    await run_circle_due(app.services)
    assert len(app.connector.to(LEE.personal_conversation)) == lee_before
    clock.set(nine_local(week2, NEW_YORK) + timedelta(days=2))
    await run_circle_due(app.services)
    assert len(app.connector.to(LEE.personal_conversation)) == lee_before + 1
