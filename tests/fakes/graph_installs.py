"""A loopback Microsoft Graph for installing Trimtab for a user (``/v1.0`` routes).

Shapes as documented (Microsoft Learn, "Install app for user", "List apps installed for
user", "Get chat between user and app"):

* ``POST /users/{id}/teamwork/installedApps`` with ``{"teamsApp@odata.bind": …}`` →
  ``201 Created`` with no body; ``409 Conflict`` with an OData error when it is installed
  already; ``403 Forbidden`` without ``TeamsAppInstallation.ReadWriteSelfForUser.All``;
  ``404 Not Found`` for an unknown user;
* ``GET /users/{id}/teamwork/installedApps?$expand=teamsApp&$filter=teamsApp/id eq '{app}'``
  → ``{"value": [{"id", "teamsApp": {…}}]}``;
* ``GET /users/{id}/teamwork/installedApps/{installation id}/chat`` → a ``chat``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from aiohttp import web
from aiohttp.test_utils import TestServer

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


def odata_error(status: int, code: str, message: str) -> web.Response:
    body = {"error": {"code": code, "message": message, "innerError": {"request-id": "fake"}}}
    return web.json_response(body, status=status)


@dataclass
class FakeGraphInstalls:
    """``users`` may get the app; ``installed`` have it; ``permission`` False answers 403."""

    app_id: str
    users: set[str] = field(default_factory=set)
    installed: set[str] = field(default_factory=set)
    permission: bool = True
    requests: list[tuple[str, str]] = field(default_factory=list)
    url: str = ""

    def chat_id(self, user: str) -> str:
        return f"19:{user}_bot@unq.gbl.spaces"

    def app(self) -> web.Application:
        app = web.Application()
        base = "/v1.0/users/{uid}/teamwork/installedApps"
        app.router.add_post(base, self._install)
        app.router.add_get(base, self._list)
        app.router.add_get(base + "/{iid}/chat", self._chat)
        return app

    def _seen(self, request: web.Request) -> str:
        query = unquote(request.query_string)
        self.requests.append((request.method, f"{request.path}?{query}" if query else request.path))
        return request.match_info["uid"].lower()

    async def _install(self, request: web.Request) -> web.Response:
        user = self._seen(request)
        if not self.permission:
            return odata_error(403, "Forbidden", "Missing role permissions on the request.")
        if user not in self.users:
            return odata_error(404, "NotFound", f"User '{user}' was not found.")
        bind = (await request.json()).get("teamsApp@odata.bind", "")
        if not re.search(rf"/appCatalogs/teamsApps/{re.escape(self.app_id)}$", bind):
            return odata_error(404, "NotFound", "The app was not found in the catalog.")
        if user in self.installed:
            return odata_error(409, "Conflict", "App is already installed for this user.")
        self.installed.add(user)
        return web.Response(status=201)

    async def _list(self, request: web.Request) -> web.Response:
        user = self._seen(request)
        if user not in self.users:
            return odata_error(404, "NotFound", f"User '{user}' was not found.")
        wanted = f"teamsApp/id eq '{self.app_id}'"
        value: list[dict[str, Any]] = []
        if user in self.installed and request.query.get("$filter") == wanted:
            value.append(
                {
                    "id": f"installation-{user}",
                    "teamsApp": {
                        "id": self.app_id,
                        "externalId": "eac5e5c6-ab14-4f50-80cb-49213fe51b1a",
                        "displayName": "Trimtab",
                        "distributionMethod": "organization",
                    },
                }
            )
        context = (
            f"https://graph.microsoft.com/v1.0/$metadata#users('{user}')/teamwork/installedApps"
        )
        return web.json_response({"@odata.context": context, "value": value})

    async def _chat(self, request: web.Request) -> web.Response:
        user = self._seen(request)
        if user not in self.installed or request.match_info["iid"] != f"installation-{user}":
            return odata_error(404, "NotFound", "Installation not found.")
        return web.json_response(
            {
                "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#chats/$entity",
                "id": self.chat_id(user),
                "topic": None,
                "createdDateTime": "2026-11-23T08:00:00Z",
                "lastUpdatedDateTime": "2026-11-23T08:00:00Z",
                "chatType": "oneOnOne",
                "webUrl": f"https://teams.microsoft.com/l/chat/{self.chat_id(user)}/0",
                "tenantId": TENANT,
            }
        )


async def start_graph_installs(fake: FakeGraphInstalls) -> TestServer:
    server = TestServer(fake.app(), host="127.0.0.1")
    await server.start_server()
    fake.url = str(server.make_url("/v1.0"))
    return server
