"""The weekly tip: once per ISO week per opted-in user, never to the opted-out."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.coaching_delivery import JOB_EVERY_MINUTES, WEEKLY_JOB_ID, send_weekly_tips
from coaching.lessons import BY_ID, ORDER, Persona
from tests.conftest import START, Trimtab
from tests.fakes.activities import LEE, MEGAN, PATTI


async def start_tips(trimtab: Trimtab, person: object, persona: str = "new") -> None:
    await trimtab.say(person, "tips")
    await trimtab.say(person, f"tips persona {persona}")


@pytest.fixture(autouse=True)
def monday_nine(trimtab: Trimtab) -> None:
    """The weekly tip is due from Monday 09:00 (the configured zone, UTC here)."""
    trimtab.clock.set(START + timedelta(hours=1))


async def test_weekly_tip_goes_once_a_week_to_opted_in_users_only(trimtab: Trimtab) -> None:
    order = [BY_ID[i].title for i in ORDER[Persona.NEW]]
    await start_tips(trimtab, MEGAN)  # sees habit 1 now
    await start_tips(trimtab, LEE)
    await trimtab.say(LEE, "tips off")
    trimtab.connector.clear()

    first = await send_weekly_tips(trimtab.services)
    assert first.sent == [MEGAN.aad_id]
    [tip] = trimtab.connector.to(MEGAN.personal_conversation)
    assert "Your habit for this week" in tip.all_text()
    assert order[1] in tip.all_text(), "a new habit: the one after the last shown"
    assert trimtab.connector.to(LEE.personal_conversation) == []

    again = await send_weekly_tips(trimtab.services)  # the job runs twice in one week
    assert again.sent == [] and len(trimtab.connector.sent) == 1

    trimtab.clock.advance(timedelta(days=7))
    await send_weekly_tips(trimtab.services)
    tips = trimtab.connector.to(MEGAN.personal_conversation)
    assert len(tips) == 2 and order[2] in tips[-1].all_text()
    assert trimtab.connector.to(LEE.personal_conversation) == []


async def test_tips_on_brings_the_weekly_tip_back(trimtab: Trimtab) -> None:
    await start_tips(trimtab, LEE)
    await trimtab.say(LEE, "tips off")
    await trimtab.say(LEE, "tips on")
    trimtab.connector.clear()
    assert (await send_weekly_tips(trimtab.services)).sent == [LEE.aad_id]


async def test_users_who_never_asked_for_tips_get_none(trimtab: Trimtab) -> None:
    await trimtab.say(PATTI, "help")
    trimtab.connector.clear()
    assert (await send_weekly_tips(trimtab.services)).sent == []
    assert trimtab.connector.sent == []


async def test_a_finished_path_gets_no_weekly_tip(trimtab: Trimtab) -> None:
    await start_tips(trimtab, MEGAN, "owner")
    for _ in ORDER[Persona.OWNER]:
        await trimtab.say(MEGAN, "tips done")
    trimtab.connector.clear()
    assert (await send_weekly_tips(trimtab.services)).sent == []


async def test_unreachable_user_is_not_marked_as_served(trimtab: Trimtab) -> None:
    await start_tips(trimtab, MEGAN)
    trimtab.connector.clear()
    trimtab.connector.fail(403)
    result = await send_weekly_tips(trimtab.services)
    assert result.failed == [MEGAN.aad_id]
    await trimtab.say(MEGAN, "tips")  # she comes back: the unreachable mark clears
    trimtab.connector.clear()
    assert (await send_weekly_tips(trimtab.services)).sent == [MEGAN.aad_id]


async def test_the_weekly_job_runs_every_quarter_hour(trimtab: Trimtab) -> None:
    job = trimtab.services.scheduler.get_job(WEEKLY_JOB_ID)
    assert job is not None
    assert job.trigger.interval == timedelta(minutes=JOB_EVERY_MINUTES)


async def test_no_tip_before_monday_nine(trimtab: Trimtab) -> None:
    await start_tips(trimtab, MEGAN)
    trimtab.connector.clear()
    trimtab.clock.set(START + timedelta(minutes=59))  # Monday 08:59 UTC
    assert (await send_weekly_tips(trimtab.services)).sent == []
    trimtab.clock.set(START + timedelta(hours=1))
    assert (await send_weekly_tips(trimtab.services)).sent == [MEGAN.aad_id]
