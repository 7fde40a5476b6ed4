"""Helpers of the proactive delivery tests: a fake sleeper, a sender on it, a known user."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.proactive import ProactiveSender
from tests.conftest import Trimtab
from tests.fakes.activities import MEGAN

CARD = {
    "type": "AdaptiveCard",
    "version": "1.5",
    "body": [{"type": "TextBlock", "text": "Week 3: who helped you this week?"}],
}


@dataclass
class FakeSleeper:
    """Records waits and moves a fake monotonic clock; never sleeps."""

    now: float = 1000.0
    waits: list[float] = field(default_factory=list)

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


def sender_for(trimtab: Trimtab, sleeper: FakeSleeper, **options: object) -> ProactiveSender:
    services = trimtab.services
    return ProactiveSender(
        services.adapter,
        services.store,
        services.directory,
        clock=services.clock,
        app_id=services.settings.app_id,
        monotonic=sleeper.monotonic,
        sleep=sleeper.sleep,
        rng=lambda: 0.5,
        **options,  # type: ignore[arg-type]
    )


def tenant_of(parameters: dict[str, object]) -> object:
    """The tenant of a create-conversation body.

    botbuilder-python serialises ``tenant_id`` as ``tenantID`` (the service reads JSON
    case-insensitively), so accept any spelling of the key.
    """
    return {k.lower(): v for k, v in parameters.items()}.get("tenantid")


async def known_user(trimtab: Trimtab, person=MEGAN) -> str:  # type: ignore[no-untyped-def]
    """``person`` talked to the bot in their 1:1 chat, so a reference is stored."""
    await trimtab.say(person, "help")
    trimtab.connector.clear()
    return f"user:{person.aad_id}"
