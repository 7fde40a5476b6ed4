"""Stored form of a :class:`~adoption.rollups.TeamRollup` (version 2).

One document per team in its own collection (``adoption.rollup.<team slug>``)::

    {"v": 2, "tz": "Europe/Berlin", "people": [user id, ...], "channels": [channel id, ...],
     "weeks": {"2026-W45": {"c": ARRAY, "m": ARRAY, "cp": ARRAY, "p": ARRAY}, ...}}

    ARRAY = "<array typecode>:<base64 of the little-endian bytes>"

``c``, ``m``, ``cp`` and ``p`` are :class:`~adoption.rollups.WeekRollup`'s ``channels``,
``minutes``, ``channel_people`` and ``people``. Arrays as base64 strings keep a 2,000-team
tenant's rollups a few MB that parse in milliseconds (a JSON list would make one Python
object per number). Indexes into ``people`` and ``channels`` only ever grow, so a sync
re-encodes the weeks it recomputes and keeps closed weeks' strings as they are.

Version 1 (the single collection ``adoption.rollups``, one ``{"tz", "weeks": {label:
{channel: TALLY}}}`` per team) is still understood: :func:`legacy_rollup` converts it.
"""

from __future__ import annotations

import base64
import binascii
import sys
from array import array
from collections.abc import Collection, Mapping
from typing import Any

from adoption.rollups import TeamRollup, WeekRollup, build_weeks

VERSION = 2
_TYPECODES = frozenset("BHIQd")


class RollupDocError(ValueError):
    """A stored rollup that cannot be read (the report then measures the threads)."""


def pack(values: array[Any]) -> str:
    """An array as ``"<typecode>:<base64>"`` (little-endian whatever the machine)."""
    if sys.byteorder == "big":  # pragma: no cover - no big-endian CI
        values = array(values.typecode, values)
        values.byteswap()
    return f"{values.typecode}:{base64.b64encode(values.tobytes()).decode('ascii')}"


def unpack(text: object) -> array[Any]:
    """The array :func:`pack` wrote; anything else raises :class:`RollupDocError`."""
    if not isinstance(text, str) or text[1:2] != ":" or text[:1] not in _TYPECODES:
        raise RollupDocError(f"not a packed array: {str(text)[:40]!r}")
    values = array(text[0])
    try:
        values.frombytes(binascii.a2b_base64(text[2:], strict_mode=True))
    except (binascii.Error, ValueError) as exc:
        raise RollupDocError(f"bad packed array: {exc}") from None
    if sys.byteorder == "big":  # pragma: no cover
        values.byteswap()
    return values


def encode_weeks(weeks: Mapping[str, WeekRollup]) -> dict[str, dict[str, str]]:
    """The ``weeks`` part of a stored document."""
    return {
        label: {
            "c": pack(w.channels),
            "m": pack(w.minutes),
            "cp": pack(w.channel_people),
            "p": pack(w.people),
        }
        for label, w in weeks.items()
    }


def new_doc(tz: str, tallies: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> dict[str, Any]:
    """A version-2 document from ``{week label: {channel id: TALLY}}`` with fresh indexes."""
    people: list[str] = []
    channels: list[str] = []
    weeks = encode_weeks(build_weeks(tallies, people, channels))
    return {"v": VERSION, "tz": tz, "people": people, "channels": channels, "weeks": weeks}


def replace_weeks(
    doc: Mapping[str, Any],
    labels: Collection[str],
    tallies: Mapping[str, Mapping[str, Mapping[str, Any]]],
) -> dict[str, Any]:
    """``doc`` with the weeks in ``labels`` replaced by ``tallies`` (a week of ``labels``
    missing from ``tallies`` had no activity and is dropped); other weeks are kept as stored."""
    people = list(doc["people"])
    channels = list(doc["channels"])
    weeks = {k: v for k, v in doc["weeks"].items() if k not in labels}
    weeks.update(encode_weeks(build_weeks(tallies, people, channels)))
    return {**doc, "people": people, "channels": channels, "weeks": weeks}


def is_current(doc: Mapping[str, Any] | None, tz: str) -> bool:
    """True for a version-2 document kept in zone ``tz``."""
    return doc is not None and doc.get("v") == VERSION and doc.get("tz") == tz


def decode(doc: Mapping[str, Any], weeks: Collection[str] | None = None) -> TeamRollup:
    """A stored version-2 document as a :class:`TeamRollup` (only ``weeks`` when given).

    Raises :class:`RollupDocError` for a document that is not well formed."""
    try:
        people = tuple(str(p) for p in doc["people"])
        channels = tuple(str(c) for c in doc["channels"])
        stored: Mapping[str, Mapping[str, str]] = doc["weeks"]
        out = {
            label: WeekRollup(unpack(w["c"]), unpack(w["m"]), unpack(w["cp"]), unpack(w["p"]))
            for label, w in stored.items()
            if weeks is None or label in weeks
        }
    except (KeyError, TypeError, AttributeError) as exc:
        raise RollupDocError(f"rollup document is not well formed: {exc!r}") from None
    for w in out.values():
        _check(w, len(people), len(channels))
    return TeamRollup(people, channels, out)


def _check(w: WeekRollup, people: int, channels: int) -> None:
    """Strides and indexes agree, so the report never reads past an array."""
    rows = w.channels
    ints = (rows.typecode, w.channel_people.typecode, w.people.typecode)
    ok = "d" not in ints and w.minutes.typecode == "d"
    ok = ok and len(rows) % 7 == 0 and len(w.people) % 5 == 0
    ok = ok and sum(rows[2::7]) == len(w.minutes) and 2 * sum(rows[6::7]) == len(w.channel_people)
    ok = ok and max(rows[0::7], default=-1) < channels
    ok = ok and max(w.people[0::5], default=-1) < people
    ok = ok and max(w.channel_people[0::2], default=-1) < people
    if not ok:
        raise RollupDocError("rollup arrays do not match their indexes")


def legacy_rollup(doc: Mapping[str, Any]) -> TeamRollup:
    """A version-1 document (``{"tz", "weeks": {label: {channel: TALLY}}}``) converted."""
    try:
        return TeamRollup.from_tallies(doc["weeks"])
    except (KeyError, TypeError, AttributeError, IndexError, ValueError) as exc:
        raise RollupDocError(f"old rollup document is not well formed: {exc!r}") from None
