"""Graph's message timestamps as aware datetimes (every fact's ``created``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from adoption.messages import parse_time


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-19T12:00:00Z", datetime(2026, 11, 19, 12, tzinfo=UTC)),
        ("2026-11-19T12:00:00.1Z", datetime(2026, 11, 19, 12, 0, 0, 100000, tzinfo=UTC)),
        ("2026-11-19T12:00:00.123Z", datetime(2026, 11, 19, 12, 0, 0, 123000, tzinfo=UTC)),
        # Graph writes seven fraction digits at times: the seventh is dropped
        ("2026-11-19T12:00:00.1234567Z", datetime(2026, 11, 19, 12, 0, 0, 123456, tzinfo=UTC)),
        ("2026-11-19T12:00:00.5", datetime(2026, 11, 19, 12, 0, 0, 500000, tzinfo=UTC)),
    ],
)
def test_graph_timestamps_are_aware_utc(value: str, expected: datetime) -> None:
    parsed = parse_time(value)
    assert parsed == expected and parsed.utcoffset() == timedelta(0)


def test_an_offset_is_kept() -> None:
    parsed = parse_time("2026-11-19T13:00:00+01:00")
    assert parsed == datetime(2026, 11, 19, 12, tzinfo=UTC)
    assert parsed.tzinfo == timezone(timedelta(hours=1))


def test_a_malformed_timestamp_raises() -> None:
    with pytest.raises(ValueError):
        parse_time("19/11/2026 12:00")
