"""Two organisations on one Trimtab (empty allow-list): every read is scoped by tenant.

The home tenant (TENANT_ID, the one whose adoption data Trimtab collects) has a champion who
nudged a team, a circle, an admin added in chat and adoption data. People of another tenant
must see none of it: not the champions or leaderboard, circles, teams to nudge, people to
name, admins, or the adoption numbers ("no adoption data for your organisation").
"""

from __future__ import annotations

import pytest

from bot.admin.digest import send_weekly_digests
from bot.storage import MemoryStore
from tests.bot.admin_data import seed_adoption
from tests.bot.champions_support import install_team, make_champion
from tests.bot.circles_support import form_explorers, prompt_cards
from tests.conftest import AppFactory, Trimtab
from tests.fakes.activities import ADELE, LEE, MEGAN, TENANT_ID, ActivityFactory, Person, Team

OTHER_TENANT = "0c1d2e3f-4a5b-4c6d-8e7f-112233445566"
OTTO = Person("Otto Other", "b0000000-0000-4000-8000-0000000000a1")  # an admin there
PIA = Person("Pia Other", "b0000000-0000-4000-8000-0000000000a2")
THEIR_TEAM = Team(
    "Their Team",
    "19:1f2e3d4c5b6a79880011223344556677@thread.skype",
    "c0000000-0000-4000-8000-0000000000b1",
)
ADMINS = f"{ADELE.aad_id},{OTTO.aad_id}"


def other(trimtab: Trimtab) -> ActivityFactory:
    return trimtab.teams.in_tenant(OTHER_TENANT)


async def their(trimtab: Trimtab, person: Person, text: str) -> str:
    """What ``person`` of the other tenant reads after saying ``text`` in their 1:1 chat."""
    sent = await trimtab.send(other(trimtab).personal(person, text))
    return "\n".join(s.all_text() for s in sent)


async def home_with_data(trimtab: Trimtab) -> None:
    """Adele (home admin) installs My Team, makes Megan champion (who nudges), adds Lee as
    admin, creates a circle; adoption data is synced."""
    await install_team(trimtab, people=[ADELE, MEGAN, LEE])
    await make_champion(trimtab, MEGAN)
    await trimtab.say(MEGAN, "nudge My Team please answer in threads")
    lee = trimtab.teams.channel(ADELE, "admin add <at>Lee Gu</at>", mentions=[LEE])
    assert (await trimtab.send(lee))[0].text == "Lee Gu is now an admin."
    await trimtab.say(ADELE, "circle create Alpha Team")
    await seed_adoption(trimtab.store)


async def test_another_tenant_sees_none_of_the_home_tenants_records(
    make_trimtab: AppFactory,
) -> None:
    trimtab = await make_trimtab(TRIMTAB_ADMINS=ADMINS)
    await home_with_data(trimtab)
    home_board = "\n".join(s.all_text() for s in await trimtab.say(ADELE, "champions"))
    assert "Megan Bowen" in home_board and "1 nudge" in home_board

    board = await their(trimtab, PIA, "champions")
    assert "Megan" not in board and "No champions yet" in board and "No nudges yet" in board
    circles = await their(trimtab, PIA, "circle list")
    assert "Alpha Team" not in circles
    assert "no open circle called **Alpha Team**" in await their(
        trimtab, PIA, "circle join Alpha Team"
    )
    assert "not installed in any team" in await their(trimtab, OTTO, "nudge My Team hello")
    assert "don't know anyone called “Megan Bowen”" in await their(
        trimtab, OTTO, "champion add Megan Bowen"
    )
    for command in ("adoption summary", "adoption summary Sales", "digest on", "dashboard"):
        answer = await their(trimtab, OTTO, command)
        assert answer.startswith("No adoption data for your organisation"), command
        assert "Sales" not in answer and "sig=" not in answer
    assert "You are a **member**" in await their(trimtab, PIA, "help")


async def test_records_made_in_another_tenant_stay_there(make_trimtab: AppFactory) -> None:
    trimtab = await make_trimtab(TRIMTAB_ADMINS=ADMINS)
    await home_with_data(trimtab)
    teams = other(trimtab)
    trimtab.connector.add_member(PIA.teams_id, PIA.name, PIA.aad_id)
    await trimtab.send(teams.bot_added_to_team(OTTO, team=THEIR_TEAM))
    add = teams.channel(OTTO, "champion add <at>Pia Other</at>", mentions=[PIA], team=THEIR_TEAM)
    assert (await trimtab.send(add))[0].text.startswith("Pia Other is now a champion")
    assert "Nudged **Their Team**" in await their(trimtab, PIA, "nudge Their Team")
    await trimtab.send(teams.personal(PIA, "circle create Alpha Team"))  # the name is free there

    theirs = await their(trimtab, PIA, "champions")
    assert "Pia Other" in theirs and "Megan" not in theirs
    assert "Alpha Team" in await their(trimtab, PIA, "circle list")
    ours = "\n".join(s.all_text() for s in await trimtab.say(ADELE, "champions"))
    assert "Pia" not in ours and "Megan Bowen" in ours
    refused = await trimtab.say(MEGAN, "nudge Their Team")
    assert "I am not in a team called “Their Team”" in refused[0].text
    summary = "\n".join(s.all_text() for s in await trimtab.say(ADELE, "adoption summary"))
    assert "1 champion" in summary or "Champions" in summary
    assert "Pia" not in summary


async def test_an_admin_or_champion_record_of_one_tenant_gives_no_role_in_another(
    make_trimtab: AppFactory,
) -> None:
    trimtab = await make_trimtab()
    await home_with_data(trimtab)
    # Lee (admin added at home) and Megan (champion at home) heard from another tenant
    assert "You are a **member**" in await their(trimtab, LEE, "help")
    assert (await their(trimtab, MEGAN, "nudge My Team")).startswith("`nudge` is for champions")
    assert (await their(trimtab, LEE, "admin remove")).startswith("`admin remove` is for admins")


async def test_the_configured_graph_tenant_is_home_even_when_another_speaks_first(
    make_trimtab: AppFactory,
) -> None:
    trimtab = await make_trimtab(TRIMTAB_ADMINS=ADMINS, TRIMTAB_GRAPH_TENANT_ID=TENANT_ID)
    await seed_adoption(trimtab.store)
    assert (await their(trimtab, OTTO, "adoption summary")).startswith("No adoption data for")
    home = await trimtab.say(ADELE, "adoption summary")
    assert "Sales" in home[0].all_text()


async def test_records_stored_before_tenancy_belong_to_the_home_tenant(
    make_trimtab: AppFactory,
) -> None:
    trimtab = await make_trimtab(TRIMTAB_ADMINS=ADMINS, TRIMTAB_GRAPH_TENANT_ID=TENANT_ID)
    old = {"aad_id": MEGAN.aad_id, "name": "Megan Bowen", "teams_id": MEGAN.teams_id}
    await trimtab.store.put("champions.registry", MEGAN.aad_id, old)  # no tenant_id
    await trimtab.store.put("bot.admins", LEE.aad_id, {"aad_id": LEE.aad_id, "name": "Lee Gu"})
    assert "Megan Bowen" in (await trimtab.say(ADELE, "champions"))[0].all_text()
    assert "Megan" not in await their(trimtab, PIA, "champions")
    assert "You are a **admin**" in (await trimtab.say(LEE, "help"))[0].all_text()
    assert "You are a **member**" in await their(trimtab, LEE, "help")


async def test_tips_progress_records_its_tenant_and_the_digest_goes_to_home_admins_only(
    make_trimtab: AppFactory,
) -> None:
    trimtab = await make_trimtab(TRIMTAB_ADMINS=ADMINS, TRIMTAB_GRAPH_TENANT_ID=TENANT_ID)
    await seed_adoption(trimtab.store)
    await trimtab.send(other(trimtab).personal(PIA, "tips"))
    stored = await trimtab.store.get("coaching.progress", PIA.aad_id)
    assert stored is not None and stored["tenant_id"] == OTHER_TENANT
    await trimtab.say(ADELE, "digest on")
    theirs = {"aad_id": OTTO.aad_id, "name": OTTO.name, "upn": "", "tenant_id": OTHER_TENANT}
    await trimtab.store.put("digest.subscriptions", OTTO.aad_id, theirs)
    outcomes = await send_weekly_digests(trimtab.services)
    assert [o.admin for o in outcomes] == [ADELE.aad_id]


async def test_a_check_in_card_for_a_circle_of_another_tenant_reveals_nothing(
    trimtab: Trimtab,
) -> None:
    await form_explorers(trimtab, (ADELE, MEGAN))
    await trimtab.send(trimtab.teams.group(ADELE, "circle start Explorers"))
    data = {**prompt_cards(trimtab, MEGAN)[-1]["actions"][0]["data"], "text": "hi"}
    await trimtab.send(other(trimtab).submit(PIA, {**data, "command": "checkin"}))
    answer = trimtab.connector.to(PIA.personal_conversation)[-1].text
    assert "There is no open circle called" in answer and "Explorers" not in answer


async def test_without_configuration_the_first_tenant_heard_from_stays_home(
    make_trimtab: AppFactory, caplog: pytest.LogCaptureFixture
) -> None:
    store = MemoryStore()
    first = await make_trimtab(store=store, TRIMTAB_ADMINS=ADMINS)
    await seed_adoption(store)
    await first.say(ADELE, "help")
    assert f"taking the first tenant heard from, {TENANT_ID}" in caplog.text
    restarted = await make_trimtab(store=store, TRIMTAB_ADMINS=ADMINS)
    assert (await their(restarted, OTTO, "adoption summary")).startswith("No adoption data for")
    assert "Sales" in (await restarted.say(ADELE, "adoption summary"))[0].all_text()
