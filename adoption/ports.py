"""What the tracker needs from the outside world, as protocols it owns.

- :class:`Documents`: the subset of the document store the tracker uses (TinyDB, memory,
  and the non-fact collections on PostgreSQL).
- :class:`AdoptionFacts`: where the facts live. :class:`adoption.repository.DocumentFacts`
  keeps them as documents (TinyDB, memory); the PostgreSQL store keeps them in tables and
  aggregates the weeks in SQL (``bot.storage.postgres_facts``).
- :class:`FactsProvider`: a store that keeps the facts its own way offers them through
  ``adoption_facts()``; :class:`adoption.repository.AdoptionRepository` uses it when
  present, so the composition root picks the implementation by the store it opens.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Iterable, Mapping, Sequence
from typing import Any, Protocol, TypeVar, runtime_checkable
from zoneinfo import ZoneInfo

from adoption.facts import TeamFact, ThreadFact
from adoption.rollups import TeamRollup

_T = TypeVar("_T")

#: A pure function from the stored document (``None``: absent) to the one to write
#: (``None``: leave it as it is). It may run several times; it may raise a domain error.
Change = Callable[[dict[str, Any] | None], Mapping[str, Any] | None]


class Updates(Protocol):
    """A safe read-modify-write of one document: a conditional write retried on conflict."""

    async def change(self, collection: str, key: str, fn: Change) -> dict[str, Any] | None: ...


class Documents(Updates, Protocol):
    """The subset of Trimtab's document store the tracker uses."""

    async def get(self, collection: str, key: str) -> dict[str, Any] | None: ...

    async def put(self, collection: str, key: str, doc: Mapping[str, Any]) -> None: ...

    async def put_many(
        self, collection: str, docs: Mapping[str, Mapping[str, Any]], *, owned: bool = False
    ) -> None: ...

    async def delete(self, collection: str, key: str) -> bool: ...

    async def all(self, collection: str) -> dict[str, dict[str, Any]]: ...

    async def read_all(self, collection: str) -> dict[str, dict[str, Any]]:
        """Like ``all`` but the documents are for reading only (maybe not copies)."""
        ...

    async def read_all_many(
        self, collections: Iterable[str]
    ) -> dict[str, dict[str, dict[str, Any]]]:
        """``read_all`` of each collection, by name, in one batch (off the event loop)."""
        ...


class Offload(Protocol):
    """Runs a CPU-bound function somewhere and gives back its result (a worker thread for
    a caller on an event loop; :func:`inline` otherwise)."""

    def __call__(self, fn: Callable[[], _T], /) -> Awaitable[_T]: ...


async def inline(fn: Callable[[], _T], /) -> _T:
    """:class:`Offload` that runs ``fn`` right here."""
    return fn()


class AdoptionFacts(Protocol):
    """The tracker's facts: teams, threads, delta cursors, usage totals and weekly tallies."""

    async def save_team(self, team: TeamFact) -> None:
        """Insert or replace the team (name, roster, channels, span collected)."""
        ...

    async def teams(self, offload: Offload = inline) -> list[TeamFact]:
        """Every team, by name ignoring case; ``offload``: where stored rows become facts
        (2,000 teams: about 0.1 s, which a caller on an event loop hands its worker lane)."""
        ...

    async def team(self, team_id: str) -> TeamFact | None: ...

    async def save_threads(self, team_id: str, threads: Iterable[ThreadFact]) -> int:
        """Insert or replace whole threads in one write; returns how many."""
        ...

    async def threads(self, team_id: str) -> list[ThreadFact]:
        """The team's threads, oldest root first."""
        ...

    async def delete_threads(self, team_id: str, keys: Iterable[str]) -> int:
        """Remove threads by :attr:`ThreadFact.key`; returns how many were there."""
        ...

    async def cursors(self, team_id: str) -> dict[str, str]: ...

    async def save_teams(self, teams: Iterable[TeamFact]) -> None:
        """Insert or replace several teams in one batch."""
        ...

    async def save_cursors(
        self, team_id: str, cursors: dict[str, str], *, since: dict[str, str] | None = None
    ) -> None:
        """Store delta links; with ``since`` (the links the sync started from) a channel
        another sync advanced meanwhile keeps its newer link, and other channels stay."""
        ...

    async def save_tenant_usage(self, period: str, doc: dict[str, object]) -> None: ...

    async def tenant_usage(self) -> dict[str, dict[str, object]]: ...

    async def update_rollup(
        self,
        team_id: str,
        changed: Iterable[ThreadFact],
        tz: ZoneInfo,
        *,
        rebuild: bool = False,
        complete: bool = False,
    ) -> None:
        """Keep the team's weekly tallies current after ``changed`` threads were saved
        (a no-op where tallies are computed when read)."""
        ...

    async def refresh_rollup(self, team_id: str) -> bool:
        """Rebuild the team's stored tallies from its threads (after ids were rewritten);
        ``True`` when there were stored tallies to rebuild."""
        ...

    async def rollups(
        self,
        tz: ZoneInfo,
        teams: Sequence[TeamFact],
        *,
        weeks: Collection[str] | None = None,
        offload: Offload = inline,
    ) -> dict[str, TeamRollup] | None:
        """Weekly rollups of ``teams`` by team id in ``tz`` (at least the ISO week labels
        ``weeks`` when given), or ``None`` when not available in that zone for every team
        (the report then reads threads). ``offload``: where decoding runs (a caller on an
        event loop passes its worker lane). The report's port: ``/work/notes/rollup_port.md``."""
        ...


@runtime_checkable
class FactsProvider(Protocol):
    """A store that keeps the adoption facts its own way (PostgreSQL tables)."""

    def adoption_facts(self) -> AdoptionFacts: ...
