"""Team names: a team seen only through channel messages gets its name from the connector;
`nudge <name>` matches it ignoring case and accents, with did-you-mean, never a raw id."""

from __future__ import annotations

import pytest

from tests.bot.champions_support import install_team, make_champion
from tests.conftest import AppFactory, Trimtab
from tests.fakes.activities import ADELE, LEE, MEGAN, Team, team_renamed

FABRIKAM = Team("Fabrikam Sales", "19:fabrikam-sales@thread.tacv2", "22222222-0000-4000-8000-1")
EQUIPE = Team("Équipe Ventes", "19:equipe-ventes@thread.tacv2", "22222222-0000-4000-8000-2")


@pytest.fixture
async def champion(make_trimtab: AppFactory) -> Trimtab:
    trimtab = await make_trimtab()
    await install_team(trimtab, people=[ADELE, MEGAN, LEE])
    await make_champion(trimtab, MEGAN)
    trimtab.connector.clear()
    return trimtab


async def seen_in_channel(trimtab: Trimtab, team: Team) -> None:
    """The bot is used in ``team``'s channel; Teams sends the team's id, not its name."""
    trimtab.connector.add_team(team.id, team.name, team.aad_group_id)
    await trimtab.send(trimtab.teams.channel(LEE, "help", team=team, team_name=False))
    trimtab.connector.clear()


async def test_a_team_seen_only_in_a_channel_message_is_found_by_nudge(
    champion: Trimtab,
) -> None:
    await seen_in_channel(champion, FABRIKAM)
    stored = await champion.services.directory.team(FABRIKAM.id)
    assert stored is not None and stored["name"] == "Fabrikam Sales"
    sent = await champion.say(MEGAN, "nudge fabrikam sales keep replying in threads")
    [answer] = [s for s in sent if s.conversation_id == MEGAN.personal_conversation]
    assert answer.text.startswith("Nudged **Fabrikam Sales**")
    assert len(champion.connector.to(FABRIKAM.id)) == 1


async def test_names_match_without_case_or_accents(champion: Trimtab) -> None:
    await seen_in_channel(champion, EQUIPE)
    sent = await champion.say(MEGAN, "nudge EQUIPE ventes")
    [answer] = [s for s in sent if s.conversation_id == MEGAN.personal_conversation]
    assert answer.text.startswith("Nudged **Équipe Ventes**")


async def test_a_typo_gets_did_you_mean_by_name(champion: Trimtab) -> None:
    await seen_in_channel(champion, FABRIKAM)
    [answer] = await champion.say(MEGAN, "nudge Fabrikam Sale")
    assert answer.text == "I am not in a team called “Fabrikam Sale”. Did you mean Fabrikam Sales?"


async def test_a_team_whose_name_is_unknown_is_never_listed_by_id(champion: Trimtab) -> None:
    nameless = Team("", "19:nameless@thread.tacv2", "")  # the connector does not know it
    await champion.send(champion.teams.channel(LEE, "help", team=nameless, team_name=False))
    [answer] = await champion.say(MEGAN, "nudge Contoso")
    assert nameless.id not in answer.text
    assert "a team whose name I have not learnt yet" in answer.text
    assert "My Team" in answer.text


async def test_a_rename_asks_the_connector_for_the_new_name(champion: Trimtab) -> None:
    await seen_in_channel(champion, FABRIKAM)
    champion.connector.add_team(FABRIKAM.id, "Fabrikam Sales EMEA")
    await champion.send(team_renamed(champion.teams, ADELE, team=FABRIKAM, new_name="x"))
    stored = await champion.services.directory.team(FABRIKAM.id)
    assert stored is not None and stored["name"] == "Fabrikam Sales EMEA"
