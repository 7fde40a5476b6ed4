"""The dashboard over HTTP: minting links, signature and expiry checks, cookie, pages, CSV."""

from __future__ import annotations

import stat
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from bot.dashboard.signing import SECRET_FILE, Signer, Verdict
from tests.bot.admin_data import SALES, seed_all
from tests.bot.dashboard_support import mint
from tests.conftest import START, Trimtab
from tests.fakes.activities import ADELE, MEGAN


async def test_admin_gets_a_signed_link_and_the_key_is_private(trimtab: Trimtab) -> None:
    link = await mint(trimtab)
    query = parse_qs(urlsplit(link).query)
    assert query["u"] == [ADELE.aad_id]
    assert int(query["exp"][0]) == int((START + timedelta(hours=1)).timestamp())
    assert len(query["sig"][0]) == 64
    key = trimtab.settings.data_dir / SECRET_FILE
    assert stat.S_IMODE(key.stat().st_mode) == 0o600


async def test_member_cannot_mint_a_link(trimtab: Trimtab) -> None:
    sent = await trimtab.say(MEGAN, "dashboard")
    assert sent[0].text.startswith("`dashboard` is for admins")
    assert "sig=" not in sent[0].all_text()


async def test_link_sets_cookie_and_pages_render(trimtab: Trimtab) -> None:
    await seed_all(trimtab.store)
    client = trimtab.client
    response = await client.get(await mint(trimtab), allow_redirects=False)
    assert response.status == 303
    assert response.headers["Location"] == "/dashboard/"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/dashboard" in cookie
    page = await client.get("/dashboard/")  # the cookie jar now carries the session
    html = await page.text()
    assert page.status == 200, html
    assert html.count("<svg") >= 4 and "Sales" in html and "Ops" in html
    assert 'href="/dashboard/team/team-a"' in html
    team = await client.get(f"/dashboard/team/{SALES}")
    body = await team.text()
    assert team.status == 200 and "Invite quiet members" in body and "2026-W47" in body
    for path in ("/dashboard/circles", "/dashboard/champions", "/dashboard/qbr?quarter=2026-Q4"):
        answer = await client.get(path)
        assert answer.status == 200, (path, await answer.text())
    assert (await client.get("/dashboard/team/nope")).status == 404


async def test_csv_downloads_hold_the_numbers(trimtab: Trimtab) -> None:
    await seed_all(trimtab.store)
    await trimtab.client.get(await mint(trimtab))
    teams = await trimtab.client.get("/dashboard/?weeks=4&csv=teams")
    assert teams.headers["Content-Type"].startswith("text/csv")
    assert 'filename="teams.csv"' in teams.headers["Content-Disposition"]
    lines = (await teams.text()).splitlines()
    assert lines[0].startswith("Team,Health,Band,Trend,Posts,Replies,Reply rate,Active share")
    assert lines[1].startswith("Sales,78,green,new,3,2,67%,75%,75,")
    assert lines[2].startswith("Ops,8,red,down,1,0,0%,50%,,")
    circles = await (await trimtab.client.get("/dashboard/circles?csv=circles")).text()
    assert "Writers,active,2,3,3,4,75%,2026-11-02," in circles
    champions = await (
        await trimtab.client.get("/dashboard/champions?weeks=4&csv=champions")
    ).text()
    assert "Ann Champ,1,1,+3.0,+2.0," in champions
    qbr = await (await trimtab.client.get("/dashboard/qbr?quarter=2026-Q4&csv=forward")).text()
    # Q4 holds t0 (5 Oct) too: 5 roots, 2 answered; Q3 had no threads at all.
    assert "Reply rate,40%,," in qbr
    assert "Circle completion,100%,," in qbr
    traditional = await trimtab.client.get("/dashboard/qbr?quarter=2026-Q4&csv=traditional")
    assert "Posts,5,0,+5" in await traditional.text()
    missing = await trimtab.client.get("/dashboard/?csv=nope")
    assert missing.status == 404


async def test_without_signature_tampered_or_expired_is_401(trimtab: Trimtab) -> None:
    link = await mint(trimtab)
    client = trimtab.client
    bare = await client.get("/dashboard/", allow_redirects=False)
    assert bare.status == 401 and "type <code>dashboard</code>" in await bare.text()
    unsigned = link.split("&sig=")[0]
    assert (await client.get(unsigned, allow_redirects=False)).status == 401
    tampered = link.replace(ADELE.aad_id, MEGAN.aad_id)
    assert (await client.get(tampered, allow_redirects=False)).status == 401
    flipped = link[:-1] + ("0" if link[-1] != "0" else "1")
    assert (await client.get(flipped, allow_redirects=False)).status == 401
    trimtab.clock.advance(timedelta(hours=1))
    expired = await client.get(link, allow_redirects=False)
    assert expired.status == 401
    assert "expired" in await expired.text() and "dashboard" in await expired.text()


async def test_cookie_expires_and_cannot_be_forged(trimtab: Trimtab) -> None:
    client = trimtab.client
    await client.get(await mint(trimtab))
    assert (await client.get("/dashboard/circles")).status == 200
    client.session.cookie_jar.clear()
    forged = {"Cookie": f"trimtab_dashboard={ADELE.aad_id}.9999999999.{'0' * 64}"}
    assert (await client.get("/dashboard/circles", headers=forged)).status == 401
    await client.get(await mint(trimtab))
    trimtab.clock.advance(timedelta(hours=8, seconds=1))
    answer = await client.get("/dashboard/circles")
    assert answer.status == 401 and "expired" in await answer.text()


async def test_link_of_a_former_admin_is_refused(trimtab: Trimtab) -> None:
    await mint(trimtab)  # creates the key file
    signer = Signer((trimtab.settings.data_dir / SECRET_FILE).read_text().strip().encode())
    query, _ = signer.link_query(MEGAN.aad_id, START)
    answer = await trimtab.client.get(f"/dashboard/?{query}", allow_redirects=False)
    assert answer.status == 403


async def test_tab_page_explains_the_link(trimtab: Trimtab) -> None:
    answer = await trimtab.client.get("/dashboard/tab")
    assert answer.status == 200 and "Type <code>dashboard</code>" in await answer.text()


def test_signer_checks() -> None:
    signer = Signer(b"k" * 32)
    query, expires = signer.link_query("admin-1", START)
    sig = parse_qs(query)["sig"][0]
    assert signer.check("link", "admin-1", str(expires), sig, START).verdict is Verdict.VALID
    assert signer.check("session", "admin-1", str(expires), sig, START).verdict is Verdict.INVALID
    assert Signer(b"x" * 32).check("link", "admin-1", str(expires), sig, START).verdict is (
        Verdict.INVALID
    )
    later = START + timedelta(hours=1)
    assert signer.check("link", "admin-1", str(expires), sig, later).verdict is Verdict.EXPIRED
    assert signer.check("link", "admin-1", "12x", sig, START).verdict is Verdict.INVALID
    assert signer.check_cookie("garbage", START).verdict is Verdict.INVALID


async def test_configured_secret_is_used(make_trimtab) -> None:  # type: ignore[no-untyped-def]
    app = await make_trimtab(TRIMTAB_DASHBOARD_SECRET="s" * 40)
    link = await mint(app)
    query = parse_qs(urlsplit(link).query)
    expected = Signer(b"s" * 40).signature("link", ADELE.aad_id, int(query["exp"][0]))
    assert query["sig"] == [expected]
    assert not (app.settings.data_dir / SECRET_FILE).exists()
