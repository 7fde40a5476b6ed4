"""Names and text people typed (circle names, display names, team names from Teams) are
escaped in text answers and in card strings composed in bot/messages: they render as typed,
never as emphasis or a link; example commands in code spans keep the name as typed."""

from __future__ import annotations

from tests.bot.champions_support import install_team
from tests.conftest import Trimtab
from tests.fakes.activities import ADELE, MEGAN, Person, Team

CIRCLE = "Dev_Ops_Guild (EU) & co!"
CIRCLE_SHOWN = r"Dev\_Ops\_Guild (EU) & co!"
MAL = Person("Mal *Bold* [click](https://evil.example)", "d0000000-0000-4000-8000-0000000000c1")
MAL_SHOWN = r"Mal \*Bold\* \[click\](https://evil.example)"
SALES = Team(
    "Sales_EU *now*",
    "19:5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e@thread.skype",
    "e0000000-0000-4000-8000-0000000000d1",
)
SALES_SHOWN = r"Sales\_EU \*now\*"


def _raw_markup_left(text: str) -> list[str]:
    """Markup of the typed names that would render (not escaped, not in a code span)."""
    outside_code = "".join(part for i, part in enumerate(text.split("`")) if i % 2 == 0)
    for escaped in (CIRCLE_SHOWN, MAL_SHOWN, SALES_SHOWN):
        outside_code = outside_code.replace(escaped, "")
    return [m for m in ("Dev_Ops", "*Bold*", "[click](", "*now*") if m in outside_code]


async def test_circle_names_are_escaped_in_answers_and_kept_as_typed_in_examples(
    trimtab: Trimtab,
) -> None:
    created = (await trimtab.say(ADELE, f"circle create {CIRCLE}"))[0].text
    assert f"Circle **{CIRCLE_SHOWN}** is forming" in created
    assert f"`circle join {CIRCLE}`" in created and f"`circle start {CIRCLE}`" in created
    joined = (await trimtab.say(MEGAN, f"circle join {CIRCLE}"))[0].text
    assert joined.startswith(f"You joined **{CIRCLE_SHOWN}** (2 of 5)")
    goal = (await trimtab.say(MEGAN, "goal share a *draft* [early](https://x.example)"))[0].text
    assert (
        goal == rf"Your goal in **{CIRCLE_SHOWN}**: share a \*draft\* \[early\](https://x.example)"
    )
    again = (await trimtab.say(MEGAN, f"circle join {CIRCLE}"))[0].text
    assert f"You are already in **{CIRCLE_SHOWN}**; see `circle status {CIRCLE}`." == again
    for sent in trimtab.connector.sent:
        assert _raw_markup_left(sent.all_text()) == [], sent.all_text()


async def test_display_and_team_names_are_escaped_in_champion_answers_and_cards(
    trimtab: Trimtab,
) -> None:
    await install_team(trimtab, SALES, people=[ADELE, MAL])
    add = trimtab.teams.channel(
        ADELE, f"champion add {trimtab.teams.mention_text(MAL)}", team=SALES, mentions=[MAL]
    )
    assert (await trimtab.send(add))[0].text.startswith(f"{MAL_SHOWN} is now a champion.")
    sent = await trimtab.say(MAL, f"nudge {SALES.name} please reply in threads")
    nudged = sent[-1].text  # after the post in the team
    assert nudged.startswith(f"Nudged **{SALES_SHOWN}** in its General channel")
    posted = trimtab.connector.to(SALES.id)[-1].all_text()
    assert f"A nudge for {SALES_SHOWN}" in posted and f"From {MAL_SHOWN}" in posted
    board = (await trimtab.say(ADELE, "champions"))[0].all_text()
    assert f"1. {MAL_SHOWN} — 1 nudge" in board
    stats = (await trimtab.say(MAL, "champion stats"))[0].all_text()
    assert f"{SALES_SHOWN}: delivered" in stats and f"**{SALES_SHOWN}**" in stats
    again = (await trimtab.say(MAL, f"nudge {SALES.name} once more"))[-1].text
    assert f"You already nudged **{SALES_SHOWN}** today" in again
    for sent in trimtab.connector.sent:
        assert _raw_markup_left(sent.all_text()) == [], sent.all_text()
