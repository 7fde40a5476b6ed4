"""Must show: a team turning red → its champion gets exactly one card that week; one button
posts the nudge (and the loop log notes who acted); without a champion the admin gets the
find-a-champion card. Fake clock, loopback connector, the real weekly job function.

My Team (Graph id = its AAD group id), members Lee (m1), Megan (m2), Alex (m3), Nestor
(m4): the hand-made weeks of ``tests/plans/turning_red.py`` — W40–W44 four answered roots
a week by everyone, W45–W48 four unanswered roots by Lee. Health to W47 is 74 (amber), to
W48 41 (red): on Monday 30 Nov 2026 (W49) the job judges W48 and sees amber → red.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from adoption.facts import MessageFact, TeamFact, ThreadFact
from adoption.repository import AdoptionRepository
from bot.clock import FakeClock
from bot.errors import SettingsError
from bot.plans_delivery import loop_settings, run_plan_loops
from champions import NUDGES
from plans.loops import LoopSettings
from plans.repository import PlanRepository
from tests.bot.admin_data import seed_adoption
from tests.bot.champions_support import install_team, make_champion
from tests.cards.schema import assert_valid_card
from tests.conftest import AppFactory, Trimtab
from tests.fakes.activities import ADELE, ALEX, LEE, MEGAN, MY_TEAM, NESTOR, Team
from tests.plans.turning_red import facts

NOW = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)  # Monday of W49
PEOPLE = {"m1": LEE, "m2": MEGAN, "m3": ALEX, "m4": NESTOR}
KEY = f"band_drop|{MY_TEAM.aad_group_id}|2026-W48"


def _ours(thread: ThreadFact) -> ThreadFact:
    def person(m: MessageFact) -> MessageFact:
        return MessageFact(m.id, PEOPLE[m.author].aad_id, m.created)

    return ThreadFact(MY_TEAM.aad_group_id, thread.channel_id, person(thread.root),
                      tuple(person(r) for r in thread.replies))  # fmt: skip


async def _tenant(make_trimtab: AppFactory, *, champion: bool, **env: str) -> Trimtab:
    trimtab = await make_trimtab(clock=FakeClock(NOW), **env)
    await install_team(trimtab, people=[ADELE, *PEOPLE.values()])
    if champion:
        await make_champion(trimtab, MEGAN)
    for person in (ADELE, MEGAN):
        await trimtab.say(person, "help")  # their 1:1 chats exist
    repo = AdoptionRepository(trimtab.store)
    members = tuple(p.aad_id for p in PEOPLE.values())
    await repo.save_team(TeamFact(MY_TEAM.aad_group_id, MY_TEAM.name, members))
    await repo.save_threads(MY_TEAM.aad_group_id, [_ours(t) for t in facts()])
    trimtab.connector.clear()
    return trimtab


async def test_team_turning_red_gives_its_champion_one_card_and_one_button_posts_the_nudge(
    make_trimtab: AppFactory,
) -> None:
    trimtab = await _tenant(make_trimtab, champion=True)
    [outcome] = await run_plan_loops(trimtab.services)
    assert (outcome.key, outcome.statuses, outcome.logged) == (KEY, ("delivered",), True)
    [alert] = trimtab.connector.to(MEGAN.personal_conversation)
    assert trimtab.connector.to(ADELE.personal_conversation) == []
    card = alert.cards[0]
    assert_valid_card(card)
    text = alert.all_text()
    assert "My Team needs a nudge" in text and "its health dropped from amber to red" in text
    [button] = card["actions"]
    assert button["data"]["plan_loop"] == KEY
    assert button["data"]["command"].startswith(f"nudge {MY_TEAM.id} A few questions")
    # the same week again, a day later: nothing more
    trimtab.clock.advance(timedelta(days=1))
    again = await run_plan_loops(trimtab.services)
    assert again == [] and len(trimtab.connector.to(MEGAN.personal_conversation)) == 1
    # Megan uses the button: the ordinary nudge path posts it in My Team's General channel
    await trimtab.send(trimtab.teams.submit(MEGAN, button["data"]))
    [posted] = [s for s in trimtab.connector.sent if s.conversation_id.split(";")[0] == MY_TEAM.id]
    assert "A few questions in here are still waiting" in posted.all_text()
    [nudge] = (await trimtab.store.all(NUDGES)).values()
    assert nudge["champion"] == MEGAN.aad_id and nudge["status"] == "delivered"
    [entry] = await PlanRepository(trimtab.store).loops()
    assert (entry.kind, entry.acted_by, entry.recipients) == ("band_drop", MEGAN.name,
                                                              (MEGAN.aad_id,))  # fmt: skip
    assert entry.acted_at == trimtab.clock()


async def test_without_a_champion_the_admin_gets_the_find_a_champion_card(
    make_trimtab: AppFactory,
) -> None:
    trimtab = await _tenant(make_trimtab, champion=False)
    [outcome] = await run_plan_loops(trimtab.services)
    assert outcome.key == f"find_champion|{MY_TEAM.aad_group_id}|2026-W48"
    [card_post] = trimtab.connector.to(ADELE.personal_conversation)
    assert_valid_card(card_post.cards[0])
    text = card_post.all_text()
    assert "My Team has no champion" in text and "health dropped from amber to red" in text
    assert "1. Lee Gu" in text  # W45–W48: only Lee posted
    assert trimtab.connector.to(MEGAN.personal_conversation) == []
    assert await run_plan_loops(trimtab.services) == []


async def test_a_loop_switched_off_sends_nothing(make_trimtab: AppFactory) -> None:
    trimtab = await _tenant(make_trimtab, champion=True, TRIMTAB_PLAN_LOOPS_OFF="band_drop")
    assert await run_plan_loops(trimtab.services) == []
    assert trimtab.connector.sent == [] and await PlanRepository(trimtab.store).loops() == []


def test_loop_settings_from_the_environment() -> None:
    assert loop_settings({}) == LoopSettings()
    off = loop_settings({"TRIMTAB_PLAN_LOOPS_OFF": " Celebration, goal_off_track"})
    assert off == LoopSettings(band_drop=True, goal_off_track=False, celebration=False)
    with pytest.raises(SettingsError, match="TRIMTAB_PLAN_LOOPS_OFF: unknown loop"):
        loop_settings({"TRIMTAB_PLAN_LOOPS_OFF": "band_drops"})


SALES_TEAM = Team("Sales", "19:sales-general@thread.tacv2", "team-a")


async def test_a_met_goal_is_celebrated_in_the_general_channel_once(trimtab: Trimtab) -> None:
    """``tests.bot.admin_data``'s Sales at W47: reply rate 2/3 (W46 without data, W41 0%), so
    a 60% reply-rate goal goes from "no data" at W46 to met at W47 (judged on Mon 23 Nov)."""
    await install_team(trimtab, SALES_TEAM, people=[ADELE])
    await seed_adoption(trimtab.store)
    await trimtab.say(ADELE, "plan add Sales reply_rate 60% by 2027-03-31")
    await trimtab.say(ADELE, "plan add Sales posts 2 by 2027-03-31")
    assert (await trimtab.say(ADELE, "plan celebrate g2 off"))[0].text == (
        "Goal g2: no celebration when it is met."
    )
    trimtab.connector.clear()
    outcomes = await run_plan_loops(trimtab.services)
    assert [o.key for o in outcomes if o.kind == "celebration"] == ["celebration|team-a|2026-W47"]
    [party] = trimtab.connector.to(SALES_TEAM.id)
    assert_valid_card(party.cards[0])
    assert "Goal met: Sales" in party.all_text()
    assert "goal g1 (reply_rate) was met" in party.all_text() and "g2" not in party.all_text()
    await run_plan_loops(trimtab.services)
    assert len(trimtab.connector.to(SALES_TEAM.id)) == 1


async def test_plan_celebrate_bad_input(trimtab: Trimtab) -> None:
    usage = (await trimtab.say(ADELE, "plan celebrate g1 maybe"))[0].text
    assert "`plan celebrate <id> on`" in usage
    missing = (await trimtab.say(ADELE, "plan celebrate g9 on"))[0].text
    assert missing == "There is no goal g9. `plans` lists the goals and their ids."


async def test_a_loop_nobody_received_is_tried_again_next_run(make_trimtab: AppFactory) -> None:
    trimtab = await _tenant(make_trimtab, champion=True)
    trimtab.connector.fail(400, conversation_id=MEGAN.personal_conversation)
    [failed] = await run_plan_loops(trimtab.services)
    assert (failed.statuses, failed.logged) == (("failed",), False)
    assert await PlanRepository(trimtab.store).loops() == []
    [retried] = await run_plan_loops(trimtab.services)
    assert (retried.key, retried.statuses, retried.logged) == (KEY, ("delivered",), True)
    assert len(trimtab.connector.to(MEGAN.personal_conversation)) == 1


async def test_a_bad_loop_switch_stops_the_start(make_trimtab: AppFactory) -> None:
    with pytest.raises(SettingsError, match="TRIMTAB_PLAN_LOOPS_OFF"):
        await make_trimtab(TRIMTAB_PLAN_LOOPS_OFF="everything")
