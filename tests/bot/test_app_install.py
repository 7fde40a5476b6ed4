"""People without the bot: the app is installed for them through Graph and the prompt
arrives in the installation's chat; without the permission the facilitator is told who is
unreachable and how to fix it. 403/404/409 from Graph are each handled, none retried."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.delivery_report import delivery_report
from tests.bot.circles_support import form_explorers
from tests.bot.proactive_support import CARD
from tests.conftest import AppFactory, Trimtab
from tests.fakes.activities import ADELE, LEE, MEGAN
from tests.fakes.graph_installs import FakeGraphInstalls, start_graph_installs

APP = "b1d6d0cc-8a5d-4a5d-9c2f-1c0f7a8e0a11"  # the catalog app id (TRIMTAB_TEAMS_APP_ID)


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraphInstalls]:
    fake = FakeGraphInstalls(APP)
    server = await start_graph_installs(fake)
    yield fake
    await server.close()


@pytest.fixture
async def app(make_trimtab: AppFactory, graph: FakeGraphInstalls) -> Trimtab:
    return await make_trimtab(
        TRIMTAB_GRAPH_TOKEN="test-token", TRIMTAB_GRAPH_BASE_URL=graph.url, TRIMTAB_TEAMS_APP_ID=APP
    )


async def start_with_lee_unreachable(app: Trimtab) -> None:
    await form_explorers(app, (ADELE, MEGAN, LEE))
    app.connector.fail(403, conversation_id=f"create:{LEE.teams_id}")  # no 1:1 chat for Lee
    await app.send(app.teams.group(ADELE, "circle start Explorers"))


def lee_requests(graph: FakeGraphInstalls) -> list[str]:
    return [f"{method} {path.split('/teamwork')[1]}" for method, path in graph.requests]


async def test_the_app_is_installed_and_the_prompt_arrives_in_its_chat(
    app: Trimtab, graph: FakeGraphInstalls
) -> None:
    graph.users.add(LEE.aad_id)
    await start_with_lee_unreachable(app)
    [prompt] = app.connector.to(graph.chat_id(LEE.aad_id))
    assert "Explorers · week 1 of 12" in prompt.all_text()
    assert lee_requests(graph) == [
        "POST /installedApps",
        f"GET /installedApps?$expand=teamsApp&$filter=teamsApp/id eq '{APP}'",
        f"GET /installedApps/installation-{LEE.aad_id}/chat",
    ]
    stored = await app.services.directory.reference(f"user:{LEE.aad_id}")
    assert stored is not None and stored.conversation.id == graph.chat_id(LEE.aad_id)
    facilitator = app.connector.to(ADELE.personal_conversation)
    assert not any("could not be reached" in s.text for s in facilitator)


async def test_without_the_permission_the_facilitator_is_told(
    app: Trimtab, graph: FakeGraphInstalls
) -> None:
    graph.users.add(LEE.aad_id)
    graph.permission = False
    await start_with_lee_unreachable(app)
    told = [s.text for s in app.connector.to(ADELE.personal_conversation) if s.text]
    assert any(
        t.startswith("Lee Gu could not be reached: they do not have Trimtab installed")
        and "TeamsAppInstallation.ReadWriteSelfForUser.All" in t
        for t in told
    ), told
    assert lee_requests(graph) == ["POST /installedApps"], "403 is not retried"
    report = await delivery_report(app.services, "2026-W48")
    assert [(p.name, p.reason) for p in report.unreachable] == [("Lee Gu", "uninstalled")]


async def test_already_installed_409_goes_on_to_the_chat(
    app: Trimtab, graph: FakeGraphInstalls
) -> None:
    graph.users.add(LEE.aad_id)
    graph.installed.add(LEE.aad_id)  # installed, but the bot never got a conversationUpdate
    await start_with_lee_unreachable(app)
    assert len(app.connector.to(graph.chat_id(LEE.aad_id))) == 1
    assert lee_requests(graph)[0] == "POST /installedApps" and len(graph.requests) == 3


async def test_unknown_user_404_is_recorded_once_and_not_retried(
    app: Trimtab, graph: FakeGraphInstalls
) -> None:
    recipient = "user:00000000-0000-4000-8000-00000000dead"  # nobody Graph knows
    await app.say(MEGAN, "help")  # the tenant's service URL is known
    first = await app.services.proactive.send(recipient, CARD, key="tip:dead:2026-W48")
    assert first.status.value == "unreachable" and "not installed" in first.detail
    assert "404" in first.detail
    again = await app.services.proactive.send(recipient, CARD, key="tip:dead:2026-W48")
    assert again.status.value == "unreachable"
    assert len(graph.requests) == 1, "no second Graph call for an unreachable person"
