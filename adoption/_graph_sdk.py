"""The msgraph-sdk implementation of :class:`adoption.graph.GraphGateway`.

Requests are built with the SDK's request builders (``with_url`` for
``@odata.nextLink``/``@odata.deltaLink``) and sent through its request adapter and
middleware. Responses are read as bytes and parsed with :mod:`json` instead of into
kiota models: the tracker keeps a handful of ids, timestamps and counts per message,
and materialising every ``chatMessage`` (bodies, attachments, identities) as model
objects would cost several times the JSON parse itself (see ``bench/sync_bench.py``).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import httpx
from kiota_abstractions.api_error import APIError
from kiota_abstractions.base_request_configuration import RequestConfiguration
from kiota_abstractions.request_information import RequestInformation
from msgraph import GraphRequestAdapter, GraphServiceClient
from msgraph.generated.models.o_data_errors.o_data_error import ODataError
from msgraph.generated.users.users_request_builder import UsersRequestBuilder

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

    def __init__(self, settings: Any, *, limits: GraphLimits, sleep: Sleep | None) -> None:
        sleep = sleep or asyncio.sleep
        self._retry = CountingRetryMiddleware(
            max_retries=limits.max_retries, max_wait=limits.max_retry_wait, sleep=sleep
        )
        self._http = build_http_client(settings.base_url, limits, self._retry)
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
        return json.loads(body) if body else {}

    async def _collect(self, builder: Any, team_id: str | None) -> list[dict[str, Any]]:
        """Every item of a collection, following ``@odata.nextLink``."""
        items: list[dict[str, Any]] = []
        info = builder.to_get_request_information()
        while True:
            page = await self._json(info, team_id)
            items.extend(page.get("value", []))
            next_link = page.get("@odata.nextLink")
            if not next_link:
                return items
            info = builder.with_url(next_link).to_get_request_information()

    async def list_teams(self) -> list[TeamRef]:
        values = await self._collect(self.client.teams, None)
        return [TeamRef(v["id"], v.get("displayName") or "") for v in values]

    async def list_channels(self, team_id: str) -> list[ChannelRef]:
        builder = self.client.teams.by_team_id(team_id).channels
        values = await self._collect(builder, team_id)
        return [
            ChannelRef(v["id"], v.get("displayName") or "", v.get("membershipType") or "standard")
            for v in values
        ]

    async def list_member_ids(self, team_id: str) -> list[str]:
        values = await self._collect(self.client.teams.by_team_id(team_id).members, team_id)
        return [v["userId"] for v in values if v.get("userId")]

    async def channel_delta(
        self, team_id: str, channel_id: str, *, cursor: str | None, since: datetime
    ) -> AsyncIterator[DeltaPage]:
        messages = self.client.teams.by_team_id(team_id).channels.by_channel_id(channel_id).messages
        builder = messages.delta
        if cursor:
            info = builder.with_url(cursor).to_get_request_information()
        else:
            # A pre-built URL: kiota would expand its URI template on every read of the
            # request's URL, a measurable share of a first sync's CPU (see bench/).
            stamp = since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
            query = urlencode(
                {"$filter": f"lastModifiedDateTime gt {stamp}", "$expand": "replies"},
                quote_via=quote,
            )
            url = (
                f"{self._base}/teams/{quote(team_id, safe='')}/channels/"
                f"{quote(channel_id, safe='')}/messages/delta()?{query}&$top={PAGE_SIZE}"
            )
            info = builder.with_url(url).to_get_request_information()
        while True:
            page = await self._json(info, team_id)
            roots: list[RawMessage] = page.get("value", [])
            for root in roots:
                if root.get("replies@odata.nextLink"):
                    await self._complete_replies(messages, root, team_id)
            next_link = page.get("@odata.nextLink")
            if not next_link:
                yield DeltaPage(roots, page.get("@odata.deltaLink"))
                return
            yield DeltaPage(roots)
            info = builder.with_url(next_link).to_get_request_information()

    async def _complete_replies(self, messages: Any, root: Any, team_id: str) -> None:
        """Follow ``replies@odata.nextLink`` (threads of more than 1000 replies)."""
        replies = list(root.get("replies") or [])
        builder = messages.by_chat_message_id(root["id"]).replies
        link = root.get("replies@odata.nextLink")
        while link:
            page = await self._json(builder.with_url(link).to_get_request_information(), team_id)
            replies.extend(page.get("value", []))
            link = page.get("@odata.nextLink")
        root["replies"] = replies

    async def list_user_departments(self) -> list[DirectoryUser]:
        """``GET /users?$select=id,department,userPrincipalName&$top=999``, every page.

        One listing costs ``ceil(users / 999)`` requests, against one request per person
        for ``/users/{id}``: cheaper as soon as a tenant has more than one page of people
        on its teams, and it does not depend on who is on a roster.
        """
        builder = self.client.users
        query = UsersRequestBuilder.UsersRequestBuilderGetQueryParameters(
            select=USER_FIELDS, top=USERS_PAGE_SIZE
        )
        info = builder.to_get_request_information(RequestConfiguration(query_parameters=query))
        users: list[DirectoryUser] = []
        while True:
            page = await self._json(info, None)
            for value in page.get("value", []):
                department = value.get("department")
                users.append(
                    DirectoryUser(
                        value["id"],
                        department if isinstance(department, str) else None,
                        value.get("userPrincipalName"),
                    )
                )
            next_link = page.get("@odata.nextLink")
            if not next_link:
                return users
            info = builder.with_url(next_link).to_get_request_information()

    async def teams_user_activity_csv(self, period: str) -> str:
        builder = self.client.reports.get_teams_user_activity_user_detail_with_period(period)
        body = await self._send(builder.to_get_request_information(), None)
        return body.decode("utf-8-sig")


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
