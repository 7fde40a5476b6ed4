"""Adoption-plan commands: `plan add`, `plans`, `plan remove`, `adoption review`.

Each handler parses, calls :mod:`plans` (``plans.service.add_goal``, the repository) or
:mod:`bot.plan_status`, words the answer with :mod:`bot.messages.plans` and builds a
card; refusals are :mod:`plans.errors` types worded by the router's error map.
"""

from __future__ import annotations

from datetime import date

from adoption.repository import AdoptionRepository
from adoption.weeks import local_date
from bot.context import CommandContext
from bot.dashboard.signing import expiry_time, signer_for
from bot.errors import UserFacingError
from bot.messages import plans as msg
from bot.messages.user_text import echo
from bot.plan_status import goal_statuses
from bot.roles import Role
from bot.router import CommandTable
from cards.plan_goals import build_plans_card, build_review_card
from plans.errors import PlanUsageError
from plans.goals import TENANT, find_team
from plans.periods import MONTH, ReviewPeriod, month, previous, quarter
from plans.repository import PlanRepository
from plans.service import add_goal, known_teams

commands = CommandTable()
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})


@commands.command(
    "plan",
    "add",
    role=Role.ADMIN,
    usage='plan add <team> <metric> <target> by <date> ["use case"]',
    summary="set an adoption goal for a team (or `tenant`)",
)
async def plan_add(ctx: CommandContext) -> None:
    text = ctx.args.translate(_QUOTES).strip()  # Teams clients type curly quotes
    if not text:
        raise PlanUsageError(text)
    store, tz = ctx.services.store, ctx.services.settings.timezone
    goal = await add_goal(
        text, AdoptionRepository(store), PlanRepository(store), tz=tz, now=ctx.now,
        by=ctx.user.aad_id,
    )  # fmt: skip
    await ctx.reply(
        msg.GOAL_ADDED.format(
            id=goal.id,
            team=goal.team_name,
            metric=goal.metric,
            target=msg.value_text(goal.metric, goal.target),
            due=goal.due.isoformat(),
            use_case=msg.USE_CASE.format(use_case=goal.use_case) if goal.use_case else "",
            baseline=msg.value_text(goal.metric, goal.baseline)
            if goal.baseline is not None
            else msg.NO_BASELINE,
            team_arg="tenant" if goal.team_id == TENANT else goal.team_name,
        )
    )


@commands.command(
    "plans", role=Role.CHAMPION, usage="plans [<team>]", summary="adoption goals and their status"
)
async def list_plans(ctx: CommandContext) -> None:
    team = None
    if ctx.args.strip():
        team = find_team(await known_teams(AdoptionRepository(ctx.services.store)), ctx.args)
    statuses = await goal_statuses(ctx.services, ctx.now, team_id=team.id if team else None)
    name = team.name if team else ""
    card = build_plans_card(
        title=msg.PLANS_TITLE_TEAM.format(team=name) if team else msg.PLANS_TITLE,
        lines=[msg.goal_line(s) for s in statuses],
        empty=msg.PLANS_NONE_TEAM.format(team=name) if team else msg.PLANS_NONE,
        hint=msg.PLANS_HINT,
    )
    await ctx.reply_card(card, summary=msg.PLANS_TITLE)


@commands.command(
    "plan", "remove", role=Role.ADMIN, usage="plan remove <id>", summary="remove an adoption goal"
)
async def plan_remove(ctx: CommandContext) -> None:
    goal_id = ctx.args.strip().lower()
    if not goal_id or " " in goal_id:
        raise UserFacingError(msg.REMOVE_USAGE)
    removed = await PlanRepository(ctx.services.store).remove_goal(goal_id)
    await ctx.reply((msg.REMOVED if removed else msg.NOT_FOUND).format(id=echo(goal_id)))


@commands.command(
    "plan",
    "celebrate",
    role=Role.ADMIN,
    usage="plan celebrate <id> on|off",
    summary="celebrate a met goal in the team's General channel (on by default)",
)
async def plan_celebrate(ctx: CommandContext) -> None:
    words = ctx.args.lower().split()
    if len(words) != 2 or words[1] not in ("on", "off"):
        raise UserFacingError(msg.CELEBRATE_USAGE)
    goal_id, on = words[0], words[1] == "on"
    if not await PlanRepository(ctx.services.store).set_celebrate(goal_id, on):
        raise UserFacingError(msg.NOT_FOUND.format(id=echo(goal_id)))
    await ctx.reply((msg.CELEBRATE_ON if on else msg.CELEBRATE_OFF).format(id=goal_id))


def latest_reviews(today: date) -> tuple[ReviewPeriod, ReviewPeriod]:
    """The last complete month and the last complete quarter before ``today``."""
    this_quarter = quarter(today.year, (today.month - 1) // 3 + 1)
    return previous(month(today.year, today.month)), previous(this_quarter)


def review_query(review: ReviewPeriod) -> str:
    """``month=2026-10`` or ``quarter=2026-Q3`` for the dashboard's review page."""
    if review.kind == MONTH:
        return f"month={review.period.start:%Y-%m}"
    return f"quarter={review.label}"


@commands.command(
    "adoption",
    "review",
    role=Role.ADMIN,
    usage="adoption review",
    summary="links to the latest monthly and quarterly reviews",
)
async def adoption_review(ctx: CommandContext) -> None:
    settings = ctx.services.settings
    signer = signer_for(settings, ctx.services.signing_keys)
    query, expires = signer.link_query(ctx.user.aad_id.lower(), ctx.now)
    monthly, quarterly = latest_reviews(local_date(ctx.now, settings.timezone))
    base = f"{settings.base_url}/dashboard/review"
    links = [
        (msg.REVIEW_MONTH.format(label=monthly.label), f"{base}?{review_query(monthly)}&{query}"),
        (
            msg.REVIEW_QUARTER.format(label=quarterly.label),
            f"{base}?{review_query(quarterly)}&{query}",
        ),
    ]
    until = expiry_time(expires).astimezone(settings.timezone).strftime("%H:%M")
    intro = msg.REVIEW_INTRO.format(expires=until, zone=settings.timezone.key)
    card = build_review_card(title=msg.REVIEW_TITLE, intro=intro, links=links)
    await ctx.reply_card(card, summary=msg.REVIEW_TITLE)
