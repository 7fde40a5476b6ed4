"""kill -9 during a fan-out, restart on the same data dir: the delivery report shows every
key as delivered or in doubt (never stuck in "sending", never sent twice)."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from audience import iso_week
from tests.bot.cli_support import START_TIMEOUT, child_env, free_port
from tests.fakes.activities import ADELE, ALEX, LEE, MEGAN, NESTOR, ActivityFactory
from tests.fakes.connector import FakeConnector

MEMBERS = (MEGAN, LEE, ALEX, NESTOR)


class Child:
    """``trimtab run`` on a free port; talked to over HTTP without blocking the loop (the
    loopback connector it calls runs on this loop)."""

    def __init__(self, cwd: Path, data_dir: Path) -> None:
        self.port = free_port()
        env = child_env(TRIMTAB_DATA_DIR=str(data_dir), TRIMTAB_ADMINS=ADELE.aad_id)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "--port", str(self.port)],
            cwd=cwd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

    async def ready(self, http: aiohttp.ClientSession) -> None:
        for _ in range(int(START_TIMEOUT / 0.05)):
            assert self.process.poll() is None, self.process.communicate()
            try:
                async with http.get(f"http://127.0.0.1:{self.port}/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.05)  # waiting for a process to start, not for a rule
        raise AssertionError("trimtab did not start in time")

    async def post(self, http: aiohttp.ClientSession, activity: dict[str, Any]) -> int:
        url = f"http://127.0.0.1:{self.port}/api/messages"
        async with http.post(url, json=activity) as response:
            return response.status

    def kill(self) -> None:
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=START_TIMEOUT)
        if self.process.stderr:
            self.process.stderr.close()


@pytest.fixture
async def children(tmp_path: Path) -> AsyncIterator[list[Child]]:
    started: list[Child] = []
    yield started
    for child in started:
        child.kill()


async def until(condition: Any, what: str) -> None:
    for _ in range(int(START_TIMEOUT / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"timed out waiting for {what}")


def circle_row(text: str) -> dict[str, int]:
    match = re.search(r"\*\*circle\*\*: (.*)", text)
    if not match:
        return {}
    return {label: int(n) for n, label in re.findall(r"(\d+) ([a-z ()]+?)(?: ·|$)", match[1])}


async def test_kill_9_mid_fan_out_then_restart_leaves_every_key_delivered_or_in_doubt(
    connector: FakeConnector, children: list[Child], tmp_path: Path
) -> None:
    teams = ActivityFactory(connector.url)
    week = iso_week(datetime.now(UTC).date())
    async with aiohttp.ClientSession() as http:
        first = Child(tmp_path, tmp_path / "data")
        children.append(first)
        await first.ready(http)
        assert await first.post(http, teams.group(ADELE, "circle create Explorers")) in (200, 201)
        for person in MEMBERS:
            await first.post(http, teams.group(person, "circle join Explorers"))
        connector.hold, connector.hold_after = asyncio.Event(), 2
        start = asyncio.create_task(first.post(http, teams.group(ADELE, "circle start Explorers")))
        await until(lambda: connector.held >= 1, "a prompt in flight")
        first.kill()  # SIGKILL with prompts claimed and in flight
        start.cancel()
        connector.hold.set()  # what was in flight reaches Teams, unconfirmed
        connector.hold = None

        second = Child(tmp_path, tmp_path / "data")
        children.append(second)
        await second.ready(http)
        row: dict[str, int] = {}

        async def report() -> bool:
            nonlocal row
            await second.post(http, teams.personal(ADELE, f"deliveries {week}"))
            row = circle_row(connector.to(ADELE.personal_conversation)[-1].text)
            return row.get("sent") == 1 + len(MEMBERS) + 1  # 5 prompts and the chat note

        for _ in range(int(START_TIMEOUT / 0.05)):  # the restart's catch-up run finishing
            if await report():
                break
            await asyncio.sleep(0.05)
    assert row["sent"] == 6, row
    assert row["delivered"] + row["in doubt"] == 6, row
    assert row["in doubt"] >= 1 and row["failed"] == 0, row
    for person in (ADELE, *MEMBERS):
        cards = [s for s in connector.to(person.personal_conversation) if s.cards]
        assert len(cards) <= 1, f"{person.name} got the week 1 prompt twice"
