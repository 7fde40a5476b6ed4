"""Coaching and champion cards validate against the Adaptive Card 1.5 schema."""

from __future__ import annotations

import pytest

from bot.coaching_delivery import tip_card
from bot.messages import champions as cmsg
from bot.messages import coaching as msg
from cards.champions import Section, TeamEffect, build_champions_card, build_stats_card
from cards.coach import build_coach_card
from cards.nudge import build_nudge_card
from cards.persona import build_persona_card
from coaching.lessons import LESSONS, Persona, ordered_for
from coaching.progress import Progress
from tests.cards.schema import assert_valid_card


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
@pytest.mark.parametrize("weekly", [True, False])
def test_every_tip_card_is_valid(lesson: object, weekly: bool) -> None:
    progress = Progress(aad_id="u", persona=Persona.OWNER, weekly=weekly)
    card = tip_card(progress, lesson, lead="lead")  # type: ignore[arg-type]
    assert_valid_card(card)
    commands = [a["data"]["command"] for a in card["actions"]]
    assert commands == ["tips done", "tips next", "tips off" if weekly else "tips on"]


def test_tip_card_shows_position_in_persona_order() -> None:
    progress = Progress(aad_id="u", persona=Persona.OWNER)
    second = ordered_for(Persona.OWNER)[1]
    card = tip_card(progress, second)
    assert card["body"][0]["text"] == f"Habit 2 of {len(LESSONS)}"


def test_persona_card_is_valid_and_skippable() -> None:
    card = build_persona_card(
        title=msg.PERSONA_TITLE,
        question=msg.PERSONA_QUESTION,
        choices=list(msg.PERSONA_CHOICES),
        skip_label=msg.PERSONA_SKIP,
    )
    assert_valid_card(card)
    assert [a["data"]["command"] for a in card["actions"]] == ["tips persona skip"]
    rows = [e for e in card["body"] if e["type"] == "ActionSet"]
    commands = [a["data"]["command"] for row in rows for a in row["actions"]]
    assert commands == ["tips persona new", "tips persona member", "tips persona owner"]


def test_persona_choices_are_stacked_so_no_title_is_cut_off() -> None:
    """Teams cuts side-by-side buttons at its card width: each choice gets a row of its own."""
    card = build_persona_card(
        title=msg.PERSONA_TITLE,
        question=msg.PERSONA_QUESTION,
        choices=list(msg.PERSONA_CHOICES),
        skip_label=msg.PERSONA_SKIP,
    )
    rows = [e for e in card["body"] if e["type"] == "ActionSet"]
    assert len(rows) == len(msg.PERSONA_CHOICES)
    assert all(len(row["actions"]) == 1 for row in rows)
    assert len(card["actions"]) == 1


@pytest.mark.parametrize("numbers", [None, [("Reply rate", "40%"), ("Unanswered threads", "3")]])
def test_coach_card_is_valid(numbers: list[tuple[str, str]] | None) -> None:
    card = build_coach_card(
        title="Checklist",
        intro="intro",
        checklist=[lesson.checklist for lesson in LESSONS],
        numbers_title="numbers",
        numbers=numbers,
        numbers_note="note",
        focus_title="focus",
        focus="habit",
        focus_why="why",
    )
    assert_valid_card(card)


def test_nudge_card_is_valid() -> None:
    card = build_nudge_card(
        title="A nudge for My Team",
        message=cmsg.NUDGE_LIBRARY[None],
        champion_line="From Megan",
        habit_title="Try this",
        habit="habit",
    )
    assert_valid_card(card)


def test_champion_cards_are_valid() -> None:
    sections = [Section("Champions", ["Megan"]), Section("Board", [], "none yet")]
    assert_valid_card(build_champions_card(title="Champions", intro="i", sections=sections))
    effects = [
        TeamEffect("My Team", "Mon", [("Threads", "1 → 3")], "complete"),
        TeamEffect("Other", "Tue", None, "no data"),
    ]
    card = build_stats_card(
        title="Stats", summary="s", nudges=sections[0], effects=effects, effects_title="e"
    )
    assert_valid_card(card)
