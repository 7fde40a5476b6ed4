"""Tenant-level chat vs channel balance from the Teams user activity report.

``GET /reports/getTeamsUserActivityUserDetail(period='D7')`` answers (v1.0) with a 302
to a CSV file whose header row is documented (see
../shared/graph_examples/reportroot-getteamsuseractivityuserdetail.v1.header.csv). Only
counts are kept; user ids go through the pseudonymiser. Tenants that conceal user
details in reports send hashed or empty ids: such rows still add to the totals.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from adoption.pseudonym import Pseudonymiser

_COUNT_COLUMNS = {
    "team_chat": "Team Chat Message Count",
    "private_chat": "Private Chat Message Count",
    "posts": "Post Messages",
    "replies": "Reply Messages",
}


class UsageReportError(ValueError):
    """The report CSV lacks a documented column or holds a malformed count."""


@dataclass(frozen=True, slots=True)
class TenantUsage:
    """Totals for one report period; ``channel_share`` is team-chat over all chat messages."""

    period: str
    refreshed: str
    users: int
    team_chat: int
    private_chat: int
    posts: int
    replies: int
    per_user: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def channel_share(self) -> float | None:
        total = self.team_chat + self.private_chat
        return round(self.team_chat / total, 4) if total else None

    def to_doc(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "refreshed": self.refreshed,
            "users": self.users,
            "team_chat": self.team_chat,
            "private_chat": self.private_chat,
            "posts": self.posts,
            "replies": self.replies,
            "channel_share": self.channel_share,
            "per_user": self.per_user,
        }


def parse_user_activity_csv(text: str, period: str, pseudonymiser: Pseudonymiser) -> TenantUsage:
    """Sum the per-user rows of a ``getTeamsUserActivityUserDetail`` CSV."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    columns = set(reader.fieldnames or [])
    missing = [c for c in (*_COUNT_COLUMNS.values(), "User Id") if c not in columns]
    if missing:
        raise UsageReportError(f"usage report lacks column(s): {', '.join(missing)}")
    totals = dict.fromkeys(_COUNT_COLUMNS, 0)
    per_user: dict[str, dict[str, int]] = {}
    refreshed = ""
    users = 0
    for row in reader:
        users += 1
        refreshed = refreshed or (row.get("Report Refresh Date") or "")
        counts: dict[str, int] = {}
        for key, column in _COUNT_COLUMNS.items():
            raw = (row.get(column) or "0").strip() or "0"
            try:
                counts[key] = int(raw)
            except ValueError:
                raise UsageReportError(f"usage report: {column} is not a count: {raw!r}") from None
            totals[key] += counts[key]
        user = (row.get("User Id") or "").strip()
        if user:
            per_user[pseudonymiser.apply(user)] = counts
    return TenantUsage(period, refreshed, users, per_user=per_user, **totals)
