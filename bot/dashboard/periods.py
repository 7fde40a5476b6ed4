"""The dashboard's period choice: ``?weeks=`` 4 (the default, as card and digest), 8, 13, 26.

Every page with a period reads it here, so they all offer the same lengths, refuse any
other with the same 400, and show the same selector (``_macros.html.j2``'s ``period``).
"""

from __future__ import annotations

from aiohttp import web

from adoption.comparison import DEFAULT_PERIOD_WEEKS, PERIOD_WEEKS
from bot.messages import admin as msg

#: (label, href, is the current choice) for each length the selector offers
Choice = tuple[str, str, bool]


def weeks_of(request: web.Request) -> int:
    """The page's period length; any value other than 4, 8, 13 or 26 is a 400 naming them."""
    raw = request.query.get("weeks", str(DEFAULT_PERIOD_WEEKS)).strip()
    if raw not in {str(w) for w in PERIOD_WEEKS}:
        allowed = ", ".join(str(w) for w in PERIOD_WEEKS[:-1]) + f" or {PERIOD_WEEKS[-1]}"
        value = f"'{raw[:20]}'" if raw else "nothing"
        raise web.HTTPBadRequest(text=msg.DASHBOARD_BAD_WEEKS.format(allowed=allowed, value=value))
    return int(raw)


def selector(request: web.Request, weeks: int) -> list[Choice]:
    """Links to this page for each period length (any other query left out)."""
    return [
        (f"{w} weeks", str(request.rel_url.with_query({"weeks": str(w)})), w == weeks)
        for w in PERIOD_WEEKS
    ]
