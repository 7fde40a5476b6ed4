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


def human_author(message: Mapping[str, Any], excluded: frozenset[str] = frozenset()) -> Any:
    """The ``from.user.id`` of a user's message (type ``message``, not deleted, sent by a
    ``from.user`` who is not in ``excluded``, casefolded ids or UPNs), else ``None``."""
    if message.get("messageType") != "message" or message.get("deletedDateTime"):
        return None
    sender = message.get("from") or {}
    user = sender.get("user") or {}
    user_id = user.get("id")
    if not user_id or not excluded:
        return user_id or None
    upn = str(user.get("userPrincipalName") or "").casefold()
    return None if str(user_id).casefold() in excluded or upn in excluded else user_id


def is_human(message: Mapping[str, Any], excluded: frozenset[str] = frozenset()) -> bool:
    """A user's message (see :func:`human_author`)."""
    return human_author(message, excluded) is not None


def parse_time(value: str) -> datetime:
    """Graph's ISO-8601 UTC timestamps (``...Z``, 0-7 fraction digits) as aware datetimes
    (Python 3.11's parser reads them as they are, a seventh digit truncated; a time
    without an offset is taken as UTC)."""
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def message_fact(
    message: Mapping[str, Any], pseudonymiser: Pseudonymiser, author: Any = None
) -> MessageFact:
    """The fact of a human message; ``author``: its ``from.user.id`` when already read."""
    return MessageFact(
        id=str(message["id"]),
        author=pseudonymiser.apply(author or message["from"]["user"]["id"]),
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
    facts = []
    for reply in root.get("replies") or ():
        author = human_author(reply, excluded)
        if author is not None:
            facts.append(message_fact(reply, pseudonymiser, author))
    facts.sort(key=_REPLY_ORDER)
    replies = tuple(facts)
    author = human_author(root, excluded)
    if author is not None:
        return ThreadFact(team_id, channel_id, message_fact(root, pseudonymiser, author), replies)
    if not replies:
        return None
    created = root.get("createdDateTime")
    stub = MessageFact(
        id=str(root["id"]),
        author="",
        created=parse_time(created) if created else replies[0].created,
    )
    return ThreadFact(team_id, channel_id, stub, replies, root_is_post=False)
