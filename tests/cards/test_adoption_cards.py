"""The adoption summary and digest cards: valid Adaptive Cards 1.5, bounded size, content."""

from __future__ import annotations

from cards.adoption_summary import (
    NAME_LIMIT,
    ChampionActivity,
    CircleActivity,
    TeamLine,
    TeamView,
    TenantView,
    WeekLine,
    build_team_summary_card,
    build_tenant_summary_card,
    minutes,
    pct,
    points,
)
from cards.digest import build_digest_card
from cards.size import CARD_LIMIT_BYTES, card_bytes
from tests.cards.schema import assert_valid_card


def _view(lines: int = 5, name: str = "Team") -> TenantView:
    teams = [TeamLine(f"{name} {i}", 90 - i, "green", "up", 0.8, 0.5) for i in range(lines)]
    return TenantView(
        period="26 Oct – 22 Nov 2026",
        teams=2000,
        bands={"green": 1200, "amber": 500, "red": 280, "none": 20},
        healthiest=teams,
        weakest=[TeamLine("Quiet", 12, "red", "down", 0.1, None)],
        reply_rate=0.55,
        previous_reply_rate=0.5,
        active_share=0.4,
        previous_active_share=None,
        champions=ChampionActivity(3, 7, 5, 1.4, 2.2, 0.05),
        circles=CircleActivity(active=2, forming=1, completed=4, checkin_rate=0.8),
        dashboard_url="https://trimtab.example/dashboard/?u=a&exp=1&sig=ff",
    )


def test_tenant_card_is_valid_and_shows_the_numbers() -> None:
    card = build_tenant_summary_card(_view())
    assert_valid_card(card)
    text = str(card)
    assert "1200 green" in text and "280 red" in text and "20 no data" in text
    assert "55% (+5 pts)" in text and "40% (no comparison)" in text
    assert "threads +1.4, replies +2.2 per nudge; reply rate +5 pts" in text
    assert "Quiet" in text and "12 ↓" in text and "90 ↑" in text
    assert card["actions"][0] == {
        "type": "Action.OpenUrl",
        "title": "Open dashboard",
        "url": "https://trimtab.example/dashboard/?u=a&exp=1&sig=ff",
    }


def test_tenant_card_lists_at_most_five_and_cuts_long_names() -> None:
    card = build_tenant_summary_card(_view(lines=40, name="N" * 500))
    assert_valid_card(card)
    text = str(card)
    assert text.count("N" * (NAME_LIMIT - 1) + "…") == 5
    assert card_bytes(card) < CARD_LIMIT_BYTES


def test_champion_lift_wording_without_nudges_or_measurements() -> None:
    none = build_tenant_summary_card(TenantView("p", 0, {}, [], [], None, None, None, None))
    assert_valid_card(none)
    assert "no nudges in this period" in str(none) and "No scored teams yet." in str(none)
    young = TenantView("p", 1, {}, [], [], None, None, None, None, ChampionActivity(1, 2, 0))
    assert "not measurable yet" in str(build_tenant_summary_card(young))


def test_team_card() -> None:
    view = TeamView(
        period="p",
        name="Sales",
        score=78,
        band="green",
        direction="new",
        weeks=[WeekLine(f"2026-W{w}", w, 2 * w, 0.5, 0.25, 30.0) for w in range(30, 48)],
        personas={"engager": 2, "observer": 1},
        champions=ChampionActivity(1, 1, 1, 3.0, 2.0, None),
        action="Invite quiet members in.",
    )
    card = build_team_summary_card(view)
    assert_valid_card(card)
    text = str(card)
    assert "Health 78 (green) ✦" in text and "2 engager, 1 observer" in text
    assert "2026-W36" in text and "2026-W35" not in text  # the last twelve weeks only
    assert "Invite quiet members in." in text


def test_digest_card() -> None:
    card = build_digest_card(_view(), week="2026-W47")
    assert_valid_card(card)
    text = str(card)
    assert "Weekly adoption digest · 2026-W47" in text
    assert "1200 green · 500 amber · 280 red" in text
    assert "2 active · check-in rate 80% · 4 completed" in text
    assert "Quiet: 12 ↓" in text
    assert card_bytes(card) < CARD_LIMIT_BYTES


def test_formatters() -> None:
    assert (pct(None), pct(0.666)) == ("–", "67%")
    assert points(0.5, 0.42) == "+8 pts" and points(None, 0.1) == "no comparison"
    assert (minutes(None), minutes(45), minutes(150)) == ("–", "45 min", "2.5 h")
