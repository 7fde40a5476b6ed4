"""TRIMTAB_MIN_GROUP_SIZE on every bot surface: a team with fewer active people shows "too
few people to report" instead of its health, measures and personas — on the team card, the
tenant card, the digest, the dashboard's overview (and its CSV) and the team page."""

from __future__ import annotations

import csv
import io

from bot.admin.digest import send_weekly_digests
from tests.bot.admin_data import OPS, SALES, seed_all
from tests.bot.dashboard_support import mint
from tests.conftest import AppFactory
from tests.fakes.activities import ADELE

WITHHELD = "too few people to report"


async def test_a_team_under_the_floor_shows_no_measure_anywhere(make_trimtab: AppFactory) -> None:
    trimtab = await make_trimtab(TRIMTAB_MIN_GROUP_SIZE="20")  # more than either team has
    await seed_all(trimtab.store)

    card = (await trimtab.say(ADELE, "adoption summary Sales"))[0].all_text()
    assert WITHHELD in card
    assert "Health 78" not in card and "green" not in card
    tenant_card = (await trimtab.say(ADELE, "adoption summary"))[0].all_text()
    assert "🟢 0 green" in tenant_card and "🔴 0 red" in tenant_card

    await trimtab.say(ADELE, "digest on")
    trimtab.connector.clear()
    await send_weekly_digests(trimtab.services)
    digest = trimtab.connector.to(ADELE.personal_conversation)[0].all_text()
    assert "Ops: 8" not in digest

    client = trimtab.client
    await client.get(await mint(trimtab))
    rows = list(
        csv.DictReader(io.StringIO(await (await client.get("/dashboard/?csv=teams")).text()))
    )
    assert {r["Team"] for r in rows} == {"Sales", "Ops"}
    for row in rows:
        assert row["Health"] == "" and row["Band"] == "" and row["Posts"] == ""
        assert row["Suggested action"] == WITHHELD
    for team_id in (SALES, OPS):
        page = await (await client.get(f"/dashboard/team/{team_id}")).text()
        assert WITHHELD in page
        assert '<div class="value">78</div>' not in page
        assert '<div class="value">8</div>' not in page


async def test_the_same_tenant_over_the_floor_shows_its_measures(make_trimtab: AppFactory) -> None:
    trimtab = await make_trimtab(TRIMTAB_MIN_GROUP_SIZE="2")
    await seed_all(trimtab.store)
    card = (await trimtab.say(ADELE, "adoption summary Sales"))[0].all_text()
    assert "Health 78 (green)" in card and WITHHELD not in card
