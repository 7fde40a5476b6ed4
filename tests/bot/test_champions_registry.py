"""`champion add|remove` (admin) and `champions` (anyone): the registry and the leaderboard."""

from __future__ import annotations

from bot.roles import Role, UserRef
from champions import REGISTRY as CHAMPIONS
from tests.bot.champions_support import make_champion, mention
from tests.conftest import Trimtab
from tests.fakes.activities import ADELE, LEE, MEGAN


async def test_admin_adds_a_champion_with_a_mention_in_a_channel(trimtab: Trimtab) -> None:
    [reply] = await make_champion(trimtab, MEGAN)
    assert reply.text.startswith("Megan Bowen is now a champion")
    doc = await trimtab.store.get(CHAMPIONS, MEGAN.aad_id)
    assert doc is not None and doc["name"] == "Megan Bowen" and doc["by"] == ADELE.aad_id
    [help_card] = await trimtab.say(MEGAN, "help")
    assert "You are a **champion**" in help_card.all_text()
    assert "`nudge <team name> [<message>]`" in help_card.all_text()
    [again] = await make_champion(trimtab, MEGAN)
    assert again.text == "Megan Bowen is already a champion."


async def test_non_admin_cannot_add_champions(trimtab: Trimtab) -> None:
    activity = trimtab.teams.channel(
        LEE, f"champion add {mention(trimtab, MEGAN)}", mentions=[MEGAN]
    )
    [reply] = await trimtab.send(activity)
    assert reply.text.startswith("`champion add` is for admins")
    assert await trimtab.store.get(CHAMPIONS, MEGAN.aad_id) is None


async def test_a_plain_name_matching_nobody_gets_a_clear_answer(trimtab: Trimtab) -> None:
    [reply] = await trimtab.say(ADELE, "champion add Nobody Here")
    assert "I don't know anyone called “Nobody Here”" in reply.text
    [empty] = await trimtab.say(ADELE, "champion add")
    assert "Tell me who: `champion add @person`" in empty.text
    assert await trimtab.store.all(CHAMPIONS) == {}


async def test_a_plain_name_of_a_known_user_works(trimtab: Trimtab) -> None:
    await trimtab.say(LEE, "help")  # Lee is known to the bot now
    [reply] = await trimtab.say(ADELE, "champion add lee gu")
    assert reply.text.startswith("Lee Gu is now a champion")
    lee = UserRef(aad_id=LEE.aad_id, teams_id=LEE.teams_id, name=LEE.name)
    assert await trimtab.services.roles.role_of(lee) is Role.CHAMPION


async def test_remove_a_champion(trimtab: Trimtab) -> None:
    await make_champion(trimtab, MEGAN)
    remove = trimtab.teams.channel(
        ADELE, f"champion remove {mention(trimtab, MEGAN)}", mentions=[MEGAN]
    )
    [reply] = await trimtab.send(remove)
    assert reply.text.startswith("Megan Bowen is no longer a champion")
    assert await trimtab.store.get(CHAMPIONS, MEGAN.aad_id) is None
    [again] = await trimtab.send(
        trimtab.teams.channel(ADELE, f"champion remove {mention(trimtab, MEGAN)}", mentions=[MEGAN])
    )
    assert again.text == "Megan Bowen is not a champion, so there was nothing to remove."
    [refused] = await trimtab.say(MEGAN, "nudge My Team")
    assert refused.text.startswith("`nudge` is for champions")


async def test_champions_lists_everyone_for_anyone(trimtab: Trimtab) -> None:
    [empty] = await trimtab.say(LEE, "champions")
    assert "No champions yet" in empty.all_text()
    await make_champion(trimtab, MEGAN)
    [listed] = await trimtab.say(LEE, "champions")
    text = listed.all_text()
    assert "Megan Bowen" in text and "No nudges yet." in text and "No measured lift yet" in text
