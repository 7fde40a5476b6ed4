"""The report's weekly aggregation, in SQL over ``adoption_messages``.

One query returns a row per team, channel, ISO week of the report's zone and person:
what the person wrote that week (posts, replies given to others, replies in their own
threads, mentions and reactions carried), and for the roots they posted that week, the
replies they received from others, how many were answered and after how long. Week
boundaries are ``date_trunc('week', created AT TIME ZONE tz)``: local Mondays, so a week
with a DST change is 167 or 169 hours long, as in :mod:`adoption.weeks`.

The rules are those of :mod:`adoption.rollups` (the document stores' weekly tallies): a
reply counts in the week it was written whatever happened to its root; a root that is
not a post counts nowhere; an answer and the replies a root received belong to the root's
week. The Python side only files the rows into the same tally shape, so the report code
is shared (``tests/storage/test_report_parity.py`` proves the numbers equal).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import psycopg

from adoption.ports import TeamTallies
from adoption.weeks import IsoWeek

_TALLIES = """
WITH written AS (
    SELECT team_id, channel_id, date_trunc('week', created AT TIME ZONE %(tz)s) AS week,
           author,
           count(*) AS messages,
           count(*) FILTER (WHERE seq = 0) AS posts,
           count(*) FILTER (WHERE seq > 0) AS replies,
           count(*) FILTER (WHERE seq > 0 AND NOT (root_is_post AND author = root_author))
               AS given,
           count(*) FILTER (WHERE seq > 0 AND root_is_post AND author = root_author) AS own,
           sum(mentions) AS mentions,
           sum(reactions) AS reactions
    FROM adoption_messages
    WHERE team_id = ANY(%(teams)s) AND created >= %(lo)s AND created < %(hi)s
      AND (seq > 0 OR root_is_post)
    GROUP BY 1, 2, 3, 4
), answers AS (
    SELECT team_id, channel_id, root_id, root_author, root_created,
           count(*) AS received, min(created) - root_created AS first_reply
    FROM adoption_messages
    WHERE team_id = ANY(%(teams)s) AND seq > 0 AND root_is_post AND author <> root_author
      AND root_created >= %(lo)s AND root_created < %(hi)s
    GROUP BY team_id, channel_id, root_id, root_author, root_created
), answered AS (
    SELECT team_id, channel_id, date_trunc('week', root_created AT TIME ZONE %(tz)s) AS week,
           root_author AS author, sum(received) AS received, count(*) AS answered,
           array_agg(first_reply) AS first_replies
    FROM answers
    GROUP BY 1, 2, 3, 4
)
SELECT w.team_id, w.channel_id, w.week::date, w.author, w.messages, w.posts, w.replies,
       w.given, w.own, w.mentions, w.reactions,
       coalesce(a.received, 0), coalesce(a.answered, 0), a.first_replies
FROM written w LEFT JOIN answered a USING (team_id, channel_id, week, author)
"""


def _empty() -> dict[str, Any]:
    return {"posts": 0, "answered": 0, "replies": 0, "mentions": 0, "reactions": 0,
            "minutes": [], "people": {}}  # fmt: skip


def _bounds(tz: ZoneInfo, labels: Collection[str] | None) -> tuple[datetime, datetime]:
    if not labels:
        return datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC)
    weeks = [IsoWeek.parse(label) for label in labels]
    return min(weeks).start(tz), max(weeks).end(tz)


async def week_tallies(
    conn: psycopg.AsyncConnection, tz: ZoneInfo, team_ids: list[str], weeks: Collection[str] | None
) -> TeamTallies:
    """Tallies by team, week label and channel (the shape of :mod:`adoption.rollups`) for
    the weeks from the first to the last of ``weeks`` (all weeks when ``None``)."""
    lo, hi = _bounds(tz, weeks)
    params = {"tz": tz.key, "teams": team_ids, "lo": lo, "hi": hi}
    out: TeamTallies = {team_id: {} for team_id in team_ids}
    labels: dict[date, str] = {}
    async with conn.cursor() as cur:
        await cur.execute(_TALLIES, params)
        async for row in cur:
            (team, channel, monday, author, messages, posts, replies, given, own,
             mentions, reactions, received, answered, firsts) = row  # fmt: skip
            label = labels.get(monday)
            if label is None:
                label = labels[monday] = IsoWeek.of(monday).label
            tally = out[team].setdefault(label, {}).get(channel)
            if tally is None:
                tally = out[team][label][channel] = _empty()
            tally["posts"] += posts
            tally["replies"] += replies
            tally["mentions"] += mentions
            tally["reactions"] += reactions
            if answered:
                tally["answered"] += answered
                tally["minutes"].extend(f.total_seconds() / 60 for f in firsts)
            tally["people"][author] = [messages, posts, given, received, own]
    return out
