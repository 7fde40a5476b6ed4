"""HTTP hygiene shared by the app's handlers: body parsing, caller checks, access log.

Kept apart from :mod:`bot.app` so each rule has one small, testable home:

    read_activity(request)        the JSON body as a dict, or ``BadBody`` (never a traceback)
    is_loopback_caller(request)   the request came from this machine and through no proxy
    RedactingAccessLogger         aiohttp's access log without signed-link credentials
"""

from __future__ import annotations

import ipaddress
import json
import logging
from typing import Any
from urllib.parse import parse_qsl, urlencode

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

#: Query parameters that carry credentials (signed dashboard links) and never reach a log.
SECRET_QUERY_PARAMS = frozenset({"u", "exp", "sig"})
_PROXY_HEADERS = ("Forwarded", "X-Forwarded-For", "X-Real-IP")


class BadBody(ValueError):
    """The request body is not one JSON object in UTF-8; ``str()`` says why."""


def is_json_media_type(request: web.Request) -> bool:
    """``application/json`` (parameters such as ``charset`` allowed), parsed, not substring."""
    return request.content_type == "application/json" and request.charset in (None, "utf-8")


async def read_activity(request: web.Request) -> dict[str, Any]:
    """The body as a JSON object, decoded strictly as UTF-8 (no UTF-16 guessing)."""
    raw = await request.read()
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BadBody("body is not valid JSON") from None
    except RecursionError:
        raise BadBody("body is nested too deeply") from None
    if not isinstance(body, dict):
        raise BadBody("body is not a Bot Framework activity (no 'type')")
    return body


def is_loopback_caller(request: web.Request) -> bool:
    """True for a caller on this machine that did not come through a reverse proxy."""
    if any(header in request.headers for header in _PROXY_HEADERS):
        return False
    try:
        return ipaddress.ip_address(request.remote or "").is_loopback
    except ValueError:  # a Unix socket or no peer address
        return False


def redact_query(path_qs: str) -> str:
    """``path_qs`` with the values of :data:`SECRET_QUERY_PARAMS` replaced by ``REDACTED``."""
    path, sep, query = path_qs.partition("?")
    if not sep:
        return path_qs
    pairs = parse_qsl(query, keep_blank_values=True)
    cleaned = [(k, "REDACTED" if k in SECRET_QUERY_PARAMS else v) for k, v in pairs]
    return f"{path}?{urlencode(cleaned)}"


class RedactingAccessLogger(AbstractAccessLogger):
    """One line per request, like aiohttp's default, with link credentials redacted."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.info(
            '%s "%s %s HTTP/%d.%d" %d %s %.3fs',
            request.remote or "-",
            request.method,
            redact_query(request.path_qs),
            request.version.major,
            request.version.minor,
            response.status,
            response.body_length,
            time,
        )


def access_log_options() -> dict[str, Any]:
    """Keyword arguments for ``web.run_app`` / ``AppRunner``: the redacting access log."""
    return {
        "access_log_class": RedactingAccessLogger,
        "access_log": logging.getLogger("aiohttp.access"),
    }
