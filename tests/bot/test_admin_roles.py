"""`admin add @person`: mentions resolved to AAD ids through the roster, one role check."""

from __future__ import annotations

from tests.conftest import Trimtab
from tests.fakes.activities import ADELE, LEE, MEGAN


async def test_admin_adds_admin_by_mention_in_channel(trimtab: Trimtab) -> None:
    trimtab.connector.add_member(LEE.teams_id, LEE.name, LEE.aad_id)
    activity = trimtab.teams.channel(ADELE, "admin add <at>Lee Gu</at>", mentions=[LEE])
    sent = await trimtab.send(activity)
    assert sent[0].text == "Lee Gu is now an admin."
    # Lee now sees admin commands, and a second add says so instead of adding twice.
    help_reply = await trimtab.say(LEE, "help")
    assert "`admin add @person`" in help_reply[0].all_text()
    again = await trimtab.send(
        trimtab.teams.channel(ADELE, "admin add <at>Lee Gu</at>", mentions=[LEE])
    )
    assert again[0].text == "Lee Gu is already an admin."


async def test_admin_add_without_mention_explains(trimtab: Trimtab) -> None:
    sent = await trimtab.say(ADELE, "admin add Lee")
    assert "admin add @person" in sent[0].text


async def test_admin_add_for_someone_outside_the_roster(trimtab: Trimtab) -> None:
    activity = trimtab.teams.channel(ADELE, "admin add <at>Megan Bowen</at>", mentions=[MEGAN])
    sent = await trimtab.send(activity)
    assert "could not look up Megan Bowen" in sent[0].text
