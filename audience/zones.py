"""A person's time zone: typed with ``my timezone``, or read from their Teams client."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any
from zoneinfo import available_timezones

from audience.errors import UnknownZone


@cache
def _zones_by_folded_name() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def resolve_zone(value: str) -> str:
    """The canonical IANA name for ``value`` in any case; :class:`UnknownZone` with the closest
    names otherwise (``europe/berln`` → ``Europe/Berlin``)."""
    folded = value.strip().casefold()
    zones = _zones_by_folded_name()
    if folded in zones:
        return zones[folded]
    close = difflib.get_close_matches(folded, zones, n=3, cutoff=0.6)
    raise UnknownZone(value.strip(), tuple(zones[c] for c in close))


def zone_from_entities(entities: Iterable[Mapping[str, Any]] | None) -> str | None:
    """The IANA zone a Teams client reports in its ``clientInfo`` entity, when it is valid.

    Teams web and desktop send ``{"type": "clientInfo", "timezone": "America/Los_Angeles", …}``
    on a person's activities; other clients send no zone.
    """
    for entity in entities or ():
        if entity.get("type") == "clientInfo" and isinstance(entity.get("timezone"), str):
            try:
                return resolve_zone(entity["timezone"])
            except UnknownZone:
                return None
    return None
