"""Personas: the classification rules at their thresholds, and per-user counts."""

from __future__ import annotations

import pytest

from adoption.personas import (
    BROADCASTER,
    CATALYST,
    ENGAGER,
    OBSERVER,
    RESPONDER,
    classify,
    persona_counts,
    personas,
    user_activity,
)
from tests.adoption.factories import at, scenario

B = "Europe/Berlin"
START, MID, END = at("2026-10-26 00:00", B), at("2026-11-02 00:00", B), at("2026-11-09 00:00", B)


@pytest.mark.parametrize(
    ("posts", "given", "received", "expected"),
    [
        (0, 0, 0, OBSERVER),
        (0, 3, 0, RESPONDER),  # only replies
        (1, 2, 0, RESPONDER),  # given 2 >= 2 x 1 post
        (2, 3, 0, BROADCASTER),  # given 3 < 4; received 0 < 0.5 x 2
        (4, 0, 1, BROADCASTER),  # received 1 < 2
        (2, 1, 1, ENGAGER),  # received 1 = 0.5 x 2: not a broadcaster; < 4: not a catalyst
        (2, 0, 3, ENGAGER),  # received 3 < 2 x 2
        (2, 0, 4, CATALYST),  # received 4 >= 2 x 2
        (2, 3, 5, CATALYST),
    ],
)
def test_rules_at_their_thresholds(posts: int, given: int, received: int, expected: str) -> None:
    assert classify(posts, given, received) == expected


def test_per_user_over_two_weeks() -> None:
    acts = user_activity(scenario(), START, END, members=("a", "b", "c", "d", "e", "f"))
    # a: roots t1 t4; replies to others in t2 and t6; own reply in t1;
    #    received b, c on t1 and b on t4 = 3.
    a = acts["a"]
    assert (a.posts, a.given, a.received, a.own_replies) == (2, 2, 3, 1)
    # b: roots t2 t6; replies in t1 and t4; received a, c on t2 and e, a on t6 = 4.
    b = acts["b"]
    assert (b.posts, b.given, b.received) == (2, 2, 4)
    assert personas(scenario(), START, END, members=("a", "b", "c", "d", "e", "f")) == {
        "a": ENGAGER,  # 2 posts, 2 given, 3 received: none of the thresholds
        "b": CATALYST,  # received 4 >= 2 x 2 posts
        "c": RESPONDER,  # t3 root, replies in t1 and t2: given 2 >= 2 x 1
        "d": BROADCASTER,  # t5 with only its own reply: received 0
        "e": RESPONDER,  # one reply, no posts
        "f": OBSERVER,  # member, nothing written
    }


def test_window_limits_what_counts() -> None:
    # Only W45: a posted nothing and replied in t6 -> responder; b: root t6 (received e, a)
    # and one reply (t4) -> 1 post, 1 given, 2 received -> catalyst (2 >= 2 x 1).
    found = personas(scenario(), MID, END)
    assert found["a"] == RESPONDER and found["b"] == CATALYST
    assert "f" not in found  # not a member given, never wrote: not listed


def test_counts_list_every_persona() -> None:
    assigned = personas(scenario(), START, END, members=("a", "b", "c", "d", "e", "f"))
    assert persona_counts(assigned) == {
        ENGAGER: 1,
        CATALYST: 1,
        RESPONDER: 2,
        BROADCASTER: 1,
        OBSERVER: 1,
    }
    assert persona_counts({}) == dict.fromkeys(
        (ENGAGER, CATALYST, RESPONDER, BROADCASTER, OBSERVER), 0
    )
