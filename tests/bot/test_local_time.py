"""Each person's own time: the zone from their Teams client or `my timezone`; tips at Monday
09:00 and the digest at Monday 08:00 in the recipient's zone."""

from __future__ import annotations

from datetime import timedelta

from bot.admin.digest import send_weekly_digests
from bot.coaching_delivery import send_weekly_tips
from tests.bot.admin_data import seed_adoption
from tests.conftest import START, Trimtab
from tests.fakes.activities import ADELE, LEE, MEGAN


async def test_unknown_zone_names_close_matches(trimtab: Trimtab) -> None:
    [answer] = await trimtab.say(MEGAN, "my timezone europe/berln")
    assert answer.text.startswith(
        "“europe/berln” is not a time zone I know. Did you mean `Europe/Berlin` or "
    )
    [answer] = await trimtab.say(MEGAN, "my timezone Nowhere")
    assert "is not a time zone I know. Use an IANA name" in answer.text
    [answer] = await trimtab.say(MEGAN, "my timezone")
    assert answer.text.startswith("Your time zone is UTC (the default)")


async def test_the_zone_comes_from_the_teams_client_and_my_timezone_wins(
    trimtab: Trimtab,
) -> None:
    trimtab.teams.zones[MEGAN.aad_id] = "America/New_York"
    [answer] = await trimtab.say(MEGAN, "my timezone")
    assert "America/New_York (from your Teams client)" in answer.text
    [answer] = await trimtab.say(MEGAN, "my timezone europe/berlin")
    assert answer.text.startswith("Your time zone is now Europe/Berlin")
    [answer] = await trimtab.say(MEGAN, "my timezone")  # the client still says New York
    assert "Europe/Berlin (set by you)" in answer.text


async def test_tips_go_at_nine_in_each_recipients_zone(trimtab: Trimtab) -> None:
    trimtab.teams.zones[MEGAN.aad_id] = "America/New_York"
    for person in (MEGAN, LEE):  # Lee's client sends no zone: the configured one (UTC)
        await trimtab.say(person, "tips")
        await trimtab.say(person, "tips persona new")
    trimtab.connector.clear()
    sent_at = {}
    for hour in range(24):
        trimtab.clock.set(START.replace(hour=0) + timedelta(hours=hour))
        for aad in (await send_weekly_tips(trimtab.services)).sent:
            sent_at[aad] = hour
    assert sent_at == {LEE.aad_id: 9, MEGAN.aad_id: 14}  # 09:00 UTC and 09:00 New York


async def test_the_digest_goes_at_eight_in_the_admins_zone(trimtab: Trimtab) -> None:
    await seed_adoption(trimtab.store)
    await trimtab.say(ADELE, "my timezone Asia/Tokyo")
    await trimtab.say(ADELE, "digest on")
    trimtab.clock.set(START.replace(hour=0) - timedelta(hours=1, minutes=1))  # Sun 22:59 UTC
    assert await send_weekly_digests(trimtab.services) == []
    trimtab.clock.advance(timedelta(minutes=1))  # Monday 08:00 Tokyo
    assert [o.status for o in await send_weekly_digests(trimtab.services)] == ["delivered"]
