"""Shared fixtures: a real Trimtab app, a loopback connector, a fake clock."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.app import SERVICES, create_app
from bot.clock import FakeClock
from bot.services import Services
from bot.settings import Settings
from bot.storage import DocumentStore, MemoryStore
from tests.fakes.activities import ADELE, ActivityFactory
from tests.fakes.connector import FakeConnector, Sent, start_connector
from tests.pg_fixtures import pg_admin_url, pg_url

__all__ = ["pg_admin_url", "pg_url"]  # shared PostgreSQL fixtures

START = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # a Monday


@dataclass
class Trimtab:
    """A running app under test, its connector, its clock and its store."""

    client: TestClient
    connector: FakeConnector
    clock: FakeClock
    store: DocumentStore
    teams: ActivityFactory
    settings: Settings
    responses: list[Any] = field(default_factory=list)

    @property
    def services(self) -> Services:
        return self.client.server.app[SERVICES]

    async def send(self, activity: dict[str, Any]) -> list[Sent]:
        """POST ``activity`` to /api/messages; return what the bot sent meanwhile."""
        before = len(self.connector.sent)
        response = await self.client.post("/api/messages", json=activity)
        body = await response.text()
        self.responses.append((response.status, body))
        assert response.status in (200, 201), f"/api/messages answered {response.status}: {body}"
        return self.connector.sent[before:]

    async def say(self, person: Any, text: str) -> list[Sent]:
        """A personal-chat message from ``person``."""
        return await self.send(self.teams.personal(person, text))


AppFactory = Callable[..., Awaitable[Trimtab]]


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    fake = FakeConnector()
    server = await start_connector(fake)
    yield fake
    await server.close()


@pytest.fixture
def make_trimtab(
    aiohttp_client: Callable[..., Awaitable[TestClient]], connector: FakeConnector, tmp_path: Path
) -> AppFactory:
    """Start a Trimtab app; keyword arguments override settings variables."""

    async def factory(
        *, store: DocumentStore | None = None, clock: FakeClock | None = None, **env: str
    ) -> Trimtab:
        variables = {
            "TRIMTAB_DATA_DIR": str(tmp_path / "data"),
            "TRIMTAB_ADMINS": ADELE.aad_id,
            # the crafted tenants are a handful of people; tests of the privacy floor set it
            "TRIMTAB_MIN_GROUP_SIZE": "1",
        }
        variables.update(env)
        settings = Settings.from_env(variables, dotenv=None)
        clock = clock or FakeClock(START)
        store = store if store is not None else MemoryStore()
        app = create_app(settings, store=store, time_source=clock.time_source())
        client = await aiohttp_client(app)
        return Trimtab(client, connector, clock, store, ActivityFactory(connector.url), settings)

    return factory


@pytest.fixture
async def trimtab(make_trimtab: AppFactory) -> Trimtab:
    return await make_trimtab()
