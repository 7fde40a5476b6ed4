"""A tolerant reader of the tenant's chat vs channel balance for reports.

The collector stores the Teams user activity report totals in ``adoption.tenant``, one
document per report period (``D7``, ``D30``) with counts such as ``team_chat`` (channel
messages) and ``private_chat`` (1:1 and group chats). A report must never fail on this
optional data: missing collection, missing keys or junk values give ``None`` or zeros.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

PREFERRED_PERIODS = ("D30", "D7", "D90", "D180")

# Accepted spellings per count, first found wins (stored keys, then report column names).
_KEYS: Mapping[str, tuple[str, ...]] = {
    "channel_messages": ("team_chat", "channel_messages", "Team Chat Message Count"),
    "chat_messages": ("private_chat", "chat_messages", "Private Chat Message Count"),
    "posts": ("posts", "Post Messages"),
    "replies": ("replies", "Reply Messages"),
    "users": ("users",),
}


@dataclass(frozen=True, slots=True)
class TenantUsage:
    """Chat vs channel message counts for one usage-report period."""

    period: str
    refreshed: str
    users: int
    channel_messages: int
    chat_messages: int
    posts: int
    replies: int

    @property
    def channel_share(self) -> float | None:
        """Channel messages over all channel and chat messages; ``None`` without any."""
        total = self.channel_messages + self.chat_messages
        return self.channel_messages / total if total else None

    def to_json(self) -> dict[str, Any]:
        share = self.channel_share
        return {
            "period": self.period,
            "refreshed": self.refreshed,
            "users": self.users,
            "channel_messages": self.channel_messages,
            "chat_messages": self.chat_messages,
            "posts": self.posts,
            "replies": self.replies,
            "channel_share": None if share is None else round(share, 3),
        }


def _count(doc: Mapping[str, Any], names: tuple[str, ...]) -> int:
    for name in names:
        value = doc.get(name)
        if isinstance(value, bool):
            continue
        if isinstance(value, int | float) and value >= 0:
            return int(value)
        if isinstance(value, str) and value.strip().isdigit():
            return int(value.strip())
    return 0


def usage_from_doc(key: str, doc: Mapping[str, Any]) -> TenantUsage | None:
    """One stored document as :class:`TenantUsage`; ``None`` when it holds no message counts."""
    balance = (*_KEYS["channel_messages"], *_KEYS["chat_messages"])
    if not any(name in doc for name in balance):
        return None
    counts = {field: _count(doc, names) for field, names in _KEYS.items()}
    period = doc.get("period")
    refreshed = doc.get("refreshed")
    return TenantUsage(
        period=period if isinstance(period, str) and period else key,
        refreshed=refreshed if isinstance(refreshed, str) else "",
        **counts,
    )


def best_usage(docs: Mapping[str, Any]) -> TenantUsage | None:
    """The best period of usage documents by key (D30, then D7, then any other), or ``None``."""
    found = {
        key: usage
        for key, doc in docs.items()
        if isinstance(doc, Mapping) and (usage := usage_from_doc(key, doc)) is not None
    }
    for key in (*PREFERRED_PERIODS, *sorted(found)):
        if key in found:
            return found[key]
    return None
