"""Team names from the connector: a team seen only through channel messages gets its name.

Teams sends a channel message's ``channelData.team`` with the id alone; a name arrives only
with install and rename events. At first contact with a team whose name is unknown, and on
``teamRenamed``, :class:`TeamNamer` asks the connector (``TeamsInfo``'s team details,
``GET /v3/teams/{id}``) and stores the name in the directory, so ``nudge <name>`` finds it.
"""

from __future__ import annotations

import asyncio
import logging

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.schema.teams import TeamDetails
from botframework.connector.teams import TeamsConnectorClient
from urllib3 import Retry

from bot.directory import Directory

log = logging.getLogger(__name__)


async def _team_details(turn_context: TurnContext, team_id: str) -> TeamDetails | None:
    """``TeamsInfo.get_team_details`` without blocking the event loop.

    botbuilder's Teams operations are synchronous msrest calls inside an ``async def``: the
    request would block the loop (and deadlock against a connector served by the same loop),
    so the call runs in a worker thread, with msrest's own retries off (one request).
    """
    credentials = (await TeamsInfo.get_teams_connector_client(turn_context)).config.credentials
    service_url = turn_context.activity.service_url

    def call() -> TeamDetails | None:
        # msrest keeps its HTTP session per thread: build the client in the worker thread
        client = TeamsConnectorClient(credentials, service_url)
        client.config.retry_policy.policy = Retry(
            total=0, raise_on_status=False, respect_retry_after_header=False
        )
        return client.teams.get_team_details(team_id)

    return await asyncio.to_thread(call)


class TeamNamer:
    """Asks for a team's name once per process (also when the connector refuses)."""

    def __init__(self, directory: Directory) -> None:
        self.directory = directory
        self._asked: set[str] = set()

    async def on_activity(self, turn_context: TurnContext) -> None:
        """First contact: fetch the name of a team the directory knows only by id."""
        team = (turn_context.activity.channel_data or {}).get("team") or {}
        team_id = team.get("id")
        if not team_id or team_id in self._asked:
            return
        stored = await self.directory.team(team_id) or {}
        if stored.get("name") and stored["name"] != team_id:
            self._asked.add(team_id)
            return
        await self.refresh(turn_context, team_id)

    async def refresh(
        self, turn_context: TurnContext, team_id: str, fallback: str | None = None
    ) -> str | None:
        """Fetch and store the team's current name (``fallback`` when the connector fails)."""
        self._asked.add(team_id)
        name = fallback
        try:
            details = await _team_details(turn_context, team_id)
            name = (details.name if details else None) or fallback
        except Exception:  # best effort: the connector's errors are not typed
            log.warning("could not read the details of team %s", team_id, exc_info=True)
        if name:
            await self.directory.update_team(team_id, name=name)
        return name
