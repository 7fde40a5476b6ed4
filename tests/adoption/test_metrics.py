"""Weekly measures on hand-made threads; expected values computed by hand in comments."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from adoption.metrics import by_channel, week_over_week, weekly_metrics, window_metrics
from adoption.weeks import IsoWeek, Period
from tests.adoption.factories import msg, scenario, thread

BERLIN = ZoneInfo("Europe/Berlin")
UTC = ZoneInfo("UTC")
W44, W45 = IsoWeek(2026, 44), IsoWeek(2026, 45)  # 26 Oct-1 Nov, 2-8 Nov 2026 (CET, +01:00)
CHAMPIONS = frozenset({"c"})
B = "Europe/Berlin"


def test_team_weeks_in_berlin() -> None:
    w44, w45 = weekly_metrics(scenario(), [W44, W45], BERLIN, member_count=5, champions=CHAMPIONS)
    # W44: roots t1 t2 t3 t4 = 4; replies created in W44: t1 x3 + t2's 28 Oct = 4.
    assert (w44.week, w44.posts, w44.replies) == ("2026-W44", 4, 4)
    # answered: t1, t2, t4 (its answer came in W45: any time counts) = 3 of 4.
    assert w44.reply_rate == 0.75 and w44.unanswered == 1
    # first answers 30, 1440, 40 min -> median 40.
    assert w44.median_first_reply_minutes == 40
    # posters {a, b, c} = 3 of 5 members.
    assert w44.active_posters == 3 and w44.active_share == 0.6
    # mentions: t1 root 1 + t3 root 2; reactions: t1 root 2 + b's reply 1.
    assert (w44.mentions, w44.reactions) == (3, 3)
    # champion c wrote t3's root and a t1 reply: 2 of 8 messages.
    assert w44.champion_share == 0.25

    # W45: roots t5 t6 = 2; replies: t2 c, t4 b, t5 d, t6 e, t6 a = 5.
    assert (w45.posts, w45.replies) == (2, 5)
    # t5 has only its author's own reply -> unanswered; t6 answered in 20 min.
    assert (w45.reply_rate, w45.unanswered, w45.median_first_reply_minutes) == (0.5, 1, 20)
    assert (w45.active_posters, w45.active_share) == (5, 1.0)
    assert (w45.mentions, w45.reactions) == (0, 3)
    # c wrote 1 of 7 messages = 0.142857... -> 0.143 in JSON
    assert w45.champion_share == pytest.approx(1 / 7)
    assert w45.to_dict()["champion_share"] == 0.143


def test_the_zone_decides_the_week() -> None:
    # In UTC, t4's Monday 00:10 Berlin reply is Sunday 23:10 UTC: it moves into W44.
    w44, w45 = weekly_metrics(scenario(), [W44, W45], UTC, member_count=5, champions=CHAMPIONS)
    assert (w44.replies, w45.replies) == (5, 4)
    assert (w44.posts, w45.posts) == (4, 2)


def test_per_channel() -> None:
    channels = by_channel(scenario())
    assert list(channels) == ["general", "design"]
    _, general45 = weekly_metrics(
        channels["general"], [W44, W45], BERLIN, member_count=5, champions=CHAMPIONS
    )
    # general in W45: no roots, replies t2 c and t4 b.
    assert (general45.posts, general45.replies) == (0, 2)
    assert general45.reply_rate is None and general45.median_first_reply_minutes is None
    assert general45.unanswered == 0
    assert (general45.active_posters, general45.active_share, general45.champion_share) == (
        2,
        0.4,
        0.5,
    )
    design44, design45 = weekly_metrics(
        channels["design"], [W44, W45], BERLIN, member_count=5, champions=CHAMPIONS
    )
    assert design44.posts == design44.replies == 0 and design44.champion_share is None
    # design W45: roots t5 t6, replies d e a, posters {d, b, e, a} = 4 of 5; no champion.
    assert (design45.posts, design45.replies, design45.reply_rate) == (2, 3, 0.5)
    assert (design45.active_posters, design45.active_share) == (4, 0.8)
    assert design45.champion_share == 0.0


def test_window_clips_partial_weeks() -> None:
    # Wed 28 Oct .. Tue 3 Nov: t1 (26 Oct) and t2 (27 Oct) roots fall outside.
    start, end = Period(date(2026, 10, 28), date(2026, 11, 3)).bounds(BERLIN)
    w44, w45 = weekly_metrics(scenario(), [W44, W45], BERLIN, member_count=5, window=(start, end))
    # W44 part: roots t3, t4; the only reply is a's on 28 Oct; answered t4 of 2.
    assert (w44.posts, w44.replies, w44.reply_rate) == (2, 1, 0.5)
    # W45 part (2-3 Nov): root t5; replies t2 c, t4 b, t5 d (t6 is on 4 Nov).
    assert (w45.posts, w45.replies, w45.reply_rate) == (1, 3, 0.0)


def test_whole_window_measures() -> None:
    start, end = W44.start(BERLIN), W45.end(BERLIN)
    total = window_metrics(scenario(), start, end, member_count=5, champions=CHAMPIONS)
    # 6 roots, 9 replies; answered t1 t2 t4 t6 = 4/6; first answers 30 1440 40 20 -> median 35.
    assert (total.posts, total.replies, total.unanswered) == (6, 9, 2)
    assert total.reply_rate == pytest.approx(4 / 6)
    assert total.median_first_reply_minutes == 35
    # c: t3 root, t1 reply, t2 reply = 3 of 15.
    assert total.champion_share == pytest.approx(0.2)


def test_no_data_is_none_not_zero() -> None:
    (empty,) = weekly_metrics([], [W45], BERLIN, member_count=5)
    assert (empty.posts, empty.replies, empty.unanswered, empty.active_posters) == (0, 0, 0, 0)
    assert empty.reply_rate is None
    assert empty.median_first_reply_minutes is None
    assert empty.champion_share is None
    assert empty.active_share == 0.0  # members known, nobody posted: a real zero
    (unknown,) = weekly_metrics(scenario(), [W45], BERLIN, member_count=0)
    assert unknown.active_share is None  # members unknown
    only_unanswered = [thread(msg("a", "2026-11-03 10:00", tz=B))]
    (week,) = weekly_metrics(only_unanswered, [W45], BERLIN, member_count=5)
    assert week.reply_rate == 0.0 and week.median_first_reply_minutes is None


def test_active_share_is_capped_when_former_members_post() -> None:
    (week,) = weekly_metrics(scenario(), [W45], BERLIN, member_count=2)
    assert week.active_posters == 5 and week.active_share == 1.0


def test_week_over_week_trend() -> None:
    weeks = weekly_metrics(scenario(), [W44, W45], BERLIN, member_count=5)
    trend = week_over_week(weeks)
    assert trend is not None
    # activity 4+4 = 8 -> 2+5 = 7: (7-8)/8 = -0.125; reply rate 0.75 -> 0.5: -0.25 points.
    assert (trend.previous_activity, trend.activity) == (8, 7)
    assert trend.activity_change == -0.125
    assert trend.reply_rate_change == -0.25
    assert trend.direction == "down"
    assert trend.to_dict()["week"] == "2026-W45"
    assert week_over_week(weeks[:1]) is None


def test_trend_without_a_baseline() -> None:
    empty, busy = weekly_metrics(scenario(), [IsoWeek(2026, 43), W44], BERLIN, member_count=5)
    trend = week_over_week([empty, busy])
    assert trend is not None and trend.activity_change is None and trend.direction == "new"
    same = week_over_week([busy, busy])
    assert same is not None and same.activity_change == 0.0 and same.direction == "flat"
