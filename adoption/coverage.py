"""A team's collected span applied to weeks: weeks that start before it are "no data".

See docs/metrics.md ("Collected span"): such weeks are ``null``/empty/gaps, never 0.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from adoption.metrics import WeekMetrics
from adoption.weeks import IsoWeek


def covered_weeks(
    rows: list[WeekMetrics], weeks: list[IsoWeek], tz: ZoneInfo, since: datetime | None
) -> list[WeekMetrics]:
    """``rows`` with every week that starts before ``since`` replaced by "no data"."""
    if since is None:
        return rows
    return [
        row if week.start(tz) >= since else WeekMetrics.no_data(row.week)
        for row, week in zip(rows, weeks, strict=True)
    ]


def collected_window(
    window: tuple[datetime, datetime], weeks: list[IsoWeek], tz: ZoneInfo, since: datetime | None
) -> tuple[datetime, datetime]:
    """The part of ``window`` inside the collected span, from the first whole week."""
    if since is None or window[0] >= since:
        return window
    first = next((w.start(tz) for w in weeks if w.start(tz) >= since), window[1])
    return (min(max(window[0], first), window[1]), window[1])


def collected_labels(weeks: list[IsoWeek], tz: ZoneInfo, since: datetime | None) -> set[str]:
    """Labels of the ``weeks`` that start at or after ``since`` (all when ``None``)."""
    return {w.label for w in weeks if since is None or w.start(tz) >= since}
