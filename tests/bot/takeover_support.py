"""Helpers of the multi-instance takeover tests: ``trimtab run`` children on one PostgreSQL
database, and circles seeded through the store so one due run fans out to many people."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp
from botbuilder.schema import ChannelAccount, ConversationAccount, ConversationReference

from bot._delivery_log import DeliveryLog
from bot.fanout_plans import PLANS
from bot.storage.dburl import parse_database_url
from bot.storage.postgres import PostgresStore
from tests.bot.cli_support import child_env, free_port
from tests.fakes.activities import TENANT_ID, Person
from wol_circles import rules
from wol_circles.model import Member, Origin, OriginKind, Slot
from wol_circles.repository import CIRCLES, NAMES, name_key

MEMBERS_PER_CIRCLE = 5
HEALTHZ_TIMEOUT = aiohttp.ClientTimeout(total=5)


class Instance:
    """One ``trimtab run`` process; talked to over HTTP without blocking the event loop (the
    loopback connector it calls runs on the test's loop)."""

    def __init__(self, cwd: Path, data_dir: Path, database_url: str, **env: str) -> None:
        self.port = free_port()
        variables = child_env(
            TRIMTAB_DATA_DIR=str(data_dir), TRIMTAB_DATABASE_URL=database_url, **env
        )
        self.log = (data_dir.parent / f"instance-{self.port}.log").open("w+")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "--port", str(self.port)],
            cwd=cwd,
            env=variables,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
            text=True,
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def healthz(self, http: aiohttp.ClientSession) -> dict[str, Any] | None:
        try:
            async with http.get(f"{self.url}/healthz", timeout=HEALTHZ_TIMEOUT) as response:
                return dict(await response.json()) if response.status == 200 else None
        except (TimeoutError, aiohttp.ClientError):
            return None

    async def is_leader(self, http: aiohttp.ClientSession) -> bool:
        body = await self.healthz(http)
        return bool(body and body["scheduler"]["leader"])

    async def ready(self, http: aiohttp.ClientSession, within: float) -> None:
        for _ in range(int(within / 0.1)):
            assert self.process.poll() is None, self.stderr()[-4000:]
            if await self.healthz(http) is not None:
                return
            await asyncio.sleep(0.1)  # waiting for a process to start, not for a rule
        raise AssertionError(f"trimtab did not start in time: {self.stderr()[-4000:]}")

    async def post(self, http: aiohttp.ClientSession, activity: dict[str, Any]) -> int:
        async with http.post(f"{self.url}/api/messages", json=activity) as response:
            return response.status

    def kill(self) -> None:
        """SIGKILL: no clean-up, no unlock, in-flight requests left unanswered."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stderr(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def close(self) -> None:
        self.kill()
        self.log.close()


def person(i: int) -> Person:
    return Person(f"Member {i:04d}", f"d0000000-0000-4000-8000-{i:012d}")


def conversation_of(who: Person) -> str:
    return who.personal_conversation


async def open_store(url: str) -> PostgresStore:
    return await PostgresStore.open(parse_database_url(url))


async def seed_people(store: PostgresStore, people: list[Person], service_url: str) -> None:
    """Each person's 1:1 reference and user record, as their first turn would leave them."""
    refs, users = {}, {}
    for who in people:
        refs[f"user:{who.aad_id}"] = ConversationReference(
            channel_id="msteams",
            service_url=service_url,
            bot=ChannelAccount(id="28:takeover-bot", name="Trimtab"),
            user=ChannelAccount(id=who.teams_id, aad_object_id=who.aad_id, name=who.name),
            conversation=ConversationAccount(
                id=conversation_of(who), conversation_type="personal", tenant_id=TENANT_ID
            ),
        ).serialize()
        users[who.aad_id] = {"aad_id": who.aad_id, "name": who.name, "tenant_id": TENANT_ID}
    await store.put_many("bot.references", refs)
    await store.put_many("bot.users", users)


async def seed_circles(
    store: PostgresStore, groups: list[list[Person]], now: datetime, *, start: bool, first: int = 0
) -> None:
    """One circle per group (the first person facilitates), named ``Circle <first + n>``,
    active from ``now`` if ``start``."""
    circles, names = {}, {}
    for index, group in enumerate(groups, start=first):
        members = [Member(p.aad_id, p.name, now) for p in group]
        circle = rules.new_circle(
            f"takeover-{index:04d}",
            TENANT_ID,
            f"Circle {index:04d}",
            Slot(now.weekday(), now.time().replace(microsecond=0), "UTC"),
            members[0],
            Origin(OriginKind.PERSONAL, f"user:{group[0].aad_id}"),
            now,
        )
        for member in members[1:]:
            circle = rules.join(circle, member)
        if start:
            circle = rules.start(circle, members[0].user_id, now)
        circles[circle.id] = circle.to_doc()
        names[name_key(TENANT_ID, circle.name)] = {"circle_id": circle.id}
    await store.put_many(CIRCLES, circles)
    await store.put_many(NAMES, names)


async def delivery_states(
    store: PostgresStore, feature: str = "circle"
) -> dict[str, dict[str, Any]]:
    """Every delivery record of ``feature``, by key."""
    records = await DeliveryLog(store).all()
    return {k: r for k, r in records.items() if r.get("feature") == feature}


async def progress(store: PostgresStore) -> tuple[Counter[str], int]:
    """Circle delivery records per state, and how many fan-out plans are pending."""
    states = Counter(str(r.get("state")) for r in (await delivery_states(store)).values())
    return states, len(await store.all(PLANS))
