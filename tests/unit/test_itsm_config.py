"""The ITSM settings and nps.toml keys: secrets, rotation, [people], resurvey_after_days."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.directory import ConfigError, load_directory
from bot.handlers.itsm import enabled_webhooks
from bot.settings import SettingsError, load_settings
from tests.itsm import ITSM_ENV


def test_each_secret_turns_its_endpoint_on_and_is_redacted(tmp_path: Path) -> None:
    rotating = {"GITHUB_WEBHOOK_SECRET": "old-secret-0123456789 new-secret-0123456789"}
    settings = load_settings({**ITSM_ENV, **rotating}, env_file=tmp_path / "absent.env")
    assert [s.value for s in settings.itsm_webhook_secrets["github"]] == [
        "old-secret-0123456789",
        "new-secret-0123456789",
    ]
    assert enabled_webhooks(settings) == [
        "/webhooks/jira",
        "/webhooks/servicenow",
        "/webhooks/zendesk",
        "/webhooks/freshservice",
        "/webhooks/github",
    ]
    assert {*ITSM_ENV.values(), *rotating.values()} - {ITSM_ENV["GITHUB_WEBHOOK_SECRET"]} - {
        rotating["GITHUB_WEBHOOK_SECRET"]
    } <= set(settings.secret_values())
    assert {"old-secret-0123456789", "new-secret-0123456789"} <= set(settings.secret_values())
    assert "0123456789" not in repr(settings)
    assert enabled_webhooks(load_settings({}, env_file=tmp_path / "absent.env")) == []


@pytest.mark.parametrize(
    ("name", "value"),
    [("JIRA_WEBHOOK_SECRET", "short-SECRET"), ("SERVICENOW_WEBHOOK_SECRET", "not-whsec-SECRET-x")],
)
def test_a_bad_secret_names_the_setting_and_not_the_value(
    tmp_path: Path, name: str, value: str
) -> None:
    with pytest.raises(SettingsError, match=name) as error:
        load_settings({name: value}, env_file=tmp_path / "absent.env")
    assert "SECRET" not in str(error.value).replace(name, "")


def test_people_and_resurvey_after_days_load(tmp_path: Path) -> None:
    path = tmp_path / "nps.toml"
    path.write_text(
        '[defaults]\nresurvey_after_days = 45\n\n[people]\n"OctoCat" = "Ana@Example.com"\n'
    )
    directory = load_directory(path, required=True)
    assert directory.resurvey_after_days == 45
    assert directory.email_of("octocat") == "ana@example.com"
    assert directory.email_of("nobody") is None
    assert load_directory(tmp_path / "none.toml", required=False).resurvey_after_days == 30


def test_a_person_without_an_email_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "nps.toml"
    path.write_text('[defaults]\n\n[people]\n"octocat" = "not an e-mail"\n')
    with pytest.raises(
        ConfigError, match=r"nps.toml:3: \[people\]: 'octocat' must map to an e-mail"
    ):
        load_directory(path, required=True)
