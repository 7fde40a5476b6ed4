"""GraphSettings.from_env, the pseudonym key file and the usage-report CSV parser."""

from __future__ import annotations

from pathlib import Path

import pytest

from adoption.config import DEFAULT_BASE_URL, ConfigError, GraphSettings, pseudonym_key
from adoption.pseudonym import Pseudonymiser
from adoption.usage import UsageReportError, parse_user_activity_csv
from tests.fakes.graph_server import CSV_HEADER

HEADER_FILE = (
    Path(__file__).parents[1]
    / "data/graph_examples"
    / "reportroot-getteamsuseractivityuserdetail.v1.header.csv"
)


def test_defaults_and_is_configured() -> None:
    settings = GraphSettings.from_env({})
    assert settings.base_url == DEFAULT_BASE_URL
    assert (settings.sync_cron, settings.lookback_days) == ("0 2 * * *", 28)
    assert not settings.pseudonymise and not settings.is_configured
    assert GraphSettings.from_env({"TRIMTAB_GRAPH_TOKEN": "abc"}).auth_mode == "token"
    creds = {
        "TRIMTAB_GRAPH_TENANT_ID": "t",
        "TRIMTAB_GRAPH_CLIENT_ID": "c",
        "TRIMTAB_GRAPH_CLIENT_SECRET": "very-secret",
    }
    settings = GraphSettings.from_env(creds)
    assert settings.is_configured and settings.auth_mode == "secret"
    assert "very-secret" not in repr(settings)


def test_values_are_parsed(tmp_path: Path) -> None:
    cert = tmp_path / "app.pem"
    cert.write_text("-----BEGIN PRIVATE KEY-----\n")
    settings = GraphSettings.from_env(
        {
            "TRIMTAB_GRAPH_TENANT_ID": "t",
            "TRIMTAB_GRAPH_CLIENT_ID": "c",
            "TRIMTAB_GRAPH_CLIENT_CERTIFICATE": str(cert),
            "TRIMTAB_GRAPH_BASE_URL": "https://graph.microsoft.us/v1.0/",
            "TRIMTAB_PSEUDONYMISE": "1",
            "TRIMTAB_PSEUDONYM_KEY": "0123456789abcdef",
            "TRIMTAB_SYNC_CRON": "30  3 * * 1-5",
            "TRIMTAB_SYNC_LOOKBACK_DAYS": "56",
        }
    )
    assert settings.auth_mode == "certificate"
    assert settings.base_url == "https://graph.microsoft.us/v1.0"
    assert settings.pseudonymise and settings.sync_cron == "30 3 * * 1-5"
    assert settings.lookback_days == 56


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TRIMTAB_GRAPH_BASE_URL", "graph.microsoft.com/v1.0"),
        ("TRIMTAB_GRAPH_BASE_URL", "https://graph.microsoft.com/v1.0?x=1"),
        ("TRIMTAB_PSEUDONYMISE", "maybe"),
        ("TRIMTAB_PSEUDONYM_KEY", "short"),
        ("TRIMTAB_SYNC_CRON", "nightly"),
        ("TRIMTAB_SYNC_CRON", "0 2 * *"),
        ("TRIMTAB_SYNC_LOOKBACK_DAYS", "four weeks"),
        ("TRIMTAB_SYNC_LOOKBACK_DAYS", "0"),
        ("TRIMTAB_SYNC_LOOKBACK_DAYS", "400"),
        ("TRIMTAB_GRAPH_CLIENT_CERTIFICATE", "/nonexistent/cert.pem"),
        ("TRIMTAB_SYNC_BACKFILL_WEEKS", "half a year"),
        ("TRIMTAB_SYNC_BACKFILL_WEEKS", "0"),
        ("TRIMTAB_SYNC_BACKFILL_WEEKS", "52"),
        ("TRIMTAB_MIN_GROUP_SIZE", "-1"),
        ("TRIMTAB_MIN_GROUP_SIZE", "five"),
        ("TRIMTAB_EXCLUDE_USERS", "alice@contoso.com,,bob@contoso.com"),
        ("TRIMTAB_EXCLUDE_USERS", "Robin Kline"),
        ("TRIMTAB_GROUP_BY", "manager"),
        ("TRIMTAB_GROUP_BY", "department,team"),
    ],
)
def test_bad_values_name_the_variable(name: str, value: str) -> None:
    env = {name: value}
    if name == "TRIMTAB_GRAPH_CLIENT_CERTIFICATE":
        env |= {"TRIMTAB_GRAPH_TENANT_ID": "t", "TRIMTAB_GRAPH_CLIENT_ID": "c"}
    with pytest.raises(ConfigError, match=name):
        GraphSettings.from_env(env)


def test_history_privacy_settings_defaults_and_values() -> None:
    settings = GraphSettings.from_env({})
    assert (settings.backfill_weeks, settings.min_group_size) == (26, 5)
    assert settings.exclude_users == frozenset() and settings.pseudonym_key_file is None
    settings = GraphSettings.from_env(
        {
            "TRIMTAB_SYNC_BACKFILL_WEEKS": "34",
            "TRIMTAB_MIN_GROUP_SIZE": "1",
            "TRIMTAB_EXCLUDE_USERS": " Alice@Contoso.com , 8EA0E38B-efb3-4757-924a-5f94061cf8c2",
        }
    )
    assert (settings.backfill_weeks, settings.min_group_size) == (34, 1)
    assert settings.exclude_users == {
        "alice@contoso.com",
        "8ea0e38b-efb3-4757-924a-5f94061cf8c2",
    }


def test_key_file_outside_the_data_dir(tmp_path: Path) -> None:
    key_file = tmp_path / "secrets" / "trimtab.key"
    data_dir = tmp_path / "data"
    settings = GraphSettings.from_env(
        {"TRIMTAB_PSEUDONYMISE": "1", "TRIMTAB_PSEUDONYM_KEY_FILE": str(key_file)}
    )
    key = pseudonym_key(settings, data_dir)
    assert key_file.read_bytes() == key and not data_dir.exists()


def test_a_secret_without_tenant_names_the_missing_variable() -> None:
    with pytest.raises(ConfigError, match="TRIMTAB_GRAPH_TENANT_ID"):
        GraphSettings.from_env({"TRIMTAB_GRAPH_CLIENT_SECRET": "s"})


def test_generated_key_is_kept_and_reused(tmp_path: Path) -> None:
    settings = GraphSettings(pseudonymise=True)
    first = pseudonym_key(settings, tmp_path)
    assert first == pseudonym_key(settings, tmp_path) and len(first) == 64
    explicit = GraphSettings(pseudonymise=True, pseudonym_key="0123456789abcdef")
    assert pseudonym_key(explicit, tmp_path) == b"0123456789abcdef"


def test_usage_csv_with_the_documented_header_and_a_bom() -> None:
    assert HEADER_FILE.read_text().strip() == CSV_HEADER  # the fake uses the documented header
    row = ["2026-11-20", "Contoso", "", "U1", "u1@contoso.com", "2026-11-19", "False", "", "E3"]
    row += ["7", "3", "0", "0", "2", "5", "0"] + ["0"] * 8
    row += ["PT0S", "PT0S", "PT0S", "0", "0", "0", "No", "Yes", "7"]
    text = "\ufeff" + CSV_HEADER + "\r\n" + ",".join(row) + "\r\n"
    usage = parse_user_activity_csv(text, "D7", Pseudonymiser.disabled())
    assert (usage.users, usage.team_chat, usage.private_chat, usage.posts, usage.replies) == (
        1,
        7,
        3,
        2,
        5,
    )
    assert usage.channel_share == 0.7 and usage.refreshed == "2026-11-20"


def test_usage_csv_without_the_count_columns_is_rejected() -> None:
    with pytest.raises(UsageReportError, match="Team Chat Message Count"):
        parse_user_activity_csv("User Id,Other\nu,1\n", "D7", Pseudonymiser.disabled())
    bad = CSV_HEADER + "\n" + ",".join(["x"] * 33) + "\n"
    with pytest.raises(UsageReportError, match="not a count"):
        parse_user_activity_csv(bad, "D7", Pseudonymiser.disabled())


def test_group_by_defaults_to_none_and_accepts_department() -> None:
    assert GraphSettings.from_env({}).group_by == "none"
    assert not GraphSettings.from_env({"TRIMTAB_GROUP_BY": " none "}).by_department
    settings = GraphSettings.from_env({"TRIMTAB_GROUP_BY": "Department"})
    assert settings.group_by == "department" and settings.by_department
    assert "group_by='department'" in repr(settings)


def test_a_bad_group_by_lists_the_allowed_values_on_one_line() -> None:
    with pytest.raises(ConfigError) as caught:
        GraphSettings.from_env({"TRIMTAB_GROUP_BY": "office"})
    assert str(caught.value) == ("TRIMTAB_GROUP_BY must be one of: none, department; got 'office'")
