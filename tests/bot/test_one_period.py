"""One period everywhere: card, digest and dashboard measure the same 4 full weeks by default,
print it, and so show a team in the same band; the dashboard offers 4, 8, 13 and 26 weeks."""

from __future__ import annotations

import csv
import io
import threading

import pytest

from bot.admin.digest import send_weekly_digests
from tests.bot.admin_data import OPS, SALES, seed_all
from tests.bot.dashboard_support import mint
from tests.conftest import Trimtab
from tests.fakes.activities import ADELE

PERIOD = "last 4 full weeks, 26 Oct – 22 Nov 2026 (vs the 4 weeks before)"
#: team id, name, health score and band over the last 4 full weeks of the seeded tenant
TEAMS = [(SALES, "Sales", 78, "green"), (OPS, "Ops", 8, "red")]


def kpi(label: str, value: object, note: str) -> str:
    return (
        f'<div class="label">{label}</div><div class="value">{value}</div>'
        f'<div class="note">{note}</div>'
    )


async def test_a_team_has_the_same_band_and_period_on_card_digest_and_dashboard(
    trimtab: Trimtab,
) -> None:
    await seed_all(trimtab.store)
    for _, name, score, band in TEAMS:
        card = (await trimtab.say(ADELE, f"adoption summary {name}"))[0].all_text()
        assert f"Health {score} ({band})" in card and PERIOD in card
    tenant_card = (await trimtab.say(ADELE, "adoption summary"))[0].all_text()
    assert PERIOD in tenant_card and "🟢 1 green" in tenant_card and "🔴 1 red" in tenant_card

    await trimtab.say(ADELE, "digest on")
    trimtab.connector.clear()
    await send_weekly_digests(trimtab.services)
    digest = trimtab.connector.to(ADELE.personal_conversation)[0]
    facts = {f["title"]: f["value"] for f in digest.cards[0]["body"][2]["facts"]}
    assert PERIOD in digest.all_text() and "Ops: 8 ↓" in digest.all_text()
    assert facts["Health"] == "1 green · 0 amber · 1 red"

    client = trimtab.client
    await client.get(await mint(trimtab))
    for team_id, _, score, band in TEAMS:
        page = await client.get(f"/dashboard/team/{team_id}")
        html = await page.text()
        assert page.status == 200 and PERIOD in html
        assert kpi("Health", score, band) in html
    overview = await client.get("/dashboard/")
    assert PERIOD in await overview.text()
    rows = csv.DictReader(io.StringIO(await (await client.get("/dashboard/?csv=teams")).text()))
    assert {(r["Team"], r["Health"], r["Band"]) for r in rows} == {
        (name, str(score), band) for _, name, score, band in TEAMS
    }


async def test_the_dashboard_offers_4_8_13_and_26_weeks(trimtab: Trimtab) -> None:
    await seed_all(trimtab.store)
    client = trimtab.client
    await client.get(await mint(trimtab))
    html = await (await client.get("/dashboard/")).text()
    for weeks in (4, 8, 13, 26):
        assert f'href="/dashboard/?weeks={weeks}"' in html and f">{weeks} weeks</a>" in html
    assert 'class="current" aria-current="page">4 weeks</a>' in html

    eight = await client.get("/dashboard/?weeks=8")
    body = await eight.text()
    assert eight.status == 200
    assert "last 8 full weeks, 28 Sep – 22 Nov 2026 (vs the 8 weeks before)" in body
    assert 'aria-current="page">8 weeks</a>' in body
    assert f'href="/dashboard/team/{SALES}?weeks=8"' in body  # team links keep the period
    team = await (await client.get(f"/dashboard/team/{SALES}?weeks=8")).text()
    assert kpi("Health", 64, "amber") in team and "last 8 full weeks" in team
    quarter = await (await client.get("/dashboard/champions?weeks=13")).text()
    assert "last 13 full weeks, 24 Aug – 22 Nov 2026" in quarter
    half = await (await client.get("/dashboard/?weeks=26")).text()
    assert "last 26 full weeks, 25 May – 22 Nov 2026" in half


@pytest.mark.parametrize("value", ["5", "52", "0", "-4", "four", "4.0", "", "9" * 5000])
async def test_any_other_weeks_is_a_400_saying_what_is_allowed(
    trimtab: Trimtab, value: str
) -> None:
    await trimtab.client.get(await mint(trimtab))
    for path in ("/dashboard/", f"/dashboard/team/{SALES}", "/dashboard/champions"):
        await seed_all(trimtab.store)
        response = await trimtab.client.get(path, params={"weeks": value})
        text = await response.text()
        assert response.status == 400, (path, text)
        assert "weeks must be one of 4, 8, 13 or 26" in text
        assert len(text) < 300  # a long value is not echoed whole


async def decoding_recorded(
    trimtab: Trimtab, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[frozenset[str] | None], set[str]]:
    """Seeds the teams with rollups (what a sync stores beside the threads), then records
    the weeks each rollup decoding asks for and the threads that run it."""
    import adoption.repository as repository

    await seed_all(trimtab.store)
    repo = repository.AdoptionRepository(trimtab.store)
    for team_id, *_ in TEAMS:
        threads = await repo.threads(team_id)
        await repo.update_rollup(team_id, threads, trimtab.settings.timezone, complete=True)
    decoded: list[frozenset[str] | None] = []
    names: set[str] = set()
    real = repository.decode

    def recording(doc: dict[str, object], weeks: object = None) -> object:
        decoded.append(None if weeks is None else frozenset(weeks))  # type: ignore[arg-type]
        names.add(threading.current_thread().name)
        return real(doc, weeks)  # type: ignore[arg-type]

    monkeypatch.setattr(repository, "decode", recording)
    return decoded, names


async def test_a_dashboard_page_decodes_only_the_weeks_it_compares(
    trimtab: Trimtab, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Decoding rollups is most of a page's read: a page decodes the weeks of its period and
    of the one before, not every stored week, and in the compute lane, off the event loop."""
    decoded, threads = await decoding_recorded(trimtab, monkeypatch)
    await trimtab.client.get(await mint(trimtab))
    page = await trimtab.client.get("/dashboard/?weeks=4")
    assert page.status == 200 and PERIOD in await page.text()
    wanted = frozenset(f"2026-W{n}" for n in range(40, 48))  # 4 weeks and the 4 before
    assert decoded and all(weeks == wanted for weeks in decoded), decoded
    assert threads and all(name.startswith("trimtab-compute") for name in threads), threads


async def test_a_team_page_decodes_the_tenant_benchmark_off_the_event_loop(
    trimtab: Trimtab, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The team page ranks the team among every team (its tenant benchmark): those rollups
    too are decoded in the compute lane, and only for the weeks of the period."""
    decoded, threads = await decoding_recorded(trimtab, monkeypatch)
    await trimtab.client.get(await mint(trimtab))
    page = await trimtab.client.get(f"/dashboard/team/{SALES}?weeks=4")
    assert page.status == 200 and "of 2 teams for reply rate" in await page.text()
    assert len(decoded) >= 3  # the page's own team, then every team for its rank
    assert all(weeks is not None and len(weeks) <= 8 for weeks in decoded), decoded
    assert threads and all(name.startswith("trimtab-compute") for name in threads), threads
