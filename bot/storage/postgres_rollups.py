"""The report's weekly aggregation in SQL: ``TeamRollup``s from ``adoption_messages``.

The rules are those of :mod:`adoption.rollups` (the document stores' weekly rollups): a
reply counts in the week it was written whatever happened to its root; a root that is
not a post counts nowhere; an answer, its first-reply minutes and the replies a root
received belong to the root's week. Weeks are ``date_trunc('week', created AT TIME ZONE
tz)``: local Mondays, so a week with a DST change is 167 or 169 hours long.

One GROUP BY per team and set of weeks yields each team-week's
:class:`~adoption.rollups.WeekRollup` arrays as big-endian bytes (``int4send``,
``float8send``), indexed by the team's people and channels (``adoption_rollup_index``:
indexes only grow, so stored weeks stay valid). A sync stores the weeks its changed
threads touch (closed weeks stay frozen, as on TinyDB); a report reads the stored rows,
and aggregates on the fly any team that has none in its zone. The port is in
``/work/notes/rollup_port.md``; ``tests/storage/test_report_parity.py`` proves the
report's numbers equal TinyDB's.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Collection, Iterable
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import psycopg

from adoption.rollups import TeamRollup, WeekRollup
from adoption.weeks import IsoWeek

# Messages of one team in [lo, hi), grouped by channel, local week and author; the weeks
# wanted (or all); the team's index (stored, or built on the fly in sorted order).
_AGGREGATE = """
WITH msgs AS (
    SELECT channel_id, date_trunc('week', created AT TIME ZONE %(tz)s)::date AS week, author,
           seq, root_is_post, root_author, mentions, reactions
    FROM adoption_messages
    WHERE team_id = %(team)s AND created >= %(lo)s AND created < %(hi)s
      AND (seq > 0 OR root_is_post)
), written AS (
    SELECT channel_id, week, author, count(*)::int AS messages,
           (count(*) FILTER (WHERE seq = 0))::int AS posts,
           (count(*) FILTER (WHERE seq > 0))::int AS replies,
           (count(*) FILTER (WHERE seq > 0 AND NOT (root_is_post AND author = root_author)))::int
               AS given,
           (count(*) FILTER (WHERE seq > 0 AND root_is_post AND author = root_author))::int AS own,
           sum(mentions)::int AS mentions, sum(reactions)::int AS reactions
    FROM msgs WHERE %(weeks)s::date[] IS NULL OR week = ANY(%(weeks)s::date[])
    GROUP BY channel_id, week, author
), answers AS (
    SELECT channel_id, date_trunc('week', root_created AT TIME ZONE %(tz)s)::date AS week,
           root_author AS author, count(*)::int AS received,
           extract(epoch FROM min(created) - root_created)::float8 / 60 AS minutes
    FROM adoption_messages
    WHERE team_id = %(team)s AND seq > 0 AND root_is_post AND author <> root_author
      AND root_created >= %(lo)s AND root_created < %(hi)s
    GROUP BY channel_id, root_id, root_author, root_created
), wanted AS (
    SELECT * FROM answers WHERE %(weeks)s::date[] IS NULL OR week = ANY(%(weeks)s::date[])
), idx AS (
    {index}
), pidx AS (
    SELECT u.author, (u.n - 1)::int AS p
    FROM idx, unnest(idx.people) WITH ORDINALITY AS u(author, n)
), cidx AS (
    SELECT u.channel_id, (u.n - 1)::int AS c
    FROM idx, unnest(idx.channels) WITH ORDINALITY AS u(channel_id, n)
), w AS (
    SELECT written.*, pidx.p, cidx.c
    FROM written JOIN pidx USING (author) JOIN cidx USING (channel_id)
), a AS (
    SELECT wanted.*, cidx.c FROM wanted JOIN cidx USING (channel_id)
), ch AS (
    SELECT w.week, w.c, sum(posts)::int AS posts, sum(replies)::int AS replies,
           sum(mentions)::int AS mentions, sum(reactions)::int AS reactions, count(*)::int AS n,
           coalesce((SELECT count(*) FROM a WHERE a.week = w.week AND a.c = w.c), 0)::int
               AS answered
    FROM w GROUP BY w.week, w.c
), persons AS (
    SELECT w.week, w.p, sum(posts)::int AS posts, sum(given)::int AS given, sum(own)::int AS own,
           coalesce((SELECT sum(received) FROM answers r
                     WHERE r.week = w.week AND r.author = w.author), 0)::int AS received
    FROM w GROUP BY w.week, w.p, w.author
)
SELECT idx.people AS people_index, idx.channels AS channel_index, weeks.week,
       (SELECT string_agg(int4send(c) || int4send(posts) || int4send(answered) || int4send(replies)
                          || int4send(mentions) || int4send(reactions) || int4send(n), ''
                          ORDER BY c) FROM ch WHERE ch.week = weeks.week) AS channels,
       coalesce((SELECT string_agg(float8send(minutes), '' ORDER BY c) FROM a
                 WHERE a.week = weeks.week), '') AS minutes,
       (SELECT string_agg(int4send(p) || int4send(messages), '' ORDER BY c, p) FROM w
        WHERE w.week = weeks.week) AS channel_people,
       (SELECT string_agg(int4send(p) || int4send(posts) || int4send(given) || int4send(received)
                          || int4send(own), '' ORDER BY p) FROM persons
        WHERE persons.week = weeks.week) AS people
FROM (SELECT DISTINCT week FROM written) weeks, idx
"""
_STORED_INDEX = """SELECT people, channels FROM adoption_rollup_index
    WHERE team_id = %(team)s AND tz = %(tz)s"""
_SORTED_INDEX = """SELECT
        coalesce((SELECT array_agg(DISTINCT author ORDER BY author) FROM written), '{}') AS people,
        coalesce((SELECT array_agg(DISTINCT channel_id ORDER BY channel_id) FROM written), '{}')
            AS channels"""
# Append the people and channels of the weeks to be stored that the index lacks.
_GROW_INDEX = """
INSERT INTO adoption_rollup_index AS i (team_id, tz, people, channels)
SELECT %(team)s, %(tz)s,
       coalesce(array_agg(DISTINCT author ORDER BY author), '{}'),
       coalesce(array_agg(DISTINCT channel_id ORDER BY channel_id), '{}')
FROM (SELECT channel_id, author FROM adoption_messages
      WHERE team_id = %(team)s AND created >= %(lo)s AND created < %(hi)s
        AND (seq > 0 OR root_is_post)
        AND (%(weeks)s::date[] IS NULL
             OR date_trunc('week', created AT TIME ZONE %(tz)s)::date = ANY(%(weeks)s::date[]))) m
ON CONFLICT (team_id, tz) DO UPDATE SET
    people = i.people || ARRAY(SELECT x FROM unnest(EXCLUDED.people) x
                               WHERE x <> ALL(i.people) ORDER BY x),
    channels = i.channels || ARRAY(SELECT x FROM unnest(EXCLUDED.channels) x
                                   WHERE x <> ALL(i.channels) ORDER BY x)
"""
_BATCH = 2000  # team-weeks per round trip when reading stored rollups
_MIN = datetime.min.replace(tzinfo=UTC)
_MAX = datetime.max.replace(tzinfo=UTC)


def _params(team: str, tz: str, weeks: Collection[str] | None) -> dict[str, object]:
    """Query parameters; ``weeks`` (labels) narrows the scan to their span."""
    if weeks is None:
        return {"team": team, "tz": tz, "lo": _MIN, "hi": _MAX, "weeks": None}
    parsed = sorted(IsoWeek.parse(label) for label in weeks)
    zone = ZoneInfo(tz)
    if not parsed:
        return {"team": team, "tz": tz, "lo": _MAX, "hi": _MAX, "weeks": []}
    lo, hi = parsed[0].start(zone), parsed[-1].end(zone)
    return {"team": team, "tz": tz, "lo": lo, "hi": hi, "weeks": [w.monday for w in parsed]}


def _big_endian(typecode: str, data: bytes) -> array[Any]:
    """An array of ``typecode`` from the big-endian bytes PostgreSQL sends."""
    out = array(typecode)
    out.frombytes(data)
    if sys.byteorder == "little":
        out.byteswap()
    return out


def week_rollup(
    channels: bytes, minutes: bytes, channel_people: bytes, people: bytes
) -> WeekRollup:
    """A :class:`WeekRollup` from the big-endian bytes the SQL builds."""
    return WeekRollup(
        _big_endian("i", channels),
        _big_endian("d", minutes),
        _big_endian("i", channel_people),
        _big_endian("i", people),
    )


_LABELS: dict[date, str] = {}


def _label(monday: date) -> str:
    found = _LABELS.get(monday)
    if found is None:
        found = _LABELS[monday] = IsoWeek.of(monday).label
    return found


async def store_weeks(
    conn: psycopg.AsyncConnection, team: str, tz: str, weeks: Collection[str] | None
) -> None:
    """Recompute and store the team's ``weeks`` (every week when ``None``, replacing the
    team's rollups in any zone) in one transaction."""
    params = _params(team, tz, weeks)
    async with conn.transaction():
        if weeks is None:
            await conn.execute("DELETE FROM adoption_rollups WHERE team_id = %s", (team,))
            await conn.execute("DELETE FROM adoption_rollup_index WHERE team_id = %s", (team,))
        else:
            await conn.execute(
                "DELETE FROM adoption_rollups WHERE team_id = %(team)s AND tz = %(tz)s"
                " AND week = ANY(%(weeks)s::date[])",
                params,
            )
        await conn.execute(_GROW_INDEX, params)
        await conn.execute(
            "INSERT INTO adoption_rollups"
            " (team_id, tz, week, channels, minutes, channel_people, people) "
            "SELECT %(team)s, %(tz)s, week, channels, minutes, channel_people, people FROM ("
            + _AGGREGATE.format(index=_STORED_INDEX)
            + ") x",
            params,
        )


async def read_rollups(
    conn: psycopg.AsyncConnection, teams: Iterable[str], tz: str, weeks: Collection[str] | None
) -> dict[str, TeamRollup]:
    """Stored rollups of ``teams`` in ``tz`` (only ``weeks`` when given); a team with none
    in that zone is aggregated on the fly (nothing is written)."""
    wanted = list(dict.fromkeys(teams))
    cur = await conn.execute(
        "SELECT team_id, people, channels FROM adoption_rollup_index"
        " WHERE tz = %s AND team_id = ANY(%s)",
        (tz, wanted),
    )
    index = {team: (tuple(people), tuple(chans)) for team, people, chans in await cur.fetchall()}
    mondays = None if weeks is None else [IsoWeek.parse(label).monday for label in weeks]
    stored: dict[str, dict[str, WeekRollup]] = {team: {} for team in index}
    # a server-side cursor: the bytes arrive in batches, never all at once beside the arrays
    async with conn.cursor(name="trimtab_rollups", binary=True) as cur:
        await cur.execute(
            "SELECT team_id, week, channels, minutes, channel_people, people"
            " FROM adoption_rollups WHERE tz = %s AND team_id = ANY(%s)"
            " AND (%s::date[] IS NULL OR week = ANY(%s::date[]))",
            (tz, list(index), mondays, mondays),
        )
        while rows := await cur.fetchmany(_BATCH):
            for team, monday, *arrays in rows:
                stored[team][_label(monday)] = week_rollup(*arrays)
    out = {team: TeamRollup(*index[team], stored[team]) for team in index}
    for team in wanted:
        if team not in out:
            out[team] = await aggregate(conn, team, tz, weeks)
    return out


async def aggregate(
    conn: psycopg.AsyncConnection, team: str, tz: str, weeks: Collection[str] | None
) -> TeamRollup:
    """The team's rollup computed now, people and channels numbered in sorted order."""
    params = _params(team, tz, weeks)
    cur = await conn.execute(_AGGREGATE.format(index=_SORTED_INDEX), params, binary=True)
    rows = await cur.fetchall()
    if not rows:
        return TeamRollup((), (), {})
    return TeamRollup(
        tuple(rows[0][0]), tuple(rows[0][1]), {_label(r[2]): week_rollup(*r[3:]) for r in rows}
    )
