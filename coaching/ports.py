"""What the coaching package needs from the outside world, as protocols it owns.

Coaching keeps its own collection and reads a team's figures through
:class:`adoption.repository.AdoptionRepository`, so the subset of the document store it
uses is exactly the tracker's.
"""

from __future__ import annotations

from adoption.ports import Change, Documents, Updates

__all__ = ["Change", "Documents", "Updates"]
