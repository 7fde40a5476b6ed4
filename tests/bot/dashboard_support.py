"""Helper of the dashboard tests: the signed link the bot gives an admin."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from tests.conftest import Trimtab
from tests.fakes.activities import ADELE, Person


async def mint(trimtab: Trimtab, admin: Person = ADELE) -> str:
    """The path and query of the link the bot gives ``admin`` (ADELE unless told)."""
    sent = await trimtab.say(admin, "dashboard")
    text = sent[0].all_text()
    url = re.search(r"\((http://localhost:3978/dashboard/\?[^)]+)\)", text)
    assert url, text
    parts = urlsplit(url.group(1))
    return f"{parts.path}?{parts.query}"
