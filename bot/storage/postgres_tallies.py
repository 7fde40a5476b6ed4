"""The report's weekly aggregation, in SQL over ``adoption_messages``, as ``TeamRollup``s.

The rules are those of :mod:`adoption.rollups` (the document stores' weekly rollups): a
reply counts in the week it was written whatever happened to its root; a root that is
not a post counts nowhere; an answer, its first-reply minutes and the replies a root
received belong to the root's week. Weeks are ``date_trunc('week', created AT TIME ZONE
tz)``: local Mondays, so a week with a DST change is 167 or 169 hours long, as in
:mod:`adoption.weeks`.

The server groups the messages by team, channel, week and author, numbers each team's
people and channels, and returns one row per team-week whose arrays are the columns of
a :class:`~adoption.rollups.WeekRollup` (the port in ``/work/notes/rollup_port.md``);
Python only interleaves them. ``tests/storage/test_report_parity.py`` proves the
report's numbers equal those from TinyDB's rollups.
"""

from __future__ import annotations

from array import array
from collections.abc import Collection, Sequence
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import psycopg

from adoption.rollups import TeamRollup, WeekRollup
from adoption.weeks import IsoWeek

_TEAM_WEEKS = """
WITH written AS (
    SELECT team_id, channel_id, date_trunc('week', created AT TIME ZONE %(tz)s)::date AS week,
           author,
           count(*)::int AS messages,
           (count(*) FILTER (WHERE seq = 0))::int AS posts,
           (count(*) FILTER (WHERE seq > 0))::int AS replies,
           (count(*) FILTER (WHERE seq > 0 AND NOT (root_is_post AND author = root_author)))::int
               AS given,
           (count(*) FILTER (WHERE seq > 0 AND root_is_post AND author = root_author))::int AS own,
           sum(mentions)::int AS mentions,
           sum(reactions)::int AS reactions
    FROM adoption_messages
    WHERE team_id = ANY(%(teams)s) AND created >= %(lo)s AND created < %(hi)s
      AND (seq > 0 OR root_is_post)
    GROUP BY 1, 2, 3, 4
), answers AS (
    SELECT team_id, channel_id,
           date_trunc('week', root_created AT TIME ZONE %(tz)s)::date AS week,
           root_author AS author, count(*)::int AS received,
           extract(epoch FROM min(created) - root_created)::float8 / 60 AS minutes
    FROM adoption_messages
    WHERE team_id = ANY(%(teams)s) AND seq > 0 AND root_is_post AND author <> root_author
      AND root_created >= %(lo)s AND root_created < %(hi)s
    GROUP BY team_id, channel_id, root_id, root_author, root_created
), people AS (
    SELECT team_id, author, (row_number() OVER (PARTITION BY team_id ORDER BY author) - 1)::int AS p
    FROM (SELECT DISTINCT team_id, author FROM written) d
), chans AS (
    SELECT team_id, channel_id,
           (row_number() OVER (PARTITION BY team_id ORDER BY channel_id) - 1)::int AS c
    FROM (SELECT DISTINCT team_id, channel_id FROM written) d
), w AS (
    SELECT written.*, people.p, chans.c
    FROM written JOIN people USING (team_id, author) JOIN chans USING (team_id, channel_id)
), a AS (
    SELECT answers.*, chans.c FROM answers JOIN chans USING (team_id, channel_id)
), ch AS (
    SELECT w.team_id, w.week, w.c, sum(w.posts)::int AS posts, sum(w.replies)::int AS replies,
           sum(w.mentions)::int AS mentions, sum(w.reactions)::int AS reactions,
           count(*)::int AS n
    FROM w GROUP BY w.team_id, w.week, w.c
), ch_answers AS (
    SELECT team_id, week, c, count(*)::int AS answered FROM a GROUP BY team_id, week, c
), received AS (
    SELECT team_id, week, author, sum(received)::int AS received
    FROM answers GROUP BY team_id, week, author
), tw_people AS (
    SELECT w.team_id, w.week, w.p, sum(w.posts)::int AS posts, sum(w.given)::int AS given,
           coalesce(max(r.received), 0) AS received, sum(w.own)::int AS own
    FROM w LEFT JOIN received r USING (team_id, week, author)
    GROUP BY w.team_id, w.week, w.p
), tw_ch AS (
    SELECT ch.team_id, ch.week,
           array_agg(ch.c ORDER BY ch.c) AS c, array_agg(ch.posts ORDER BY ch.c) AS posts,
           array_agg(coalesce(x.answered, 0) ORDER BY ch.c) AS answered,
           array_agg(ch.replies ORDER BY ch.c) AS replies,
           array_agg(ch.mentions ORDER BY ch.c) AS mentions,
           array_agg(ch.reactions ORDER BY ch.c) AS reactions,
           array_agg(ch.n ORDER BY ch.c) AS n
    FROM ch LEFT JOIN ch_answers x USING (team_id, week, c)
    GROUP BY ch.team_id, ch.week
), tw_cp AS (
    SELECT team_id, week, array_agg(p ORDER BY c, p) AS p, array_agg(messages ORDER BY c, p) AS n
    FROM w GROUP BY team_id, week
), tw_minutes AS (
    SELECT team_id, week, array_agg(minutes ORDER BY c) AS minutes FROM a GROUP BY team_id, week
), tw_p AS (
    SELECT team_id, week, array_agg(p ORDER BY p) AS p, array_agg(posts ORDER BY p) AS posts,
           array_agg(given ORDER BY p) AS given, array_agg(received ORDER BY p) AS received,
           array_agg(own ORDER BY p) AS own
    FROM tw_people GROUP BY team_id, week
)
SELECT team_id, week, ch.c, ch.posts, ch.answered, ch.replies, ch.mentions, ch.reactions, ch.n,
       coalesce(m.minutes, '{}'), cp.p, cp.n, tp.p, tp.posts, tp.given, tp.received, tp.own
FROM tw_ch ch JOIN tw_cp cp USING (team_id, week) JOIN tw_p tp USING (team_id, week)
     LEFT JOIN tw_minutes m USING (team_id, week)
"""
_INDEXES = """
SELECT team_id, array_agg(author ORDER BY author), NULL FROM (
    SELECT DISTINCT team_id, author FROM adoption_messages
    WHERE team_id = ANY(%(teams)s) AND created >= %(lo)s AND created < %(hi)s
      AND (seq > 0 OR root_is_post)) d GROUP BY team_id
UNION ALL
SELECT team_id, NULL, array_agg(channel_id ORDER BY channel_id) FROM (
    SELECT DISTINCT team_id, channel_id FROM adoption_messages
    WHERE team_id = ANY(%(teams)s) AND created >= %(lo)s AND created < %(hi)s
      AND (seq > 0 OR root_is_post)) d GROUP BY team_id
"""


def _bounds(tz: ZoneInfo, labels: Collection[str] | None) -> tuple[datetime, datetime]:
    if not labels:
        return datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC)
    weeks = [IsoWeek.parse(label) for label in labels]
    return min(weeks).start(tz), max(weeks).end(tz)


def _interleave(*columns: Sequence[int]) -> array[int]:
    """``[a0, b0, c0, a1, b1, c1, …]`` from equally long columns, without a Python loop."""
    stride, n = len(columns), len(columns[0])
    out = array("q", bytes(8 * stride * n))
    for i, column in enumerate(columns):
        out[i::stride] = array("q", column)
    return out


async def team_rollups(
    conn: psycopg.AsyncConnection,
    tz: ZoneInfo,
    team_ids: list[str],
    weeks: Collection[str] | None,
) -> dict[str, TeamRollup]:
    """Rollups of ``team_ids`` from the first to the last of ``weeks`` (ISO week labels;
    every week when ``None``); a team without messages gets an empty one."""
    lo, hi = _bounds(tz, weeks)
    params = {"tz": tz.key, "teams": team_ids, "lo": lo, "hi": hi}
    people: dict[str, tuple[str, ...]] = {}
    channels: dict[str, tuple[str, ...]] = {}
    by_team: dict[str, dict[str, WeekRollup]] = {team_id: {} for team_id in team_ids}
    labels: dict[date, str] = {}
    async with conn.transaction():
        # the grouping is one big hash aggregate: give it the memory, skip JIT compiling
        await conn.execute("SET LOCAL work_mem = '256MB'")
        await conn.execute("SET LOCAL jit = off")
        cur = await conn.execute(_INDEXES, params)
        for team, authors, chans in await cur.fetchall():
            if authors is not None:
                people[team] = tuple(authors)
            else:
                channels[team] = tuple(chans)
        cur = await conn.execute(_TEAM_WEEKS, params, binary=True)
        async for row in cur:
            team, monday, *ch = row[:9]
            minutes, cp_p, cp_n, *tp = row[9:]
            label = labels.get(monday)
            if label is None:
                label = labels[monday] = IsoWeek.of(monday).label
            by_team[team][label] = WeekRollup(
                _interleave(*ch), array("d", minutes), _interleave(cp_p, cp_n), _interleave(*tp)
            )
    return {
        team: TeamRollup(people.get(team, ()), channels.get(team, ()), by_team[team])
        for team in team_ids
    }
