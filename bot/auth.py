"""Bot Framework authentication that always answers 401 for a bad token, never 500.

botbuilder's own classes do the validation. This wrapper only makes their
failure modes uniform: an empty ``Authorization`` header is treated as absent
(the parameterized code path used with a custom OpenID metadata URL otherwise
dereferences ``None``), and any error while checking a token (a malformed JWT,
an unknown key id, an unreachable key server) becomes ``PermissionError``,
which ``CloudAdapter`` turns into 401.

botbuilder fetches the channel's signing keys with a blocking ``requests.get``
without a timeout, on the event loop (``jwt_token_extractor._OpenIdMetadata``):
one slow key server stalls every request. :func:`install_key_fetcher` swaps in
:class:`AsyncOpenIdMetadata`, which fetches with aiohttp under a timeout, lets
concurrent requests share one fetch, keeps botbuilder's one-day key cache and,
after a failed fetch, refuses tokens for a minute instead of fetching again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime
from typing import Any

import aiohttp
from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity
from botframework.connector.auth import AuthenticateRequestResult
from botframework.connector.auth.jwt_token_extractor import JwtTokenExtractor, _OpenIdMetadata

log = logging.getLogger(__name__)


class StrictBotFrameworkAuthentication(ConfigurationBotFrameworkAuthentication):
    """``ConfigurationBotFrameworkAuthentication`` whose request check fails closed."""

    async def authenticate_request(
        self, activity: Activity, auth_header: str
    ) -> AuthenticateRequestResult:
        header = auth_header.strip() if auth_header else ""
        try:
            return await super().authenticate_request(activity, header or None)
        except PermissionError as error:
            log.warning("refused /api/messages request: %s", error or "not authenticated")
            raise
        except Exception as error:
            log.warning("refused /api/messages request: token check failed (%r)", error)
            raise PermissionError("token could not be validated") from error


KEY_FETCH_TIMEOUT_SECONDS = 10.0
KEY_FETCH_RETRY_AFTER_SECONDS = 60.0


class AsyncOpenIdMetadata(_OpenIdMetadata):
    """botbuilder's key cache, refreshed off the blocking path (see the module docstring)."""

    def __init__(self, url: str, timeout: float = KEY_FETCH_TIMEOUT_SECONDS) -> None:
        super().__init__(url)
        self.last_updated: datetime = datetime.min
        self.keys: list[dict[str, Any]] = []
        self.timeout = timeout
        self._refreshing = asyncio.Lock()
        self._failed_at: float | None = None

    async def _refresh(self) -> None:
        failed_at = self._failed_at
        if failed_at is not None and time.monotonic() - failed_at < KEY_FETCH_RETRY_AFTER_SECONDS:
            raise PermissionError("signing keys unavailable (last fetch failed)")
        async with self._refreshing:
            before = self.last_updated
            try:
                keys = await self._fetch_keys()
            except Exception as error:
                if self.last_updated != before:  # another request refreshed meanwhile
                    return
                self._failed_at = time.monotonic()
                log.warning(
                    "could not fetch the channel's signing keys from %s: %r", self.url, error
                )
                raise PermissionError("signing keys unavailable") from error
            self._failed_at = None
            self.keys = keys
            self.last_updated = datetime.now()  # naive, as botbuilder compares it

    async def _fetch_keys(self) -> list[dict[str, Any]]:
        timeout = aiohttp.ClientTimeout(total=self.timeout)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            async with session.get(self.url) as response:
                response.raise_for_status()
                keys_url = (await response.json(content_type=None))["jwks_uri"]
            async with session.get(keys_url) as response:
                response.raise_for_status()
                keys = (await response.json(content_type=None))["keys"]
        if not isinstance(keys, list):
            raise ValueError("the key set holds no list of keys")
        return keys


def _open_id_metadata(metadata_url: str) -> AsyncOpenIdMetadata:
    cache = JwtTokenExtractor.metadataCache
    metadata = cache.get(metadata_url)
    if not isinstance(metadata, AsyncOpenIdMetadata):
        metadata = AsyncOpenIdMetadata(metadata_url)
        cache[metadata_url] = metadata
    return metadata


def install_key_fetcher() -> None:
    """Make botbuilder's token validation use :class:`AsyncOpenIdMetadata` (idempotent)."""
    JwtTokenExtractor.get_open_id_metadata = staticmethod(_open_id_metadata)
