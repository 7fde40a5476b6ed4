"""Feedback loops as a weekly job: who gets which plan card, sent in one batch.

    await run_plan_loops(services)   # what the job runs (Mondays 09:30), tests call it

For each collected team, ``plans.signals.week_cards`` decides at the last full ISO week
which loops fire (docs/plans.md, "Feedback loops"): a band drop or a goal going off track
sends the team's champions an alert with the reason and a suggested nudge whose button
runs the ordinary ``nudge <team> <message>`` command; a team without a champion sends
the admins a "find a champion" card; a goal met posts a celebration in the team's
General channel. Every card of the run goes through ``services.proactive.send_many``
with the key ``plans:<loop key>:<recipient>``; a loop that reached anyone is logged
(``PlanRepository.log_loop``, key ``<kind>|<team>|<week>``), so it fires at most once per
team, kind and week. ``TRIMTAB_PLAN_LOOPS_OFF`` (``band_drop``, ``goal_off_track``,
``celebration``, comma-separated) switches loops off. When the alert's button posts the
nudge, :func:`record_loop_action` notes who acted.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from apscheduler.triggers.cron import CronTrigger

from adoption.health import ACTIONS
from adoption.repository import AdoptionRepository
from bot.admin.summary import fact_ids, graph_team_ids
from bot.errors import SettingsError
from bot.messages import plans as msg
from bot.messages.champions import NUDGE_LIBRARY
from bot.plan_status import judged_week
from bot.proactive import DeliveryStatus, Message
from bot.services import Services
from cards.elements import escape_markdown
from cards.plan_loops import build_alert_card, build_celebration_card, build_find_champion_card
from plans.goals import Goal
from plans.log import LoopEntry
from plans.loops import ADMINS, CHAMPIONS, LoopCard, LoopSettings
from plans.repository import PlanRepository
from plans.signals import week_cards

log = logging.getLogger(__name__)

JOB_ID = "plans.loops"
LOOPS_OFF = "TRIMTAB_PLAN_LOOPS_OFF"
SWITCHES = ("band_drop", "goal_off_track", "celebration")
REACHED = (DeliveryStatus.DELIVERED, DeliveryStatus.DUPLICATE)
METRIC_OF_ACTION = {action: metric for metric, action in ACTIONS.items()}


def loop_settings(env: Mapping[str, str]) -> LoopSettings:
    """Which loops are on: all but those named in ``TRIMTAB_PLAN_LOOPS_OFF``."""
    off = {p.strip().lower() for p in env.get(LOOPS_OFF, "").split(",") if p.strip()}
    if unknown := off - set(SWITCHES):
        raise SettingsError(LOOPS_OFF, f"unknown loop {sorted(unknown)}; use {', '.join(SWITCHES)}")
    return LoopSettings(**{name: name not in off for name in SWITCHES})


@dataclass(frozen=True)
class LoopOutcome:
    """One loop of a run: its key, and the delivery status per recipient."""

    key: str
    kind: str
    team: str
    statuses: tuple[str, ...]
    logged: bool


@dataclass(frozen=True)
class People:
    """What the cards need to address and name people."""

    aad_of: dict[str, str]  # fact id → AAD id (champions and known users)
    champions: frozenset[str]  # registered champions, as fact ids
    names: dict[str, str]  # fact id → display name
    admins: tuple[str, ...]  # AAD ids
    bot_team: dict[str, str]  # Graph team id → the bot's team id (installed teams)
    goals: dict[str, Goal]


async def _people(services: Services, goals: list[Goal]) -> People:
    scope = await services.tenancy.home_scope()  # adoption data belongs to the home tenant
    users = await services.directory.users()
    known = {k.lower(): str(d.get("name", "")) for k, d in users.items()}
    registry = await services.champions.registry.all(scope)
    for champion in registry:
        known.setdefault(champion.aad_id, champion.name)
    for team in await services.directory.teams(installed_only=False):  # rosters name people
        for member in team.get("members") or []:
            if member.get("aad_id") and not known.get(member["aad_id"]):
                known[member["aad_id"]] = str(member.get("name", ""))
    aad_of = {next(iter(fact_ids(services, [aad]))): aad for aad in known}
    configured = services.settings.admins
    upns = {str(d.get("upn", "")).lower(): k.lower() for k, d in users.items() if d.get("upn")}
    admins = {a for a in configured if "@" not in a} | {upns[a] for a in configured if a in upns}
    admins |= {str(d["aad_id"]).lower() for d in await services.roles.admins(scope)}
    bot_team = {graph: bot for bot, graph in (await graph_team_ids(services, scope)).items()}
    names = {fact: known[aad] or aad for fact, aad in aad_of.items()}
    champions = fact_ids(services, (c.aad_id for c in registry))
    by_id = {g.id: g for g in goals}
    return People(aad_of, champions, names, tuple(sorted(admins)), bot_team, by_id)


def _reason(reason: str, people: People) -> str:
    kind, _, detail = reason.partition(":")
    if kind == "band_drop":
        before, _, now = detail.partition("->")
        return msg.REASON_BAND.format(before=before, now=now)
    goal = people.goals.get(detail)
    metric = goal.metric if goal else "?"
    return (msg.REASON_MET if kind == "goal_met" else msg.REASON_GOAL).format(
        id=detail, metric=metric
    )


def _suggestion(card: LoopCard, people: People) -> str:
    metric = METRIC_OF_ACTION.get(card.action)
    for reason in card.reasons:
        goal = people.goals.get(reason.partition(":")[2])
        if goal is not None and goal.metric in NUDGE_LIBRARY:
            metric = goal.metric
    return NUDGE_LIBRARY.get(metric, NUDGE_LIBRARY[None])


def messages_for(card: LoopCard, people: People) -> list[tuple[str, Message, str]]:
    """``(recipient, card, key)`` for each recipient of ``card`` (none when unreachable)."""
    reasons = [_reason(r, people) for r in card.reasons]
    bot_team = people.bot_team.get(card.team_id)
    team = escape_markdown(card.team_name)  # a Graph team name may hold markdown
    if card.audience == CHAMPIONS:
        suggestion = _suggestion(card, people)
        body: dict[str, Any] = build_alert_card(
            title=msg.ALERT_TITLE.format(team=team),
            intro=msg.ALERT_INTRO.format(team=team),
            reasons=reasons, suggestion_title=msg.SUGGESTED, suggestion=suggestion,
            button=msg.POST_NUDGE, footer=msg.ALERT_FOOTER, loop_key=card.key,
            command=f"nudge {bot_team} {suggestion}" if bot_team else None,
        )  # fmt: skip
        to = [people.aad_of[c] for c in card.recipients if c in people.aad_of]
    elif card.audience == ADMINS:
        body = build_find_champion_card(
            title=msg.FIND_TITLE.format(team=team),
            intro=msg.FIND_INTRO.format(team=team, reasons="; ".join(reasons)),
            people_title=msg.FIND_PEOPLE, nobody=msg.FIND_NOBODY, hint=msg.FIND_HINT,
            people=[people.names.get(p, p) for p in card.people],
        )  # fmt: skip
        to = list(people.admins)
    else:
        body = build_celebration_card(
            title=msg.CELEBRATE_TITLE.format(team=team),
            message=msg.CELEBRATE_TEXT.format(goals="; ".join(reasons)),
        )
        return [(f"team:{bot_team}", body, f"plans:{card.key}:team")] if bot_team else []
    return [(f"user:{aad}", body, f"plans:{card.key}:{aad}") for aad in to]


async def run_plan_loops(services: Services, now: datetime | None = None) -> list[LoopOutcome]:
    """Send this week's loop cards (at most once per team, kind and week) and log them."""
    now = now or services.clock()
    settings = loop_settings(services.settings.env)
    repo, adoption = PlanRepository(services.store), AdoptionRepository(services.store)
    goals = await repo.goals()
    people = await _people(services, goals)
    sent = await repo.sent_keys()
    due: list[tuple[LoopCard, list[tuple[str, Message, str]]]] = []
    for team in await adoption.teams():
        cards = week_cards(
            team, await adoption.threads(team.id), goals, week=judged_week(services, now),
            tz=services.settings.timezone, champions=people.champions,
            sent=sent, settings=settings,
        )  # fmt: skip
        due += [(card, messages_for(card, people)) for card in cards]
    deliveries = await services.proactive.send_many(
        [(r, m, k) for _, items in due for r, m, k in items]
    )
    outcomes, position = [], 0
    for card, items in due:
        mine = deliveries[position : position + len(items)]
        position += len(items)
        reached = any(d.status in REACHED for d in mine)
        logged = reached and await repo.log_loop(LoopEntry.fired(card, now))
        statuses = tuple(str(d.status) for d in mine)
        outcomes.append(LoopOutcome(card.key, card.kind, card.team_name, statuses, logged))
    return outcomes


async def record_loop_action(
    services: Services, value: Mapping[str, Any], *, by: str, now: datetime
) -> bool:
    """The suggested-nudge button of an alert was used: note ``by`` on its loop."""
    key = value.get("plan_loop")
    if not isinstance(key, str) or not key:
        return False
    return await PlanRepository(services.store).mark_acted(key, by=by, at=now)


def install_plan_loops(services: Services) -> None:
    """Mondays 09:30 in the configured zone (after the digest and the tips); a bad
    ``TRIMTAB_PLAN_LOOPS_OFF`` raises :class:`SettingsError` here, at start-up."""
    loop_settings(services.settings.env)

    async def job() -> None:
        try:
            outcomes = await run_plan_loops(services)
        except Exception:
            log.exception("plan loops job failed")
            return
        log.info("plan loops: %s", ", ".join(f"{o.key}={o.statuses}" for o in outcomes) or "none")

    services.scheduler.add_job(
        job,
        CronTrigger(day_of_week="mon", hour=9, minute=30, timezone=services.settings.timezone),
        id=JOB_ID,
        replace_existing=True,
        misfire_grace_time=12 * 3600,
        coalesce=True,
        max_instances=1,
    )
