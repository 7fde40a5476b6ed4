"""Which id space the stored facts are in (raw AAD ids or pseudonyms), and the rewrite.

Turning ``TRIMTAB_PSEUDONYMISE`` on over a data dir that already holds raw ids would
mix two id spaces and leave the raw ids on disk. So the store records its id space
(``adoption.meta``/``ids``) and :func:`check_id_space` refuses a sync or report whose
setting does not match it; ``trimtab pseudonymise`` (:func:`pseudonymise_store`)
rewrites every stored user id — thread authors, team rosters, usage-report rows, weekly
rollups (rebuilt from the rewritten threads), the departments' keys — and
then records the new space.

The rewrite is idempotent: pseudonyms (``p_`` + 32 hex) are never hashed again, so a
rewrite killed half-way is simply run again.
"""

from __future__ import annotations

import re
from typing import Any
from zoneinfo import ZoneInfo

from adoption.config import ConfigError
from adoption.department_store import DepartmentRepository
from adoption.ports import Documents
from adoption.pseudonym import PREFIX, Pseudonymiser
from adoption.repository import (
    TEAMS,
    TENANT,
    AdoptionRepository,
    rollup_collection,
    threads_collection,
)
from adoption.rollups import ROLLUPS

META = "adoption.meta"
ID_SPACE = "ids"
_PSEUDONYM = re.compile(rf"^{PREFIX}[0-9a-f]{{32}}$")


def is_pseudonym(user_id: str) -> bool:
    """True for an id produced by :class:`Pseudonymiser` (or empty: a root with no author)."""
    return not user_id or bool(_PSEUDONYM.match(user_id))


async def stored_space(store: Documents) -> str | None:
    """``"pseudonyms"``, ``"raw"``, or ``None`` for a store with no facts yet."""
    doc = await store.get(META, ID_SPACE)
    if doc:
        return str(doc["space"])
    # A data dir from before the space was recorded: judge by its rosters and usage rows.
    teams = await store.all(TEAMS)
    ids = [m for t in teams.values() for m in t.get("member_ids", [])]
    ids += [u for d in (await store.all(TENANT)).values() for u in d.get("per_user", {})]
    for team_id in teams:  # rosters may be empty: look at thread authors too
        if ids:
            break
        for thread in (await store.all(threads_collection(team_id))).values():
            ids += [m["author"] for m in (thread["root"], *thread.get("replies", []))]
    if not ids:
        return None
    return "pseudonyms" if all(is_pseudonym(i) for i in ids) else "raw"


async def check_id_space(store: Documents, pseudonymise: bool) -> None:
    """Raise :class:`ConfigError` when the stored ids are not in the configured space."""
    space = await stored_space(store)
    if pseudonymise and space == "raw":
        raise ConfigError(
            "TRIMTAB_PSEUDONYMISE is on but the data dir holds raw user ids; "
            "run `trimtab pseudonymise` once to rewrite them, then start again"
        )
    if not pseudonymise and space == "pseudonyms":
        raise ConfigError(
            "the data dir holds pseudonymised ids but TRIMTAB_PSEUDONYMISE is off; "
            "turn it back on (pseudonyms cannot be turned back into ids)"
        )


async def record_space(store: Documents, pseudonymise: bool) -> None:
    """Record the id space a sync is about to write in (call after the check)."""
    await store.put(META, ID_SPACE, {"space": "pseudonyms" if pseudonymise else "raw"})


def _map(user_id: str, pseudonymiser: Pseudonymiser) -> str:
    return user_id if is_pseudonym(user_id) else pseudonymiser.apply(user_id)


def _thread(doc: dict[str, Any], pseudonymiser: Pseudonymiser) -> dict[str, Any]:
    root = {**doc["root"], "author": _map(doc["root"]["author"], pseudonymiser)}
    replies = [{**r, "author": _map(r["author"], pseudonymiser)} for r in doc.get("replies", [])]
    return {**doc, "root": root, "replies": replies}


async def pseudonymise_store(store: Documents, pseudonymiser: Pseudonymiser) -> int:
    """Rewrite every stored user id through ``pseudonymiser``; returns the documents written."""
    if not pseudonymiser.enabled:
        raise ConfigError("TRIMTAB_PSEUDONYMISE must be on to pseudonymise the data dir")
    written = 0
    teams = await store.all(TEAMS)
    for team_id, team in teams.items():
        collection = threads_collection(team_id)
        threads = await store.all(collection)
        if threads:
            await store.put_many(
                collection, {k: _thread(d, pseudonymiser) for k, d in threads.items()}
            )
            written += len(threads)
        rollup = await store.get(rollup_collection(team_id), team_id)
        rollup = rollup or await store.get(ROLLUPS, team_id)  # an old-format one
        if rollup is not None:  # rebuilt from the rewritten threads, in the same zone
            zone = ZoneInfo(rollup["tz"])
            await AdoptionRepository(store).update_rollup(team_id, (), zone, rebuild=True)
            written += 1
        members = sorted({_map(m, pseudonymiser) for m in team.get("member_ids", [])})
        await store.put(TEAMS, team_id, {**team, "member_ids": members})
        written += 1
    for period, usage in (await store.all(TENANT)).items():
        per_user = {_map(u, pseudonymiser): c for u, c in usage.get("per_user", {}).items()}
        await store.put(TENANT, period, {**usage, "per_user": per_user})
        written += 1
    departments = DepartmentRepository(store)
    if known := await departments.all():
        written += await departments.replace(
            {_map(uid, pseudonymiser): name for uid, name in known.items()}
        )
    await record_space(store, True)
    return written
