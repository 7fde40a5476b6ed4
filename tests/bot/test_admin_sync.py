"""`adoption sync` from Teams: not configured, against the loopback Graph server, and the job."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from adoption.repository import AdoptionRepository
from bot.admin.sync import JOB_ID
from tests.conftest import AppFactory, Trimtab
from tests.fakes.activities import ADELE, MEGAN
from tests.fakes.graph_server import FakeTenant, GraphServer

TEAM = "fbe2bf47-16c8-47cf-b4a5-4b9b187c508b"


@pytest.fixture
async def graph() -> AsyncIterator[GraphServer]:
    tenant = FakeTenant()
    tenant.add_team(TEAM, "Contoso Sales", members=["u1", "u2"])
    server = GraphServer(tenant)
    await server.start()
    yield server
    await server.close()


async def test_sync_without_graph_explains_configuration(trimtab: Trimtab) -> None:
    sent = await trimtab.say(ADELE, "adoption sync")
    text = "\n".join(s.text for s in sent)
    assert "not configured" in text and "TRIMTAB_GRAPH_CLIENT_ID" in text
    assert trimtab.services.scheduler.get_job(JOB_ID) is None


async def test_member_cannot_sync(trimtab: Trimtab) -> None:
    sent = await trimtab.say(MEGAN, "adoption sync")
    assert sent[0].text.startswith("`adoption sync` is for admins")


async def test_sync_runs_and_answers_with_counts(
    make_trimtab: AppFactory, graph: GraphServer
) -> None:
    app = await make_trimtab(
        TRIMTAB_GRAPH_BASE_URL=graph.base_url,
        TRIMTAB_GRAPH_TOKEN="test-token",
        TRIMTAB_SYNC_CRON="30 3 * * *",
    )
    job = app.services.scheduler.get_job(JOB_ID)
    assert job is not None and {f.name: str(f) for f in job.trigger.fields}["hour"] == "3"
    sent = await app.say(ADELE, "adoption sync")
    assert sent[0].text.startswith("Collecting channel conversations")
    assert sent[-1].text.startswith("Sync finished: 1 teams, ")
    teams = await AdoptionRepository(app.store).teams()
    assert [t.name for t in teams] == ["Contoso Sales"]


async def test_sync_reports_refused_credentials(
    make_trimtab: AppFactory, graph: GraphServer
) -> None:
    app = await make_trimtab(TRIMTAB_GRAPH_BASE_URL=graph.base_url, TRIMTAB_GRAPH_TOKEN="wrong")
    sent = await app.say(ADELE, "adoption sync")
    assert "Graph refused the credentials" in sent[-1].text
