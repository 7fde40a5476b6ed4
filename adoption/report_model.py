"""What an adoption report is made of: teams, channels, the tenant summary, the report.

Built by :mod:`adoption.report` (which re-exports these names); rendered by
:meth:`AdoptionReport.to_json` and :mod:`adoption.report_formats`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from adoption.health import Health
from adoption.metrics import Trend, WeekMetrics
from adoption.report_tenant import TenantUsage

TOO_FEW_PEOPLE = "too few people to report"


class UnknownTeamError(ValueError):
    """``--team`` matched no team; the message lists the closest names."""


@dataclass(frozen=True, slots=True)
class ChannelReport:
    id: str
    name: str
    weeks: list[WeekMetrics]

    suppressed: bool = False

    def to_json(self) -> dict[str, Any]:
        if self.suppressed:
            return {"id": self.id, "name": self.name, "suppressed": TOO_FEW_PEOPLE}
        return {"id": self.id, "name": self.name, "weeks": [w.to_dict() for w in self.weeks]}


@dataclass(frozen=True, slots=True)
class TeamReport:
    """One team over the period: weekly rows, period totals, health, trend and personas."""

    id: str
    name: str
    members: int
    health: Health
    weeks: list[WeekMetrics]
    totals: WeekMetrics
    trend: Trend | None
    personas: dict[str, int]
    channels: list[ChannelReport]
    # First local day of the team's collected span; weeks before it are "no data".
    collected_since: date | None = None
    # Fewer active people than TRIMTAB_MIN_GROUP_SIZE: no metrics or personas shown.
    suppressed: bool = False

    def to_json(self) -> dict[str, Any]:
        coverage = {"since": self.collected_since.isoformat() if self.collected_since else None}
        if self.suppressed:
            return {
                "id": self.id,
                "name": self.name,
                "members": self.members,
                "coverage": coverage,
                "suppressed": TOO_FEW_PEOPLE,
            }
        return {
            "id": self.id,
            "name": self.name,
            "members": self.members,
            "coverage": coverage,
            "health": self.health.to_dict(),
            "weeks": [w.to_dict() for w in self.weeks],
            "totals": _totals(self.totals),
            "trend": self.trend.to_dict() if self.trend else None,
            "weakest_metric": self.health.weakest,
            "suggested_action": self.health.action,
            "personas": self.personas,
            "channels": [c.to_json() for c in self.channels],
        }


@dataclass(frozen=True, slots=True)
class TenantSummary:
    """Totals across the reported teams, plus the chat vs channel balance when collected."""

    teams: int
    members: int
    totals: WeekMetrics
    weeks: list[WeekMetrics]
    bands: dict[str, int]
    usage: TenantUsage | None
    collected_since: date | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "coverage": {
                "since": self.collected_since.isoformat() if self.collected_since else None
            },
            "teams": self.teams,
            "members": self.members,
            **_totals(self.totals),
            "health_bands": self.bands,
            "weeks": [w.to_dict() for w in self.weeks],
            "chat_vs_channel": self.usage.to_json() if self.usage else None,
        }


@dataclass(frozen=True, slots=True)
class AdoptionReport:
    """Everything a report format needs; build it with :func:`build_report`."""

    start: date
    end: date
    timezone: str
    generated: datetime
    tenant: TenantSummary
    teams: list[TeamReport]
    #: Optional top-level sections by name, JSON-ready (e.g. ``departments``, added by
    #: :func:`adoption.departments.with_departments`); rendered after the teams.
    sections: dict[str, Any] = field(default_factory=dict)

    @property
    def week_labels(self) -> list[str]:
        return [w.week for w in self.tenant.weeks]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict in the documented shape (extra keys are additions)."""
        return {
            "period": {"start": self.start.isoformat(), "end": self.end.isoformat()},
            "timezone": self.timezone,
            "generated": self.generated.isoformat(),
            "tenant": self.tenant.to_json(),
            "teams": [t.to_json() for t in self.teams],
            **self.sections,
        }


def _totals(m: WeekMetrics) -> dict[str, Any]:
    doc = m.to_dict()
    doc.pop("week")
    return doc
