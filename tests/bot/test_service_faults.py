"""Bad requests to /api/messages: clear 4xx, logged, nothing stored.

Authentication tests never reach the internet: a missing header is refused
before any key lookup, and for signed-looking tokens botbuilder's OpenID
metadata URL (``ToBotFromChannelOpenIdMetadataUrl``) points at a loopback
server in a thread (botbuilder fetches it with blocking ``requests``).
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from tests.bot.auth_support import (
    MetadataServer,
    assert_nothing_stored,
    authenticated_app,
    channel_token,
    post_help_with_token,
    post_raw,
    rsa_jwk,
)
from tests.bot.auth_support import metadata as metadata  # pytest fixture, re-exported
from tests.conftest import AppFactory, Trimtab
from tests.fakes.activities import MEGAN


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"\xff\xfe\x00garbage",
        b"",
        b"[]",
        b'"help"',
        b'{"text": "help"}',
        b'{"type": "", "conversation": {"id": "x"}}',
        b'{"type": "message", "text": "help"}',
        b'{"type": "message", "conversation": "not-an-object"}',
    ],
    ids=[
        "malformed",
        "not-utf8",
        "empty",
        "array",
        "string",
        "no-type",
        "empty-type",
        "no-conversation",
        "conversation-not-object",
    ],
)
async def test_bad_body_is_400_and_nothing_stored(
    trimtab: Trimtab, body: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.app"):
        response = await post_raw(trimtab, body)
    assert response.status == 400
    assert "error" in await response.json()
    assert any("refused /api/messages" in r.getMessage() for r in caplog.records)
    await assert_nothing_stored(trimtab)


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", ""])
async def test_wrong_content_type_is_415(trimtab: Trimtab, content_type: str) -> None:
    body = json.dumps(trimtab.teams.personal(MEGAN, "help")).encode()
    response = await post_raw(trimtab, body, content_type)
    assert response.status == 415
    await assert_nothing_stored(trimtab)


async def test_oversized_body_is_refused(trimtab: Trimtab) -> None:
    activity = trimtab.teams.personal(MEGAN, "help " + "x" * (2 * 1024**2))
    response = await post_raw(trimtab, json.dumps(activity).encode())
    assert response.status == 413
    await assert_nothing_stored(trimtab)


# --- authentication --------------------------------------------------------------------


async def test_missing_token_is_401_without_any_key_lookup(
    make_trimtab: AppFactory, metadata: tuple[MetadataServer, Any]
) -> None:
    server, _ = metadata
    app = await authenticated_app(make_trimtab, server.url)
    response = await app.client.post("/api/messages", json=app.teams.personal(MEGAN, "help"))
    assert response.status == 401
    assert server.hits == 0
    await assert_nothing_stored(app)


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Basic dXNlcjpwYXNz", "Bearer not.a.jwt", "Bearer  ", "Token abc def"],
)
async def test_malformed_authorization_header_is_401(
    make_trimtab: AppFactory, metadata: tuple[MetadataServer, Any], header: str
) -> None:
    server, _ = metadata
    app = await authenticated_app(make_trimtab, server.url)
    response = await app.client.post(
        "/api/messages",
        json=app.teams.personal(MEGAN, "help"),
        headers={"Authorization": header},
    )
    assert response.status == 401
    await assert_nothing_stored(app)


async def test_token_from_a_foreign_issuer_is_401_without_any_key_lookup(
    make_trimtab: AppFactory, metadata: tuple[MetadataServer, Any]
) -> None:
    server, _ = metadata
    app = await authenticated_app(make_trimtab, server.url)
    key, _ = rsa_jwk("attacker")
    token = channel_token(
        key, "attacker", service_url=app.connector.url, issuer="https://login.attacker.example/"
    )
    response = await post_help_with_token(app, token)
    assert response.status == 401
    assert server.hits == 0
    await assert_nothing_stored(app)


@pytest.mark.parametrize("kid", ["real-key", "unknown-key"])
async def test_token_not_signed_by_the_channel_is_401(
    make_trimtab: AppFactory, metadata: tuple[MetadataServer, Any], kid: str
) -> None:
    """Right issuer, but signed with someone else's key (claiming a known or unknown kid)."""
    server, _ = metadata
    app = await authenticated_app(make_trimtab, server.url)
    forger, _ = rsa_jwk(kid)
    response = await app.client.post(
        "/api/messages",
        json=app.teams.personal(MEGAN, "help"),
        headers={
            "Authorization": f"Bearer {channel_token(forger, kid, service_url=app.connector.url)}"
        },
    )
    assert response.status == 401
    assert server.hits >= 1, "the key lookup went to the loopback metadata server"
    await assert_nothing_stored(app)


async def test_token_signed_with_the_channel_key_is_accepted(
    make_trimtab: AppFactory, metadata: tuple[MetadataServer, Any]
) -> None:
    """The control case: the same path with a properly signed token gets through.

    A ``typing`` activity needs no answer, so no outbound token is fetched from Azure.
    """
    server, real_key = metadata
    app = await authenticated_app(make_trimtab, server.url)
    activity = app.teams.personal(MEGAN, "help")
    activity["type"] = "typing"
    token = channel_token(real_key, "real-key", service_url=app.connector.url)
    response = await app.client.post(
        "/api/messages", json=activity, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status in (200, 201), await response.text()
    assert await app.store.collections() != []


# --- tenants ---------------------------------------------------------------------------


async def test_activity_from_a_tenant_not_allowed_is_403_logged_and_not_stored(
    make_trimtab: AppFactory, caplog: pytest.LogCaptureFixture
) -> None:
    app = await make_trimtab(TRIMTAB_ALLOWED_TENANTS="11111111-2222-4333-8444-555555555555")
    with caplog.at_level(logging.WARNING, logger="bot.app"):
        response = await app.client.post("/api/messages", json=app.teams.personal(MEGAN, "help"))
    assert response.status == 403
    assert "not enabled" in (await response.json())["error"]
    assert any("TRIMTAB_ALLOWED_TENANTS" in r.getMessage() for r in caplog.records)
    await assert_nothing_stored(app)


async def test_activity_without_any_tenant_is_refused_when_tenants_are_restricted(
    make_trimtab: AppFactory,
) -> None:
    app = await make_trimtab(TRIMTAB_ALLOWED_TENANTS="11111111-2222-4333-8444-555555555555")
    activity = app.teams.personal(MEGAN, "help")
    del activity["conversation"]["tenantId"]
    del activity["channelData"]
    response = await app.client.post("/api/messages", json=activity)
    assert response.status == 403
    await assert_nothing_stored(app)


async def test_allowed_tenant_is_served_case_insensitively(make_trimtab: AppFactory) -> None:
    from tests.fakes.activities import TENANT_ID

    app = await make_trimtab(TRIMTAB_ALLOWED_TENANTS=f"other, {TENANT_ID.upper()}")
    sent = await app.say(MEGAN, "help")
    assert len(sent) == 1


async def test_foreign_tenant_without_token_is_401_not_403(
    make_trimtab: AppFactory, metadata: tuple[MetadataServer, Any]
) -> None:
    """Unauthenticated callers learn nothing about the tenant allow-list."""
    server, _ = metadata
    app = await authenticated_app(
        make_trimtab, server.url, TRIMTAB_ALLOWED_TENANTS="11111111-2222-4333-8444-555555555555"
    )
    response = await app.client.post("/api/messages", json=app.teams.personal(MEGAN, "help"))
    assert response.status == 401
    await assert_nothing_stored(app)


async def test_get_on_messages_is_405(trimtab: Trimtab) -> None:
    response = await trimtab.client.get("/api/messages")
    assert response.status == 405
