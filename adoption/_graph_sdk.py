"""The msgraph-sdk implementation of :class:`adoption.graph.GraphGateway`.

Requests go through the SDK's request adapter (authentication) and its middleware
(our retry, redirect, telemetry; see ``adoption._graph_http``). Responses are read as
bytes and parsed with orjson instead of into kiota models: the tracker keeps a
handful of ids, timestamps and counts per message, and materialising every
``chatMessage`` (bodies, attachments, identities) as model objects would cost several
times the JSON parse itself (see ``bench/sync_bench.py``). orjson parses a page of 50
threads in half the time :mod:`json` takes, and the parse was a fifth of a full sync's CPU.

The requests of a sync (teams, channels, members, delta pages, next and delta links)
are :class:`RequestInformation` objects holding a finished URL, built here once per
request: the SDK's request builders would build a chain of builder objects and expand
a URI template on every read of the request's URL, which a profile of a full sync put
at a tenth of its CPU. Query option names are written with a literal ``$``, as Graph's
own next and delta links are.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
import orjson
from kiota_abstractions.api_error import APIError
from kiota_abstractions.method import Method
from kiota_abstractions.request_information import RequestInformation
from msgraph import GraphRequestAdapter, GraphServiceClient
from msgraph.generated.models.o_data_errors.o_data_error import ODataError

from adoption._graph_http import (
    CountingRetryMiddleware,
    Slots,
    build_http_client,
    token_auth_provider,
)
from adoption._graph_types import (
    ChannelRef,
    DeltaPage,
    DirectoryUser,
    GraphAuthError,
    GraphError,
    GraphLimits,
    GraphNotFoundError,
    GraphResyncRequired,
    GraphUnavailableError,
    RawMessage,
    Sleep,
    TeamRef,
)

_ERRORS: dict[str, Any] = {"XXX": ODataError}
PAGE_SIZE = 50  # the documented maximum $top for channel messages and delta
USERS_PAGE_SIZE = 999  # the largest $top /users accepts (default 100)
USER_FIELDS = ["id", "department", "userPrincipalName"]


def _credential(settings: Any) -> Any:
    """azure-identity's async credential for client credentials (None with a bearer token)."""
    if settings.token:
        return None
    from azure.identity.aio import CertificateCredential, ClientSecretCredential

    if settings.client_secret:
        return ClientSecretCredential(
            settings.tenant_id, settings.client_id, settings.client_secret
        )
    if settings.client_certificate:
        return CertificateCredential(
            settings.tenant_id, settings.client_id, certificate_path=settings.client_certificate
        )
    raise GraphAuthError("no Graph credentials: set TRIMTAB_GRAPH_TOKEN or client credentials")


def _auth_provider(settings: Any, credential: Any) -> Any:
    if credential is None:
        return token_auth_provider(settings.token, settings.base_url)
    from kiota_authentication_azure.azure_identity_authentication_provider import (
        AzureIdentityAuthenticationProvider,
    )

    parts = urlsplit(settings.base_url)
    return AzureIdentityAuthenticationProvider(
        credential,
        scopes=[f"{parts.scheme}://{parts.netloc}/.default"],
        allowed_hosts=[parts.hostname or ""],
    )


class SdkGraphGateway:
    """Graph reads through ``GraphServiceClient``, bounded and retried."""

    def __init__(
        self,
        settings: Any,
        *,
        limits: GraphLimits,
        sleep: Sleep | None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        sleep = sleep or asyncio.sleep
        self._retry = CountingRetryMiddleware(
            max_retries=limits.max_retries, max_wait=limits.max_retry_wait, sleep=sleep
        )
        self._transport = transport
        self._http = build_http_client(settings.base_url, limits, self._retry, transport)
        # The credential holds its own HTTP session, closed in aclose().
        self._credential = _credential(settings)
        adapter = GraphRequestAdapter(_auth_provider(settings, self._credential), client=self._http)
        # httpx normalises its base URL to end in "/"; the SDK's templates add their own.
        adapter.base_url = settings.base_url.rstrip("/")
        self.client = GraphServiceClient(request_adapter=adapter)
        self._adapter = adapter
        self._base = adapter.base_url
        self._slots = Slots(limits, sleep)

    @property
    def requests(self) -> int:
        return self._retry.attempts

    @property
    def retries(self) -> int:
        return self._retry.retries

    async def aclose(self) -> None:
        await self._http.aclose()
        if self._transport is not None:  # the SDK's wrapper does not close what it wraps
            await self._transport.aclose()
        if self._credential is not None:
            await self._credential.close()

    async def _send(self, info: RequestInformation, team_id: str | None) -> bytes:
        release = await self._slots.acquire(team_id)
        try:
            body = await self._adapter.send_primitive_async(info, "bytes", _ERRORS)
        except APIError as exc:
            raise _translate(exc, info) from exc
        except httpx.HTTPError as exc:
            raise GraphUnavailableError(f"network error on {_path(info)}: {exc!r}") from exc
        finally:
            release()
        return body or b""

    async def _json(self, info: RequestInformation, team_id: str | None) -> dict[str, Any]:
        body = await self._send(info, team_id)
        parsed: dict[str, Any] = orjson.loads(body) if body else {}
        return parsed

    def _team_url(self, team_id: str) -> str:
        return f"{self._base}/teams/{quote(team_id, safe='')}"

    async def _collect(self, url: str, team_id: str | None) -> list[dict[str, Any]]:
        """Every item of a collection, following ``@odata.nextLink``."""
        items: list[dict[str, Any]] = []
        link: str | None = url
        while link:
            page = await self._json(get_request(link), team_id)
            items.extend(page.get("value", []))
            link = page.get("@odata.nextLink")
        return items

    async def list_teams(self) -> list[TeamRef]:
        values = await self._collect(f"{self._base}/teams", None)
        return [TeamRef(v["id"], v.get("displayName") or "") for v in values]

    async def list_channels(self, team_id: str) -> list[ChannelRef]:
        values = await self._collect(f"{self._team_url(team_id)}/channels", team_id)
        return [
            ChannelRef(v["id"], v.get("displayName") or "", v.get("membershipType") or "standard")
            for v in values
        ]

    async def list_member_ids(self, team_id: str) -> list[str]:
        values = await self._collect(f"{self._team_url(team_id)}/members", team_id)
        return [v["userId"] for v in values if v.get("userId")]

    def delta_url(self, team_id: str, channel_id: str, since: datetime) -> str:
        """The first request of a channel's delta round: reply chains modified after
        ``since``, replies expanded, the largest page Graph allows."""
        stamp = since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        messages = f"{self._team_url(team_id)}/channels/{quote(channel_id, safe='')}/messages"
        flt = quote(f"lastModifiedDateTime gt {stamp}", safe=":")
        return f"{messages}/delta()?$filter={flt}&$expand=replies&$top={PAGE_SIZE}"

    async def channel_delta(
        self, team_id: str, channel_id: str, *, cursor: str | None, since: datetime
    ) -> AsyncIterator[DeltaPage]:
        link = cursor or self.delta_url(team_id, channel_id, since)
        while True:
            page = await self._json(get_request(link), team_id)
            roots: list[RawMessage] = page.get("value", [])
            for root in roots:
                if root.get("replies@odata.nextLink"):
                    await self._complete_replies(root, team_id)
            next_link = page.get("@odata.nextLink")
            if not next_link:
                yield DeltaPage(roots, page.get("@odata.deltaLink"))
                return
            yield DeltaPage(roots)
            link = next_link

    async def _complete_replies(self, root: Any, team_id: str) -> None:
        """Follow ``replies@odata.nextLink`` (threads of more than 1000 replies)."""
        root["replies"] = [
            *(root.get("replies") or []),
            *await self._collect(root["replies@odata.nextLink"], team_id),
        ]

    async def list_user_departments(self) -> list[DirectoryUser]:
        """``GET /users?$select=id,department,userPrincipalName&$top=999``, every page.

        One listing costs ``ceil(users / 999)`` requests, against one request per person
        for ``/users/{id}``: cheaper as soon as a tenant has more than one page of people
        on its teams, and it does not depend on who is on a roster.
        """
        url = f"{self._base}/users?$select={','.join(USER_FIELDS)}&$top={USERS_PAGE_SIZE}"
        users: list[DirectoryUser] = []
        for value in await self._collect(url, None):
            department = value.get("department")
            users.append(
                DirectoryUser(
                    value["id"],
                    department if isinstance(department, str) else None,
                    value.get("userPrincipalName"),
                )
            )
        return users

    async def teams_user_activity_csv(self, period: str) -> str:
        builder = self.client.reports.get_teams_user_activity_user_detail_with_period(period)
        body = await self._send(builder.to_get_request_information(), None)
        return body.decode("utf-8-sig")


def get_request(url: str) -> RequestInformation:
    """A GET of a finished URL, as the SDK's request builders would make it."""
    info = RequestInformation(Method.GET)
    info.url = url
    info.headers.try_add("Accept", "application/json")
    return info


def _path(info: RequestInformation) -> str:
    try:
        return urlsplit(info.url).path
    except Exception:  # an unresolvable template: name it as it is
        return str(info.url_template)


def _translate(exc: APIError, info: RequestInformation) -> GraphError:
    status = exc.response_status_code
    detail = ""
    if isinstance(exc, ODataError) and exc.error is not None:
        detail = f" ({exc.error.code}: {exc.error.message})"
    where = _path(info)
    if status in (401, 403):
        return GraphAuthError(
            f"Graph refused the credentials ({status}) on {where}{detail}; "
            "check TRIMTAB_GRAPH_TOKEN or the app registration's permissions",
            status,
        )
    if status == 404:
        return GraphNotFoundError(f"not found: {where}{detail}", status)
    if status == 410:
        return GraphResyncRequired(f"delta token expired on {where}{detail}", status)
    if status is not None and (status == 429 or status >= 500):
        return GraphUnavailableError(f"Graph kept failing ({status}) on {where}{detail}", status)
    return GraphError(f"Graph error {status} on {where}{detail}", status)
