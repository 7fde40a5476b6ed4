"""The sync's bookkeeping writes: team documents in batches, then the delta cursors.

A team's threads (and its rollup) are written as soon as the team is read; its team
document and its cursors wait here. In the embedded store a collection is one file
rewritten whole on every write, so writing ``adoption.teams`` once per team made a
sync's write volume grow with the square of the tenant (2,000 teams: 2,000 rewrites of
a 2.6 MB file); the documents of a batch of teams are written in one ``put_many``.
Cursors stay one conditional write per team (``AdoptionRepository.save_cursors`` with
the links the sync started from), so two instances never lose each other's channels;
each team's cursors are a file of their own (:mod:`adoption.cursor_doc`), so a batch's
cursor writes touch different files and run at once.

Order per team: facts, then the team document, then the cursors. A crash between the
team document and the cursors re-reads those teams' channels next time (upserts,
nothing doubles) with their recorded span kept; a sync killed before a flush loses only
the bookkeeping of the teams since the last one, whose facts are stored.
:func:`adoption.collector.sync_tenant` flushes on the way out of any failure, so teams
finished before an error keep their progress.
"""

from __future__ import annotations

import asyncio

from adoption.facts import TeamFact
from adoption.repository import AdoptionRepository


class StateWrites:
    """Buffers finished teams' documents and cursors; writes them every ``every`` teams."""

    def __init__(self, repo: AdoptionRepository, every: int) -> None:
        if every < 1:
            raise ValueError(f"a batch holds at least one team, not {every}")
        self.repo = repo
        self.every = every
        self.flushes = 0
        self._cursors: dict[str, tuple[dict[str, str], dict[str, str]]] = {}
        self._teams: list[TeamFact] = []

    @staticmethod
    def batch_size(teams: int, concurrency: int) -> int:
        """About twenty flushes per sync whatever the tenant's size, at least one per round
        of concurrent teams: the write volume stays proportional to the tenant."""
        return max(1, concurrency, teams // 20)

    async def add(
        self, team: TeamFact, cursors: dict[str, str] | None, previous: dict[str, str]
    ) -> None:
        """Record a finished team: its document, and its ``cursors`` (None: unchanged)
        with the ``previous`` links the sync started from. Flushes when the batch is full.

        Call only after the team's threads are stored."""
        if cursors is not None:
            self._cursors[team.id] = (cursors, previous)
        self._teams.append(team)
        if len(self._teams) >= self.every:
            await self.flush()

    async def flush(self) -> None:
        """Write the buffered team documents in one batch, then each team's cursors (at
        once: every team's own conditional write). The first failure is raised after
        the other teams' writes have finished."""
        cursors, teams = self._cursors, self._teams
        self._cursors, self._teams = {}, []
        if teams:
            await self.repo.save_teams(teams)
        outcomes = await asyncio.gather(
            *(
                self.repo.save_cursors(team_id, links, since=previous)
                for team_id, (links, previous) in cursors.items()
            ),
            return_exceptions=True,
        )
        if cursors or teams:
            self.flushes += 1
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
