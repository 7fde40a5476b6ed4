"""Helpers of the issue #13 tests: many tip users at once, budget checks over sends."""

from __future__ import annotations

from collections import defaultdict, deque
from datetime import datetime

from botbuilder.schema import ChannelAccount, ConversationAccount, ConversationReference

from bot._ratelimit import PACED_TENANT_WINDOWS, RateLimiter
from coaching import Progress, ProgressRepository
from tests.conftest import Trimtab
from tests.fakes.activities import BOT_ID, TENANT_ID


def tip_user(i: int) -> str:
    return f"00000000-0000-4000-8000-{i:012d}"


async def seed_tip_users(trimtab: Trimtab, count: int, now: datetime) -> list[str]:
    """``count`` users with weekly tips on and a stored 1:1 reference, as earlier turns leave."""
    progress = ProgressRepository(trimtab.store)
    users = [tip_user(i) for i in range(count)]
    refs = {}
    for aad in users:
        await progress.save(Progress(aad_id=aad), now)
        refs[f"user:{aad}"] = ConversationReference(
            channel_id="msteams",
            service_url=trimtab.connector.url,
            bot=ChannelAccount(id=BOT_ID, name="Trimtab"),
            user=ChannelAccount(id=f"29:{aad}", aad_object_id=aad),
            conversation=ConversationAccount(
                id=f"a:personal-{aad}", conversation_type="personal", tenant_id=TENANT_ID
            ),
        ).serialize()
    await trimtab.store.put_many("bot.references", refs)
    return users


class RecordingLimiter(RateLimiter):
    """The app's own limiter settings, recording every booked request (monotonic time)."""

    def __init__(self, trimtab: Trimtab) -> None:
        clock = trimtab.clock
        super().__init__(
            tenant=PACED_TENANT_WINDOWS, clock=clock.monotonic, sleep=clock.sleep, margin=0.05
        )
        self.clock = clock
        self.booked: list[tuple[str, str, float]] = []

    def try_acquire(self, conversation_id: str, tenant_id: str) -> float:
        wait = super().try_acquire(conversation_id, tenant_id)
        if wait == 0:
            self.booked.append((conversation_id, tenant_id, self.clock.monotonic()))
        return wait


def most_in_any_window(times: list[float], seconds: float) -> int:
    """The largest number of ``times`` inside any half-open window ``seconds`` long."""
    window: deque[float] = deque()
    most = 0
    for t in sorted(times):
        window.append(t)
        while window[0] <= t - seconds:
            window.popleft()
        most = max(most, len(window))
    return most


def per_key(booked: list[tuple[str, str, float]], *, tenant: bool) -> dict[str, list[float]]:
    """Booking times by conversation, or by tenant."""
    times: dict[str, list[float]] = defaultdict(list)
    for conversation, tenant_id, at in booked:
        times[tenant_id if tenant else conversation].append(at)
    return times
