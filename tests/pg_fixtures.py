"""PostgreSQL fixtures: one server per session, one fresh database per test.

A missing server fails the PG tests with one line saying how to point them at
one; they are never skipped.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests import pgserver


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    """Admin URL of the test server (found or started; stopped again if we started it)."""
    try:
        url, started = pgserver.discover()
    except (pgserver.NoServerError, OSError) as error:
        pytest.fail(str(error), pytrace=False)
    yield url
    if started:
        pgserver.stop_cluster()


@pytest.fixture
def pg_url(pg_admin_url: str) -> Iterator[str]:
    """URL of an empty database of this test's own, dropped afterwards."""
    url = pgserver.create_database(pg_admin_url)
    yield url
    pgserver.drop_database(pg_admin_url, url)
