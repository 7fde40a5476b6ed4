"""Champion cards: the list with the leaderboard, and a champion's own stats."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cards.elements import Element, adaptive_card, container, escape_markdown, facts, heading, text


@dataclass(frozen=True)
class Section:
    """A titled list of lines (an empty list shows ``empty``)."""

    title: str
    lines: list[str]
    empty: str = ""


def _section(section: Section) -> Element:
    items: list[Element] = [text(section.title, weight="Bolder")]
    if section.lines:
        items += [text(line, spacing="Small") for line in section.lines]
    elif section.empty:
        items.append(text(section.empty, isSubtle=True))
    return container(items, separator=True)


def build_champions_card(*, title: str, intro: str, sections: list[Section]) -> dict[str, Any]:
    """The champions and the two leaderboards (by nudges, by measured lift)."""
    body: list[Element] = [heading(title), text(intro, isSubtle=True)]
    body += [_section(s) for s in sections]
    return adaptive_card(body, fallback_text=title)


@dataclass(frozen=True)
class TeamEffect:
    """One nudged team: when, and activity before vs after (``None``: no adoption data)."""

    team: str
    when: str
    rows: list[tuple[str, str]] | None
    note: str


def build_stats_card(
    *, title: str, summary: str, nudges: Section, effects: list[TeamEffect], effects_title: str
) -> dict[str, Any]:
    """A champion's nudges and, per nudged team, the 7 days after against the 7 before."""
    body: list[Element] = [heading(title), text(summary), _section(nudges)]
    if effects:
        items: list[Element] = [text(effects_title, weight="Bolder")]
        for effect in effects:
            team = escape_markdown(effect.team)
            items.append(text(f"**{team}** — {effect.when}", spacing="Medium"))
            if effect.rows:
                items.append(facts(effect.rows))
            items.append(text(effect.note, isSubtle=True, size="Small"))
        body.append(container(items, separator=True))
    return adaptive_card(body, fallback_text=title)
