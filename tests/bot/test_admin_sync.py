"""`adoption sync` from Teams: answered at once, run in the background, result posted after.

The loopback Graph is *held* (every request waits on an event) to stand for a slow Graph:
the answer must arrive while Graph has not answered anything, which is an ordering, not a
timing. ``asyncio.wait_for`` only keeps a regression from hanging the suite.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from adoption.repository import AdoptionRepository
from bot.admin.sync import JOB_ID, TASK_NAME
from bot.messages import admin as msg
from tests.bot.sync_support import GUARD, one_team_graph, until_graph_is_asked
from tests.conftest import AppFactory, Trimtab
from tests.fakes.activities import ADELE, MEGAN
from tests.fakes.graph_server import GraphServer


@pytest.fixture
async def graph() -> AsyncIterator[GraphServer]:
    async for server in one_team_graph():
        yield server


async def graph_app(make_trimtab: AppFactory, graph: GraphServer, **env: str) -> Trimtab:
    variables = {"TRIMTAB_GRAPH_BASE_URL": graph.base_url, "TRIMTAB_GRAPH_TOKEN": "test-token"}
    return await make_trimtab(**{**variables, **env})


def sync_tasks() -> list[asyncio.Task[object]]:
    return [t for t in asyncio.all_tasks() if t.get_name() in (TASK_NAME, "sync-claim")]


async def test_sync_without_graph_explains_configuration(trimtab: Trimtab) -> None:
    sent = await trimtab.say(ADELE, "adoption sync")
    text = "\n".join(s.text for s in sent)
    assert "not configured" in text and "TRIMTAB_GRAPH_CLIENT_ID" in text
    assert trimtab.services.scheduler.get_job(JOB_ID) is None
    assert trimtab.services.background.running == [] and not trimtab.services.sync_lock.locked()


async def test_member_cannot_sync(trimtab: Trimtab) -> None:
    sent = await trimtab.say(MEGAN, "adoption sync")
    assert sent[0].text.startswith("`adoption sync` is for admins")


async def test_sync_answers_at_once_and_posts_the_counts_after(
    make_trimtab: AppFactory, graph: GraphServer
) -> None:
    app = await graph_app(make_trimtab, graph, TRIMTAB_SYNC_CRON="30 3 * * *")
    job = app.services.scheduler.get_job(JOB_ID)
    assert job is not None and {f.name: str(f) for f in job.trigger.fields}["hour"] == "3"
    graph.hold = asyncio.Event()

    sent = await asyncio.wait_for(app.say(ADELE, "adoption sync"), GUARD)

    assert [s.text for s in sent] == [msg.SYNC_STARTED]
    assert "I'll post the result here" in sent[0].text
    await until_graph_is_asked(graph)
    assert app.services.background.running == [TASK_NAME]
    assert not any(s.text.startswith("Sync finished") for s in app.connector.sent)
    graph.hold.set()
    await asyncio.wait_for(app.services.background.join(), 30)
    result = app.connector.sent[-1]
    assert result.text.startswith("Sync finished: 1 teams, ")
    assert result.conversation_id == sent[0].conversation_id  # the same chat …
    assert result.reply_to != sent[0].reply_to  # … proactively, not as a reply to the turn
    assert [t.name for t in await AdoptionRepository(app.store).teams()] == ["Contoso Sales"]
    assert not app.services.sync_lock.locked() and sync_tasks() == []


async def test_a_second_sync_while_one_runs_is_refused_and_starts_nothing(
    make_trimtab: AppFactory, graph: GraphServer
) -> None:
    app = await graph_app(make_trimtab, graph)
    graph.hold = asyncio.Event()
    await asyncio.wait_for(app.say(ADELE, "adoption sync"), GUARD)
    await until_graph_is_asked(graph)
    asked = graph.total

    second = await asyncio.wait_for(app.say(ADELE, "adoption sync"), GUARD)

    assert [s.text for s in second] == [msg.SYNC_RUNNING]
    assert graph.total == asked and app.services.background.running == [TASK_NAME]
    graph.hold.set()
    await asyncio.wait_for(app.services.background.join(), 30)
    finished = [s for s in app.connector.sent if s.text.startswith("Sync finished")]
    assert len(finished) == 1
    third = await asyncio.wait_for(app.say(ADELE, "adoption sync"), GUARD)  # free again
    assert [s.text for s in third] == [msg.SYNC_STARTED]
    await asyncio.wait_for(app.services.background.join(), 30)


async def test_a_failed_sync_posts_the_worded_error(
    make_trimtab: AppFactory, graph: GraphServer
) -> None:
    app = await graph_app(make_trimtab, graph, TRIMTAB_GRAPH_TOKEN="wrong")
    sent = await asyncio.wait_for(app.say(ADELE, "adoption sync"), GUARD)
    assert [s.text for s in sent] == [msg.SYNC_STARTED]
    await asyncio.wait_for(app.services.background.join(), 30)
    posted = app.connector.sent[-1]
    assert posted.text.startswith("Graph refused the credentials")
    assert posted.conversation_id == sent[0].conversation_id
    assert posted.reply_to != sent[0].reply_to
    assert not app.services.sync_lock.locked()


async def test_stopping_the_app_mid_sync_leaves_nothing_running_and_a_restart_syncs(
    make_trimtab: AppFactory, graph: GraphServer
) -> None:
    app = await graph_app(make_trimtab, graph)
    graph.hold = asyncio.Event()
    await asyncio.wait_for(app.say(ADELE, "adoption sync"), GUARD)
    await until_graph_is_asked(graph)
    services = app.services

    await asyncio.wait_for(app.client.close(), 10)  # the app's cleanup_ctx runs

    assert services.background.running == [] and sync_tasks() == []
    assert not services.sync_lock.locked()
    assert not any(s.text.startswith("Sync finished") for s in app.connector.sent)
    graph.hold.set()
    restarted = await make_trimtab(
        store=app.store, TRIMTAB_GRAPH_BASE_URL=graph.base_url, TRIMTAB_GRAPH_TOKEN="test-token"
    )
    await asyncio.wait_for(restarted.say(ADELE, "adoption sync"), GUARD)
    await asyncio.wait_for(restarted.services.background.join(), 30)
    assert restarted.connector.sent[-1].text.startswith("Sync finished: 1 teams, ")
