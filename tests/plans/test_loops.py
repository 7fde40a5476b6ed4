"""Feedback-loop rules: who gets which card, once per team, kind and ISO week."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from adoption.facts import MessageFact, ThreadFact
from adoption.weeks import IsoWeek
from bot.storage import MemoryStore
from plans.log import LoopEntry
from plans.loops import (
    ADMINS,
    BAND_DROP,
    CELEBRATION,
    CHAMPIONS,
    FIND_CHAMPION,
    GOAL_OFF_TRACK,
    TEAM,
    GoalSignal,
    LoopSettings,
    TeamSignal,
    band_dropped,
    loops_for,
    most_active,
)
from plans.repository import PlanRepository
from plans.trajectory import AT_RISK, MET, OFF_TRACK, ON_TRACK

WEEK = IsoWeek(2026, 48)


def signal(**kw: object) -> TeamSignal:
    base: dict[str, object] = dict(
        team_id="t1", team_name="Sales", band_before="amber", band_now="red",
        action="answer_open_threads", champions=("c1", "c2"), most_active=("a", "b"),
    )  # fmt: skip
    base.update(kw)
    return TeamSignal(**base)  # type: ignore[arg-type]


def test_band_drops() -> None:
    assert band_dropped("green", "amber") and band_dropped("amber", "red")
    assert band_dropped("green", "red")
    assert not band_dropped("red", "amber") and not band_dropped("none", "red")
    assert not band_dropped("amber", "amber") and not band_dropped("green", "none")


def test_team_turning_red_gives_its_champions_exactly_one_card_that_week() -> None:
    cards = loops_for(signal(), WEEK)
    assert [(c.kind, c.audience, c.recipients) for c in cards] == [
        (BAND_DROP, CHAMPIONS, ("c1", "c2"))
    ]
    card = cards[0]
    assert card.key == "band_drop|t1|2026-W48"
    assert card.reasons == ("band_drop:amber->red",) and card.action == "answer_open_threads"
    # the same week again (e.g. a second evaluation run): nothing more
    assert loops_for(signal(), WEEK, sent={card.key}) == []
    # next week, still red: no new drop, no card
    assert loops_for(signal(band_before="red"), WEEK.next()) == []


def test_without_a_champion_the_admins_get_find_a_champion() -> None:
    goal = GoalSignal("g1", "reply_rate", AT_RISK, OFF_TRACK)
    cards = loops_for(signal(champions=(), goals=(goal,)), WEEK)
    assert len(cards) == 1
    card = cards[0]
    assert (card.kind, card.audience, card.people) == (FIND_CHAMPION, ADMINS, ("a", "b"))
    assert card.reasons == ("band_drop:amber->red", "goal_off_track:g1")


def test_goal_going_off_track_and_goal_met() -> None:
    goals = (
        GoalSignal("g1", "reply_rate", ON_TRACK, OFF_TRACK),
        GoalSignal("g2", "posts", OFF_TRACK, OFF_TRACK),  # already off track: no new card
        GoalSignal("g3", "active_share", ON_TRACK, MET),
        GoalSignal("g4", "mentions", ON_TRACK, MET, celebrate=False),
    )
    cards = loops_for(signal(band_before="red", goals=goals), WEEK)
    assert [(c.kind, c.audience, c.reasons) for c in cards] == [
        (GOAL_OFF_TRACK, CHAMPIONS, ("goal_off_track:g1",)),
        (CELEBRATION, TEAM, ("goal_met:g3",)),
    ]


def test_loops_can_be_switched_off() -> None:
    goals = (
        GoalSignal("g1", "reply_rate", ON_TRACK, OFF_TRACK),
        GoalSignal("g3", "x", AT_RISK, MET),
    )
    off = LoopSettings(band_drop=False, goal_off_track=False, celebration=False)
    assert loops_for(signal(goals=goals), WEEK, settings=off) == []


def test_most_active_people_from_adoptions_per_user_counts() -> None:
    t0 = datetime(2026, 11, 23, 9, tzinfo=UTC)

    def m(who: str, minutes: int) -> MessageFact:
        return MessageFact(f"{who}{minutes}", who, t0 + timedelta(minutes=minutes))

    threads = [
        ThreadFact("t1", "g", m("a", 0), (m("b", 1), m("c", 2))),
        ThreadFact("t1", "g", m("b", 10), (m("b", 11),)),  # own reply does not count
        ThreadFact("t1", "g", m("d", 20)),
    ]
    assert most_active(threads, t0, t0 + timedelta(days=1)) == ("b", "a", "c", "d")
    assert most_active(threads, t0, t0 + timedelta(days=1), limit=1) == ("b",)


async def test_loop_log_records_once_and_measures_lift() -> None:
    repo = PlanRepository(MemoryStore())
    card = loops_for(signal(), WEEK)[0]
    fired = datetime(2026, 11, 24, 9, tzinfo=UTC)
    entry = LoopEntry.fired(card, fired)
    assert await repo.log_loop(entry) is True
    assert await repo.log_loop(LoopEntry.fired(card, fired + timedelta(hours=1))) is False
    assert await repo.loops() == [entry] and await repo.sent_keys() == {card.key}

    def root(days: float, replied: bool) -> ThreadFact:
        at = fired + timedelta(days=days)
        reps = (MessageFact(f"r{days}", "b", at + timedelta(hours=1)),) if replied else ()
        return ThreadFact("t1", "g", MessageFact(f"m{days}", "a", at), reps)

    # before: 1 thread unanswered; after: 2 threads, both answered
    threads = [root(-3, False), root(1, True), root(2, True)]
    lifted = entry.lift(threads, now=fired + timedelta(days=8))
    assert (lifted.threads_change, lifted.replies_change, lifted.complete) == (1, 2, True)
    assert lifted.reply_rate_change == 1.0
