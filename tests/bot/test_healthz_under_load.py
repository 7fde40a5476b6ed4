"""`/healthz` answers while dashboard pages compute and render for a large-ish stored tenant.

The report computation (or the template rendering) is made slow by holding it on a
``threading.Event``: had it run on the event loop, the loop would be stuck there and
``/healthz`` could not answer until it was released. The test asserts the order (health
answered while every page is still computing), never a duration. On TinyDB, the thread
that reads each rollup file is recorded: never the event loop's.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
import pytest

import adoption.departments as departments
import bot.admin.summary as summary
import bot.dashboard.routes as routes
import plans.review as review
from adoption.report import AdoptionReport, ReportInputs, compute_report
from bench.healthz_bench import fill_store
from bot.storage import MemoryStore, TinyDBStore
from tests.bot.dashboard_support import mint
from tests.conftest import START, AppFactory, Trimtab

TEAMS = 150
HELD = 10.0  # seconds a held computation waits at most: a regression fails, it never hangs


class Gate:
    """Holds work in a worker thread until the test opens it."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.opened = threading.Event()

    def hold(self) -> None:
        self.entered.set()
        if not self.opened.wait(HELD):
            raise AssertionError("held on the event loop: /healthz could not answer")

    async def until_entered(self) -> None:
        for _ in range(int(HELD * 1000)):  # polling rounds; the assertion is the order
            if self.entered.is_set():
                return
            await asyncio.sleep(0.001)
        raise AssertionError("no page reached the computation")


async def large_tenant(make_trimtab: AppFactory, **env: str) -> Trimtab:
    store = MemoryStore()
    today = START.date()
    await fill_store(
        store, teams=TEAMS, channels=2, threads=8, tz=ZoneInfo("UTC"),
        start=today - timedelta(weeks=9), end=today - timedelta(days=1),
    )  # fmt: skip
    app = await make_trimtab(store=store, **env)
    await app.client.get(await mint(app))  # the session cookie
    return app


async def pages_while_healthz(app: Trimtab, gate: Gate, paths: list[str]) -> list[str]:
    loads = [asyncio.ensure_future(app.client.get(path)) for path in paths]
    await gate.until_entered()

    health = await asyncio.wait_for(app.client.get("/healthz"), HELD)

    assert health.status == 200 and (await health.json())["status"] == "ok"
    assert not any(load.done() for load in loads), "a page finished before /healthz answered"
    gate.opened.set()
    bodies = []
    for response in await asyncio.gather(*loads):
        body = await response.text()
        assert response.status == 200, body
        bodies.append(body)
    return bodies


async def test_healthz_answers_while_ten_pages_compute_their_reports(
    make_trimtab: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = await large_tenant(make_trimtab)
    gate = Gate()

    def slow_compute(inputs: ReportInputs) -> AdoptionReport:
        gate.hold()
        return compute_report(inputs)

    monkeypatch.setattr(summary, "compute_report", slow_compute)
    paths = ["/dashboard/?weeks=4" if i % 2 else "/dashboard/team/team-0007" for i in range(10)]

    bodies = await pages_while_healthz(app, gate, paths)

    assert all("Team 0007" in body for body in bodies)
    assert "Team 0149" in bodies[1]  # the overview lists every team


async def test_healthz_answers_while_a_page_template_renders(
    make_trimtab: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = Gate()

    class HeldTemplate(jinja2.Template):
        def render(self, *args: Any, **kwargs: Any) -> str:
            if self.name == "overview.html.j2":
                gate.hold()
            return super().render(*args, **kwargs)

    made: Callable[[], jinja2.Environment] = routes.environment

    def environment() -> jinja2.Environment:
        env = made()
        env.template_class = HeldTemplate
        return env

    monkeypatch.setattr(routes, "environment", environment)
    app = await large_tenant(make_trimtab)

    bodies = await pages_while_healthz(app, gate, ["/dashboard/"])

    assert "Team 0149" in bodies[0]


async def test_healthz_answers_while_the_review_document_is_measured(
    make_trimtab: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = await large_tenant(make_trimtab)
    gate = Gate()

    def slow_compute(inputs: ReportInputs) -> AdoptionReport:
        gate.hold()
        return compute_report(inputs)

    monkeypatch.setattr(review, "compute_report", slow_compute)

    bodies = await pages_while_healthz(app, gate, ["/dashboard/review?month=2026-11"])

    assert "2026-11" in bodies[0] or "November 2026" in bodies[0]


async def test_healthz_answers_while_the_departments_page_is_measured(
    make_trimtab: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = await large_tenant(make_trimtab, TRIMTAB_GROUP_BY="department")
    gate = Gate()
    measure = departments.department_metrics

    def slow_metrics(*args: Any, **kwargs: Any) -> list[departments.DepartmentMetrics]:
        gate.hold()
        return measure(*args, **kwargs)

    monkeypatch.setattr(departments, "department_metrics", slow_metrics)

    bodies = await pages_while_healthz(app, gate, ["/dashboard/departments"])

    assert "Departments" in bodies[0]


async def test_a_tinydb_tenants_rollup_files_are_read_off_the_event_loop(
    make_trimtab: AppFactory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Reading 2,000 rollup files on the event loop held /healthz for seconds (issue 12)."""
    data = tmp_path / "tenant"
    writer = await TinyDBStore.open(data)
    today = START.date()
    await fill_store(
        writer, teams=12, channels=2, threads=4, tz=ZoneInfo("UTC"),
        start=today - timedelta(weeks=9), end=today - timedelta(days=1),
    )  # fmt: skip
    await writer.close()  # reopened below: no rollup is cached, every one is read from its file
    store = await TinyDBStore.open(data)
    loop_thread = threading.get_ident()
    readers: list[tuple[str, int]] = []
    read_bytes = Path.read_bytes

    def recording(path: Path) -> bytes:
        if path.name.startswith("adoption.rollup."):
            readers.append((path.name, threading.get_ident()))
        return read_bytes(path)

    try:
        app = await make_trimtab(store=store)
        await app.client.get(await mint(app))
        monkeypatch.setattr(Path, "read_bytes", recording)
        for path in ("/dashboard/?weeks=4", "/dashboard/team/team-0007?weeks=4"):
            page = await app.client.get(path)
            assert page.status == 200 and "Team 0007" in await page.text()
    finally:
        await store.close()

    assert len({name for name, _ in readers}) == 12, readers  # every team's, from its file
    assert all(thread != loop_thread for _, thread in readers), readers


async def test_whole_tenant_reports_are_read_one_at_a_time_and_shared_while_running(
    make_trimtab: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ten pages at once each held every team's documents while queued for the compute
    lane (600 MB, and the collector's full passes held /healthz for a second): an overview
    of another period reads only once the first one's report is measured, and a second
    overview of the same period shares the first one's report."""
    app = await large_tenant(make_trimtab)
    gate = Gate()
    loads: list[object] = []
    reads: list[object] = []
    real_load, real_read = summary.load, summary.read_report_inputs

    async def loading(*args: Any, **kwargs: Any) -> summary.AdminData:
        loads.append(kwargs.get("team"))
        return await real_load(*args, **kwargs)

    async def reading(*args: Any, **kwargs: Any) -> ReportInputs:
        reads.append(kwargs["end"] - kwargs["start"])
        return await real_read(*args, **kwargs)

    def slow_compute(inputs: ReportInputs) -> AdoptionReport:
        gate.hold()
        return compute_report(inputs)

    monkeypatch.setattr(routes, "load", loading)
    monkeypatch.setattr(summary, "read_report_inputs", reading)
    monkeypatch.setattr(summary, "compute_report", slow_compute)
    urls = ["/dashboard/?weeks=4", "/dashboard/?weeks=4", "/dashboard/?weeks=8"]
    pages = [asyncio.ensure_future(app.client.get(url)) for url in urls]
    await gate.until_entered()
    for _ in range(int(HELD * 1000)):  # polling rounds until every page is in load
        if len(loads) == 3:
            break
        await asyncio.sleep(0.001)

    four, eight = timedelta(weeks=4, days=-1), timedelta(weeks=8, days=-1)
    assert loads == [None] * 3 and reads == [four]  # one shared, one waiting for the slot
    gate.opened.set()
    for page in await asyncio.gather(*pages):
        assert page.status == 200 and "Team 0149" in await page.text()
    assert reads == [four, eight]
