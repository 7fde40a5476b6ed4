"""Errors of the audience package: each carries the facts the bot needs to word an answer."""

from __future__ import annotations

from dataclasses import dataclass


class AudienceError(Exception):
    """Base of every audience error; ``str()`` is a plain default for logs."""


@dataclass(eq=False)
class UnknownZone(AudienceError):
    """``value`` is not an IANA time zone; ``suggestions`` are the closest names."""

    value: str
    suggestions: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.value!r} is not a time zone"


@dataclass(eq=False)
class MissingMuteTarget(AudienceError):
    """``mute`` / ``unmute`` without saying what."""

    def __str__(self) -> str:
        return "nothing to mute named"


@dataclass(eq=False)
class UnknownMuteTarget(AudienceError):
    """``value`` is none of tips, digest, circle <name>, all."""

    value: str

    def __str__(self) -> str:
        return f"cannot mute {self.value!r}"


@dataclass(eq=False)
class InvalidDuration(AudienceError):
    """``for …`` is not a number of weeks from 1 to :data:`audience.mutes.MAX_WEEKS`."""

    value: str
    maximum: int

    def __str__(self) -> str:
        return f"{self.value!r} is not a number of weeks from 1 to {self.maximum}"


@dataclass(eq=False)
class NotReceiving(AudienceError):
    """The person does not receive ``target`` (``'tips'``, ``'digest'``, ``'circle Alpha'``);
    ``receiving`` names what they do receive."""

    target: str
    receiving: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"you do not receive {self.target}"


@dataclass(eq=False)
class NotMuted(AudienceError):
    """``unmute`` of something that is not muted."""

    target: str

    def __str__(self) -> str:
        return f"{self.target} is not muted"
