"""A loopback Microsoft Graph (v1.0) holding a crafted tenant, for tests and the benchmark.

Payload shapes follow ../shared/graph_examples (Graph API reference examples):
``chatMessage`` with html ``body``, ``from`` holding ``user`` / ``application`` / null,
``messageType`` ``message`` / ``systemEventMessage`` / ``unknownFutureValue``,
``deletedDateTime``, ``mentions[]``, ``reactions[]``, ``replies@odata.count``, nested
``replies`` (newest first, as in channel-list-messages example 3) and
``replies@odata.nextLink`` beyond ``max_expanded_replies``; ``@odata.nextLink``
(``$skiptoken``) and ``@odata.deltaLink`` (``$deltatoken``) as in chatmessage-delta;
``getTeamsUserActivityUserDetail`` answers 302 to a CSV with the v1.0 header row.

Served: GET /v1.0/teams, /teams/{id}/channels, /teams/{id}/members,
/teams/{id}/channels/{id}/messages/delta (also ``delta()`` as the SDK writes it,
``$filter=lastModifiedDateTime gt``, ``$expand=replies``, ``$top``),
/teams/{id}/channels/{id}/messages/{id}/replies, /reports/getTeamsUserActivityUserDetail,
/users (``$select``, ``$top``, ``$skiptoken``: see :mod:`tests.fakes.graph_users`).
Every request is counted per path (``counts``); the last ``RECENT`` are kept as
:class:`Seen` (path, raw query string, headers) in ``recent``; ``fail()`` queues faults.
"""

from __future__ import annotations

import base64
import itertools
import json
import re
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from tests.fakes.graph_users import list_users

TENANT_ID = "2432b57b-0abd-43db-aa7b-16eadd115d34"
CSV_HEADER = (
    "Report Refresh Date,Tenant Display Name,Shared Channel Tenant Display Names,User Id,"
    "User Principal Name,Last Activity Date,Is Deleted,Deleted Date,Assigned Products,"
    "Team Chat Message Count,Private Chat Message Count,Call Count,Meeting Count,Post Messages,"
    "Reply Messages,Urgent Messages,Meetings Organized Count,Meetings Attended Count,"
    "Ad Hoc Meetings Organized Count,Ad Hoc Meetings Attended Count,"
    "Scheduled One-time Meetings Organized Count,Scheduled One-time Meetings Attended Count,"
    "Scheduled Recurring Meetings Organized Count,Scheduled Recurring Meetings Attended Count,"
    "Audio Duration,Video Duration,Screen Share Duration,Audio Duration In Seconds,"
    "Video Duration In Seconds,Screen Share Duration In Seconds,Has Other Action,Is Licensed,"
    "Report Period"
)


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(slots=True)
class FakeMessage:
    """A channel message; ``sender`` is a user id, or an app id when ``sender_kind`` is app."""

    id: str
    created: datetime
    sender: str | None
    body: str = "<p>hello</p>"
    sender_kind: str = "user"  # "user" | "application" | "none"
    message_type: str = "message"
    deleted: datetime | None = None
    mentions: tuple[str, ...] = ()
    reactions: tuple[str, ...] = ()
    modified: datetime | None = None
    replies: list[FakeMessage] = field(default_factory=list)
    version: int = 0
    chain_modified: datetime | None = None


@dataclass(slots=True)
class FakeChannel:
    id: str
    name: str
    membership_type: str = "standard"
    roots: list[FakeMessage] = field(default_factory=list)


@dataclass(slots=True)
class FakeTeam:
    id: str
    name: str
    members: list[str] = field(default_factory=list)
    channels: dict[str, FakeChannel] = field(default_factory=dict)


class FakeTenant:
    """The tenant's teams, channels and messages; every change bumps a sequence number."""

    def __init__(self) -> None:
        self.teams: dict[str, FakeTeam] = {}
        self.seq = 0
        self.names: dict[str, str] = {}
        # user id -> (team chat messages, private chat messages, posts, replies)
        self.usage: dict[str, tuple[int, int, int, int]] = {}
        # user id -> department (None: the profile has none); see tests.fakes.graph_users
        self.departments: dict[str, str | None] = {}
        self.users_permission = True  # False: /users answers 403 (no User.Read.All)

    def add_team(self, team_id: str, name: str, members: list[str]) -> FakeTeam:
        team = self.teams[team_id] = FakeTeam(team_id, name, list(members))
        return team

    def add_channel(self, team_id: str, channel_id: str, name: str, kind: str = "standard") -> None:
        self.teams[team_id].channels[channel_id] = FakeChannel(channel_id, name, kind)

    def post(self, team_id: str, channel_id: str, message: FakeMessage) -> FakeMessage:
        self.seq += 1
        message.version = self.seq
        message.modified = message.modified or message.created
        message.chain_modified = message.modified
        self.teams[team_id].channels[channel_id].roots.append(message)
        return message

    def reply(self, team_id: str, channel_id: str, root_id: str, message: FakeMessage) -> None:
        root = self.root(team_id, channel_id, root_id)
        self.seq += 1
        message.modified = message.modified or message.created
        root.replies.append(message)
        root.version = self.seq
        assert root.chain_modified is not None
        root.chain_modified = max(root.chain_modified, message.modified)

    def root(self, team_id: str, channel_id: str, root_id: str) -> FakeMessage:
        roots = self.teams[team_id].channels[channel_id].roots
        return next(m for m in roots if m.id == root_id)


RECENT = 64


@dataclass(frozen=True, slots=True)
class Seen:
    """A request as it reached the server: the query string undecoded."""

    path: str
    raw_query: str
    headers: dict[str, str]


def _token(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def _untoken(value: str) -> dict[str, Any]:
    padded = value + "=" * (-len(value) % 4)
    result: dict[str, Any] = json.loads(base64.urlsafe_b64decode(padded))
    return result


def _graph_error(status: int, code: str, message: str) -> web.Response:
    body = {"error": {"code": code, "message": message, "innerError": {"date": "2026-01-01"}}}
    return web.json_response(body, status=status)


class GraphServer:
    """The aiohttp app serving a :class:`FakeTenant` under ``/v1.0``."""

    def __init__(self, tenant: FakeTenant, *, token: str = "test-token") -> None:
        self.tenant = tenant
        self.token = token
        self.page_size = 20
        self.max_expanded_replies = 1000
        self.counts: Counter[str] = Counter()
        self.recent: deque[Seen] = deque(maxlen=RECENT)
        self.faults: list[dict[str, Any]] = []
        self.gone_teams: set[str] = set()
        self.base_url = ""
        self._runner: web.AppRunner | None = None

    # -- control ---------------------------------------------------------------------------
    def fail(
        self,
        path_contains: str,
        status: int,
        *,
        times: int = 1,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Answer the next ``times`` requests whose path contains ``path_contains``."""
        self.faults.append(
            {"match": path_contains, "status": status, "times": times, "headers": headers or {}}
        )

    def count(self, path_contains: str) -> int:
        return sum(n for path, n in self.counts.items() if path_contains in path)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("GET", "/_reports/{period}.csv", self._report_csv)
        app.router.add_route("GET", "/v1.0/{tail:.*}", self._dispatch)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{port}/v1.0"
        return self.base_url

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # -- routing ---------------------------------------------------------------------------
    _ROUTES: tuple[tuple[re.Pattern[str], str], ...] = (
        (re.compile(r"^teams$"), "_teams"),
        (re.compile(r"^teams/([^/]+)/channels$"), "_channels"),
        (re.compile(r"^teams/([^/]+)/members$"), "_members"),
        (re.compile(r"^teams/([^/]+)/channels/([^/]+)/messages/delta(?:\(\))?$"), "_delta"),
        (re.compile(r"^teams/([^/]+)/channels/([^/]+)/messages/([^/]+)/replies$"), "_replies"),
        (re.compile(r"^reports/getTeamsUserActivityUserDetail\(period='([^']*)'\)$"), "_report"),
        (re.compile(r"^users$"), "_users"),
    )

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        self.counts[path] += 1
        self.recent.append(Seen(path, request.raw_path.partition("?")[2], dict(request.headers)))
        for fault in self.faults:
            if fault["match"] in path and fault["times"] > 0:
                fault["times"] -= 1
                return (
                    _graph_error(fault["status"], "Fault", "injected")
                    if fault["status"] != 429
                    else web.json_response(
                        {"error": {"code": "TooManyRequests", "message": "Too many requests"}},
                        status=429,
                        headers=fault["headers"],
                    )
                )
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return _graph_error(
                401,
                "InvalidAuthenticationToken",
                "Access token has expired or is not yet valid.",
            )
        tail = request.match_info["tail"]
        for pattern, name in self._ROUTES:
            match = pattern.match(tail)
            if match:
                handler = getattr(self, name)
                result: web.StreamResponse = await handler(request, *match.groups())
                return result
        return _graph_error(400, "BadRequest", f"Resource not found for the segment '{tail}'.")

    def _team(self, team_id: str) -> FakeTeam | None:
        team = self.tenant.teams.get(team_id)
        return None if team is None or team_id in self.gone_teams else team

    def _paged(
        self, request: web.Request, items: list[dict[str, Any]], **extra: Any
    ) -> web.Response:
        offset = int(request.query.get("$skiptoken", "0") or 0)
        top = int(request.query.get("$top", self.page_size))
        body: dict[str, Any] = {"@odata.context": f"{self.base_url}/$metadata#{request.path}"}
        body.update(extra)
        if offset + top < len(items):
            url = request.url.with_query({"$top": str(top), "$skiptoken": str(offset + top)})
            body["@odata.nextLink"] = f"{self.base_url.rsplit('/v1.0', 1)[0]}{url.path_qs}"
        body["value"] = items[offset : offset + top]
        return web.json_response(body)

    # -- resources -------------------------------------------------------------------------
    async def _teams(self, request: web.Request) -> web.Response:
        items = [
            {"id": t.id, "displayName": t.name, "description": None, "isArchived": False}
            for t in self.tenant.teams.values()
        ]
        return self._paged(request, items)

    async def _channels(self, request: web.Request, team_id: str) -> web.Response:
        team = self._team(team_id)
        if team is None:
            return _graph_error(404, "NotFound", f"No team found with Group Id {team_id}")
        items = [
            {
                "id": c.id,
                "createdDateTime": "2020-05-27T19:22:25.692Z",
                "displayName": c.name,
                "description": None,
                "membershipType": c.membership_type,
                "isArchived": False,
                "tenantId": TENANT_ID,
            }
            for c in team.channels.values()
        ]
        return web.json_response({"@odata.count": len(items), "value": items})

    async def _members(self, request: web.Request, team_id: str) -> web.Response:
        team = self._team(team_id)
        if team is None:
            return _graph_error(404, "NotFound", f"No team found with Group Id {team_id}")
        items = [
            {
                "@odata.type": "#microsoft.graph.aadUserConversationMember",
                "id": base64.b64encode(f"{team_id}##{uid}".encode()).decode(),
                "roles": [],
                "displayName": self.tenant.names.get(uid, "Member"),
                "userId": uid,
                "email": f"{uid[:8]}@contoso.com",
            }
            for uid in team.members
        ]
        return self._paged(request, items, **{"@odata.count": len(items)})

    async def _delta(self, request: web.Request, team_id: str, channel_id: str) -> web.Response:
        team = self._team(team_id)
        channel = team.channels.get(channel_id) if team else None
        if team is None or channel is None:
            return _graph_error(404, "NotFound", f"No team or channel {team_id}/{channel_id}")
        q = request.query
        if "$deltatoken" in q:
            state = _untoken(q["$deltatoken"])
            state.update(offset=0, seq_now=self.tenant.seq)
        elif "$skiptoken" in q:
            state = _untoken(q["$skiptoken"])
        else:
            since = None
            flt = q.get("$filter", "")
            match = re.fullmatch(r"\s*lastModifiedDateTime gt (\S+)\s*", flt)
            if flt and not match:
                return _graph_error(400, "BadRequest", f"Unsupported filter: {flt}")
            if match:
                since = match.group(1).replace("z", "Z")
            top = min(int(q.get("$top", "20")), 50)
            expand = "replies" in q.get("$expand", "")
            state = {"since": since, "after": None, "top": top, "expand": expand, "offset": 0}
            state["seq_now"] = self.tenant.seq
        roots = sorted(channel.roots, key=lambda m: (m.version, m.id))
        if state.get("after") is not None:
            chosen = [m for m in roots if state["after"] < m.version <= state["seq_now"]]
        else:
            cut = datetime.fromisoformat(state["since"]) if state.get("since") else None
            chosen = [
                m
                for m in roots
                if m.version <= state["seq_now"]
                and (cut is None or (m.chain_modified and m.chain_modified > cut))
            ]
        offset, top = state["offset"], state["top"]
        page = chosen[offset : offset + top]
        base = f"{self.base_url}/teams/{team_id}/channels/{channel_id}/messages/delta"
        body: dict[str, Any] = {
            "@odata.context": f"{self.base_url}/$metadata#Collection(chatMessage)"
        }
        if offset + top < len(chosen):
            body["@odata.nextLink"] = (
                f"{base}?$skiptoken={_token({**state, 'offset': offset + top})}"
            )
        else:
            nxt = {"after": state["seq_now"], "top": top, "expand": state["expand"]}
            body["@odata.deltaLink"] = f"{base}?$deltatoken={_token(nxt)}"
        body["value"] = [self._render_root(team_id, channel_id, m, state["expand"]) for m in page]
        return web.json_response(body)

    async def _users(self, request: web.Request) -> web.Response:
        return list_users(self.tenant, request, self.base_url)

    async def _replies(
        self, request: web.Request, team_id: str, channel_id: str, root_id: str
    ) -> web.Response:
        team = self._team(team_id)
        channel = team.channels.get(channel_id) if team else None
        root = next((m for m in channel.roots if m.id == root_id), None) if channel else None
        if root is None:
            return _graph_error(404, "NotFound", f"No message {root_id}")
        items = [self.render(team_id, channel_id, r, root.id) for r in reversed(root.replies)]
        return self._paged(request, items, **{"@odata.count": len(items)})

    async def _report(self, request: web.Request, period: str) -> web.StreamResponse:
        if period not in ("D7", "D30", "D90", "D180"):
            return _graph_error(400, "BadRequest", f"Invalid period '{period}'")
        origin = self.base_url.rsplit("/v1.0", 1)[0]
        raise web.HTTPFound(f"{origin}/_reports/{period}.csv")

    async def _report_csv(self, request: web.Request) -> web.Response:
        self.counts[request.path] += 1
        period = request.match_info["period"]
        days = period.lstrip("D")
        lines = [CSV_HEADER]
        for uid, (team_chat, private, posts, replies) in self.tenant.usage.items():
            cells = ["2026-11-20", "Contoso", "", uid, f"{uid[:8]}@contoso.com", "2026-11-19"]
            cells += ["False", "", "Microsoft 365 E3", str(team_chat), str(private), "0", "0"]
            cells += [str(posts), str(replies), "0"] + ["0"] * 8
            cells += ["PT0S", "PT0S", "PT0S", "0", "0", "0", "No", "Yes", days]
            lines.append(",".join(cells))
        body = ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()
        return web.Response(body=body, content_type="application/octet-stream")

    # -- rendering -------------------------------------------------------------------------
    def _render_root(
        self, team_id: str, channel_id: str, m: FakeMessage, expand: bool
    ) -> dict[str, Any]:
        doc = self.render(team_id, channel_id, m, None)
        if expand:
            newest_first = list(reversed(m.replies))
            shown = newest_first[: self.max_expanded_replies]
            doc["replies@odata.count"] = len(newest_first)
            if len(newest_first) > len(shown):
                doc["replies@odata.nextLink"] = (
                    f"{self.base_url}/teams/{team_id}/channels/{channel_id}/messages/{m.id}"
                    f"/replies?$skiptoken={len(shown)}&$top=50"
                )
            doc["replies"] = [self.render(team_id, channel_id, r, m.id) for r in shown]
        return doc

    def render(
        self, team_id: str, channel_id: str, m: FakeMessage, parent: str | None
    ) -> dict[str, Any]:
        """One ``chatMessage`` as Graph v1.0 returns it."""
        identity = None
        if m.sender_kind == "user" and m.sender:
            identity = {
                "application": None,
                "device": None,
                "user": {
                    "@odata.type": "#microsoft.graph.teamworkUserIdentity",
                    "id": m.sender,
                    "displayName": self.tenant.names.get(m.sender, "Someone"),
                    "userIdentityType": "aadUser",
                    "tenantId": TENANT_ID,
                },
            }
        elif m.sender_kind == "application" and m.sender:
            identity = {
                "application": {
                    "id": m.sender,
                    "displayName": "Standup Bot",
                    "applicationIdentityType": "bot",
                },
                "device": None,
                "user": None,
            }
        root_id = parent or m.id
        return {
            "id": m.id,
            "replyToId": parent,
            "etag": m.id,
            "messageType": m.message_type,
            "createdDateTime": iso(m.created),
            "lastModifiedDateTime": iso(m.modified),
            "lastEditedDateTime": None,
            "deletedDateTime": iso(m.deleted),
            "subject": None if parent else "",
            "summary": None,
            "chatId": None,
            "importance": "normal",
            "locale": "en-us",
            "webUrl": (
                f"https://teams.microsoft.com/l/message/{channel_id}/{m.id}?groupId={team_id}"
                f"&tenantId={TENANT_ID}&createdTime={m.id}&parentMessageId={root_id}"
            ),
            "policyViolation": None,
            "eventDetail": (
                {
                    "@odata.type": "#microsoft.graph.teamDescriptionUpdatedEventMessageDetail",
                    "teamId": team_id,
                    "teamDescription": "Team for Microsoft Teams members",
                    "initiator": {"application": None, "device": None, "user": None},
                }
                if m.message_type != "message"
                else None
            ),
            "from": identity,
            "body": {
                "contentType": "html",
                "content": "" if m.deleted else m.body,
            },
            "channelIdentity": {"teamId": team_id, "channelId": channel_id},
            "attachments": [],
            "mentions": [
                {
                    "id": i,
                    "mentionText": self.tenant.names.get(uid, "Someone"),
                    "mentioned": {
                        "application": None,
                        "device": None,
                        "conversation": None,
                        "user": {
                            "id": uid,
                            "displayName": self.tenant.names.get(uid, "Someone"),
                            "userIdentityType": "aadUser",
                        },
                    },
                }
                for i, uid in enumerate(m.mentions)
            ],
            "reactions": [
                {
                    "reactionType": "like",
                    "createdDateTime": iso(m.created),
                    "user": {
                        "application": None,
                        "device": None,
                        "user": {"id": uid, "displayName": None, "userIdentityType": "aadUser"},
                    },
                }
                for uid in m.reactions
            ],
            "messageHistory": [],
        }


_ids = itertools.count(1_700_000_000_000)


def next_message_id() -> str:
    """Graph channel message ids are millisecond timestamps as strings."""
    return str(next(_ids))
