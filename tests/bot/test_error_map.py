"""The router's one error map: the most specific mapped type words the answer."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from adoption.graph import GraphAuthError, GraphError
from bot.errors import UserFacingError
from bot.messages.errors import ERROR_ANSWERS
from bot.router import CommandRouter, CommandTable
from champions import AmbiguousTeamError, DailyLimitError, UnknownTeamError

table = CommandTable()


@table.command("adoption", "sync")
async def sync(ctx: object) -> None:  # never run: the router only needs its words
    return None


ROUTER = CommandRouter([table], errors=ERROR_ANSWERS)
COMMAND = ROUTER.commands[0]


def test_the_most_specific_mapped_type_wins() -> None:
    auth = ROUTER.answer(GraphAuthError("bad secret"), COMMAND, "")
    other = ROUTER.answer(GraphError("timeout"), COMMAND, "")
    assert auth is not None and "refused the credentials: bad secret" in auth
    assert other is not None and "failed talking to Graph: timeout" in other


def test_ambiguous_teams_are_listed_with_ids_when_they_share_a_name() -> None:
    teams = [{"id": "19:a", "name": "Support"}, {"id": "19:b", "name": "Support"}]
    answer = ROUTER.answer(AmbiguousTeamError("Support", teams), COMMAND, "")
    unknown = ROUTER.answer(UnknownTeamError("Sales", teams), COMMAND, "")
    assert answer is not None and "Support (19:a), Support (19:b)" in answer
    assert unknown is not None and "Teams I am in: Support, Support" in unknown


def test_the_daily_limit_says_when_in_the_configured_zone() -> None:
    until = datetime(2026, 11, 24, tzinfo=ZoneInfo("Europe/Berlin"))
    answer = ROUTER.answer(DailyLimitError("Sales", until), COMMAND, "")
    assert answer is not None and "Tue 24 Nov 2026 00:00 (Europe/Berlin)" in answer


def test_user_facing_errors_speak_for_themselves_and_others_are_unexpected() -> None:
    assert ROUTER.answer(UserFacingError("try `help`"), COMMAND, "") == "try `help`"
    assert ROUTER.answer(KeyError("boom"), COMMAND, "") is None


def test_the_daily_limit_names_the_champion_who_nudged_first() -> None:
    until = datetime(2026, 11, 24, tzinfo=ZoneInfo("Europe/Berlin"))
    at = datetime(2026, 11, 23, 8, 5, tzinfo=ZoneInfo("UTC"))
    other = DailyLimitError("Sales", until, by="m1", by_name="Megan *B*", at=at, by_you=False)
    answer = ROUTER.answer(other, COMMAND, "")
    assert answer is not None
    assert answer.startswith(r"Megan \*B\* already nudged **Sales** today (at 09:05)")
    assert "Tue 24 Nov 2026 00:00 (Europe/Berlin)" in answer
    nameless = DailyLimitError("Sales", until, by="m1", at=at, by_you=False)
    assert (ROUTER.answer(nameless, COMMAND, "") or "").startswith("Another champion already")
