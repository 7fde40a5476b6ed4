"""A fake-clock driver for circles: behaves like the bot's due loop, records what it sent."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from wol_circles import CircleService, Delivery, Member, Occurrence, Origin, OriginKind

TENANT = "tenant-1"
ORIGIN = Origin(OriginKind.GROUP_CHAT, "19:group-chat@thread.v2")


def member(user_id: str, now: datetime) -> Member:
    return Member(user_id, user_id.upper(), now)


@dataclass
class Driver:
    """Wakes up at ``next_due_time`` like one APScheduler job, and never sleeps."""

    service: CircleService
    now: datetime
    sent: list[tuple[datetime, Delivery]] = field(default_factory=list)
    skipped: list[Occurrence] = field(default_factory=list)
    completed: list[str] = field(default_factory=list)

    async def run_due(self) -> None:
        for plan in await self.service.due(self.now):
            self.sent.extend((self.now, d) for d in plan.deliveries)
            self.skipped.extend(plan.skipped)
            circle = await self.service.acknowledge(plan, self.now)
            if plan.completes:
                self.completed.append(circle.id)

    async def advance_to(self, target: datetime) -> None:
        """Process every wake-up up to ``target`` inclusive, then set the clock there."""
        for _ in range(1000):  # a wake-up that settles nothing must fail, not hang
            when = await self.service.next_due_time(self.now)
            if when is None or when > target:
                break
            self.now = when
            await self.run_due()
        else:
            raise AssertionError("the due loop does not settle what it ran")
        self.now = target

    async def advance(self, delta: timedelta) -> None:
        await self.advance_to(self.now + delta)

    def keys(self) -> list[str]:
        return [d.key for _, d in self.sent]
