"""Install Trimtab for a person who never opened a chat with it (Microsoft Graph).

The Bot Connector refuses a 1:1 conversation with someone who has no installation of the
app. With the application permission ``TeamsAppInstallation.ReadWriteSelfForUser.All``
Graph can install it for them (what Company Communicator does):

1. ``POST /users/{id}/teamwork/installedApps`` with ``teamsApp@odata.bind`` to
   ``{graph}/appCatalogs/teamsApps/{TRIMTAB_TEAMS_APP_ID}`` → 201 (no body), or 409 when it
   is installed already (fine: go on);
2. ``GET /users/{id}/teamwork/installedApps?$expand=teamsApp&$filter=teamsApp/id eq '{app}'``
   → the installation's id;
3. ``GET /users/{id}/teamwork/installedApps/{installation id}/chat`` → the chat ``id``, the
   conversation id to send into.

Outcomes (never raised, never retried for ever — each request is made once)::

    InstallOutcome(chat_id="19:…")                   installed (or already) and chat found
    InstallOutcome(refused=FORBIDDEN, detail=…)      403: the permission is not granted
    InstallOutcome(refused=NOT_FOUND, detail=…)      404: no such user, or app not in catalog
    InstallOutcome(refused=FAILED, detail=…)         anything else (5xx, no installation found)
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import httpx
from kiota_abstractions.api_error import APIError
from kiota_abstractions.base_request_configuration import RequestConfiguration
from msgraph import GraphRequestAdapter, GraphServiceClient
from msgraph.generated.models.user_scope_teams_app_installation import (
    UserScopeTeamsAppInstallation,
)
from msgraph.generated.users.item.teamwork.installed_apps.installed_apps_request_builder import (
    InstalledAppsRequestBuilder,
)

from adoption._graph_sdk import _auth_provider, _credential
from adoption.config import ConfigError, GraphSettings

log = logging.getLogger(__name__)

FORBIDDEN, NOT_FOUND, FAILED = "forbidden", "not_found", "failed"
PERMISSION = "TeamsAppInstallation.ReadWriteSelfForUser.All"
Query = InstalledAppsRequestBuilder.InstalledAppsRequestBuilderGetQueryParameters


@dataclass(frozen=True)
class InstallOutcome:
    chat_id: str | None = None
    refused: str | None = None
    detail: str = ""


class AppInstaller:
    """Installs the catalog app ``app_id`` for users through msgraph-sdk request builders."""

    def __init__(self, settings: GraphSettings, app_id: str) -> None:
        self.app_id = app_id
        self.base_url = settings.base_url.rstrip("/")
        self._http = httpx.AsyncClient(timeout=httpx.Timeout(30.0))
        self._credential = _credential(settings)  # holds its own HTTP session: closed below
        adapter = GraphRequestAdapter(_auth_provider(settings, self._credential), client=self._http)
        adapter.base_url = self.base_url
        self.client = GraphServiceClient(request_adapter=adapter)

    async def aclose(self) -> None:
        await self._http.aclose()
        if self._credential is not None:
            await self._credential.close()

    async def chat_for(self, user_id: str) -> InstallOutcome:
        """Install the app for ``user_id`` (AAD object id) when needed; its chat with them."""
        apps = self.client.users.by_user_id(user_id).teamwork.installed_apps
        try:
            await self._install(apps)
            installation = await self._installation_id(apps)
            if installation is None:
                return InstallOutcome(refused=FAILED, detail="installed, but no installation")
            item = apps.by_user_scope_teams_app_installation_id(installation)
            chat = await item.chat.get()
        except APIError as error:
            return _refusal(error)
        except httpx.HTTPError as error:
            return InstallOutcome(refused=FAILED, detail=f"Graph did not answer: {error}")
        if chat is None or not chat.id:
            return InstallOutcome(refused=FAILED, detail="the installation has no chat")
        return InstallOutcome(chat_id=chat.id)

    async def _install(self, apps: InstalledAppsRequestBuilder) -> None:
        body = UserScopeTeamsAppInstallation()
        body.additional_data = {
            "teamsApp@odata.bind": f"{self.base_url}/appCatalogs/teamsApps/{self.app_id}"
        }
        try:
            await apps.post(body)
        except APIError as error:
            if error.response_status_code != 409:  # 409 Conflict: installed already
                raise

    async def _installation_id(self, apps: InstalledAppsRequestBuilder) -> str | None:
        query = Query(expand=["teamsApp"], filter=f"teamsApp/id eq '{self.app_id}'")
        found = await apps.get(request_configuration=RequestConfiguration(query_parameters=query))
        installations = (found.value if found else None) or []
        return installations[0].id if installations else None


def _refusal(error: APIError) -> InstallOutcome:
    status = error.response_status_code or 0
    message = _message(error)
    if status == 403:
        detail = f"Graph refused the install (403, needs {PERMISSION}): {message}"
        return InstallOutcome(refused=FORBIDDEN, detail=detail)
    if status == 404:
        return InstallOutcome(refused=NOT_FOUND, detail=f"Graph: not found (404): {message}")
    return InstallOutcome(refused=FAILED, detail=f"Graph answered {status}: {message}")


def _message(error: Any) -> str:
    main = getattr(getattr(error, "error", None), "message", None)
    return str(main or error.message or type(error).__name__)


def installer_for(env: dict[str, str], app_id: str) -> AppInstaller | None:
    """An installer when Graph is configured and ``TRIMTAB_TEAMS_APP_ID`` is set, else ``None``."""
    if not app_id:
        return None
    try:
        settings = GraphSettings.from_env(env)
    except ConfigError as error:
        log.warning("installing the app for people without it is off: %s", error)
        return None
    return AppInstaller(settings, app_id) if settings.is_configured else None
