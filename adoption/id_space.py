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
from dataclasses import replace
from typing import Any

from adoption.config import ConfigError
from adoption.department_store import DepartmentRepository
from adoption.facts import MessageFact, ThreadFact
from adoption.ports import Documents
from adoption.pseudonym import PREFIX, Pseudonymiser
from adoption.repository import AdoptionRepository

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
    repo = AdoptionRepository(store)
    teams = await repo.teams()
    ids = [m for t in teams for m in t.member_ids]
    ids += [u for d in (await repo.tenant_usage()).values() for u in _per_user(d)]
    for team in teams:  # rosters may be empty: look at thread authors too
        if ids:
            break
        for thread in await repo.threads(team.id):
            ids += [m.author for m in (thread.root, *thread.replies)]
    if not ids:
        return None
    return "pseudonyms" if all(is_pseudonym(i) for i in ids) else "raw"


def _per_user(usage: dict[str, Any]) -> dict[str, Any]:
    per_user = usage.get("per_user", {})
    return per_user if isinstance(per_user, dict) else {}


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


def _message(message: MessageFact, pseudonymiser: Pseudonymiser) -> MessageFact:
    return replace(message, author=_map(message.author, pseudonymiser))


def _thread(thread: ThreadFact, pseudonymiser: Pseudonymiser) -> ThreadFact:
    return replace(
        thread,
        root=_message(thread.root, pseudonymiser),
        replies=tuple(_message(r, pseudonymiser) for r in thread.replies),
    )


async def pseudonymise_store(store: Documents, pseudonymiser: Pseudonymiser) -> int:
    """Rewrite every stored user id through ``pseudonymiser``; returns the records written
    (threads, rebuilt rollups, teams and usage periods)."""
    if not pseudonymiser.enabled:
        raise ConfigError("TRIMTAB_PSEUDONYMISE must be on to pseudonymise the data dir")
    written = 0
    repo = AdoptionRepository(store)
    for team in await repo.teams():
        threads = await repo.threads(team.id)
        if threads:
            rewritten = [_thread(t, pseudonymiser) for t in threads]
            written += await repo.save_threads(team.id, rewritten)
        if await repo.refresh_rollup(team.id):  # rebuilt from the rewritten threads
            written += 1
        members = sorted({_map(m, pseudonymiser) for m in team.member_ids})
        await repo.save_team(replace(team, member_ids=tuple(members)))
        written += 1
    for period, usage in (await repo.tenant_usage()).items():
        per_user = {_map(u, pseudonymiser): c for u, c in _per_user(usage).items()}
        await repo.save_tenant_usage(period, {**usage, "per_user": per_user})
        written += 1
    departments = DepartmentRepository(store)
    if known := await departments.all():
        written += await departments.replace(
            {_map(uid, pseudonymiser): name for uid, name in known.items()}
        )
    await record_space(store, True)
    return written
