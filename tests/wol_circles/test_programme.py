from __future__ import annotations

import pytest

from wol_circles import PROGRAMME, WEEKS_IN_PROGRAMME, week


def test_twelve_weeks_numbered_in_order() -> None:
    assert WEEKS_IN_PROGRAMME == 12
    assert [w.number for w in PROGRAMME] == list(range(1, 13))
    assert [week(n) for n in range(1, 13)] == list(PROGRAMME)


@pytest.mark.parametrize("guide", PROGRAMME, ids=lambda w: f"week{w.number}")
def test_every_week_is_complete(guide: object) -> None:
    from wol_circles import Week

    assert isinstance(guide, Week)
    for text in (guide.title, guide.purpose, guide.reflection, guide.checkin_prompt):
        assert text.strip() and len(text) >= 10
    assert 2 <= len(guide.exercises) <= 4
    assert all(len(e.strip()) >= 20 for e in guide.exercises)
    assert guide.reflection.endswith("?")


def test_weeks_are_distinct() -> None:
    for attribute in ("title", "purpose", "reflection", "checkin_prompt"):
        values = [getattr(w, attribute).casefold() for w in PROGRAMME]
        assert len(set(values)) == 12, attribute
    exercises = [e.casefold() for w in PROGRAMME for e in w.exercises]
    assert len(set(exercises)) == len(exercises)


def test_structure_of_the_method() -> None:
    assert "goal" in week(1).title.lower() and "people" in week(1).title.lower()
    assert "list" in " ".join(week(1).exercises).lower()
    assert "next" in week(12).title.lower()


@pytest.mark.parametrize("number", [0, 13, -1])
def test_week_out_of_range(number: int) -> None:
    with pytest.raises(ValueError):
        week(number)
