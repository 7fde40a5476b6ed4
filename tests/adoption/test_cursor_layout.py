"""Delta cursors: one collection per team, and data dirs of earlier releases resume.

Earlier releases kept every team's cursors in the one shared collection
``adoption.cursors`` (rewritten whole for each team: quadratic in the tenant). A data dir
from then must resume from those links without reading any channel's window again, and
that collection is never written again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from adoption.collector import SyncResult, sync_tenant
from adoption.cursor_doc import LEGACY, cursors_collection, is_cursors
from adoption.graph import GraphGateway
from adoption.pseudonym import Pseudonymiser
from adoption.repository import AdoptionRepository
from bot.storage import MemoryStore, TinyDBStore
from tests.adoption.conftest import (
    DAVE,
    DEAL_ROOM,
    GENERAL,
    NOW,
    SHARED_ENG,
    TEAM_A,
    TEAM_B,
    ago,
)
from tests.fakes.graph_server import FakeMessage, FakeTenant, GraphServer


async def sync(gateway: GraphGateway, store: TinyDBStore | MemoryStore) -> SyncResult:
    return await sync_tenant(
        gateway,
        AdoptionRepository(store),
        now=NOW,
        lookback_days=28,
        pseudonymiser=Pseudonymiser.disabled(),
    )


async def to_previous_release(data_dir: Path) -> dict[str, dict[str, str]]:
    """Rewrite the cursors of ``data_dir`` as an earlier release stored them: every team's
    document in the shared collection, no collection per team."""
    store = await TinyDBStore.open(data_dir)
    repo = AdoptionRepository(store)
    links = {team: await repo.cursors(team) for team in (TEAM_A, TEAM_B)}
    for team, channels in links.items():
        await store.put(LEGACY, team, {"channels": channels})
        assert await store.delete(cursors_collection(team), team)
    assert [name for name in await store.collections() if is_cursors(name)] == [LEGACY]
    await store.close()
    return links


async def test_a_data_dir_of_the_previous_release_resumes_from_its_shared_cursors(
    make_gateway: Callable[..., GraphGateway],
    server: GraphServer,
    tenant: FakeTenant,
    tmp_path: Path,
) -> None:
    store = await TinyDBStore.open(tmp_path)
    await sync(make_gateway(), store)
    await store.close()
    old_links = await to_previous_release(tmp_path)
    legacy_file = tmp_path / f"{LEGACY}.json"
    legacy_bytes = legacy_file.read_bytes()
    tenant.reply(TEAM_A, GENERAL, "1010", FakeMessage("1099", ago(0, 5), DAVE))
    server.counts.clear()

    store = await TinyDBStore.open(tmp_path)
    repo = AdoptionRepository(store)
    assert await repo.cursors(TEAM_A) == old_links[TEAM_A]  # read from the shared collection
    result = await sync(make_gateway(), store)

    first_rounds = [p for p in server.counts if p.endswith("/messages/delta()")]
    assert first_rounds == []  # every channel resumed from its stored link
    assert result.threads == 1  # only the thread with the new reply came back
    thread = next(t for t in await repo.threads(TEAM_A) if t.root.id == "1010")
    assert [r.id for r in thread.replies] == ["1099"]
    # each team now has its own document; the shared collection was not written
    for team, channels in ((TEAM_A, (GENERAL, DEAL_ROOM)), (TEAM_B, (SHARED_ENG,))):
        own = await store.get(cursors_collection(team), team)
        assert own is not None and set(own["channels"]) == set(channels)
        assert await repo.cursors(team) == own["channels"]
    assert legacy_file.read_bytes() == legacy_bytes
    await store.close()


async def test_a_first_save_advances_the_shared_links_and_keeps_the_others() -> None:
    store = MemoryStore()
    await store.put(LEGACY, "team", {"channels": {"a": "a1", "b": "b1", "gone": "g1"}})
    repo = AdoptionRepository(store)
    # "b" was advanced by another instance before this sync stored its links
    await repo.save_cursors("team", {"b": "b-other"}, since={"b": "b1"})
    await repo.save_cursors("team", {"a": "a2", "b": "b2"}, since={"a": "a1", "b": "b1"})
    assert await repo.cursors("team") == {"a": "a2", "b": "b-other", "gone": "g1"}
    assert await store.get(LEGACY, "team") == {"channels": {"a": "a1", "b": "b1", "gone": "g1"}}
    # without ``since`` the team's links are replaced, the shared document is not consulted
    await repo.save_cursors("team", {"c": "c1"})
    assert await repo.cursors("team") == {"c": "c1"}


async def test_each_team_is_written_to_its_own_collection_only(
    make_gateway: Callable[..., GraphGateway],
) -> None:
    store = MemoryStore()
    await sync(make_gateway(), store)
    names = [name for name in await store.collections() if is_cursors(name)]
    assert sorted(names) == sorted([cursors_collection(TEAM_A), cursors_collection(TEAM_B)])
    for team in (TEAM_A, TEAM_B):
        assert set(await store.all(cursors_collection(team))) == {team}


class CursorCrash(TinyDBStore):
    """Dies (an OSError) on the cursor write of ``team``, after its facts are durable."""

    team = TEAM_A

    async def put_if_version(
        self, collection: str, key: str, doc: Mapping[str, Any], expected_version: int | None
    ) -> int:
        if collection == cursors_collection(self.team):
            raise OSError("killed")
        return await super().put_if_version(collection, key, doc, expected_version)


async def test_a_crash_between_a_teams_facts_and_its_cursors_repeats_only_that_team(
    make_gateway: Callable[..., GraphGateway], server: GraphServer, tmp_path: Path
) -> None:
    store = await CursorCrash.open(tmp_path)
    with pytest.raises(OSError, match="killed"):
        await sync(make_gateway(), store)
    await store.close()

    store = await TinyDBStore.open(tmp_path)  # the next start, on what reached the disk
    repo = AdoptionRepository(store)
    assert await repo.cursors(TEAM_A) == {}
    assert set(await repo.cursors(TEAM_B)) == {SHARED_ENG}
    stored_a = await repo.threads(TEAM_A)
    assert stored_a  # its facts were written before the cursors
    server.counts.clear()
    await sync(make_gateway(), store)

    first_rounds = sorted(p for p in server.counts if p.endswith("/messages/delta()"))
    assert first_rounds == sorted(
        f"/v1.0/teams/{TEAM_A}/channels/{channel}/messages/delta()"
        for channel in (GENERAL, DEAL_ROOM)
    )
    assert await repo.threads(TEAM_A) == stored_a  # read again: upserts, nothing doubled
    assert set(await repo.cursors(TEAM_A)) == {GENERAL, DEAL_ROOM}
    await store.close()
