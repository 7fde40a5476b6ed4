"""Coaching commands: `tips` (and its buttons), `tips off` / `tips on`, and `coach`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from bot.coaching_delivery import tip_card
from bot.context import CommandContext
from bot.errors import UserFacingError
from bot.messages import coaching as msg
from bot.messages.user_text import shown
from bot.router import CommandTable
from cards.coach import build_coach_card
from cards.persona import build_persona_card
from coaching import (
    BY_ID,
    LESSONS,
    Lesson,
    Persona,
    Progress,
    ProgressRepository,
    TeamNumbers,
    for_metric,
    graph_team_id,
    mark_done,
    skip,
    team_numbers,
)

commands = CommandTable()
Change = Callable[[Progress], Progress]


def _progress(ctx: CommandContext) -> ProgressRepository:
    return ProgressRepository(ctx.services.store)


def _at_current(progress: Progress) -> Progress:
    """``progress`` pointing at the lesson to show now (``None`` at the end of the path)."""
    lesson = progress.current_lesson()
    return replace(progress, current=lesson.id if lesson else None)


async def _update(ctx: CommandContext, change: Change) -> tuple[Progress | None, Progress]:
    """Change the user's progress; it records the tenant the user belongs to."""
    tenant = ctx.scope.tenant_id
    return await _progress(ctx).update(
        ctx.user.aad_id, lambda p: replace(change(p), tenant_id=tenant), ctx.now
    )


async def _answer(ctx: CommandContext, progress: Progress, lead: str | None = None) -> None:
    """Answer with the current lesson of ``progress`` (or the end of the path)."""
    lesson = BY_ID.get(progress.current or "")
    if lesson is None:
        await ctx.reply(msg.ALL_DONE.format(total=len(LESSONS)))
        return
    await ctx.reply_card(tip_card(progress, lesson, lead=lead), summary=lesson.title)


async def _show(ctx: CommandContext, change: Change, lead: str | None = None) -> None:
    """Apply ``change``, move to the lesson to show, save, answer."""
    _, progress = await _update(ctx, lambda p: _at_current(change(p)))
    await _answer(ctx, progress, lead)


@commands.command("tips", usage="tips", summary="your next conversation-first habit")
async def tips(ctx: CommandContext) -> None:
    if ctx.args:
        raise UserFacingError(msg.TIPS_ARGS)
    before, progress = await _update(
        ctx, lambda p: _at_current(p) if p.asked else replace(p, asked=True)
    )
    if before is None or not before.asked:
        card = build_persona_card(
            title=msg.PERSONA_TITLE,
            question=msg.PERSONA_QUESTION,
            choices=list(msg.PERSONA_CHOICES),
            skip_label=msg.PERSONA_SKIP,
        )
        await ctx.reply_card(card, summary=msg.PERSONA_TITLE)
        return
    await _answer(ctx, progress)


@commands.command(
    "tips", "persona", usage="tips persona new|member|owner", summary="order the habits for you"
)
async def choose_persona(ctx: CommandContext) -> None:
    answer = ctx.args.strip().lower()
    if answer == "skip":
        await _show(ctx, lambda p: replace(p, asked=True), msg.PERSONA_SKIPPED)
        return
    if answer not in Persona._value2member_map_:
        raise UserFacingError(msg.PERSONA_UNKNOWN)
    persona = Persona(answer)

    def choose(progress: Progress) -> Progress:
        chosen = replace(progress, asked=True, persona=persona)
        # a fresh start begins at the persona's first habit
        return chosen if progress.done else replace(chosen, current=None)

    await _show(ctx, choose, msg.PERSONA_SET.format(label=persona.label))


@commands.command("tips", "done", usage="tips done", summary="mark the current habit done")
async def tip_done(ctx: CommandContext) -> None:
    wanted = str(ctx.value.get("lesson") or ctx.args.strip() or "")
    marked: list[Lesson] = []

    def done(progress: Progress) -> Progress:
        lesson = BY_ID.get(wanted) or progress.current_lesson()
        if lesson is None:
            return progress
        marked.append(lesson)
        return mark_done(progress, lesson.id)

    _, progress = await _update(ctx, lambda p: _at_current(done(p)))
    lead = msg.TIP_LEAD_DONE.format(title=marked[0].title) if marked else None
    await _answer(ctx, progress, lead)


@commands.command("tips", "next", usage="tips next", summary="skip to the next habit")
async def tip_next(ctx: CommandContext) -> None:
    wanted = str(ctx.value.get("lesson") or "")

    def move_on(progress: Progress) -> Progress:
        if wanted in BY_ID and wanted not in progress.done:
            progress = replace(progress, current=wanted)
        return skip(progress)

    await _show(ctx, move_on, msg.TIP_LEAD_SKIPPED)


@commands.command("tips", "off", usage="tips off", summary="stop the weekly tip")
async def tips_off(ctx: CommandContext) -> None:
    before, _ = await _update(ctx, lambda p: replace(p, weekly=False))
    was_on = before is None or before.weekly
    await ctx.reply(msg.WEEKLY_OFF if was_on else msg.WEEKLY_ALREADY_OFF)


@commands.command("tips", "on", usage="tips on", summary="get a habit every week")
async def tips_on(ctx: CommandContext) -> None:
    before, _ = await _update(ctx, lambda p: replace(p, weekly=True))
    was_on = before is not None and before.weekly
    await ctx.reply(msg.WEEKLY_ALREADY_ON if was_on else msg.WEEKLY_ON)


def _number_rows(numbers: TeamNumbers) -> list[tuple[str, str]]:
    week = numbers.last_week
    rate = f"{week.reply_rate:.0%}" if week.reply_rate is not None else msg.COACH_NO_THREADS
    rows = [
        (msg.COACH_THREADS, str(week.posts)),
        (msg.COACH_REPLY_RATE, rate),
        (msg.COACH_UNANSWERED, str(week.unanswered)),
    ]
    if numbers.health.score is not None:
        rows.append((msg.COACH_HEALTH, f"{numbers.health.score}/100 ({numbers.health.band})"))
    return rows


@commands.command("coach", usage="coach", summary="in a team channel: the team's checklist")
async def coach(ctx: CommandContext) -> None:
    if ctx.conversation_type != "channel" or not ctx.team_id:
        raise UserFacingError(msg.COACH_NOT_IN_CHANNEL)
    team = await ctx.services.directory.team(ctx.team_id) or {}
    tz = ctx.services.settings.timezone
    numbers = (  # adoption data is the home tenant's only
        await team_numbers(ctx.services.store, graph_team_id(team), now=ctx.now, tz=tz)
        if ctx.scope.is_home
        else None
    )
    lesson = for_metric(numbers.weakest if numbers else None)
    title = msg.COACH_TITLE.format(team=shown(team.get("name") or msg.COACH_THIS_TEAM))
    card = build_coach_card(
        title=title,
        intro=msg.COACH_INTRO,
        checklist=[item.checklist for item in LESSONS],
        numbers_title=(
            msg.COACH_NUMBERS_TITLE.format(week=numbers.week)
            if numbers
            else msg.COACH_NO_NUMBERS_TITLE
        ),
        numbers=_number_rows(numbers) if numbers else None,
        numbers_note=msg.COACH_NUMBERS_NOTE if numbers else msg.COACH_NO_NUMBERS,
        focus_title=msg.COACH_FOCUS_TITLE.format(title=lesson.title),
        focus=lesson.habit,
        focus_why=lesson.why,
    )
    await ctx.reply_card(card, summary=title)
