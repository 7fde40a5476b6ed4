"""`adoption summary` end to end on the hand-made tenant of ``admin_data``: numbers checked."""

from __future__ import annotations

from adoption.facts import MessageFact, TeamFact, ThreadFact
from adoption.repository import AdoptionRepository
from bot.admin.summary import summary_for, tenant_view
from cards.adoption_summary import build_tenant_summary_card
from cards.size import CARD_LIMIT_BYTES, card_bytes
from tests.bot.admin_data import at, seed_adoption, seed_all
from tests.cards.schema import assert_valid_card
from tests.conftest import START, AppFactory, Trimtab
from tests.fakes.activities import ADELE, MEGAN


def _facts(card: dict) -> dict[str, str]:  # type: ignore[type-arg]
    found: dict[str, str] = {}

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") == "FactSet":
                found.update({f["title"]: f["value"] for f in node["facts"]})
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(card)
    return found


async def test_tenant_summary_card_numbers(trimtab: Trimtab) -> None:
    await seed_all(trimtab.store)
    sent = await trimtab.say(ADELE, "adoption summary")
    card = sent[0].cards[0]
    assert_valid_card(card)
    text = sent[0].all_text()
    assert "2 teams · last 4 full weeks, 26 Oct – 22 Nov 2026 (vs the 4 weeks before)" in text
    assert "🟢 1 green" in text and "🔴 1 red" in text and "🟠 0 amber" in text
    assert "78 ✦" in text  # Sales: healthiest, new activity
    assert "8 ↓" in text  # Ops: weakest, falling
    assert text.index("Sales") < text.index("Ops")
    facts = _facts(card)
    assert facts["Reply rate"] == "50% (+50 pts)"
    assert facts["Active share"] == "67% (+50 pts)"
    assert facts["Champions"] == "1"
    assert facts["Nudges"] == "1"  # the failed nudge does not count
    assert facts["Lift (7 days after vs before)"] == (
        "threads +3.0, replies +2.0 per nudge; reply rate –"
    )
    assert facts["Active"] == "1" and facts["Forming"] == "1" and facts["Completed"] == "1"
    assert facts["Check-in rate"] == "75%"


async def test_team_summary_card(trimtab: Trimtab) -> None:
    await seed_all(trimtab.store)
    sent = await trimtab.say(ADELE, "adoption summary sales")
    card = sent[0].cards[0]
    assert_valid_card(card)
    text = sent[0].all_text()
    assert "Health 78 (green) ✦" in text
    for week in ("2026-W44", "2026-W45", "2026-W46", "2026-W47"):
        assert week in text
    assert "67%" in text and "75%" in text  # W47 reply rate and active share
    # a1 (2 posts, 1 reply received) and a2 (1 post, gave 1, got 1) engage; a3 only
    # replies; a4 never posted.
    assert "2 engager, 1 responder, 1 observer" in text
    assert _facts(card)["Nudges"] == "1"
    assert "Invite quiet members" in text  # active share is Sales' weakest measure


async def test_unknown_team_gets_close_matches(trimtab: Trimtab) -> None:
    await seed_adoption(trimtab.store)
    sent = await trimtab.say(ADELE, "adoption summary Sals")
    assert "no team named 'Sals'" in sent[0].text and "Sales" in sent[0].text


async def test_no_data_explains_sync(trimtab: Trimtab) -> None:
    sent = await trimtab.say(ADELE, "adoption summary")
    assert "No adoption data yet" in sent[0].text and "adoption sync" in sent[0].text


async def test_member_is_refused(trimtab: Trimtab) -> None:
    await seed_adoption(trimtab.store)
    sent = await trimtab.say(MEGAN, "adoption summary")
    assert sent[0].text.startswith("`adoption summary` is for admins")
    assert not sent[0].cards


async def test_tenant_card_stays_small_with_2000_teams(make_trimtab: AppFactory) -> None:
    app = await make_trimtab()
    repo = AdoptionRepository(app.store)
    long = "A very long team name that goes on and on " * 4
    for i in range(2000):
        tid = f"t{i:04d}"
        await repo.save_team(TeamFact(tid, f"{long}{i}", (f"u{i}", f"v{i}")))
        root = MessageFact(f"m{i}", f"u{i}", at("2026-11-17 09:00"))
        replies = (MessageFact(f"r{i}", f"v{i}", at("2026-11-17 10:00")),) if i % 3 else ()
        await repo.save_threads(tid, [ThreadFact(tid, "general", root, replies)])
    data = await summary_for(app.services, START)
    assert data.report.tenant.teams == 2000
    card = build_tenant_summary_card(
        tenant_view(data, dashboard_url="https://x.example/d?" + "s" * 300)
    )
    assert_valid_card(card)
    assert card_bytes(card) < CARD_LIMIT_BYTES
    sent = await app.say(ADELE, "adoption summary")
    assert card_bytes(sent[0].cards[0]) < CARD_LIMIT_BYTES
    assert "2000 teams" in sent[0].all_text()


async def test_team_summary_matches_without_case_or_accents(trimtab: Trimtab) -> None:
    await seed_all(trimtab.store)
    sent = await trimtab.say(ADELE, "adoption summary SÁLES")
    assert "Health 78 (green)" in sent[0].all_text()
