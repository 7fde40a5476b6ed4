"""The app's own proactive sender and rate limiter run on the time source given to create_app;
the msrest retry-policy speed-up changes nothing but speed."""

from __future__ import annotations

from msrest.universal_http.requests import ClientRetryPolicy

from bot import _delivery_connector
from bot._delivery_connector import MSREST_VERSION, speed_up_msrest_retry_policy
from bot.proactive import DeliveryStatus
from tests.bot.proactive_support import known_user
from tests.conftest import Trimtab
from tests.fakes.activities import MEGAN


async def test_the_apps_sender_waits_on_the_injected_fake_time(trimtab: Trimtab) -> None:
    recipient = await known_user(trimtab)
    sender = trimtab.services.proactive
    started = trimtab.clock()

    results = [await sender.send(recipient, f"message {i}") for i in range(10)]

    assert [r.status for r in results] == [DeliveryStatus.DELIVERED] * 10
    assert len(trimtab.connector.to(MEGAN.personal_conversation)) == 10
    # 7 per second per conversation: the 8th send waited, on the fake monotonic clock
    assert trimtab.clock.slept >= 1.0
    assert trimtab.clock() == started, "waiting moves the monotonic reading, not the date"


async def test_the_apps_sender_backs_off_on_the_injected_sleep(trimtab: Trimtab) -> None:
    recipient = await known_user(trimtab)
    trimtab.connector.fail(429, retry_after=30)

    delivery = await trimtab.services.proactive.send(recipient, "hello", key="k1")

    assert delivery.status is DeliveryStatus.DELIVERED and delivery.attempts == 2
    assert trimtab.clock.slept >= 30, "Retry-After was honoured without real sleeping"


def _policy(safe_codes: object) -> dict[str, object]:
    saved = ClientRetryPolicy.safe_codes
    ClientRetryPolicy.safe_codes = safe_codes  # type: ignore[assignment]
    try:
        return dict(vars(ClientRetryPolicy().policy))
    finally:
        ClientRetryPolicy.safe_codes = saved


def test_the_patched_retry_policy_equals_the_original() -> None:
    assert speed_up_msrest_retry_policy() is True
    assert isinstance(ClientRetryPolicy.safe_codes, frozenset)
    as_msrest_ships_it = sorted(ClientRetryPolicy.safe_codes)  # msrest's own list
    assert 408 not in as_msrest_ships_it and 501 in as_msrest_ships_it
    assert _policy(ClientRetryPolicy.safe_codes) == _policy(as_msrest_ships_it)


def test_another_msrest_release_is_left_alone(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(ClientRetryPolicy, "safe_codes", sorted(ClientRetryPolicy.safe_codes))
    monkeypatch.setattr(_delivery_connector, "_installed_msrest", lambda: "0.6.21")

    assert speed_up_msrest_retry_policy() is False
    assert isinstance(ClientRetryPolicy.safe_codes, list)
    assert MSREST_VERSION == "0.7.1"
