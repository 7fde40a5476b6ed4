"""Collect a tenant's channel conversations from Graph into adoption facts.

Strategy (unmetered, incremental): each channel is read with the per-channel
``chatMessage: delta`` function, ``$expand=replies``. The first round asks for
``$filter=lastModifiedDateTime gt <now - look-back>``, which the v1.0 reference
documents as returning every *reply chain* (root post and its replies) created or
changed after that time, and ends with an ``@odata.deltaLink``. That link is the
channel's cursor: the next sync GETs it and receives only the reply chains that
changed since — a new reply to an old thread brings its whole chain back, so the
thread fact is rebuilt from complete data. A channel with nothing new costs one
request. Delta and list are not metered APIs, and delta reaches back eight months,
far beyond the look-back window. The team-wide ``channels/getAllMessages`` is not used:
it is metered (licensing model A/B, a small monthly allowance in evaluation mode), has
no delta (a re-sync would read, and pay for, the whole window again) and returns
replies unattached to their roots.

Writes: one ``put_many`` per team (plus a delete for threads whose root was
deleted) and its rollup as the team finishes; then, for many teams at once
(:mod:`adoption.sync_writes`), their team documents in one batch and their cursors
(only when they changed). A crash after the facts and before the cursors only repeats
those teams' channels (upserts, so nothing doubles); teams whose cursors were written
resume from them. A team's writes hold none of the ``concurrency`` Graph slots: the next
team is read while they wait for the disk (at most ``concurrency`` teams wait so).

History: a channel's first round (no cursor yet) reaches back the *backfill*
(``TRIMTAB_SYNC_BACKFILL_WEEKS``, default 26 weeks), and the team records that start
as ``collected_since``: weeks before it are "no data", never 0. Later rounds follow the
cursor. A killed first sync resumes team by team: teams whose cursors are stored are
not read again.

Only human messages become facts: ``messageType == "message"``, no
``deletedDateTime``, a ``from.user`` and not an excluded user. A root that is not one
(deleted, system event, bot, excluded) but has human replies is kept as a thread with
``root_is_post=False`` so that its replies count in the weeks they were written.
Bodies, subjects and display text are never read into facts; only channel and team
display names are kept.

Failures: :class:`~adoption.graph.GraphAuthError` aborts the sync (every later call
would fail too); a 404 team is logged and skipped; any other Graph error marks that
team failed and the others complete.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from adoption.facts import ChannelFact, TeamFact, ThreadFact
from adoption.graph import (
    ChannelRef,
    GraphAuthError,
    GraphError,
    GraphGateway,
    GraphNotFoundError,
    GraphResyncRequired,
    TeamRef,
)
from adoption.messages import thread_fact
from adoption.pseudonym import Pseudonymiser
from adoption.repository import AdoptionRepository
from adoption.sync_result import SyncResult
from adoption.sync_writes import StateWrites
from adoption.usage_sync import USAGE_PERIODS, collect_usage

__all__ = ["Progress", "SyncResult", "sync_tenant"]

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]
UTC_ZONE = ZoneInfo("UTC")


@dataclass(slots=True)
class _Collected:
    """One team as read from Graph, not yet written."""

    team: TeamRef
    channels: list[ChannelRef]
    members: list[str]
    known: TeamFact | None
    previous: dict[str, str]  # the stored cursors the reads started from
    cursors: dict[str, str]  # where they ended
    threads: dict[str, ThreadFact] = field(default_factory=dict)
    dropped: set[str] = field(default_factory=set)


class _TeamSync:
    def __init__(
        self,
        gateway: GraphGateway,
        repo: AdoptionRepository,
        since: datetime,
        pseudonymiser: Pseudonymiser,
        result: SyncResult,
        writes: StateWrites,
        excluded: frozenset[str] = frozenset(),
        lookback: timedelta = timedelta(0),
        tz: ZoneInfo = UTC_ZONE,
    ) -> None:
        self.gateway, self.repo, self.since, self.lookback = gateway, repo, since, lookback
        self.writes = writes
        self.tz = tz
        self.pseudonymiser, self.result, self.excluded = pseudonymiser, result, excluded

    async def collect(self, team: TeamRef) -> _Collected:
        """Read the team's channels, members and changed threads (Graph; no write)."""
        channels = await self.gateway.list_channels(team.id)
        members = [
            m
            for m in await self.gateway.list_member_ids(team.id)
            if m.casefold() not in self.excluded
        ]
        known = await self.repo.team(team.id)
        cursors = await self.repo.cursors(team.id)
        got = _Collected(team, channels, members, known, dict(cursors), cursors)
        for channel in channels:
            try:
                cursors[channel.id] = await self._channel(
                    team.id, channel, cursors.get(channel.id), got.threads, got.dropped
                )
            except GraphNotFoundError as exc:
                log.warning("channel %s of team %s gone, skipped: %s", channel.id, team.id, exc)
                continue
            self.result.channels += 1
        return got

    async def store(self, got: _Collected, now: datetime) -> None:
        """Write what :meth:`collect` read: facts first, then (batched) team and cursors."""
        team, threads, dropped, previous = got.team, got.threads, got.dropped, got.previous
        # One batch per team, then the cursors: a crash in between repeats this team only.
        if threads:
            await self.repo.save_threads(team.id, threads.values())
        if dropped:
            await self.repo.delete_threads(team.id, dropped)
        if threads or dropped or got.known is None:
            # Weeks of changed threads only; a dropped thread's weeks are rebuilt in full.
            # Without earlier cursors every channel was read in full: `threads` is all.
            await self.repo.update_rollup(
                team.id,
                threads.values(),
                self.tz,
                rebuild=bool(dropped),
                complete=not previous and not dropped,
            )
        self.result.threads += len(threads)
        self.result.messages += sum(1 + len(t.replies) for t in threads.values())
        known = got.known
        await self.writes.add(
            TeamFact(
                id=team.id,
                name=team.name,
                member_ids=tuple(sorted({self.pseudonymiser.apply(m) for m in got.members})),
                channels=tuple(ChannelFact(c.id, c.name, c.membership_type) for c in got.channels),
                synced_at=now,
                targets=known.targets if known else {},
                collected_since=_coverage(known, previous, self.since, self.lookback),
            ),
            got.cursors if got.cursors != previous else None,
            previous,
        )

    async def _channel(
        self,
        team_id: str,
        channel: ChannelRef,
        cursor: str | None,
        threads: dict[str, ThreadFact],
        dropped: set[str],
    ) -> str:
        try:
            return await self._round(team_id, channel, cursor, threads, dropped)
        except GraphResyncRequired:
            if cursor is None:
                raise
            log.info("delta token of channel %s expired; reading the window again", channel.id)
            return await self._round(team_id, channel, None, threads, dropped)

    async def _round(
        self,
        team_id: str,
        channel: ChannelRef,
        cursor: str | None,
        threads: dict[str, ThreadFact],
        dropped: set[str],
    ) -> str:
        link: str | None = None
        async for page in self.gateway.channel_delta(
            team_id, channel.id, cursor=cursor, since=self.since
        ):
            for root in page.messages:
                fact = thread_fact(team_id, channel.id, root, self.pseudonymiser, self.excluded)
                key = f"{channel.id}|{root['id']}"
                if fact is None:
                    dropped.add(key)
                    threads.pop(key, None)
                else:
                    threads[key] = fact
                    dropped.discard(key)
            link = page.delta_link or link
        if link is None:
            raise GraphError(f"delta round of channel {channel.id} ended without a deltaLink")
        return link


def _coverage(
    known: TeamFact | None, previous: dict[str, str], since: datetime, lookback: timedelta
) -> datetime:
    """The start of the team's collected span: set by its first sync and kept after.

    A team collected before spans were recorded (cursors stored, no span) gets the
    start its first sync used then: the look-back before that sync.
    """
    if known is not None and known.collected_since is not None:
        return known.collected_since
    if known is not None and previous and known.synced_at is not None:
        return known.synced_at - lookback
    return since


async def sync_tenant(
    gateway: GraphGateway,
    repo: AdoptionRepository,
    *,
    now: datetime,
    lookback_days: int,
    pseudonymiser: Pseudonymiser,
    backfill_weeks: int = 0,
    excluded: frozenset[str] = frozenset(),
    tz: ZoneInfo = UTC_ZONE,
    progress: Progress | None = None,
    concurrency: int = 8,
    usage_periods: tuple[str, ...] = USAGE_PERIODS,
) -> SyncResult:
    """Collect every team's channels, members and recent threads into ``repo``.

    ``now`` is aware; the first round of a channel reaches back ``backfill_weeks`` or
    ``lookback_days``, whichever is longer. ``excluded`` users (casefolded ids or UPNs)
    are neither stored nor counted. Weekly rollups are kept in weeks of ``tz``.
    ``progress(done, total, team_name)`` is called after each team. Raises
    :class:`~adoption.graph.GraphAuthError` when Graph refuses the credentials.
    """
    result = SyncResult()
    requests_before = gateway.requests
    since = now - max(timedelta(days=lookback_days), timedelta(weeks=backfill_weeks))
    teams = await gateway.list_teams()
    writes = StateWrites(repo, StateWrites.batch_size(len(teams), concurrency))
    lookback = timedelta(days=lookback_days)
    worker = _TeamSync(gateway, repo, since, pseudonymiser, result, writes, excluded, lookback, tz)
    gate = asyncio.Semaphore(concurrency)  # teams being read from Graph
    storing = asyncio.Semaphore(concurrency)  # teams read, being written
    done = 0

    async def one(team: TeamRef) -> None:
        nonlocal done
        got: _Collected | None = None
        async with gate:
            try:
                got = await worker.collect(team)
            except GraphAuthError:
                raise
            except GraphNotFoundError as exc:
                log.warning("team %s (%s) not found, skipped: %s", team.id, team.name, exc)
                result.skipped_teams[team.id] = f"not found: {exc}"
            except GraphError as exc:
                log.error("team %s (%s) failed: %s", team.id, team.name, exc)
                result.failed_teams[team.id] = str(exc)
            if got is not None:
                await storing.acquire()  # a disk behind the reads holds them back
        # The writes (and their fsyncs) hold no Graph slot: the next team is read meanwhile.
        if got is not None:
            try:
                await worker.store(got, now)
            finally:
                storing.release()
            result.teams += 1
        done += 1
        if progress:
            progress(done, len(teams), team.name)

    try:
        try:
            async with asyncio.TaskGroup() as group:
                for team in teams:
                    group.create_task(one(team))
        finally:  # teams finished before an abort keep their progress
            await writes.flush()
    except BaseExceptionGroup as group_error:  # auth errors and storage faults end the sync
        raise group_error.exceptions[0] from None
    result.usage_periods, result.usage_error = await collect_usage(
        gateway, repo, pseudonymiser, usage_periods, now
    )
    result.requests = gateway.requests - requests_before
    return result
