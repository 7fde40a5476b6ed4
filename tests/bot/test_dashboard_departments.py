"""The dashboard's Departments page (TRIMTAB_GROUP_BY=department).

Data: ``tests/bot/admin_data.py``; departments Field (a1, a2), Inside (a3, a4) and
Operations (b1, b2); champion a2; minimum group size 2; ``?weeks=4`` is W44–W47.
Field: posts t1, t2, t3 = 3, answered t1 (30 min) and t2 (120 min): 67%, 1 unanswered,
median 75; reply r1 by a2 = 1; active a1, a2 = 2 of 2; champion a2 wrote t2 and r1:
2 of 4 = 50%. Inside (only a3 replied) and Operations (only b1 posted) have one active
person each: too few people to report.
"""

from __future__ import annotations

from adoption.department_store import DepartmentRepository
from adoption.report import TOO_FEW_PEOPLE
from bot.messages import departments as msg
from tests.bot.admin_data import seed_adoption, seed_champions
from tests.bot.dashboard_support import mint
from tests.conftest import AppFactory, Trimtab

GROUPS = {"a1": "Field", "a2": "Field", "a3": "Inside", "a4": "Inside",
          "b1": "Operations", "b2": "Operations"}  # fmt: skip
NAV_LINK = 'href="/dashboard/departments"'


async def grouped(make_trimtab: AppFactory, **env: str) -> Trimtab:
    trimtab = await make_trimtab(TRIMTAB_MIN_GROUP_SIZE="2", **env)
    await seed_adoption(trimtab.store)
    await seed_champions(trimtab.store)
    await DepartmentRepository(trimtab.store).replace(GROUPS)
    return trimtab


async def test_the_page_shows_each_department_and_hides_small_ones(
    make_trimtab: AppFactory,
) -> None:
    trimtab = await grouped(make_trimtab, TRIMTAB_GROUP_BY="department")
    assert (await trimtab.client.get("/dashboard/departments")).status == 401  # no session
    await trimtab.client.get(await mint(trimtab))
    overview = await (await trimtab.client.get("/dashboard/")).text()
    assert NAV_LINK in overview
    page = await trimtab.client.get("/dashboard/departments?weeks=4")
    html = await page.text()
    assert page.status == 200, html
    assert 'class="current">Departments</a>' in html
    assert "<td>Field</td>" in html and html.count(f"<td>{TOO_FEW_PEOPLE}</td>") == 2
    csv = await trimtab.client.get("/dashboard/departments?weeks=4&csv=departments")
    assert 'filename="departments.csv"' in csv.headers["Content-Disposition"]
    assert (await csv.text()).splitlines() == [
        ",".join(msg.HEADERS),
        "Field,2,3,1,67%,1,75,2,100%,50%,top 100% of 1",
        f"Inside,2,{TOO_FEW_PEOPLE},,,,,,,,",
        f"Operations,2,{TOO_FEW_PEOPLE},,,,,,,,",
    ]


async def test_grouping_off_answers_404_with_how_to_turn_it_on(make_trimtab: AppFactory) -> None:
    trimtab = await grouped(make_trimtab)
    await trimtab.client.get(await mint(trimtab))
    page = await trimtab.client.get("/dashboard/departments")
    assert page.status == 404
    assert await page.text() == msg.GROUPING_OFF
    assert "TRIMTAB_GROUP_BY=department" in msg.GROUPING_OFF
    assert NAV_LINK not in await (await trimtab.client.get("/dashboard/")).text()


async def test_bad_weeks_are_refused_and_nothing_changes(make_trimtab: AppFactory) -> None:
    trimtab = await grouped(make_trimtab, TRIMTAB_GROUP_BY="department")
    await trimtab.client.get(await mint(trimtab))
    for weeks in ("0", "53", "four", "-1"):
        answer = await trimtab.client.get(f"/dashboard/departments?weeks={weeks}")
        assert answer.status == 400, weeks
        assert await answer.text() == msg.BAD_WEEKS.format(most=52)
    assert await DepartmentRepository(trimtab.store).all() == GROUPS
    unknown = await trimtab.client.get("/dashboard/departments?csv=teams")
    assert unknown.status == 404


async def test_the_review_from_the_dashboard_has_the_department_table(
    make_trimtab: AppFactory,
) -> None:
    trimtab = await grouped(make_trimtab, TRIMTAB_GROUP_BY="department")
    await trimtab.client.get(await mint(trimtab))
    html = await (await trimtab.client.get("/dashboard/review?month=2026-11")).text()
    section = html[html.index('id="departments"') : html.index('id="people"')]
    # November: Field posted t1, t2, t3 (a1, a2), one reply; the others are too small
    assert "<td>Field</td><td>2</td>" in section and section.count(TOO_FEW_PEOPLE) == 2
