"""Error replies echo at most ~100 characters of what the user typed, for every command."""

from __future__ import annotations

import json

import pytest

from adoption.report import UnknownTeamError as UnknownReportTeamError
from bot.messages.errors import ERROR_ANSWERS
from bot.router import CommandRouter, CommandTable
from champions import AmbiguousTeamError, UnknownTeamError
from tests.conftest import Trimtab
from tests.fakes.activities import ADELE
from wol_circles import InvalidName, InvalidZone, UnexpectedArguments, UnknownCircle

LONG = 100_000
ECHO_LIMIT = 100


def _longest_run(haystack: str, letter: str) -> int:
    best = run = 0
    for char in haystack:
        run = run + 1 if char == letter else 0
        best = max(best, run)
    return best


@pytest.mark.parametrize("in_a_circle", [False, True])
@pytest.mark.parametrize("shape", ["one word", "many words"])
async def test_no_answer_echoes_more_than_a_hundred_characters_of_a_100_kb_argument(
    trimtab: Trimtab, shape: str, in_a_circle: bool
) -> None:
    junk = "q" * LONG if shape == "one word" else " ".join(["q" * 9] * (LONG // 10))
    if in_a_circle:  # checkin, goal and circle status then reach their own answers
        await trimtab.say(ADELE, "circle create Alpha")
    for command in trimtab.services.router.commands:
        sent = await trimtab.say(ADELE, f"{command.name} {junk}")
        assert sent, command.name
        for activity in sent:
            body = json.dumps(activity.activity, ensure_ascii=False)
            echoed = _longest_run(body.replace(" ", ""), "q")
            assert echoed <= ECHO_LIMIT, f"{command.name!r} echoed {echoed} characters"
            assert len(body) < 30_000, f"{command.name!r} answered {len(body)} bytes"


async def test_an_unknown_100_kb_command_gets_a_short_answer(trimtab: Trimtab) -> None:
    sent = await trimtab.say(ADELE, "z" * LONG)
    body = json.dumps([s.activity for s in sent], ensure_ascii=False)
    assert _longest_run(body, "z") <= ECHO_LIMIT
    assert "I don't know" in sent[0].all_text()


def test_the_error_map_words_huge_user_input_in_a_short_answer() -> None:
    table = CommandTable()

    @table.command("circle", "join")
    async def join(ctx: object) -> None:  # never run: the router only needs its words
        return None

    router = CommandRouter([table], errors=ERROR_ANSWERS)
    typed = "w" * LONG
    teams = [{"id": "19:a", "name": "Sales"}, {"id": "19:b", "name": "Sales"}]
    errors = [
        UnknownTeamError(typed, teams),
        AmbiguousTeamError(typed, teams),
        UnknownCircle(typed),
        InvalidName(typed, "longer than 40 characters"),
        InvalidZone(typed),
        UnexpectedArguments(typed),
        UnknownReportTeamError(f"no team named {typed!r}; did you mean: Sales"),
    ]
    for error in errors:
        answer = router.answer(error, router.commands[0], typed)
        assert answer is not None, error
        assert _longest_run(answer, "w") <= ECHO_LIMIT, type(error).__name__
        assert len(answer) < 600, type(error).__name__
