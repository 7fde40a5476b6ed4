"""The plan cards (cards/plan_goals.py, cards/plan_loops.py) against the Adaptive Card 1.5
schema, and what each loop kind sends to whom (``bot.plans_delivery.messages_for``)."""

from __future__ import annotations

from datetime import date

from bot.plans_delivery import People, messages_for
from cards.plan_goals import build_plans_card, build_review_card
from cards.plan_loops import build_alert_card, build_celebration_card, build_find_champion_card
from plans.goals import Goal
from plans.loops import ADMINS, CELEBRATION, CHAMPIONS, FIND_CHAMPION, GOAL_OFF_TRACK, LoopCard
from tests.cards.schema import assert_valid_card

GOAL = Goal("g1", "graph-1", "Sales", "reply_rate", 0.6, date(2027, 3, 31), date(2026, 11, 2), 0.4)
PEOPLE = People(
    aad_of={"f-ann": "aad-ann", "f-bo": "aad-bo"},
    champions=frozenset({"f-ann"}),
    names={"f-ann": "Ann", "f-bo": "Bo *bold*"},
    admins=("aad-admin",),
    bot_team={"graph-1": "19:sales@thread.tacv2"},
    goals={"g1": GOAL},
)


def card(kind: str, audience: str, reasons: tuple[str, ...], **extra: object) -> LoopCard:
    key = f"{kind}|graph-1|2026-W48"
    return LoopCard(kind, key, "graph-1", "Sales", audience, ("f-ann",), reasons, **extra)  # type: ignore[arg-type]


def test_every_plan_card_is_valid() -> None:
    cards = [
        build_plans_card(title="Goals", lines=["**g1** · Sales"], empty="none", hint="hint"),
        build_plans_card(title="Goals", lines=[], empty="none", hint="hint"),
        build_review_card(title="Reviews", intro="intro", links=[("Month", "https://x/r?m=1")]),
        build_alert_card(
            title="t",
            intro="i",
            reasons=["r"],
            suggestion_title="s",
            suggestion="Reply *now*",
            button="b",
            command=None,
            footer="f",
            loop_key="k",
        ),
        build_find_champion_card(
            title="t", intro="i", people_title="p", people=[], nobody="nobody", hint="h"
        ),
        build_celebration_card(title="t", message="m"),
    ]
    for built in cards:
        assert_valid_card(built)


def test_goal_off_track_alert_suggests_the_goals_nudge_with_a_button() -> None:
    [(to, body, key)] = messages_for(card(GOAL_OFF_TRACK, CHAMPIONS, ("goal_off_track:g1",)),
                                     PEOPLE)  # fmt: skip
    assert (to, key) == ("user:aad-ann", "plans:goal_off_track|graph-1|2026-W48:aad-ann")
    assert isinstance(body, dict)
    assert_valid_card(body)
    [button] = body["actions"]
    assert button["data"]["command"].startswith("nudge 19:sales@thread.tacv2 A few questions")
    assert "goal g1 (reply_rate) went off track" in str(body)


def test_find_champion_goes_to_admins_and_escapes_names() -> None:
    found = card(FIND_CHAMPION, ADMINS, ("band_drop:green->amber",), people=("f-bo", "f-x"))
    [(to, body, _)] = messages_for(found, PEOPLE)
    assert to == "user:aad-admin"
    texts = [block["text"] for block in body["body"]]  # type: ignore[index]
    assert "1. Bo \\*bold\\*\n\n2. f-x" in texts


def test_celebration_goes_to_the_general_channel_only_when_installed() -> None:
    met = card(CELEBRATION, "team", ("goal_met:g1",))
    [(to, body, key)] = messages_for(met, PEOPLE)
    assert to == "team:19:sales@thread.tacv2" and key.endswith(":team")
    assert "goal g1 (reply_rate) was met" in str(body)
    elsewhere = LoopCard(CELEBRATION, "k", "graph-2", "Ops", "team", (), ("goal_met:g1",))
    assert messages_for(elsewhere, PEOPLE) == []
