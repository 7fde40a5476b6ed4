"""The Graph gateway: what the collector needs from Microsoft Graph, and how to build it.

Domain code depends on :class:`GraphGateway` only; :func:`build_gateway` returns the
msgraph-sdk implementation (``adoption._graph_sdk``) configured from
:class:`~adoption.config.GraphSettings`.

Errors::

    GraphError                 any Graph failure the gateway could not recover from
     ├── GraphAuthError        401/403, or credentials rejected: stop the sync, no retry loop
     ├── GraphNotFoundError    404: the team or channel is gone (the collector skips it)
     ├── GraphResyncRequired   410: a stored delta token expired; restart that channel's round
     └── GraphUnavailableError 429/5xx still failing after the retries, or a network error

Retries (429, 500, 502, 503, 504, honouring ``Retry-After``) happen inside the HTTP
pipeline, see ``adoption._graph_http``.
"""

from __future__ import annotations

from typing import Any

from adoption._graph_types import (
    ChannelRef,
    DeltaPage,
    DirectoryUser,
    GraphAuthError,
    GraphError,
    GraphGateway,
    GraphLimits,
    GraphNotFoundError,
    GraphResyncRequired,
    GraphUnavailableError,
    RawMessage,
    Sleep,
    TeamRef,
)

__all__ = [
    "ChannelRef",
    "DeltaPage",
    "DirectoryUser",
    "GraphAuthError",
    "GraphError",
    "GraphGateway",
    "GraphLimits",
    "GraphNotFoundError",
    "GraphResyncRequired",
    "GraphUnavailableError",
    "RawMessage",
    "Sleep",
    "TeamRef",
    "build_gateway",
]


def build_gateway(
    settings: Any,
    *,
    limits: GraphLimits | None = None,
    sleep: Sleep | None = None,
    transport: Any = None,
) -> GraphGateway:
    """The msgraph-sdk gateway for ``settings`` (a :class:`~adoption.config.GraphSettings`).

    ``sleep`` is what retry waits and pacing await (``asyncio.sleep`` by default);
    tests inject a recorder so that nothing really sleeps. ``transport`` (an
    ``httpx.AsyncBaseTransport``, default httpx's own) carries the bytes under the SDK's
    middleware; the bot passes :class:`bot.graph_transport.AiohttpTransport`. The
    gateway closes it in ``aclose()``.
    """
    from adoption._graph_sdk import SdkGraphGateway

    return SdkGraphGateway(
        settings, limits=limits or GraphLimits(), sleep=sleep, transport=transport
    )
