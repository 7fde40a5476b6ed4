"""`champion stats` and the leaderboard: before/after lift on hand-made adoption facts."""

from __future__ import annotations

from datetime import timedelta

from tests.bot.champions_support import install_team, make_champion, seed_adoption, thread
from tests.conftest import AppFactory, Trimtab
from tests.fakes.activities import ADELE, LEE, MEGAN, PATTI, Person
from tests.fakes.connector import Sent


async def said(trimtab: Trimtab, person: Person, text: str) -> list[Sent]:
    sent = await trimtab.say(person, text)
    return [s for s in sent if s.conversation_id == person.personal_conversation]


def facts_of(sent: Sent) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") == "FactSet":
                found.extend((f["title"], f["value"]) for f in node["facts"])
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(sent.cards)
    return found


async def setup(make_trimtab: AppFactory) -> Trimtab:
    trimtab = await make_trimtab()
    await install_team(trimtab, people=[ADELE, MEGAN, LEE, PATTI])
    await make_champion(trimtab, MEGAN)
    await make_champion(trimtab, PATTI)
    return trimtab


async def test_stats_compare_the_week_after_with_the_week_before(make_trimtab: AppFactory) -> None:
    trimtab = await setup(make_trimtab)
    at = trimtab.clock()
    day = timedelta(days=1)
    before = [thread(at - 3 * day), thread(at - 2 * day, author="b")]  # 2 threads, no replies
    after = [
        thread(at + day, replies=[("b", at + day + timedelta(hours=1))]),
        thread(at + 2 * day, author="b", replies=[("a", at + 2 * day + timedelta(hours=2))]),
        thread(at + 3 * day, replies=[("b", at + 3 * day + timedelta(hours=3))]),
        thread(at + 4 * day),
        thread(at + 9 * day, replies=[("b", at + 9 * day)]),  # outside the 7 days after
    ]
    await seed_adoption(trimtab.store, before + after)
    await said(trimtab, MEGAN, "nudge My Team")

    trimtab.clock.advance(timedelta(days=3, hours=4))
    [partial] = await said(trimtab, MEGAN, "champion stats")
    assert ("Threads", "2 → 3") in facts_of(partial)
    assert "not over yet: 3 days so far" in partial.all_text()

    trimtab.clock.advance(timedelta(days=4, hours=20))
    [stats] = await said(trimtab, MEGAN, "champion stats")
    assert facts_of(stats) == [
        ("Threads", "2 → 4"),
        ("Replies", "0 → 3"),
        ("Reply rate", "0% → 75%"),
    ]
    assert "1 nudge so far, 1 delivered, to 1 team." in stats.all_text()
    assert "7 days before vs 7 days after" in stats.all_text()

    [board] = await said(trimtab, LEE, "champions")
    text = board.all_text()
    assert "1. Megan Bowen — 1 nudge" in text
    assert "1. Megan Bowen — +5.0 messages per nudge (1 measured)" in text


async def test_stats_without_adoption_data_say_so(make_trimtab: AppFactory) -> None:
    trimtab = await setup(make_trimtab)
    await said(trimtab, MEGAN, "nudge My Team")
    [stats] = await said(trimtab, MEGAN, "champion stats")
    assert "No adoption data yet for this team." in stats.all_text()
    assert facts_of(stats) == []


async def test_stats_before_any_nudge_and_for_members(make_trimtab: AppFactory) -> None:
    trimtab = await setup(make_trimtab)
    [none] = await said(trimtab, MEGAN, "champion stats")
    assert none.text == "You have not nudged a team yet. Try `nudge <team name>`."
    [refused] = await said(trimtab, LEE, "champion stats")
    assert refused.text.startswith("`champion stats` is for champions")


async def test_leaderboard_ranks_by_nudges(make_trimtab: AppFactory) -> None:
    trimtab = await setup(make_trimtab)
    await said(trimtab, PATTI, "nudge My Team")
    trimtab.clock.advance(timedelta(days=1))
    await said(trimtab, PATTI, "nudge My Team")
    trimtab.clock.advance(timedelta(days=1))  # one nudge per team per day, whoever sends it
    await said(trimtab, MEGAN, "nudge My Team")
    [board] = await said(trimtab, LEE, "champions")
    text = board.all_text()
    assert "1. Patti Fernandez — 2 nudges" in text and "2. Megan Bowen — 1 nudge" in text
    assert "No measured lift yet" in text
