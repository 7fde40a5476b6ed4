"""`nudge <team> [<message>]`: authorisation, team names, the daily limit, faults, record."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot._delivery_log import DeliveryLog
from bot.messages.champions import NUDGE_LIBRARY
from champions import NUDGES, SLOTS
from tests.bot.champions_support import (
    install_team,
    low_reply_rate_last_week,
    make_champion,
    seed_adoption,
)
from tests.conftest import AppFactory, Trimtab
from tests.fakes.activities import ADELE, LEE, MEGAN, MY_TEAM, Person, Team
from tests.fakes.connector import Sent

SALES_EU = Team("Sales EMEA", "19:sales-emea@thread.tacv2", "11111111-0000-4000-8000-000000000001")
SALES_US = Team("Sales US", "19:sales-us@thread.tacv2", "11111111-0000-4000-8000-000000000002")
TWIN = Team("My Team", "19:my-team-twin@thread.tacv2", "11111111-0000-4000-8000-000000000003")


@pytest.fixture
async def ready(make_trimtab: AppFactory) -> Trimtab:
    """Berlin time; Trimtab installed in My Team; Megan a champion; Megan has a 1:1 chat."""
    trimtab = await make_trimtab(TRIMTAB_TIMEZONE="Europe/Berlin")
    await install_team(trimtab, people=[ADELE, MEGAN, LEE])
    await make_champion(trimtab, MEGAN)
    await trimtab.say(MEGAN, "help")
    trimtab.connector.clear()
    return trimtab


async def said(trimtab: Trimtab, person: Person, text: str) -> list[Sent]:
    """What the bot answered ``person`` in their 1:1 chat (proactive posts elsewhere left out)."""
    sent = await trimtab.say(person, text)
    return [s for s in sent if s.conversation_id == person.personal_conversation]


def posted_in_general(trimtab: Trimtab) -> list[Sent]:
    return [s for s in trimtab.connector.sent if s.conversation_id.split(";")[0] == MY_TEAM.id]


async def test_champion_nudges_a_team_from_her_chat(ready: Trimtab) -> None:
    [answer] = await said(ready, MEGAN, "nudge My Team")
    assert answer.conversation_id == MEGAN.personal_conversation
    assert answer.text.startswith("Nudged **My Team** in its General channel")
    [card_post] = ready.connector.to(MY_TEAM.id)
    text = card_post.all_text()
    assert "A nudge for My Team" in text and "From Megan Bowen" in text
    assert NUDGE_LIBRARY[None] in text, "no adoption data: the general nudge"
    [record] = (await ready.store.all(NUDGES)).values()
    assert record["champion"] == MEGAN.aad_id and record["team_id"] == MY_TEAM.id
    assert record["status"] == "delivered" and record["metric"] is None
    assert record["message"] == NUDGE_LIBRARY[None] and record["at"] == ready.clock().isoformat()


async def test_custom_message_and_weakest_metric(ready: Trimtab) -> None:
    await seed_adoption(ready.store, low_reply_rate_last_week(ready.clock()))
    await said(ready, MEGAN, "nudge my team")
    [post] = posted_in_general(ready)
    assert NUDGE_LIBRARY["reply_rate"] in post.all_text()
    ready.clock.advance(timedelta(days=1))
    await said(ready, MEGAN, "nudge MY TEAM Who can answer Lee's question on the budget?")
    assert "Who can answer Lee's question on the budget?" in posted_in_general(ready)[-1].all_text()
    records = sorted((await ready.store.all(NUDGES)).values(), key=lambda r: r["at"])
    assert [r["metric"] for r in records] == ["reply_rate", "reply_rate"]
    assert [r["custom"] for r in records] == [False, True]


async def test_non_champion_is_refused_naming_the_role(ready: Trimtab) -> None:
    [answer] = await said(ready, LEE, "nudge My Team")
    assert answer.text.startswith("`nudge` is for champions")
    assert posted_in_general(ready) == [] and await ready.store.all(NUDGES) == {}


async def test_admin_may_nudge_too(ready: Trimtab) -> None:
    [answer] = await said(ready, ADELE, "nudge My Team")
    assert answer.text.startswith("Nudged **My Team**")


async def test_team_names_exact_case_ambiguous_unknown(ready: Trimtab) -> None:
    await install_team(ready, SALES_EU, people=[ADELE])
    await install_team(ready, SALES_US, people=[ADELE])
    ready.connector.clear()
    [ambiguous] = await said(ready, MEGAN, "nudge Sales")
    assert "“Sales” fits several teams: Sales EMEA, Sales US" in ambiguous.text
    [unknown] = await said(ready, MEGAN, "nudge Marketing please")
    assert "I am not in a team called “Marketing please”" in unknown.text
    assert "My Team" in unknown.text and "Sales EMEA" in unknown.text
    [usage] = await said(ready, MEGAN, "nudge")
    assert "`nudge <team name> [<message>]`" in usage.text
    assert ready.connector.sent == [
        a for a in ready.connector.sent if a.conversation_id == MEGAN.personal_conversation
    ]
    [exact] = await said(ready, MEGAN, "nudge sales us")
    assert exact.text.startswith("Nudged **Sales US**")
    assert len(ready.connector.to(SALES_US.id)) == 1


async def test_two_teams_with_one_name_are_ambiguous_with_ids(ready: Trimtab) -> None:
    await install_team(ready, TWIN, people=[ADELE])
    ready.connector.clear()
    [answer] = await said(ready, MEGAN, "nudge my team")
    assert (
        "fits several teams" in answer.text and TWIN.id in answer.text and MY_TEAM.id in answer.text
    )
    [by_id] = await said(ready, MEGAN, f"nudge {TWIN.id}")
    assert by_id.text.startswith("Nudged **My Team**") and len(ready.connector.to(TWIN.id)) == 1


async def test_removed_team_is_not_offered(ready: Trimtab) -> None:
    await install_team(ready, SALES_EU, people=[ADELE])
    await ready.send(ready.teams.bot_removed_from_team(ADELE, team=SALES_EU))
    [answer] = await said(ready, MEGAN, "nudge Sales EMEA")
    assert "I am not in a team called “Sales EMEA”" in answer.text


async def test_one_nudge_per_team_per_day_whoever_sends_it(ready: Trimtab) -> None:
    await said(ready, MEGAN, "nudge My Team")  # Monday 09:00 in Berlin
    ready.clock.advance(timedelta(hours=14, minutes=59))  # 23:59 Berlin
    [refused] = await said(ready, MEGAN, "nudge My Team again")
    assert "You already nudged **My Team** today" in refused.text
    assert "Tue 24 Nov 2026 00:00 (Europe/Berlin)" in refused.text
    [other] = await said(ready, ADELE, "nudge My Team")
    assert other.text.startswith("Megan Bowen already nudged **My Team** today (at 09:00)")
    assert "one champion nudge a day, whoever sends it" in other.text
    assert "Tue 24 Nov 2026 00:00 (Europe/Berlin)" in other.text
    ready.clock.advance(timedelta(minutes=1))  # 00:00 Berlin, 23:00 UTC the same UTC day
    [allowed] = await said(ready, ADELE, "nudge My Team")
    assert allowed.text.startswith("Nudged")
    [refused_next] = await said(ready, MEGAN, "nudge My Team")
    assert refused_next.text.startswith("Adele Vance already nudged **My Team** today (at 00:00)")
    posts = posted_in_general(ready)
    assert [
        ("From Megan Bowen" in p.all_text(), "From Adele Vance" in p.all_text()) for p in posts
    ] == [
        (True, False),
        (False, True),
    ]
    statuses = [r["status"] for r in (await ready.store.all(NUDGES)).values()]
    assert statuses == ["delivered"] * 2, "a refused nudge is not sent and not recorded"


async def test_a_failed_post_gives_the_day_back(ready: Trimtab) -> None:
    ready.connector.fail(400, conversation_id=MY_TEAM.id)  # a final error: nothing posted
    [failed] = await said(ready, MEGAN, "nudge My Team")
    assert "Teams did not accept the nudge for **My Team**" in failed.text
    assert posted_in_general(ready) == []
    assert await ready.store.all(SLOTS) == {}, "the slot was released"
    [other] = await said(ready, ADELE, "nudge My Team")
    assert other.text.startswith("Nudged"), "another champion may take the day"
    [slot] = (await ready.store.all(SLOTS)).values()
    assert slot["champion_name"] == "Adele Vance"
    assert len(posted_in_general(ready)) == 1


async def test_a_post_in_doubt_keeps_the_day(ready: Trimtab) -> None:
    """The delivery log holds the team's key in doubt (a run died mid-send): maybe posted,
    so the slot stays taken and nobody else nudges the team that day."""
    key = f"nudge:{MY_TEAM.id}:2026-11-23"
    await DeliveryLog(ready.store).finish(
        key,
        f"team:{MY_TEAM.id}",
        "in_doubt",
        attempts=1,
        activity_id=None,
        detail="",
        now=ready.clock(),
    )
    await said(ready, MEGAN, "nudge My Team")
    assert posted_in_general(ready) == []
    [slot] = (await ready.store.all(SLOTS)).values()
    assert slot["champion_name"] == "Megan Bowen"
    [other] = await said(ready, ADELE, "nudge My Team")
    assert other.text.startswith("Megan Bowen already nudged **My Team** today")
    assert posted_in_general(ready) == []


async def test_nudge_to_a_team_the_bot_was_removed_from(ready: Trimtab) -> None:
    ready.connector.fail(403)
    [answer] = await said(ready, MEGAN, "nudge My Team")
    assert "I could not post in **My Team**: I am no longer a member" in answer.text
    [record] = (await ready.store.all(NUDGES)).values()
    assert record["status"] == "failed" and record["outcome"] == "unreachable"
    assert posted_in_general(ready) == []
    [stats] = await said(ready, MEGAN, "champion stats")
    assert "0 delivered" in stats.all_text() and "failed" in stats.all_text()


async def test_nudge_is_a_new_post_in_general_not_a_reply(ready: Trimtab) -> None:
    """The admin's channel message came last; the nudge still starts a new post in General."""
    await said(ready, MEGAN, "nudge My Team")
    assert len(ready.connector.to(MY_TEAM.id)) == 1, "the channel itself, not a thread in it"
