"""The QBR view: a quarter's traditional activity counts beside forward-looking measures.

After the seed post on good data in QBRs: the traditional view counts activity
(posts, replies, people, reactions); the future-focused view asks whether
collaboration is getting healthier — do posts get answered, how fast, how many
people take part, do champions' nudges lift conversations, do circles finish.
Both are shown for the chosen quarter against the quarter before.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from bot.admin.summary import AdminData, champion_activity
from bot.dashboard.pages import weekly_charts
from bot.dashboard.tables import Table, num, pct

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


def quarter_of(day: date) -> tuple[date, date]:
    """First and last day of the calendar quarter containing ``day``."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    next_start = date(day.year + (first_month == 10), (first_month + 2) % 12 + 1, 1)
    return start, next_start - timedelta(days=1)


def parse_quarter(text: str) -> tuple[date, date]:
    """``"2026-Q4"`` → (2026-10-01, 2026-12-31); anything else raises ``ValueError``."""
    match = _QUARTER.match(text.strip().upper())
    if not match:
        raise ValueError(f"quarter must look like 2026-Q4, not {text!r}")
    return quarter_of(date(int(match.group(1)), 3 * int(match.group(2)) - 2, 1))


def quarter_label(start: date) -> str:
    return f"{start.year}-Q{(start.month - 1) // 3 + 1}"


def completion(data: AdminData, start: date, end: date) -> tuple[float | None, int]:
    """Of circles that finished in ``[start, end]``, the share that completed all 12 weeks."""
    finished = [
        c
        for c in data.circles
        if c.finished_at
        and start <= c.finished_at.date() <= end
        and c.state in ("completed", "ended")
    ]
    done = sum(c.state == "completed" for c in finished)
    return (done / len(finished) if finished else None), len(finished)


def _change(now: float | None, then: float | None, *, percent: bool) -> str:
    if now is None or then is None:
        return ""
    return f"{(now - then) * 100:+.0f} pts" if percent else f"{now - then:+.0f}"


def qbr_page(data: AdminData, start: date, end: date, today: date) -> dict[str, Any]:
    """Context of the QBR template for the quarter ``start``..``end``."""
    now, then = data.report.tenant.totals, data.previous.tenant.totals
    prev_start, prev_end = data.previous.start, data.previous.end
    traditional = Table(
        "traditional",
        "Traditional: activity counts",
        ["Measure", "This quarter", "Quarter before", "Change"],
    )
    for label, a, b in (
        ("Posts", now.posts, then.posts),
        ("Replies", now.replies, then.replies),
        ("Messages", now.activity, then.activity),
        ("Active posters", now.active_posters, then.active_posters),
        ("Mentions", now.mentions, then.mentions),
        ("Reactions", now.reactions, then.reactions),
    ):
        traditional.rows.append([label, a, b, _change(a, b, percent=False)])
    lift = champion_activity(data)
    circles_now, finished_now = completion(data, start, end)
    circles_then, _ = completion(data, prev_start, prev_end)
    forward = Table(
        "forward", "Forward-looking: is collaboration getting healthier?",
        ["Measure", "This quarter", "Quarter before", "Change"],
    )  # fmt: skip
    forward.rows = [
        ["Reply rate", pct(now.reply_rate), pct(then.reply_rate),
         _change(now.reply_rate, then.reply_rate, percent=True)],
        ["Median time to first reply (min)", num(now.median_first_reply_minutes),
         num(then.median_first_reply_minutes),
         _change(now.median_first_reply_minutes, then.median_first_reply_minutes, percent=False)],
        ["Active share", pct(now.active_share), pct(then.active_share),
         _change(now.active_share, then.active_share, percent=True)],
        ["Champion lift (reply rate, 7 days after a nudge)",
         "" if lift.reply_rate_change is None else f"{lift.reply_rate_change * 100:+.0f} pts",
         "", f"{lift.measured} of {lift.nudges} nudges measured"],
        ["Circle completion", pct(circles_now), pct(circles_then),
         _change(circles_now, circles_then, percent=True)],
    ]  # fmt: skip
    previous_q = quarter_label(prev_start)
    return {
        "title": f"Quarterly business review · {quarter_label(start)}",
        "period": f"{start:%d %b} – {end:%d %b %Y} (vs {previous_q})",
        "quarter": quarter_label(start),
        "previous_quarter": previous_q,
        "next_quarter": quarter_label(end + timedelta(days=1)),
        "partial": end >= today,
        "finished_circles": finished_now,
        "charts": weekly_charts(data.report.tenant.weeks, "All teams"),
        "tables": [traditional, forward],
    }
