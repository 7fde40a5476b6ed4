"""Text people type is shown literally in cards others see, and lists never outgrow a card."""

from __future__ import annotations

from cards.circle_list import CircleLine, build_circle_list_card
from cards.circle_status import MemberLine, StatusContent, build_circle_status_card
from cards.elements import escape_markdown
from cards.nudge import build_nudge_card
from cards.size import CARD_LIMIT_BYTES, card_bytes
from tests.cards.schema import assert_valid_card

LINK = "[win a prize](https://evil.example)"


def test_escape_markdown_neutralises_links_emphasis_lists_and_headings() -> None:
    assert escape_markdown(LINK) == "\\[win a prize\\](https://evil.example)"
    assert escape_markdown("**urgent** _now_ ~x~ `code`") == (
        "\\*\\*urgent\\*\\* \\_now\\_ \\~x\\~ \\`code\\`"
    )
    assert escape_markdown("1. one\n- two\n# three\n> four") == (
        "1\\. one\n\\- two\n\\# three\n\\> four"
    )
    assert escape_markdown("a\\b <b>") == "a\\\\b \\<b\\>"
    assert escape_markdown("Sales & Marketing (EMEA) 3.5 x-y!") == (
        "Sales & Marketing (EMEA) 3.5 x-y!"
    ), "ordinary punctuation is left alone"


def test_a_goal_with_a_link_is_shown_literally_in_the_status_card() -> None:
    member = MemberLine("Megan **Boss**", checked_in=False, streak=0, goal=LINK)
    card = build_circle_status_card(
        StatusContent("Explorers_", "forming", 0, 12, "Mondays 09:00", (member,), None)
    )
    assert_valid_card(card)
    texts = [t for t in _texts(card)]
    assert "Goal: \\[win a prize\\](https://evil.example)" in texts
    assert any(t.startswith("Megan \\*\\*Boss\\*\\*") for t in texts)
    assert "Explorers\\_ · forming" in texts


def test_a_champions_own_nudge_message_cannot_add_formatting() -> None:
    card = build_nudge_card(
        title="A nudge",
        message=f"# Click {LINK}",
        champion_line="from Megan",
        habit_title="Try",
        habit="Reply in the thread.",
    )
    assert "\\# Click \\[win a prize\\](https://evil.example)" in _texts(card)


def test_circle_list_with_300_open_circles_stays_under_the_card_limit() -> None:
    joinable = tuple(
        CircleLine(f"Circle number {i} with a long name", "forming", 1, 5, "Mondays 09:00 (UTC)")
        for i in range(300)
    )
    card = build_circle_list_card((), joinable)
    assert_valid_card(card)
    assert card_bytes(card) < CARD_LIMIT_BYTES
    assert any("and 290 more" in t for t in _texts(card))
    assert len(card["actions"]) == 5


def _texts(card: object) -> list[str]:
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") == "TextBlock":
                found.append(node["text"])
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(card)
    return found
