"""`admin remove @person`: chat-added admins lose the role and their dashboard access at once;
admins from TRIMTAB_ADMINS stay."""

from __future__ import annotations

import pytest

from tests.bot.dashboard_support import mint
from tests.conftest import AppFactory, Trimtab
from tests.fakes.activities import ADELE, LEE, MEGAN, Person


async def _in_channel(trimtab: Trimtab, sender: Person, command: str, person: Person) -> str:
    trimtab.connector.add_member(person.teams_id, person.name, person.aad_id)
    text = f"{command} {trimtab.teams.mention_text(person)}"
    sent = await trimtab.send(trimtab.teams.channel(sender, text, mentions=[person]))
    return sent[0].text


async def test_admin_remove_takes_the_role_and_ends_dashboard_links_and_sessions(
    trimtab: Trimtab,
) -> None:
    assert await _in_channel(trimtab, ADELE, "admin add", LEE) == "Lee Gu is now an admin."
    link = await mint(trimtab, LEE)
    client = trimtab.client
    first = await client.get(link, allow_redirects=False)
    assert first.status == 303  # the link is good and sets Lee's session cookie
    assert (await client.get("/dashboard/circles")).status == 200

    answer = await _in_channel(trimtab, ADELE, "admin remove", LEE)
    assert answer.startswith("Lee Gu is no longer an admin.")

    assert (await client.get("/dashboard/circles")).status == 403  # the session
    client.session.cookie_jar.clear()
    assert (await client.get(link, allow_redirects=False)).status == 403  # the link
    refused = await trimtab.say(LEE, "dashboard")
    assert refused[0].text.startswith("`dashboard` is for admins")
    help_text = (await trimtab.say(LEE, "help"))[0].all_text()
    assert "admin remove" not in help_text and "You are a **member**" in help_text


@pytest.mark.parametrize("configured_as", ["aad id", "upn"])
async def test_admin_remove_leaves_configured_admins_and_says_so(
    make_trimtab: AppFactory, configured_as: str
) -> None:
    megan = MEGAN.aad_id if configured_as == "aad id" else "megan@contoso.example"
    trimtab = await make_trimtab(TRIMTAB_ADMINS=f"{ADELE.aad_id},{megan}")
    answer = await _in_channel(trimtab, ADELE, "admin remove", MEGAN)
    assert "through TRIMTAB_ADMINS and stays one" in answer
    assert "sig=" in (await trimtab.say(MEGAN, "dashboard"))[0].all_text()


async def test_admin_remove_of_someone_who_is_no_admin_changes_nothing(
    trimtab: Trimtab,
) -> None:
    answer = await _in_channel(trimtab, ADELE, "admin remove", LEE)
    assert answer == "Lee Gu is not an admin added in chat, so there was nothing to remove."


async def test_admin_remove_without_a_mention_explains(trimtab: Trimtab) -> None:
    sent = await trimtab.say(ADELE, "admin remove Lee")
    assert "`admin remove @person`" in sent[0].text


async def test_admin_remove_is_for_admins_and_listed_in_their_help(trimtab: Trimtab) -> None:
    refused = await _in_channel(trimtab, MEGAN, "admin remove", ADELE)
    assert refused.startswith("`admin remove` is for admins")
    help_text = (await trimtab.say(ADELE, "help"))[0].all_text()
    assert "`admin remove @person`" in help_text
