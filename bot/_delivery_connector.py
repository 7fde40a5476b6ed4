"""One Bot Connector call through botbuilder's ``CloudAdapter``, with its HTTP outcome.

``CloudAdapter.continue_conversation`` runs a proactive turn for a stored
``ConversationReference``; ``CloudAdapter.create_conversation`` POSTs
``/v3/conversations`` with ``ConversationParameters`` (tenant id both as
``tenant_id`` and in ``channel_data.tenant.id``, as Teams expects) and hands
the new conversation to a callback. A failed connector call raises
``botbuilder.schema.ErrorResponseException`` (an ``msrest``
``HttpOperationError``); its ``response`` is the ``requests.Response`` with
``status_code`` and the ``Retry-After`` header.

Two botbuilder details this module works around:

* an exception inside a proactive callback goes to ``adapter.on_turn_error``
  (which would message the user), so callbacks catch and hand it back;
* msrest's urllib3 retry policy would retry some 5xx itself with real sleeps;
  it is switched off per client so that :mod:`bot.proactive` owns every retry.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import (
    Activity,
    ChannelAccount,
    ConversationParameters,
    ConversationReference,
)
from msrest.exceptions import HttpOperationError
from msrest.universal_http.requests import ClientRetryPolicy
from urllib3 import Retry

log = logging.getLogger(__name__)

CHANNEL_ID = "msteams"

#: the msrest release whose ``ClientRetryPolicy`` the speed-up below was written against
MSREST_VERSION = "0.7.1"


def speed_up_msrest_retry_policy() -> bool:
    """Make msrest's ``ClientRetryPolicy()`` cheap; ``True`` when the patch is in place.

    CloudAdapter builds two msrest clients per proactive turn, and each msrest
    ``ClientRetryPolicy()`` scans ``range(999)`` against the *list* ``safe_codes``
    (~500k comparisons, ~15 ms of CPU): that alone capped fan-out near 30 msgs/s. The
    same codes as a frozenset give the same retry policy in microseconds. The patch is
    process-wide, so the app factory applies it, and only to the msrest release it was
    checked against (another release keeps msrest as it is, with a warning).
    """
    if isinstance(ClientRetryPolicy.safe_codes, frozenset):
        return True
    installed = _installed_msrest()
    if installed != MSREST_VERSION:
        log.warning(
            "msrest %s is installed; the retry-policy speed-up was written for %s and is "
            "not applied (proactive fan-out will be slower)",
            installed,
            MSREST_VERSION,
        )
        return False
    ClientRetryPolicy.safe_codes = frozenset(ClientRetryPolicy.safe_codes)  # type: ignore[assignment]
    return True


def _installed_msrest() -> str:
    try:
        return version("msrest")
    except PackageNotFoundError:
        return "unknown"


class ConnectorFailure(Exception):
    """A connector call that did not succeed: ``status`` 0 means no HTTP answer at all."""

    def __init__(self, status: int, retry_after: float | None, message: str) -> None:
        super().__init__(status, retry_after, message)
        self.status = status
        self.retry_after = retry_after
        self.message = message

    def __str__(self) -> str:
        return f"HTTP {self.status}: {self.message}" if self.status else self.message


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:  # an HTTP date: rare from the connector; fall back to backoff
        return None


def as_failure(error: BaseException) -> ConnectorFailure:
    """Translate whatever a connector call raised into a :class:`ConnectorFailure`."""
    if isinstance(error, ConnectorFailure):
        return error
    if isinstance(error, HttpOperationError) and error.response is not None:
        response: Any = error.response
        status = int(getattr(response, "status_code", 0) or 0)
        headers = getattr(response, "headers", {}) or {}
        return ConnectorFailure(status, _retry_after(headers.get("Retry-After")), str(error))
    return ConnectorFailure(0, None, f"{type(error).__name__}: {error}")


def _no_msrest_retries(turn_context: TurnContext, adapter: CloudAdapter) -> None:
    client = turn_context.turn_state.get(adapter.BOT_CONNECTOR_CLIENT_KEY)
    if client is not None:
        client.config.retry_policy.policy = Retry(
            total=0, raise_on_status=False, respect_retry_after_header=False
        )


async def _in_turn(
    adapter: CloudAdapter,
    reference: ConversationReference,
    app_id: str | None,
    work: Callable[[TurnContext], Awaitable[str | None]],
) -> str | None:
    result: list[str | None] = []
    failure: list[BaseException] = []

    async def callback(turn_context: TurnContext) -> None:
        try:
            _no_msrest_retries(turn_context, adapter)
            result.append(await work(turn_context))
        except Exception as error:  # handed back to the caller, not to on_turn_error
            failure.append(error)

    try:
        await adapter.continue_conversation(reference, callback, app_id)
    except Exception as error:
        raise as_failure(error) from error
    if failure:
        raise as_failure(failure[0]) from failure[0]
    return result[0] if result else None


async def post(
    adapter: CloudAdapter, reference: ConversationReference, activity: Activity, app_id: str | None
) -> str | None:
    """Send ``activity`` into the referenced conversation; returns the new activity id."""

    async def work(turn_context: TurnContext) -> str | None:
        response = await turn_context.send_activity(activity)
        return response.id if response else None

    return await _in_turn(adapter, reference, app_id, work)


async def put(
    adapter: CloudAdapter,
    reference: ConversationReference,
    activity_id: str,
    activity: Activity,
    app_id: str | None,
) -> str | None:
    """Replace activity ``activity_id`` in the referenced conversation."""

    async def work(turn_context: TurnContext) -> str | None:
        activity.id = activity_id
        response = await turn_context.update_activity(activity)
        return (response.id if response else None) or activity_id

    return await _in_turn(adapter, reference, app_id, work)


async def create_personal(
    adapter: CloudAdapter,
    *,
    app_id: str | None,
    service_url: str,
    tenant_id: str,
    member: ChannelAccount,
) -> ConversationReference:
    """Create (or get: Teams answers with the existing one) the bot's 1:1 chat with ``member``."""
    parameters = ConversationParameters(
        is_group=False,
        bot=ChannelAccount(id=f"28:{app_id}") if app_id else None,
        members=[member],
        tenant_id=tenant_id,
        channel_data={"tenant": {"id": tenant_id}},
    )
    created: list[ConversationReference] = []

    async def callback(turn_context: TurnContext) -> None:
        created.append(TurnContext.get_conversation_reference(turn_context.activity))

    try:
        await adapter.create_conversation(
            app_id or "", callback, parameters, CHANNEL_ID, service_url
        )
    except Exception as error:
        raise as_failure(error) from error
    reference = created[0]
    reference.user = member
    reference.activity_id = None
    reference.conversation.conversation_type = "personal"
    return reference
