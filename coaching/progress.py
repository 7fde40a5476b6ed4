"""Per-user progress along the conversation-first path (collection ``coaching.progress``).

One document per user, keyed by lower-case AAD object id::

    {"persona": "new" | "member" | "owner" | null, "asked": bool,
     "current": lesson id | null, "done": [lesson ids], "weekly": bool,
     "last_week": "2026-W48" | null, "updated": ISO time}

A user who has a document gets the weekly tip unless ``weekly`` is false
(``tips off``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from coaching.lessons import BY_ID, Lesson, Persona, ordered_for
from coaching.ports import Documents

PROGRESS = "coaching.progress"


@dataclass(frozen=True)
class Progress:
    """Where one user is on the path."""

    aad_id: str
    persona: Persona | None = None
    asked: bool = False
    current: str | None = None
    done: tuple[str, ...] = ()
    weekly: bool = True
    last_week: str | None = None
    #: the organisation the user belongs to ("" in records older than tenancy)
    tenant_id: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def lessons(self) -> list[Lesson]:
        return ordered_for(self.persona)

    @property
    def finished(self) -> bool:
        return all(lesson.id in self.done for lesson in self.lessons)

    def position(self, lesson_id: str) -> int:
        """1-based position of a lesson in this user's order."""
        return [lesson.id for lesson in self.lessons].index(lesson_id) + 1

    def next_open(self, after: str | None = None) -> Lesson | None:
        """The first lesson not done, looking after ``after`` first and wrapping around."""
        order = self.lessons
        start = 0
        if after in BY_ID:
            start = [lesson.id for lesson in order].index(after) + 1
        rotated = order[start:] + order[:start]
        for lesson in rotated:
            if lesson.id not in self.done and lesson.id != after:
                return lesson
        if after is not None and after not in self.done:
            return BY_ID[after]  # the only open lesson left is the one skipped
        return None

    def current_lesson(self) -> Lesson | None:
        """The lesson being shown now, or the first open one."""
        if self.current in BY_ID and self.current not in self.done:
            return BY_ID[self.current]
        return self.next_open()

    def to_doc(self, now: datetime) -> dict[str, Any]:
        return {
            **self.extra,
            "persona": self.persona.value if self.persona else None,
            "asked": self.asked,
            "current": self.current,
            "done": list(self.done),
            "weekly": self.weekly,
            "last_week": self.last_week,
            "tenant_id": self.tenant_id,
            "updated": now.isoformat(),
        }

    @classmethod
    def from_doc(cls, aad_id: str, doc: dict[str, Any]) -> Progress:
        persona = str(doc.get("persona") or "")
        known = {
            "persona",
            "asked",
            "current",
            "done",
            "weekly",
            "last_week",
            "tenant_id",
            "updated",
        }
        return cls(
            aad_id=aad_id,
            persona=Persona(persona) if persona in Persona._value2member_map_ else None,
            asked=bool(doc.get("asked")),
            current=doc.get("current"),
            done=tuple(d for d in doc.get("done", []) if d in BY_ID),
            weekly=bool(doc.get("weekly", True)),
            last_week=doc.get("last_week"),
            tenant_id=str(doc.get("tenant_id") or ""),
            extra={k: v for k, v in doc.items() if k not in known},
        )


class ProgressRepository:
    """The one owner of ``coaching.progress``: reads and writes :class:`Progress`."""

    COLLECTIONS = (PROGRESS,)

    def __init__(self, store: Documents) -> None:
        self._store = store

    async def get(self, aad_id: str) -> Progress | None:
        doc = await self._store.get(PROGRESS, aad_id.lower())
        return Progress.from_doc(aad_id.lower(), doc) if doc else None

    async def get_or_new(self, aad_id: str) -> Progress:
        return await self.get(aad_id) or Progress(aad_id=aad_id.lower())

    async def save(self, progress: Progress, now: datetime) -> Progress:
        await self._store.put(PROGRESS, progress.aad_id, progress.to_doc(now))
        return progress

    async def update(
        self, aad_id: str, change: Callable[[Progress], Progress], now: datetime
    ) -> tuple[Progress | None, Progress]:
        """The one read-modify-write of a user's progress: ``(stored before, saved after)``.

        ``change`` gets the stored progress (a fresh one for a new user) and may run several
        times: the write is conditional and retried on conflict, so a weekly-tip run and the
        user's own ``tip done`` on another instance never undo each other.
        """
        key = aad_id.lower()
        seen: list[tuple[Progress | None, Progress]] = []

        def apply(doc: dict[str, Any] | None) -> dict[str, Any]:
            before = Progress.from_doc(key, doc) if doc else None
            after = change(before or Progress(aad_id=key))
            seen.append((before, after))  # the last attempt is the one written
            return after.to_doc(now)

        await self._store.change(PROGRESS, key, apply)
        return seen[-1]

    async def all(self) -> list[Progress]:
        docs = await self._store.all(PROGRESS)
        return [Progress.from_doc(key, doc) for key, doc in sorted(docs.items())]


def mark_done(progress: Progress, lesson_id: str) -> Progress:
    """``lesson_id`` done; the current lesson moves to the next open one."""
    done = progress.done if lesson_id in progress.done else (*progress.done, lesson_id)
    moved = replace(progress, done=done)
    following = moved.next_open(after=lesson_id)
    return replace(moved, current=following.id if following else None)


def skip(progress: Progress) -> Progress:
    """Move on from the current lesson without marking it done."""
    current = progress.current_lesson()
    following = progress.next_open(after=current.id if current else None)
    return replace(progress, current=following.id if following else None)


def weekly_lesson(progress: Progress) -> Lesson | None:
    """This week's lesson: the one after the last shown, so each week brings a new habit."""
    if progress.current is None:
        return progress.next_open()
    return progress.next_open(after=progress.current)
