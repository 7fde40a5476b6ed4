"""`plan add`, `plans`, `plan remove`, `adoption review` through /api/messages on the
hand-made tenant of ``tests.bot.admin_data`` (clock Monday 2026-11-23 08:00 UTC).

Sales' only full week with data in the 4 weeks before W48 is W47: 3 threads, 2 answered,
so a reply-rate goal set now has the baseline 2/3 → 67%.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import aiohttp

from plans.registry import metric_names
from plans.repository import GOALS
from tests.bot.admin_data import seed_adoption
from tests.cards.schema import assert_valid_card
from tests.conftest import Trimtab
from tests.fakes.activities import ADELE, LEE

ADD = 'plan add Sales reply_rate 60% by 2027-03-31 "decisions move from chat to channels"'


async def answer(trimtab: Trimtab, text: str, person=ADELE) -> str:  # type: ignore[no-untyped-def]
    [reply] = await trimtab.say(person, text)
    return reply.all_text()


async def test_plan_add_stores_a_goal_with_its_baseline(trimtab: Trimtab) -> None:
    await seed_adoption(trimtab.store)
    said = await answer(trimtab, ADD)
    assert said.startswith("Goal **g1** set for **Sales**: reply_rate 60% by 2027-03-31")
    assert "(“decisions move from chat to channels”)" in said and "Baseline 67%" in said
    [goal] = (await trimtab.store.all(GOALS)).values()
    assert (goal["team_id"], goal["metric"], goal["target"]) == ("team-a", "reply_rate", 0.6)
    assert goal["baseline"] == 2 / 3 and goal["created_by"] == ADELE.aad_id
    curly = await answer(trimtab, "plan add tenant active_share 50% by 2027-06-30 “everyone”")
    assert curly.startswith("Goal **g2** set for **all teams**") and "(“everyone”)" in curly


async def test_plan_add_bad_input_is_explained_and_nothing_stored(trimtab: Trimtab) -> None:
    await seed_adoption(trimtab.store)
    unknown = await answer(trimtab, "plan add Sales happiness 60% by 2027-03-31")
    assert "I don't measure “happiness”" in unknown
    assert ", ".join(metric_names()) in unknown
    too_high = await answer(trimtab, "plan add Sales reply_rate 150% by 2027-03-31")
    assert "does not fit reply_rate: give a value from 0% to 100%" in too_high
    count = await answer(trimtab, "plan add Sales posts -3 by 2027-03-31")
    assert "give a value from 0 to 100000" in count
    past = await answer(trimtab, "plan add Sales reply_rate 60% by 2026-11-01")
    assert "The date 2026-11-01 is not after today (2026-11-23)" in past
    not_a_date = await answer(trimtab, "plan add Sales reply_rate 60% by March")
    assert "“March” is not a date" in not_a_date
    close = await answer(trimtab, "plan add Sals reply_rate 60% by 2027-03-31")
    assert "no adoption data for a team called “Sals”. Did you mean “Sales”?" in close
    far = await answer(trimtab, "plan add Marketing reply_rate 60% by 2027-03-31")
    assert "called “Marketing”" in far and "adoption sync" in far
    usage = await answer(trimtab, "plan add Sales reply_rate 60%")
    assert "`plan add <team> <metric> <target> by <date>" in usage
    assert await answer(trimtab, "plan add") == usage
    assert await trimtab.store.all(GOALS) == {}


async def test_plans_lists_goals_with_status_and_plan_remove(trimtab: Trimtab) -> None:
    await seed_adoption(trimtab.store)
    await answer(trimtab, ADD)
    await answer(trimtab, "plan add Ops posts 5 by 2027-01-31")
    [reply] = await trimtab.say(ADELE, "plans")
    assert_valid_card(reply.cards[0])
    text = reply.all_text()
    # judged at W47, whose reply rate 2/3 is already at or past the 60% target: met
    assert "**g1** · Sales: reply_rate 60% by 2027-03-31 — met ✓ (now 67%)" in text
    assert "**g2** · Ops: posts 5 by 2027-01-31" in text
    only_ops = (await trimtab.say(ADELE, "plans ops"))[0].all_text()
    assert "Adoption goals · Ops" in only_ops and "g1" not in only_ops and "g2" in only_ops
    assert "Did you mean “Ops”?" in await answer(trimtab, "plans opz")
    assert await answer(trimtab, "plan remove G1") == "Goal g1 removed."
    assert await answer(trimtab, "plan remove g1") == (
        "There is no goal g1. `plans` lists the goals and their ids."
    )
    assert "`plan remove <id>`" in await answer(trimtab, "plan remove")
    assert list(await trimtab.store.all(GOALS)) == ["g2"]


async def test_plans_commands_need_their_roles(trimtab: Trimtab) -> None:
    await seed_adoption(trimtab.store)
    refused = await answer(trimtab, ADD, LEE)
    assert refused.startswith("`plan add` is for admins")
    assert (await answer(trimtab, "plans", LEE)).startswith("`plans` is for champions")
    assert (await answer(trimtab, "plan remove g1", LEE)).startswith("`plan remove` is for admins")
    assert await trimtab.store.all(GOALS) == {}


async def test_adoption_review_links_open_the_signed_reviews(trimtab: Trimtab) -> None:
    await seed_adoption(trimtab.store)
    [reply] = await trimtab.say(ADELE, "adoption review")
    card = reply.cards[0]
    assert_valid_card(card)
    links = {a["title"]: a["url"] for a in card["actions"]}
    assert set(links) == {
        "Monthly insight review · October 2026",
        "Quarterly business review · 2026-Q3",
    }
    month = urlsplit(links["Monthly insight review · October 2026"])
    assert month.path == "/dashboard/review" and "month=2026-10" in month.query
    assert re.search(r"(^|&)sig=", month.query)
    client = trimtab.client
    first = await client.get(f"{month.path}?{month.query}", allow_redirects=False)
    assert first.status == 303  # the signed link sets the cookie, then the page
    page = await client.get(first.headers["Location"])
    html = await page.text()
    assert page.status == 200 and "Monthly insight review" in html and "October 2026" in html
    bad = await client.get("/dashboard/review?month=2026-13")
    assert bad.status == 400 and "2026-11" in await bad.text()
    async with aiohttp.ClientSession() as stranger:  # no cookie, no signature
        unsigned = await stranger.get(str(client.make_url("/dashboard/review?quarter=2026-Q3")))
        assert unsigned.status == 401
    quarterly = await client.get("/dashboard/review?quarter=2026-Q3")
    assert "Quarterly business review" in await quarterly.text()
