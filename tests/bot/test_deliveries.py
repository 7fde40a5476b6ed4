"""`deliveries [week]` and the dashboard's deliveries page: per feature and ISO week, the
unreachable people with the reason, and how many acted on the cards."""

from __future__ import annotations

from datetime import timedelta

from bot.admin.digest import send_weekly_digests
from bot.coaching_delivery import send_weekly_tips
from tests.bot.admin_data import seed_adoption
from tests.bot.dashboard_support import mint
from tests.cards.schema import assert_valid_card
from tests.conftest import START, Trimtab
from tests.fakes.activities import ADELE, LEE, MEGAN, PATTI

WEEK = "2026-W48"


async def a_week_of_tips(trimtab: Trimtab) -> None:
    """Megan gets hers after one retry, Lee blocked the bot, Patti muted tips."""
    for person in (MEGAN, LEE, PATTI):
        await trimtab.say(person, "tips")
        await trimtab.say(person, "tips persona new")
    await trimtab.say(PATTI, "mute tips")
    trimtab.connector.clear()
    trimtab.connector.fail(503, conversation_id=MEGAN.personal_conversation)
    trimtab.connector.fail(403, conversation_id=LEE.personal_conversation)
    trimtab.clock.set(START + timedelta(hours=1))
    await send_weekly_tips(trimtab.services)


async def test_deliveries_counts_per_feature_and_lists_the_unreachable(trimtab: Trimtab) -> None:
    await a_week_of_tips(trimtab)
    [tip] = [s for s in trimtab.connector.to(MEGAN.personal_conversation) if s.cards]
    done = next(a for a in tip.cards[0]["actions"] if a["data"]["command"] == "tips done")
    await trimtab.send(trimtab.teams.submit(MEGAN, done["data"]))  # she acts on the card
    await trimtab.send(trimtab.teams.submit(MEGAN, done["data"]))  # twice: one person acted

    [answer] = await trimtab.say(ADELE, "deliveries")
    assert f"Deliveries {WEEK}" in answer.text
    assert (
        "**tips**: 2 sent · 1 delivered · 1 retried · 1 skipped (muted) · 1 unreachable · "
        "0 failed · 0 in doubt · 1 acted"
    ) in answer.text
    assert "Unreachable (tips): Lee Gu — blocked the bot or removed it" in answer.text
    [same] = await trimtab.say(ADELE, "deliveries 2026-w48")
    assert same.text == answer.text


async def test_deliveries_bad_input_and_roles(trimtab: Trimtab) -> None:
    [bad] = await trimtab.say(ADELE, "deliveries last week")
    assert bad.text == "“last week” is not an ISO week: try `deliveries 2026-W48`."
    [empty] = await trimtab.say(ADELE, "deliveries 2026-W01")
    assert empty.text == "No deliveries recorded in 2026-W01."
    [refused] = await trimtab.say(MEGAN, "deliveries")
    assert refused.text.startswith("`deliveries` is for admins")


async def test_the_dashboard_shows_deliveries(trimtab: Trimtab) -> None:
    await a_week_of_tips(trimtab)
    client = trimtab.client
    await client.get(await mint(trimtab))
    page = await client.get("/dashboard/deliveries")
    html = await page.text()
    assert page.status == 200, html
    assert f"ISO week {WEEK}" in html and "Lee Gu" in html and "blocked the bot" in html
    csv = await (await client.get(f"/dashboard/deliveries?week={WEEK}&csv=deliveries")).text()
    assert csv.splitlines()[1] == "tips,2,1,1,1,1,0,0,0"
    bad = await client.get("/dashboard/deliveries?week=soon")
    assert bad.status == 400


async def test_the_next_digest_tells_the_admin_who_could_not_be_reached(trimtab: Trimtab) -> None:
    await seed_adoption(trimtab.store)
    await trimtab.say(ADELE, "digest on")
    await a_week_of_tips(trimtab)
    trimtab.connector.clear()
    trimtab.clock.set(START + timedelta(weeks=1))  # Monday 08:00: the digest of 2026-W48
    assert [o.status for o in await send_weekly_digests(trimtab.services)] == ["delivered"]
    [digest] = [s for s in trimtab.connector.to(ADELE.personal_conversation) if s.cards]
    assert_valid_card(digest.cards[0])
    assert (
        "1 could not be reached in 2026-W48: Lee Gu (blocked the bot or removed it)"
    ) in digest.all_text()
