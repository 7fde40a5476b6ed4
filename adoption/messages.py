"""From raw Graph ``chatMessage`` JSON to facts: which messages are human, and the
:class:`~adoption.facts.ThreadFact` of a delta root. Only ids, timestamps and counts
are read; bodies never are.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from operator import attrgetter
from typing import Any

from adoption.facts import MessageFact, ThreadFact
from adoption.pseudonym import Pseudonymiser

_REPLY_ORDER = attrgetter("created", "id")  # oldest first; the id breaks ties


def is_human(message: Mapping[str, Any], excluded: frozenset[str] = frozenset()) -> bool:
    """A user's message: type ``message``, not deleted, sent by a ``from.user`` who is
    not in ``excluded`` (casefolded ids or UPNs)."""
    if message.get("messageType") != "message" or message.get("deletedDateTime"):
        return False
    sender = message.get("from") or {}
    user = sender.get("user") or {}
    user_id = user.get("id")
    if not user_id:
        return False
    upn = str(user.get("userPrincipalName") or "").casefold()
    return not excluded or (str(user_id).casefold() not in excluded and upn not in excluded)


def parse_time(value: str) -> datetime:
    """Graph's ISO-8601 UTC timestamps (``...Z``, 0-7 fraction digits) as aware datetimes
    (Python 3.11's parser reads them as they are, a seventh digit truncated; a time
    without an offset is taken as UTC)."""
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def message_fact(message: Mapping[str, Any], pseudonymiser: Pseudonymiser) -> MessageFact:
    return MessageFact(
        id=str(message["id"]),
        author=pseudonymiser.apply(message["from"]["user"]["id"]),
        created=parse_time(message["createdDateTime"]),
        mentions=len(message.get("mentions") or ()),
        reactions=len(message.get("reactions") or ()),
    )


def thread_fact(
    team_id: str,
    channel_id: str,
    root: Mapping[str, Any],
    pseudonymiser: Pseudonymiser,
    excluded: frozenset[str] = frozenset(),
) -> ThreadFact | None:
    """The thread of a delta root with its human replies; ``None`` when neither the root
    nor any reply is human. A root that is not human keeps no author and is not a post."""
    replies = tuple(
        sorted(
            (
                message_fact(r, pseudonymiser)
                for r in root.get("replies") or ()
                if is_human(r, excluded)
            ),
            key=_REPLY_ORDER,
        )
    )
    if is_human(root, excluded):
        return ThreadFact(team_id, channel_id, message_fact(root, pseudonymiser), replies)
    if not replies:
        return None
    created = root.get("createdDateTime")
    stub = MessageFact(
        id=str(root["id"]),
        author="",
        created=parse_time(created) if created else replies[0].created,
    )
    return ThreadFact(team_id, channel_id, stub, replies, root_is_post=False)
