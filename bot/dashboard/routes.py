"""The dashboard's HTTP side: the signed-link check, the session cookie and the pages.

Every page except ``/dashboard/tab`` needs either a valid signed link (``u``, ``exp``,
``sig`` in the query; the first request then sets a signed, HttpOnly, SameSite
cookie and redirects to the same URL without them) or that cookie. Missing or bad
signature → 401; expired → 401 asking for a new link; signed for someone who is no
longer an admin → 403. Any page answers one of its tables as CSV with ``?csv=<name>``.

Every ``/dashboard`` response (pages, CSV, errors, redirects) carries a
Content-Security-Policy that allows only this origin (plus inline styles, no
scripts at all) and lets Teams frame the personal tab, plus ``X-Content-Type-Options``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any

import jinja2
from aiohttp import web

from adoption.repository import AdoptionRepository
from adoption.weeks import Period, local_date
from bot.admin.summary import last_weeks, load
from bot.dashboard.deliveries import deliveries_page
from bot.dashboard.departments import departments_page, grouping_on
from bot.dashboard.pages import champions_page, circles_page, overview, team_page
from bot.dashboard.plan import plan_page, review_html, with_team_plan
from bot.dashboard.qbr import parse_quarter, qbr_page, quarter_of
from bot.dashboard.signing import LINK, Verdict, signer_for
from bot.dashboard.tables import find, to_csv
from bot.roles import Role, UserRef
from bot.services import Services
from plans.periods import MONTH, QUARTER, ReviewPeriodError, parse_review_period

log = logging.getLogger(__name__)

COOKIE = "trimtab_dashboard"
LINK_PARAMS = ("u", "exp", "sig")
DEFAULT_WEEKS, MAX_WEEKS = 8, 52
SERVICES_GETTER: web.AppKey[Callable[[], Services]] = web.AppKey("dashboard_services")
TEMPLATES = web.AppKey("dashboard_templates", jinja2.Environment)
#: Where Teams, Outlook and the Microsoft 365 app host a personal tab.
TEAMS_FRAME_ANCESTORS = (
    "https://teams.microsoft.com",
    "https://*.teams.microsoft.com",
    "https://*.teams.microsoft.us",
    "https://*.cloud.microsoft",
    "https://*.office.com",
    "https://*.office365.com",
    "https://*.microsoft365.com",
    "https://outlook.office.com",
    "https://*.skype.com",
)
FIRST_QUARTER_YEAR, LAST_QUARTER_YEAR = 2000, 9998

Page = Callable[[web.Request, Services], Awaitable[tuple[str, dict[str, Any]]]]


def environment() -> jinja2.Environment:
    """Templates shipped as package data, autoescaped."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("bot.dashboard", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


#: Self only. Styles may be inline (the base stylesheet and the charts' style
#: attributes); scripts are off entirely, so inline CSS cannot run anything.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "script-src 'none'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'self' " + " ".join(TEAMS_FRAME_ANCESTORS),
    ]
)


async def _security_headers(request: web.Request, response: web.StreamResponse) -> None:
    if request.path == "/dashboard" or request.path.startswith("/dashboard/"):
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response.headers["X-Content-Type-Options"] = "nosniff"


def _services(request: web.Request) -> Services:
    return request.app[SERVICES_GETTER]()


def _render(request: web.Request, name: str, status: int = 200, **context: Any) -> web.Response:
    html = request.app[TEMPLATES].get_template(name).render(**context)
    response = web.Response(text=html, status=status, content_type="text/html")
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _refuse(request: web.Request, status: int, reason: str, message: str) -> web.Response:
    log.warning("dashboard refused %s: %s", request.path, reason)
    return _render(request, "message.html.j2", status, title="Dashboard", message=message)


async def _is_admin(services: Services, aad_id: str) -> bool:
    user = await services.directory.user(aad_id) or {}
    ref = UserRef(aad_id=aad_id, teams_id="", name="", upn=str(user.get("upn", "")))
    return await services.roles.role_of(ref) >= Role.ADMIN


async def authenticate(request: web.Request, services: Services) -> web.StreamResponse | str:
    """The admin's id, or the response to send instead (401/403, or the cookie redirect)."""
    signer = signer_for(services.settings, services.signing_keys)
    now = services.clock()
    query = request.query
    from_link = any(p in query for p in LINK_PARAMS)
    if from_link:
        check = signer.check(LINK, query.get("u"), query.get("exp"), query.get("sig"), now)
    else:
        check = signer.check_cookie(request.cookies.get(COOKIE), now)
    if check.verdict is Verdict.EXPIRED:
        return _refuse(request, 401, "expired", "expired")
    if check.verdict is not Verdict.VALID:
        return _refuse(request, 401, "no valid signature", "invalid")
    if not await _is_admin(services, check.admin):
        return _refuse(request, 403, f"{check.admin} is not an admin", "not_admin")
    if not from_link:
        return check.admin
    rest = {k: v for k, v in query.items() if k not in LINK_PARAMS}
    target = request.rel_url.with_query(rest)
    response = web.Response(status=303, headers={"Location": str(target)})
    response.set_cookie(
        COOKIE,
        signer.cookie(check.admin, now),
        path="/dashboard",
        httponly=True,
        samesite="Lax",
        secure=services.settings.base_url.startswith("https://"),
        max_age=8 * 3600,
    )
    return response


def _weeks(request: web.Request) -> int:
    raw = request.query.get("weeks", str(DEFAULT_WEEKS))
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_WEEKS:
        raise web.HTTPBadRequest(text=f"weeks must be a whole number from 1 to {MAX_WEEKS}")
    return int(raw)


async def _overview(request: web.Request, services: Services) -> tuple[str, dict[str, Any]]:
    now = services.clock()
    data = await load(services, last_weeks(now, services, _weeks(request)), now=now)
    return "overview.html.j2", overview(data)


async def _team(request: web.Request, services: Services) -> tuple[str, dict[str, Any]]:
    now = services.clock()
    period = last_weeks(now, services, _weeks(request))
    team_id = request.match_info["team_id"]
    if await AdoptionRepository(services.store).team(team_id) is None:
        raise web.HTTPNotFound(text="no such team")
    data = await load(services, period, now=now, team=team_id)
    context = team_page(data, data.report.teams[0])
    return "team.html.j2", await with_team_plan(services, data, team_id, context)


async def _circles(request: web.Request, services: Services) -> tuple[str, dict[str, Any]]:
    now = services.clock()
    data = await load(services, last_weeks(now, services, _weeks(request)), now=now)
    return "table_page.html.j2", circles_page(data)


async def _champions(request: web.Request, services: Services) -> tuple[str, dict[str, Any]]:
    now = services.clock()
    data = await load(services, last_weeks(now, services, _weeks(request)), now=now)
    return "table_page.html.j2", champions_page(data)


async def _qbr(request: web.Request, services: Services) -> tuple[str, dict[str, Any]]:
    now = services.clock()
    today: date = local_date(now, services.settings.timezone)
    raw = request.query.get("quarter")
    try:
        start, end = parse_quarter(raw) if raw else quarter_of(today)
    except ValueError as error:
        raise web.HTTPBadRequest(text=str(error)) from None
    if not FIRST_QUARTER_YEAR <= start.year <= LAST_QUARTER_YEAR:
        raise web.HTTPBadRequest(
            text=f"quarter must be between {FIRST_QUARTER_YEAR}-Q1 and {LAST_QUARTER_YEAR}-Q4"
        )
    prev_end = start - timedelta(days=1)
    prev_start, _ = quarter_of(prev_end)
    data = await load(services, Period(start, end), now=now, previous=Period(prev_start, prev_end))
    return "qbr.html.j2", qbr_page(data, start, end, today)


async def _plan(request: web.Request, services: Services) -> tuple[str, dict[str, Any]]:
    return "plan.html.j2", await plan_page(services, services.clock())


async def review(request: web.Request) -> web.StreamResponse:
    """GET /dashboard/review?month=2026-11 or ?quarter=2026-Q4: the print-ready review."""
    services = _services(request)
    admin = await authenticate(request, services)
    if not isinstance(admin, str):
        return admin
    kind = MONTH if "month" in request.query else QUARTER
    try:
        period = parse_review_period(kind, request.query.get(kind, ""))
    except ReviewPeriodError as error:
        raise web.HTTPBadRequest(text=f"{error}; use ?month=2026-11 or ?quarter=2026-Q4") from None
    html = await review_html(services, period, services.clock())
    response = web.Response(text=html, content_type="text/html")
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def page(render: Page) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """Wrap a page: authenticate, build, then answer HTML or the chosen table as CSV."""

    async def handler(request: web.Request) -> web.StreamResponse:
        services = _services(request)
        admin = await authenticate(request, services)
        if not isinstance(admin, str):
            return admin
        template, context = await render(request, services)
        wanted = request.query.get("csv")
        if wanted is not None:
            table = find(context["tables"], wanted)
            if table is None:
                raise web.HTTPNotFound(text=f"no table {wanted!r} on this page")
            response = web.Response(text=to_csv(table), content_type="text/csv", charset="utf-8")
            response.headers["Content-Disposition"] = f'attachment; filename="{table.name}.csv"'
            return response
        return _render(request, template, query=dict(request.query), **context)

    return handler


async def tab(request: web.Request) -> web.StreamResponse:
    """The Teams personal tab: explains how to get a signed link (until Teams SSO)."""
    return _render(request, "message.html.j2", title="Dashboard", message="tab")


async def redirect_root(request: web.Request) -> web.StreamResponse:
    raise web.HTTPPermanentRedirect(str(request.rel_url.with_path("/dashboard/")))


def setup_dashboard(app: web.Application, services_key: web.AppKey[Services]) -> None:
    """Add the ``/dashboard`` routes to ``app``; ``services_key`` finds the services."""
    app[SERVICES_GETTER] = lambda: app[services_key]
    app[TEMPLATES] = environment()
    app.on_response_prepare.append(_security_headers)
    app.router.add_get("/dashboard", redirect_root)
    app.router.add_get("/dashboard/", page(_overview))
    app.router.add_get("/dashboard/team/{team_id}", page(_team))
    app.router.add_get("/dashboard/circles", page(_circles))
    app.router.add_get("/dashboard/champions", page(_champions))
    app.router.add_get("/dashboard/qbr", page(_qbr))
    app.router.add_get("/dashboard/plan", page(_plan))
    app.router.add_get("/dashboard/review", review)
    app.router.add_get("/dashboard/deliveries", page(deliveries_page))
    app.router.add_get("/dashboard/departments", page(departments_page))
    app[TEMPLATES].globals["grouping_on"] = lambda: grouping_on(app[services_key])
    app.router.add_get("/dashboard/tab", tab)
