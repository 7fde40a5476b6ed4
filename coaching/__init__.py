"""Conversation-first coaching: lessons as data, persona order, per-user progress, team numbers.

Public surface::

    LESSONS, BY_ID, Persona, ordered_for, for_metric     the eight habits (coaching.lessons)
    Progress, ProgressRepository, mark_done, skip        where a user is (coaching.progress)
    weekly_lesson                                        the habit a weekly tip shows
    TeamNumbers, team_numbers, team_threads              a team's figures (coaching.numbers)

Owns the collection ``coaching.progress``; reads adoption data only through
:class:`adoption.repository.AdoptionRepository`. Never imports ``bot``, botbuilder or aiohttp;
time comes in as ``now``.
"""

from coaching.lessons import BY_ID, LESSONS, Lesson, Persona, for_metric, ordered_for
from coaching.numbers import TeamNumbers, graph_team_id, team_numbers, team_threads
from coaching.progress import (
    PROGRESS,
    Progress,
    ProgressRepository,
    mark_done,
    skip,
    weekly_lesson,
)

__all__ = [
    "BY_ID",
    "LESSONS",
    "PROGRESS",
    "Lesson",
    "Persona",
    "Progress",
    "ProgressRepository",
    "TeamNumbers",
    "for_metric",
    "graph_team_id",
    "mark_done",
    "ordered_for",
    "skip",
    "team_numbers",
    "team_threads",
    "weekly_lesson",
]
