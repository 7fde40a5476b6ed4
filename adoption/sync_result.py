"""What one sync did: :class:`SyncResult` (``adoption.collector`` re-exports it)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class SyncResult:
    """What one sync did. ``failed_teams`` and ``skipped_teams`` map team id to a reason."""

    teams: int = 0
    channels: int = 0
    threads: int = 0
    messages: int = 0
    requests: int = 0
    failed_teams: dict[str, str] = field(default_factory=dict)
    skipped_teams: dict[str, str] = field(default_factory=dict)
    usage_periods: list[str] = field(default_factory=list)
    usage_error: str | None = None
    # TRIMTAB_GROUP_BY=department: people whose department was stored, or why not
    departments: int | None = None
    departments_error: str | None = None

    @property
    def ok(self) -> bool:
        """True when every listed team was collected or deliberately skipped (404)."""
        return not self.failed_teams
