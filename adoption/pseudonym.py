"""Keyed pseudonyms for user ids.

With ``TRIMTAB_PSEUDONYMISE=1`` every user id the tracker stores (message
authors, team members, usage-report rows) goes through :meth:`Pseudonymiser.apply`
first. The bot maps a champion's AAD id through the same object, so champion
shares are computed in the same id space without keeping the raw id.
"""

from __future__ import annotations

import hashlib
import hmac

PREFIX = "p_"


class Pseudonymiser:
    """HMAC-SHA256 of the lower-cased user id, or the identity when disabled."""

    def __init__(self, key: bytes | None, *, enabled: bool = True) -> None:
        if enabled and not key:
            raise ValueError("a pseudonymiser needs a key when enabled")
        self._key = key or b""
        self.enabled = enabled
        self._cache: dict[str, str] = {}

    @classmethod
    def disabled(cls) -> Pseudonymiser:
        """The identity mapping (raw ids are stored)."""
        return cls(None, enabled=False)

    def apply(self, user_id: str) -> str:
        """The stored form of ``user_id``: a stable ``p_``-prefixed hash, or the id itself."""
        if not self.enabled:
            return user_id
        cached = self._cache.get(user_id)
        if cached is None:
            # AAD object ids are GUIDs; case must not split one person into two.
            digest = hmac.new(self._key, user_id.lower().encode(), hashlib.sha256).hexdigest()
            cached = self._cache[user_id] = PREFIX + digest[:32]
        return cached

    __call__ = apply
