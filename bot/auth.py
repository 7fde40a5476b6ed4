"""Bot Framework authentication that always answers 401 for a bad token, never 500.

botbuilder's own classes do the validation. This wrapper only makes their
failure modes uniform: an empty ``Authorization`` header is treated as absent
(the parameterized code path used with a custom OpenID metadata URL otherwise
dereferences ``None``), and any error while checking a token (a malformed JWT,
an unknown key id, an unreachable key server) becomes ``PermissionError``,
which ``CloudAdapter`` turns into 401.
"""

from __future__ import annotations

import logging

from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity
from botframework.connector.auth import AuthenticateRequestResult

log = logging.getLogger(__name__)


class StrictBotFrameworkAuthentication(ConfigurationBotFrameworkAuthentication):
    """``ConfigurationBotFrameworkAuthentication`` whose request check fails closed."""

    async def authenticate_request(
        self, activity: Activity, auth_header: str
    ) -> AuthenticateRequestResult:
        header = auth_header.strip() if auth_header else ""
        try:
            return await super().authenticate_request(activity, header or None)
        except PermissionError as error:
            log.warning("refused /api/messages request: %s", error or "not authenticated")
            raise
        except Exception as error:
            log.warning("refused /api/messages request: token check failed (%r)", error)
            raise PermissionError("token could not be validated") from error
