"""``GET /v1.0/users`` of the loopback Graph, as Microsoft Learn documents it.

Sources: "List users" (api-reference/v1.0/api/user-list.md) and the user resource
(resources/user.md), plus "Paging Microsoft Graph data in your app":

* without ``$select`` only the default set is returned (``businessPhones``,
  ``displayName``, ``givenName``, ``id``, ``jobTitle``, ``mail``, ``mobilePhone``,
  ``officeLocation``, ``preferredLanguage``, ``surname``, ``userPrincipalName``):
  ``department`` is "returned only on ``$select``"; with ``$select`` exactly the named
  properties; ``department`` is a string of at most 64 characters or ``null``;
* ``@odata.context`` is ``…/$metadata#users`` or ``…/$metadata#users(id,department)``;
* 100 users per page by default, ``$top`` 1..999 ("Invalid page size specified"),
  ``$skip`` is not supported; further pages through ``@odata.nextLink`` with an opaque
  ``$skiptoken`` and the request's other query options;
* an unknown property in ``$select`` is a 400; without ``User.Read.All`` a 403
  ``Authorization_RequestDenied``.

The directory is every user the tenant knows: team members, named users and
``FakeTenant.departments`` keys, in id order. A user's UPN is ``<first 8 of id>@contoso.com``
as in the members listing.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from tests.fakes.graph_server import FakeTenant

DEFAULT_PAGE, MAX_PAGE = 100, 999
DEFAULT_PROPERTIES = (
    "businessPhones",
    "displayName",
    "givenName",
    "jobTitle",
    "mail",
    "mobilePhone",
    "officeLocation",
    "preferredLanguage",
    "surname",
    "userPrincipalName",
    "id",
)
SELECT_ONLY = ("department", "accountEnabled", "userType", "companyName", "employeeId")
METADATA = "https://graph.microsoft.com/v1.0/$metadata#users"


def _error(status: int, code: str, message: str) -> web.Response:
    body = {"error": {"code": code, "message": message, "innerError": {"date": "2026-11-20"}}}
    return web.json_response(body, status=status)


def directory(tenant: FakeTenant) -> list[str]:
    """Every user id of the tenant, in a stable order."""
    ids = set(tenant.departments) | set(tenant.names)
    for team in tenant.teams.values():
        ids.update(team.members)
    return sorted(ids)


def profile(tenant: FakeTenant, uid: str) -> dict[str, Any]:
    """The user resource with every property this fake knows."""
    name = tenant.names.get(uid, "Member")
    given, _, surname = name.partition(" ")
    upn = f"{uid[:8]}@contoso.com"
    return {
        "businessPhones": [],
        "displayName": name,
        "givenName": given,
        "jobTitle": None,
        "mail": upn,
        "mobilePhone": None,
        "officeLocation": None,
        "preferredLanguage": "en-US",
        "surname": surname or None,
        "userPrincipalName": upn,
        "id": uid,
        "department": tenant.departments.get(uid),
        "accountEnabled": True,
        "userType": "Member",
        "companyName": None,
        "employeeId": None,
    }


def _offset(token: str) -> int | None:
    try:
        return int(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode())
    except ValueError:
        return None


def list_users(tenant: FakeTenant, request: web.Request, base_url: str) -> web.Response:
    """One page of ``GET /users``."""
    if not tenant.users_permission:
        return _error(403, "Authorization_RequestDenied", "Insufficient privileges to complete "
                      "the operation.")  # fmt: skip
    query = request.query
    if "$skip" in query:
        return _error(400, "Request_BadRequest", "'$skip' is not supported by the service.")
    raw_top = query.get("$top", str(DEFAULT_PAGE))
    if not raw_top.isdigit() or not 1 <= int(raw_top) <= MAX_PAGE:
        return _error(400, "Request_BadRequest", f"Invalid page size specified: '{raw_top}'. "
                      f"Must be between 1 and {MAX_PAGE} inclusive.")  # fmt: skip
    select = [p.strip() for p in query.get("$select", "").split(",") if p.strip()]
    for name in select:
        if name not in DEFAULT_PROPERTIES + SELECT_ONLY:
            return _error(400, "Request_BadRequest", f"Could not find a property named "
                          f"'{name}' on type 'microsoft.graph.user'.")  # fmt: skip
    offset = _offset(query["$skiptoken"]) if "$skiptoken" in query else 0
    if offset is None:
        return _error(400, "Request_BadRequest", "The specified page token value has expired "
                      "or is invalid.")  # fmt: skip
    top, shown = int(raw_top), select or list(DEFAULT_PROPERTIES)
    ids = directory(tenant)
    page = ids[offset : offset + top]
    body: dict[str, Any] = {"@odata.context": f"{METADATA}({','.join(select)})" if select
                            else METADATA}  # fmt: skip
    if offset + top < len(ids):
        token = base64.urlsafe_b64encode(str(offset + top).encode()).decode().rstrip("=")
        rest = {k: v for k, v in query.items() if k != "$skiptoken"}
        url = request.url.with_query({**rest, "$skiptoken": token})
        body["@odata.nextLink"] = f"{base_url.rsplit('/v1.0', 1)[0]}{url.path_qs}"
    body["value"] = [{k: v for k, v in profile(tenant, uid).items() if k in shown} for uid in page]
    return web.json_response(body)
