"""The sender's way to reach someone without a conversation: install the app through Graph.

:func:`install_reference` asks the installer (:class:`bot.app_installer.AppInstaller`) for
the chat of the app's installation with ``user:<aad>`` and turns it into a conversation
reference (the chat id is the conversation id; the service URL is the tenant's, learnt from
any activity of the tenant). The new reference is stored, so later sends go straight there.
"""

from __future__ import annotations

from typing import Any, Protocol

from botbuilder.schema import ChannelAccount, ConversationAccount, ConversationReference

from bot.directory import Directory

NOT_INSTALLED = "not installed"


class Installer(Protocol):
    async def chat_for(self, user_id: str) -> Any: ...


async def _tenant_service(directory: Directory, aad: str) -> tuple[str, str] | None:
    user = await directory.user(aad) or {}
    if user.get("service_url") and user.get("tenant_id"):
        return str(user["service_url"]), str(user["tenant_id"])
    known = [*(await directory.users()).values(), *(await directory.teams(installed_only=False))]
    for doc in known:
        if doc.get("service_url") and doc.get("tenant_id"):
            return str(doc["service_url"]), str(doc["tenant_id"])
    return None


async def install_reference(
    installer: Installer, directory: Directory, recipient: str, app_id: str | None
) -> ConversationReference | str:
    """The reference of the installed app's chat with ``recipient``, or why there is none."""
    aad = recipient.removeprefix("user:")
    outcome = await installer.chat_for(aad)
    if outcome.chat_id is None:
        return f"{NOT_INSTALLED}: {outcome.detail}"
    where = await _tenant_service(directory, aad)
    if where is None:
        return f"{NOT_INSTALLED}: installed, but no service URL is known for the tenant yet"
    service_url, tenant_id = where
    reference = ConversationReference(
        channel_id="msteams",
        service_url=service_url,
        bot=ChannelAccount(id=f"28:{app_id}" if app_id else "28:trimtab"),
        user=ChannelAccount(id=aad, aad_object_id=aad),
        conversation=ConversationAccount(
            id=outcome.chat_id, conversation_type="personal", tenant_id=tenant_id
        ),
    )
    await directory.save_reference(recipient, reference)
    return reference
