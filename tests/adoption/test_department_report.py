"""``trimtab report`` with TRIMTAB_GROUP_BY=department: a ``departments`` section.

The facts are those of test_departments.py (hand-computed numbers there); here they go
through a TinyDB data dir and the report command, as an operator runs it.
"""

from __future__ import annotations

import argparse
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from adoption.department_store import DepartmentRepository
from adoption.department_sync import NO_DEPARTMENT
from adoption.report import TOO_FEW_PEOPLE
from adoption.repository import AdoptionRepository
from bot.cli_report import add_parser, report_command
from bot.storage import TinyDBStore
from tests.adoption.department_facts import DEPARTMENTS, threads
from tests.adoption.factories import at, team

WEEK = "2026-11-02..2026-11-08"


@pytest.fixture
async def data_dir(tmp_path: Path) -> Path:
    store = await TinyDBStore.open(tmp_path / "data")
    repo = AdoptionRepository(store)
    await repo.save_team(
        replace(team("t1", members=tuple("abcdef")), collected_since=at("2026-10-01 00:00"))
    )
    await repo.save_threads("t1", threads())
    await DepartmentRepository(store).replace(DEPARTMENTS)
    await store.put("champions.registry", "b", {"added_by": "admin"})
    await store.close()
    return tmp_path / "data"


async def run(data_dir: Path, *argv: str, **env: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["report", "--period", WEEK, *argv])
    out, err = io.StringIO(), io.StringIO()
    variables = {"TRIMTAB_DATA_DIR": str(data_dir), "TRIMTAB_MIN_GROUP_SIZE": "3", **env}
    code = await report_command(
        args, env=variables, now=at("2026-11-23 08:00"), stdout=out, stderr=err
    )
    return code, out.getvalue(), err.getvalue()


async def test_json_has_a_departments_section_when_grouping_is_on(data_dir: Path) -> None:
    code, out, err = await run(data_dir, "--format", "json", TRIMTAB_GROUP_BY="department")
    assert (code, err) == (0, "")
    section = json.loads(out)["departments"]
    assert section["period"] == {"start": "2026-11-02", "end": "2026-11-08"}
    assert section["min_group_size"] == 3
    by_name = {d["name"]: d for d in section["departments"]}
    assert list(by_name) == ["Engineering", "Finance", "Sales", NO_DEPARTMENT]
    sales = by_name["Sales"]  # champion b comes from champions.registry
    assert (sales["posts"], sales["replies"], sales["reply_rate"]) == (2, 5, 1.0)
    assert (sales["median_first_reply_minutes"], sales["champion_share"]) == (75.0, 0.429)
    assert by_name["Engineering"] == {
        "name": "Engineering",
        "members": 2,
        "suppressed": TOO_FEW_PEOPLE,
    }


async def test_no_section_when_grouping_is_off_or_for_one_team(data_dir: Path) -> None:
    code, out, _ = await run(data_dir, "--format", "json")
    assert code == 0 and "departments" not in json.loads(out)
    code, out, _ = await run(
        data_dir, "--format", "json", "--team", "Team One", TRIMTAB_GROUP_BY="department"
    )
    assert code == 0 and "departments" not in json.loads(out)


async def test_html_shows_the_department_table(data_dir: Path) -> None:
    code, out, _ = await run(data_dir, "--format", "html", TRIMTAB_GROUP_BY="department")
    assert code == 0
    table = out[out.index('id="departments"') : out.index("</section>", out.index("By department"))]
    assert "<td>Sales</td><td>3</td>" in table and "75 min" in table
    assert table.count(TOO_FEW_PEOPLE) == 3  # Engineering, Finance, (no department)


async def test_a_bad_group_by_is_one_line_and_exit_2(data_dir: Path) -> None:
    code, out, err = await run(data_dir, "--format", "json", TRIMTAB_GROUP_BY="teams")
    assert (code, out) == (2, "")
    assert err == (
        "trimtab report: TRIMTAB_GROUP_BY must be one of: none, department; got 'teams'\n"
    )
