"""Helpers shared by the coaching, champion and nudge scenario tests (no tests here)."""

from __future__ import annotations

from datetime import datetime, timedelta

from adoption.facts import MessageFact, TeamFact, ThreadFact
from adoption.repository import AdoptionRepository
from bot.storage import DocumentStore
from tests.conftest import Trimtab
from tests.fakes.activities import ADELE, MY_TEAM, Person, Team
from tests.fakes.connector import Sent


def mention(trimtab: Trimtab, person: Person) -> str:
    return trimtab.teams.mention_text(person)


async def install_team(trimtab: Trimtab, team: Team = MY_TEAM, *, people: list[Person]) -> None:
    """The bot is added to ``team`` (whose roster holds ``people``); its welcome is dropped."""
    for person in people:
        trimtab.connector.add_member(person.teams_id, person.name, person.aad_id)
    await trimtab.send(trimtab.teams.bot_added_to_team(ADELE, team=team))


async def make_champion(trimtab: Trimtab, person: Person) -> list[Sent]:
    """The admin (Adele) adds ``person`` with an @mention in My Team's General channel."""
    trimtab.connector.add_member(person.teams_id, person.name, person.aad_id)
    activity = trimtab.teams.channel(
        ADELE, f"champion add {mention(trimtab, person)}", mentions=[person]
    )
    return await trimtab.send(activity)


def thread(
    root_at: datetime,
    *,
    author: str = "a",
    replies: list[tuple[str, datetime]] = (),  # type: ignore[assignment]
) -> ThreadFact:
    """A thread in My Team's General channel, with replies ``(author, when)``."""
    stamp = root_at.isoformat()
    return ThreadFact(
        team_id=MY_TEAM.aad_group_id,
        channel_id="19:general@thread.tacv2",
        root=MessageFact(id=f"root-{stamp}-{author}", author=author, created=root_at),
        replies=tuple(
            MessageFact(id=f"reply-{stamp}-{i}", author=who, created=when)
            for i, (who, when) in enumerate(replies)
        ),
    )


async def seed_adoption(
    store: DocumentStore, threads: list[ThreadFact], *, members: tuple[str, ...] = ("a", "b")
) -> None:
    """Store My Team as a synced adoption team (Graph id = its AAD group id) with threads."""
    repo = AdoptionRepository(store)
    await repo.save_team(TeamFact(id=MY_TEAM.aad_group_id, name=MY_TEAM.name, member_ids=members))
    await repo.save_threads(MY_TEAM.aad_group_id, threads)


def low_reply_rate_last_week(now: datetime) -> list[ThreadFact]:
    """Four threads in the ISO week before ``now`` (a Monday), one answered within minutes."""
    monday = now - timedelta(days=7)
    answered = thread(
        monday + timedelta(hours=2), replies=[("b", monday + timedelta(hours=2, minutes=5))]
    )
    return [answered] + [thread(monday + timedelta(days=d, hours=3), author="b") for d in (1, 2, 3)]
