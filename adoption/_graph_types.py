"""Graph gateway types: the error hierarchy, refs, limits and the gateway protocol.

Private: import them from :mod:`adoption.graph`. Kept apart so that the SDK
implementation (``_graph_sdk``, ``_graph_http``) depends on these types without
importing :mod:`adoption.graph`, which builds it (no import cycle).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

Sleep = Callable[[float], Awaitable[None]]
RawMessage = Mapping[str, Any]


class GraphError(Exception):
    """A Graph call failed for good."""

    status: int | None = None

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class GraphAuthError(GraphError):
    """The token or credentials were rejected (401/403)."""


class GraphNotFoundError(GraphError):
    """The resource does not exist any more (404)."""


class GraphResyncRequired(GraphError):
    """A delta token is no longer valid (410); start the channel's round again."""


class GraphUnavailableError(GraphError):
    """Throttling or server errors outlasted the retries, or the network failed."""


@dataclass(frozen=True, slots=True)
class TeamRef:
    """A team as listed by ``GET /teams``."""

    id: str
    name: str


@dataclass(frozen=True, slots=True)
class ChannelRef:
    """A channel as listed by ``GET /teams/{id}/channels`` (standard, private or shared)."""

    id: str
    name: str
    membership_type: str = "standard"


@dataclass(frozen=True, slots=True)
class DirectoryUser:
    """A user as listed by ``GET /users?$select=id,department,userPrincipalName``.

    ``upn`` is read only to honour ``TRIMTAB_EXCLUDE_USERS`` given as UPNs; it is never
    stored. ``department`` is ``None`` when the profile has none.
    """

    id: str
    department: str | None
    upn: str | None = None


@dataclass(frozen=True, slots=True)
class DeltaPage:
    """One page of a channel's delta round.

    ``messages`` are raw Graph ``chatMessage`` roots with their complete ``replies``
    (the gateway follows ``replies@odata.nextLink``). ``delta_link`` is set on the last
    page only; it is the cursor for the next sync.
    """

    messages: list[RawMessage]
    delta_link: str | None = None


@dataclass(frozen=True, slots=True)
class GraphLimits:
    """Client-side bounds that keep a sync under Graph's documented Teams limits.

    From "Microsoft Graph service-specific throttling limits", Microsoft Teams service
    limits (learn.microsoft.com/graph/throttling-limits#microsoft-teams-service-limits):
    *GET channel message* 20 rps per app per tenant; *GET /teams/{id}/channels* and
    */members* 60 rps; "a maximum of 4 requests per second per app can be issued on a
    given team or channel"; reports (CSV) 14 requests per 10 minutes per app per tenant.
    The defaults apply the strictest figures to every request: at most 20 requests/s and
    20 in flight overall, at most 4 requests/s and 4 in flight per team. ``None`` rates
    switch pacing off (loopback tests and the benchmark).
    """

    max_in_flight: int = 20
    per_team_in_flight: int = 4
    requests_per_second: float | None = 20.0
    per_team_requests_per_second: float | None = 4.0
    max_retries: int = 5
    max_retry_wait: float = 120.0
    timeout: float = 100.0

    @classmethod
    def unpaced(cls, **overrides: Any) -> GraphLimits:
        """No request pacing (for loopback servers); concurrency bounds stay."""
        values: dict[str, Any] = {"requests_per_second": None, "per_team_requests_per_second": None}
        values.update(overrides)
        return cls(**values)


class GraphGateway(Protocol):
    """The Graph reads the collector makes. Every call may raise a :class:`GraphError`."""

    @property
    def requests(self) -> int:
        """HTTP requests sent so far (retries included)."""
        ...

    async def list_teams(self) -> list[TeamRef]: ...

    async def list_channels(self, team_id: str) -> list[ChannelRef]: ...

    async def list_member_ids(self, team_id: str) -> list[str]:
        """AAD object ids of the team's members (``aadUserConversationMember.userId``)."""
        ...

    def channel_delta(
        self, team_id: str, channel_id: str, *, cursor: str | None, since: datetime
    ) -> AsyncIterator[DeltaPage]:
        """Reply chains changed since ``cursor`` (a delta link), else modified after ``since``."""
        ...

    async def list_user_departments(self) -> list[DirectoryUser]:
        """Every user of the directory with their department (``User.Read.All``)."""
        ...

    async def teams_user_activity_csv(self, period: str) -> str:
        """``getTeamsUserActivityUserDetail(period=...)`` as CSV text (``D7``, ``D30``...)."""
        ...

    async def aclose(self) -> None: ...
