"""Issue 10, local mode and HTTP: what a hostile caller or a slow key server must not achieve."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from bot.auth import AsyncOpenIdMetadata
from tests.bot.auth_support import (
    HOLD_SAFETY_SECONDS,
    MetadataServer,
    assert_nothing_stored,
    authenticated_app,
    channel_token,
    post_help_with_token,
    post_raw,
    rsa_jwk,
)
from tests.conftest import AppFactory, Trimtab
from tests.fakes.activities import MEGAN, TENANT_ID


@pytest.fixture
def slow_keys() -> Iterator[MetadataServer]:
    with MetadataServer({"keys": [rsa_jwk("real-key")[1]]}, hold=True) as server:
        yield server


@pytest.fixture
def failing_keys() -> Iterator[MetadataServer]:
    with MetadataServer({}, status=500) as server:
        yield server


async def test_json_media_type_is_parsed_not_substring_matched(trimtab: Trimtab) -> None:
    body = json.dumps(trimtab.teams.personal(MEGAN, "help")).encode()
    refused = await post_raw(trimtab, body, "text/plain; a=application/json")
    assert refused.status == 415
    await assert_nothing_stored(trimtab)
    served = await post_raw(trimtab, body, "application/json; charset=utf-8")
    assert served.status in (200, 201)


async def test_browser_origin_is_refused_in_local_mode(trimtab: Trimtab) -> None:
    response = await trimtab.client.post(
        "/api/messages",
        json=trimtab.teams.personal(MEGAN, "help"),
        headers={"Origin": "https://attacker.example"},
    )
    assert response.status == 403
    await assert_nothing_stored(trimtab)


def _deeply_nested(app: Trimtab) -> bytes:
    activity = app.teams.personal(MEGAN, "help")
    text = json.dumps(activity)
    return (text[:-1] + ', "value": ' + "[" * 5000 + "]" * 5000 + "}").encode()


def _utf16(app: Trimtab) -> bytes:
    return json.dumps(app.teams.personal(MEGAN, "help")).encode("utf-16")


def _tenant_as_string(app: Trimtab) -> bytes:
    activity = app.teams.personal(MEGAN, "help")
    activity["channelData"]["tenant"] = TENANT_ID
    del activity["conversation"]["tenantId"]
    return json.dumps(activity).encode()


@pytest.mark.parametrize("build", [_deeply_nested, _utf16, _tenant_as_string])
async def test_malformed_bodies_with_auth_on_get_4xx_without_traceback(
    make_trimtab: AppFactory,
    failing_keys: MetadataServer,
    caplog: pytest.LogCaptureFixture,
    build: Any,
) -> None:
    app = await authenticated_app(make_trimtab, failing_keys.url)
    with caplog.at_level(logging.WARNING):
        response = await post_raw(app, build(app))
    assert response.status in (400, 401), await response.text()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    await assert_nothing_stored(app)


async def test_slow_signing_key_server_does_not_stall_healthz(
    make_trimtab: AppFactory, slow_keys: MetadataServer
) -> None:
    app = await authenticated_app(make_trimtab, slow_keys.url)
    forger, _ = rsa_jwk("real-key")
    token = channel_token(forger, "real-key", service_url=app.connector.url)
    pending = asyncio.create_task(post_help_with_token(app, token))
    assert await asyncio.to_thread(slow_keys.hit.wait, HOLD_SAFETY_SECONDS)
    health = await app.client.get("/healthz")
    assert health.status == 200
    slow_keys.release.set()
    response = await pending
    assert response.status == 401  # signed by a forger, not the channel's key
    assert slow_keys.released_by_test is True, "/healthz waited for the key server"
    await assert_nothing_stored(app)


async def test_failed_key_fetch_is_cached_not_repeated_per_request(
    make_trimtab: AppFactory, failing_keys: MetadataServer
) -> None:
    app = await authenticated_app(make_trimtab, failing_keys.url)
    forger, _ = rsa_jwk("real-key")
    for _ in range(3):
        token = channel_token(forger, "real-key", service_url=app.connector.url)
        response = await post_help_with_token(app, token)
        assert response.status == 401
    assert failing_keys.hits == 1


def _invoke(app: Trimtab, name: str, value: Any) -> dict[str, Any]:
    activity = app.teams.execute(MEGAN, "noop", {})
    activity["name"] = name
    activity["value"] = value
    return activity


async def test_unknown_invoke_name_is_acknowledged_and_posts_nothing(trimtab: Trimtab) -> None:
    response = await trimtab.client.post(
        "/api/messages", json=_invoke(trimtab, "composeExtension/query", {"commandId": "x"})
    )
    assert response.status == 200
    assert trimtab.connector.sent == []


@pytest.mark.parametrize(
    "value",
    [
        None,
        "not-an-object",
        {"action": "x"},
        {"action": {"type": "Action.Submit"}},
        {"action": {"type": "Action.Execute", "verb": 5}},
        {"action": {"type": "Action.Execute", "verb": "help", "data": [1]}},
    ],
    ids=["no-value", "value-string", "action-string", "not-execute", "verb-number", "data-list"],
)
async def test_malformed_card_action_gets_an_error_invoke_response_and_posts_nothing(
    trimtab: Trimtab, value: Any
) -> None:
    response = await trimtab.client.post(
        "/api/messages", json=_invoke(trimtab, "adaptiveCard/action", value)
    )
    assert response.status == 200
    body = await response.json()
    assert body["statusCode"] == 400
    assert body["type"] == "application/vnd.microsoft.error"
    assert trimtab.connector.sent == []


async def test_healthz_is_minimal_for_remote_callers_without_thechannel_token(
    make_trimtab: AppFactory,
) -> None:
    app = await make_trimtab(TRIMTAB_HEALTHZ_TOKEN="health-token-for-tests")
    proxied = {"X-Forwarded-For": "203.0.113.9"}
    remote = await app.client.get("/healthz", headers=proxied)
    assert remote.status == 200
    assert await remote.json() == {"status": "ok"}
    wrong = await app.client.get("/healthz", headers={**proxied, "Authorization": "Bearer nope"})
    assert await wrong.json() == {"status": "ok"}
    with_token = await app.client.get(
        "/healthz", headers={**proxied, "Authorization": "Bearer health-token-for-tests"}
    )
    assert "data_dir" in (await with_token.json())["storage"]
    local = await app.client.get("/healthz")
    assert (await local.json())["scheduler"]["running"] is True


async def test_bot_mention_without_text_does_not_mangle_the_command(trimtab: Trimtab) -> None:
    activity = trimtab.teams.group(MEGAN, "help")
    del activity["entities"][0]["text"]
    sent = await trimtab.send(activity)
    text = sent[0].all_text()
    assert "I don't know" not in text
    assert "h e l p" not in text


async def test_key_fetch_gives_up_after_its_timeout(slow_keys: MetadataServer) -> None:
    """A key server that never answers costs one timeout (here 50 ms), then a 401."""
    keys = AsyncOpenIdMetadata(slow_keys.url, timeout=0.05)
    with pytest.raises(PermissionError, match="signing keys unavailable"):
        await keys.get("real-key")
    assert slow_keys.hits == 1
    slow_keys.release.set()
