"""`coach` in a team channel: the checklist, with the team's numbers when tracked."""

from __future__ import annotations

from coaching.lessons import BY_ID, LESSONS
from tests.bot.champions_support import low_reply_rate_last_week, seed_adoption
from tests.conftest import Trimtab
from tests.fakes.activities import MEGAN


async def test_coach_outside_a_channel_explains_where_it_works(trimtab: Trimtab) -> None:
    [answer] = await trimtab.say(MEGAN, "coach")
    assert "`coach` works in a team channel" in answer.text
    [group] = await trimtab.send(trimtab.teams.group(MEGAN, "coach"))
    assert "`coach` works in a team channel" in group.text


async def test_coach_without_numbers_says_so_plainly(trimtab: Trimtab) -> None:
    [reply] = await trimtab.send(trimtab.teams.channel(MEGAN, "coach"))
    text = reply.all_text()
    assert "Conversation-first checklist for My Team" in text
    assert all(lesson.checklist in text for lesson in LESSONS)
    assert "No adoption numbers for this team yet" in text
    assert "Reply rate" not in text


async def test_coach_with_numbers_shows_them_and_targets_the_weakest(trimtab: Trimtab) -> None:
    await seed_adoption(trimtab.store, low_reply_rate_last_week(trimtab.clock()))
    [reply] = await trimtab.send(trimtab.teams.channel(MEGAN, "coach"))
    card = reply.cards[0]
    facts = {
        f["title"]: f["value"]
        for item in card["body"]
        for block in item.get("items", [])
        if block["type"] == "FactSet"
        for f in block["facts"]
    }
    assert facts["Reply rate"] == "25%"
    assert facts["Unanswered threads"] == "3"
    assert facts["New threads"] == "4"
    assert "This team last week (2026-W47)" in reply.all_text()
    assert f"Focus this week: {BY_ID['reply-in-thread'].title}" in reply.all_text()
