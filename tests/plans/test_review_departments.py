"""The review document's by-department table (TRIMTAB_GROUP_BY=department).

Facts of tests/adoption/department_facts.py over November 2026 (minimum group size 3):
Sales posted T1, T2 and T7 (c, 9 Nov, unanswered): 3 posts, 2 answered → 67%; replies
a, b, c, a, b = 5; active a, b, c = 3 of 3 → 100%. Engineering, Finance and
(no department) have fewer than 3 active people.
"""

from __future__ import annotations

import argparse
import io
from dataclasses import replace
from pathlib import Path

import pytest

from adoption.department_store import DepartmentRepository
from adoption.repository import AdoptionRepository
from bot.cli_review import add_parser, review_command
from bot.storage import TinyDBStore
from tests.adoption.department_facts import DEPARTMENTS, threads
from tests.adoption.factories import at, team


@pytest.fixture
async def data_dir(tmp_path: Path) -> Path:
    store = await TinyDBStore.open(tmp_path / "data")
    repo = AdoptionRepository(store)
    await repo.save_team(
        replace(team("t1", members=tuple("abcdef")), collected_since=at("2026-10-01 00:00"))
    )
    await repo.save_threads("t1", threads())
    await DepartmentRepository(store).replace(DEPARTMENTS)
    await store.close()
    return tmp_path / "data"


async def review(data_dir: Path, **env: str) -> str:
    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers(dest="command"))
    out, err = io.StringIO(), io.StringIO()
    variables = {"TRIMTAB_DATA_DIR": str(data_dir), "TRIMTAB_MIN_GROUP_SIZE": "3", **env}
    code = await review_command(
        parser.parse_args(["review", "--month", "2026-11"]),
        env=variables, now=at("2026-12-02 08:00"), stdout=out, stderr=err,
    )  # fmt: skip
    assert (code, err.getvalue()) == (0, "")
    return out.getvalue()


async def test_the_review_has_a_short_table_by_department(data_dir: Path) -> None:
    html = await review(data_dir, TRIMTAB_GROUP_BY="department")
    section = html[html.index('id="departments"') : html.index('id="people"')]
    rows = [r.split("</tr>")[0] for r in section.split("<tr>")[2:]]
    assert len(rows) == 4
    assert rows[2].replace("\n", "").replace(" ", "") == (
        "<td>Sales</td><td>3</td><td>3</td><td>5</td><td>67%</td><td>100%</td>"
    )
    for row, name in zip(rows, ["Engineering", "Finance", "Sales", "(no department)"], strict=True):
        assert row.startswith(f"<td>{name}</td>")
        assert ("too few people to report" in row) is (name != "Sales")


async def test_no_department_table_when_grouping_is_off(data_dir: Path) -> None:
    html = await review(data_dir)
    assert 'id="departments"' not in html and 'id="people"' in html
