"""A loopback Bot Connector service that records what the bot sends.

It speaks the Bot Framework v3 REST surface the bot uses: send, reply, update
and delete activities, create conversations, and the Teams roster and team
endpoints. Tests read ``sent`` to see the bot's answers, queue failures with
:meth:`FakeConnector.fail` (429 with ``Retry-After``, 5xx, 403 …) and seed
rosters with :meth:`FakeConnector.add_member`.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

ADAPTIVE = "application/vnd.microsoft.card.adaptive"


@dataclass
class Sent:
    """One activity the bot sent (or updated) through the connector."""

    method: str
    conversation_id: str
    activity: dict[str, Any]
    reply_to: str | None = None
    activity_id: str = ""

    @property
    def text(self) -> str:
        return self.activity.get("text") or ""

    @property
    def cards(self) -> list[dict[str, Any]]:
        return [
            a["content"]
            for a in self.activity.get("attachments") or []
            if a.get("contentType") == ADAPTIVE
        ]

    def nodes(self) -> Iterator[dict[str, Any]]:
        """Every element, action and fact of its cards (depth first, in order)."""
        stack: list[Any] = [self.cards]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                yield node
                stack.extend(reversed(list(node.values())))
            elif isinstance(node, list):
                stack.extend(reversed(node))

    def submit_commands(self) -> list[str]:
        """The ``command`` of every Action.Submit in its cards, body ActionSets first, in order."""
        return [
            str(node["data"].get("command"))
            for node in self.nodes()
            if node.get("type") == "Action.Submit" and isinstance(node.get("data"), dict)
        ]

    def all_text(self) -> str:
        """Text plus every TextBlock/fact of its cards, for loose assertions."""
        parts = [self.text]
        for node in self.nodes():
            parts += [
                node[key] for key in ("text", "title", "value") if isinstance(node.get(key), str)
            ]
        return "\n".join(parts)


@dataclass
class Failure:
    status: int
    retry_after: float | None = None
    conversation_id: str | None = None


@dataclass
class FakeConnector:
    """State of the fake service; ``url`` is its service URL once started."""

    sent: list[Sent] = field(default_factory=list)
    created: list[dict[str, Any]] = field(default_factory=list)
    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    teams: dict[str, dict[str, Any]] = field(default_factory=dict)
    failures: deque[Failure] = field(default_factory=deque)
    requests: int = 0
    url: str = ""
    in_flight: int = 0
    max_in_flight: int = 0
    held: int = 0
    hold: asyncio.Event | None = None
    """While an unset event, sends into 1:1 chats after the first ``hold_after`` wait for it
    before answering (a stalled fan-out)."""
    hold_after: int = 0
    latency: float = 0.0
    """Seconds a send waits *after* it is recorded before it is answered (a slow Teams:
    a sender killed meanwhile never learns that the message was posted)."""
    unanswered: set[str] = field(default_factory=set)
    """Activity ids recorded in ``sent`` whose answer has not been sent yet (``latency``)."""
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    def fail(
        self, *statuses: int, retry_after: float | None = None, conversation_id: str | None = None
    ) -> None:
        """Answer the next sends (to ``conversation_id`` if given) with these statuses."""
        for status in statuses:
            self.failures.append(Failure(status, retry_after, conversation_id))

    def add_member(self, teams_id: str, name: str, aad_id: str, upn: str = "") -> None:
        self.members[teams_id] = {
            "id": teams_id,
            "name": name,
            "aadObjectId": aad_id,
            "userPrincipalName": upn or f"{name.split()[0].lower()}@contoso.example",
            "email": upn or f"{name.split()[0].lower()}@contoso.example",
            "tenantId": "tenant-1",
            "userRole": "user",
        }

    def add_team(self, team_id: str, name: str, aad_group_id: str = "") -> None:
        """Serve ``GET /v3/teams/{team_id}`` (``TeamsInfo.get_team_details``) for this team."""
        self.teams[team_id] = {"id": team_id, "name": name, "aadGroupId": aad_group_id}

    def to(self, conversation_id: str) -> list[Sent]:
        """Everything sent into one conversation."""
        return [s for s in self.sent if s.conversation_id == conversation_id]

    def texts(self) -> list[str]:
        return [s.all_text() for s in self.sent]

    def clear(self) -> None:
        self.sent.clear()
        self.created.clear()

    def _must_hold(self, conversation_id: str) -> bool:
        if self.hold is None or self.hold.is_set() or not conversation_id.startswith("a:"):
            return False
        answered = sum(1 for s in self.sent if s.conversation_id.startswith("a:"))
        return answered >= self.hold_after

    def _take_failure(self, conversation_id: str) -> Failure | None:
        for failure in list(self.failures):
            if failure.conversation_id in (None, conversation_id):
                self.failures.remove(failure)
                return failure
        return None

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v3/conversations", self._create_conversation)
        app.router.add_post("/v3/conversations/{cid}/activities", self._send)
        app.router.add_post("/v3/conversations/{cid}/activities/{aid}", self._send)
        app.router.add_put("/v3/conversations/{cid}/activities/{aid}", self._update)
        app.router.add_delete("/v3/conversations/{cid}/activities/{aid}", self._delete)
        app.router.add_get("/v3/conversations/{cid}/members/{uid}", self._member)
        app.router.add_get("/v3/conversations/{cid}/members", self._members)
        app.router.add_get("/v3/conversations/{cid}/pagedmembers", self._paged_members)
        app.router.add_get("/v3/teams/{tid}", self._team)
        app.router.add_get("/v3/teams/{tid}/conversations", self._channels)
        return app

    def _failure_response(self, conversation_id: str) -> web.Response | None:
        failure = self._take_failure(conversation_id)
        if failure is None:
            return None
        headers = (
            {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else {}
        )
        body = {"error": {"code": f"HTTP{failure.status}", "message": "fake connector failure"}}
        return web.json_response(body, status=failure.status, headers=headers)

    async def _send(self, request: web.Request) -> web.Response:
        self.requests += 1
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await asyncio.sleep(0)  # a moment "on the network": concurrent sends overlap here
            cid = request.match_info["cid"]
            if self._must_hold(cid):
                self.held += 1
                await self.hold.wait()  # type: ignore[union-attr]
            if (failed := self._failure_response(cid)) is not None:
                return failed
            activity = await request.json()
            new_id = f"activity-{next(self._ids)}"
            self.sent.append(Sent("POST", cid, activity, request.match_info.get("aid"), new_id))
            if self.latency:
                self.unanswered.add(new_id)
                try:
                    await asyncio.sleep(self.latency)
                finally:
                    self.unanswered.discard(new_id)
            return web.json_response({"id": new_id})
        finally:
            self.in_flight -= 1

    async def _update(self, request: web.Request) -> web.Response:
        self.requests += 1
        cid, aid = request.match_info["cid"], request.match_info["aid"]
        if (failed := self._failure_response(cid)) is not None:
            return failed
        self.sent.append(Sent("PUT", cid, await request.json(), None, aid))
        return web.json_response({"id": aid})

    async def _delete(self, request: web.Request) -> web.Response:
        return web.Response(status=200)

    async def _create_conversation(self, request: web.Request) -> web.Response:
        self.requests += 1
        params = await request.json()
        member = (params.get("members") or [{}])[0].get("id", "unknown")
        if (failed := self._failure_response(f"create:{member}")) is not None:
            return failed
        self.created.append(params)
        return web.json_response({"id": f"a:personal-{member}", "serviceUrl": self.url})

    async def _member(self, request: web.Request) -> web.Response:
        member = self.members.get(request.match_info["uid"])
        if member is None:
            return web.json_response(
                {"error": {"code": "MemberNotFoundInConversation"}}, status=404
            )
        return web.json_response(member)

    async def _members(self, request: web.Request) -> web.Response:
        return web.json_response(list(self.members.values()))

    async def _paged_members(self, request: web.Request) -> web.Response:
        return web.json_response({"members": list(self.members.values())})

    async def _team(self, request: web.Request) -> web.Response:
        tid = request.match_info["tid"]
        team = self.teams.get(tid)
        if team is None:  # the connector's answer for a team the bot is not in
            return web.json_response({"error": {"code": "NotFound"}}, status=404)
        return web.json_response(team)

    async def _channels(self, request: web.Request) -> web.Response:
        tid = request.match_info["tid"]
        return web.json_response({"conversations": [{"id": tid, "name": None}]})


async def start_connector(connector: FakeConnector) -> TestServer:
    """Serve ``connector`` on a loopback port and set its ``url``."""
    server = TestServer(connector.app(), host="127.0.0.1")
    await server.start_server()
    connector.url = str(server.make_url("/"))
    return server
