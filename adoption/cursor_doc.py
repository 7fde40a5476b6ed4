"""Stored delta cursors (document layout: TinyDB, memory), one collection per team.

Each team's delta links live in their own collection, ``adoption.cursors.<team slug>``,
as one document (key = team id)::

    {"channels": {channel id: delta link, ...}}

so that saving one team's cursors writes only that team's file. Before, every team's
document sat in the one shared collection ``adoption.cursors`` (:data:`LEGACY`): the
embedded store rewrites a collection's whole file on every write, so a sync rewrote all
teams' cursors once per team (quadratic in the tenant). That collection is still read
for a team without a document of its own (a data dir from an earlier release resumes
from it) and is never written again: a team's first save copies its old links into its
own document, which wins from then on.
"""

from __future__ import annotations

import re
from typing import Any

from adoption.ports import Documents

#: The shared collection of earlier releases: read as a fallback, never written.
LEGACY = "adoption.cursors"
PREFIX = f"{LEGACY}."


def slug(team_id: str) -> str:
    """The file-name-safe part of a team's collection names (team ids are GUIDs)."""
    return re.sub(r"[^a-z0-9_-]+", "-", team_id.lower()).strip("-")[:100] or "team"


def cursors_collection(team_id: str) -> str:
    """Collection name for a team's delta cursors (one document, key = team id)."""
    return f"{PREFIX}{slug(team_id)}"


def is_cursors(collection: str) -> bool:
    """True for a team's cursor collection or the shared one of earlier releases."""
    return collection == LEGACY or collection.startswith(PREFIX)


async def read_cursors(store: Documents, team_id: str) -> dict[str, str]:
    """The team's stored delta links by channel id (empty before its first sync)."""
    doc = await store.get(cursors_collection(team_id), team_id)
    if doc is None:
        doc = await store.get(LEGACY, team_id)
    return dict(doc.get("channels", {})) if doc else {}


async def save_cursors(
    store: Documents, team_id: str, cursors: dict[str, str], since: dict[str, str] | None
) -> None:
    """Store the team's delta links in its own collection (a conditional write).

    ``since``: the links the sync started from. A channel whose stored link is no longer
    that one was advanced by another sync meanwhile: its newer link stays, and so do
    channels not in ``cursors``. ``None`` replaces the team's links with ``cursors``.
    """
    legacy: dict[str, Any] | None = None
    if since is not None and await store.get(cursors_collection(team_id), team_id) is None:
        legacy = await store.get(LEGACY, team_id)  # never written again: read once

    def merge(doc: dict[str, Any] | None) -> dict[str, Any]:
        if since is None:
            return {"channels": dict(cursors)}
        base = doc if doc is not None else legacy
        stored = dict(base.get("channels", {})) if base else {}
        for channel, link in cursors.items():
            if stored.get(channel) == since.get(channel):
                stored[channel] = link
        return {"channels": stored}

    await store.change(cursors_collection(team_id), team_id, merge)
