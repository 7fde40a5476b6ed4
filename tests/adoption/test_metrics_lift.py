"""Champion lift: activity in the 7 days after a nudge against the 7 days before."""

from __future__ import annotations

from adoption.lift import lift, window_activity
from tests.adoption.factories import at, scenario

B = "Europe/Berlin"
NUDGE = at("2026-11-02 00:00", B)  # Monday 00:00 Berlin


def test_window_activity_counts_answers_only_before_the_window_ends() -> None:
    before = window_activity(scenario(), at("2026-10-26 00:00", B), NUDGE)
    # roots t1..t4 = 4; replies in the window: t1 x3 + t2's 28 Oct = 4.
    # answered before the window's end: t1, t2; t3 never; t4's answer is at 00:10 after.
    assert (before.threads, before.replies) == (4, 4)
    assert before.reply_rate == 0.5


def test_lift_after_a_complete_week() -> None:
    result = lift(scenario(), NUDGE, now=at("2026-11-20 09:00", B))
    assert result.complete
    # after [2 Nov, 9 Nov): roots t5 t6; replies t2 c, t4 b, t5 d, t6 e, t6 a = 5;
    # answered t6 of 2 = 0.5.
    assert (result.after.threads, result.after.replies, result.after.reply_rate) == (2, 5, 0.5)
    assert (result.threads_change, result.replies_change) == (2 - 4, 5 - 4)
    assert result.reply_rate_change == 0.0
    assert result.to_dict()["before"] == {"threads": 4, "replies": 4, "reply_rate": 0.5}


def test_lift_while_the_week_is_still_running() -> None:
    # now = Tue 3 Nov 09:00: only t5 and the three Monday replies (t2 c, t4 b, t5 d) so far.
    result = lift(scenario(), NUDGE, now=at("2026-11-03 09:00", B))
    assert not result.complete
    assert (result.after.threads, result.after.replies, result.after.reply_rate) == (1, 3, 0.0)


def test_lift_with_no_threads_on_one_side_has_no_rate_change() -> None:
    result = lift(scenario(), at("2026-12-01 00:00", B), now=at("2026-12-20 00:00", B))
    assert result.before.threads == result.after.threads == 0
    assert result.before.reply_rate is None and result.reply_rate_change is None
