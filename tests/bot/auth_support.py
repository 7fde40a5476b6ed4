"""Helpers of the /api/messages tests: raw posts, forged and real channel tokens, key servers.

botbuilder's OpenID metadata URL (``ToBotFromChannelOpenIdMetadataUrl``) points at a
loopback server in a thread, so no test reaches the internet.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from tests.conftest import AppFactory, Trimtab
from tests.fakes.activities import MEGAN

APP_ID = "00000000-1111-4222-8333-444444444444"
CHANNEL_ISSUER = "https://api.botframework.com"


async def assert_nothing_stored(app: Trimtab) -> None:
    assert await app.store.collections() == [], "a refused request must not store anything"
    assert app.connector.sent == [], "a refused request must not be answered in Teams"


async def post_raw(app: Trimtab, body: bytes, content_type: str = "application/json") -> Any:
    return await app.client.post("/api/messages", data=body, headers={"Content-Type": content_type})


#: How long a held key server waits for ``release`` (reached only when a test fails).
HOLD_SAFETY_SECONDS = 10.0


class MetadataServer:
    """OpenID metadata + JWKS on loopback, served from a thread.

    ``status`` answers every request with that code; ``hold=True`` makes the first
    request wait until the test sets ``release`` (``released_by_test`` records
    whether it did, or whether the wait ran out).
    """

    def __init__(self, jwks: dict[str, Any], *, status: int = 200, hold: bool = False) -> None:
        self.hits = 0
        self.hit = threading.Event()
        self.release = threading.Event()
        self.released_by_test: bool | None = None
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.hits += 1
                outer.hit.set()
                if hold and outer.released_by_test is None:
                    outer.released_by_test = outer.release.wait(HOLD_SAFETY_SECONDS)
                base = f"http://127.0.0.1:{self.server.server_address[1]}"
                if self.path.endswith("openid-configuration"):
                    payload = {"issuer": CHANNEL_ISSUER, "jwks_uri": f"{base}/keys"}
                else:
                    payload = jwks
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/.well-known/openid-configuration"

    def __enter__(self) -> MetadataServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def rsa_jwk(kid: str) -> tuple[Any, dict[str, Any]]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    jwk.update(kid=kid, use="sig", endorsements=["msteams"])
    return key, jwk


def channel_token(
    private_key: Any, kid: str, *, service_url: str, issuer: str = CHANNEL_ISSUER
) -> str:
    now = int(time.time())
    claims = {
        "iss": issuer,
        "aud": APP_ID,
        "serviceurl": service_url,
        "nbf": now - 60,
        "exp": now + 3600,
    }
    return jwt.encode(claims, private_key, algorithm="RS256", headers={"kid": kid})


async def post_help_with_token(app: Trimtab, token: str) -> Any:
    """MEGAN's ``help`` in a personal chat, sent with ``Authorization: Bearer <token>``."""
    return await app.client.post(
        "/api/messages",
        json=app.teams.personal(MEGAN, "help"),
        headers={"Authorization": f"Bearer {token}"},
    )


@pytest.fixture
def metadata() -> Iterator[tuple[MetadataServer, Any]]:
    """A loopback metadata server publishing Microsoft's (pretend) signing key."""
    real_key, real_jwk = rsa_jwk("real-key")
    with MetadataServer({"keys": [real_jwk]}) as server:
        yield server, real_key


async def authenticated_app(make_trimtab: AppFactory, metadata_url: str, **env: str) -> Trimtab:
    return await make_trimtab(
        MicrosoftAppId=APP_ID,
        MicrosoftAppPassword="not-a-real-secret",
        ToBotFromChannelOpenIdMetadataUrl=metadata_url,
        **env,
    )
