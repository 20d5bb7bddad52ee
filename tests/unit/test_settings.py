"""Tests for bot.settings: defaults, precedence, validation, and that secrets never leak."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Secret, Settings, SettingsError, load_settings

BOT_TOKEN = "xoxb-1-BOTSECRET"
APP_TOKEN = "xapp-1-APPSECRET"
SIGNING = "signing-SECRETVALUE"
WHSEC_A = "whsec_bnBzYm90LXRlc3Qta2V5LTAxMjM0NTY3ODlhYmNkZWY="
WHSEC_B = "whsec_YW5vdGhlci10ZXN0LWtleS0yNGJ5dGVzLWxvbmchISE="


@pytest.fixture
def no_env_file(tmp_path: Path) -> Path:
    return tmp_path / "does-not-exist.env"


def load(environ: dict[str, str], env_file: Path) -> Settings:
    return load_settings(environ, env_file)


def error_for(environ: dict[str, str], env_file: Path) -> str:
    with pytest.raises(SettingsError) as info:
        load_settings(environ, env_file)
    return str(info.value)


def test_empty_environment_and_missing_env_file_give_the_defaults(no_env_file: Path) -> None:
    settings = load({}, no_env_file)
    assert settings == Settings()
    assert settings.database_url == "sqlite:///npsbot.db"
    assert settings.port == 3000
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.ticket_webhook_secrets == ()
    assert settings.nps_config == Path("nps.toml")
    assert settings.nps_config_explicit is False
    assert settings.log_level == "INFO"
    assert settings.slack_enabled is False


def test_environment_beats_env_file_which_beats_default(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("PORT=4000\nLOG_LEVEL=debug\n")
    settings = load({"PORT": "5000"}, env_file)
    assert settings.port == 5000  # environment wins over the file
    assert settings.log_level == "DEBUG"  # the file wins over the default
    assert settings.survey_expiry_days == 7  # the default when neither says


def test_nps_config_set_anywhere_is_marked_explicit(no_env_file: Path) -> None:
    settings = load({"NPS_CONFIG": "/etc/npsbot/teams.toml"}, no_env_file)
    assert settings.nps_config == Path("/etc/npsbot/teams.toml")
    assert settings.nps_config_explicit is True


def test_port_that_is_not_a_number_names_the_setting(no_env_file: Path) -> None:
    assert error_for({"PORT": "abc"}, no_env_file) == "PORT: 'abc' is not an integer"


@pytest.mark.parametrize("port", ["0", "65536", "-1"])
def test_port_out_of_range_is_rejected(no_env_file: Path, port: str) -> None:
    assert error_for({"PORT": port}, no_env_file).startswith("PORT: ")


@pytest.mark.parametrize("port", ["1", "65535"])
def test_port_range_ends_are_accepted(no_env_file: Path, port: str) -> None:
    assert load({"PORT": port}, no_env_file).port == int(port)


def test_port_of_superscript_digit_is_a_settings_error(no_env_file: Path) -> None:
    assert error_for({"PORT": "²"}, no_env_file).startswith("PORT: ")


def test_port_of_non_ascii_digits_is_rejected(no_env_file: Path) -> None:
    assert error_for({"PORT": "١٢"}, no_env_file).startswith("PORT: ")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SLACK_BOT_TOKEN", "xapp-wrongkind-SECRETVALUE"),
        ("SLACK_APP_TOKEN", "xoxb-wrongkind-SECRETVALUE"),
        ("TICKET_WEBHOOK_SECRET", "notwhsec-SECRETVALUE"),
        ("DATABASE_URL", "mysql://user:SECRETPW@host/db"),
    ],
)
def test_invalid_secret_error_names_the_setting_but_not_its_value(
    no_env_file: Path, name: str, value: str
) -> None:
    message = error_for({name: value}, no_env_file)
    assert message.startswith(f"{name}: ")
    assert value not in message
    assert "SECRETVALUE" not in message
    assert "SECRETPW" not in message


def test_webhook_secret_with_bad_base64_does_not_echo_it(no_env_file: Path) -> None:
    message = error_for({"TICKET_WEBHOOK_SECRET": "whsec_SECRET!!VALUE"}, no_env_file)
    assert message.startswith("TICKET_WEBHOOK_SECRET: ")
    assert "SECRET!!VALUE" not in message


@pytest.mark.parametrize("url", ["ftp://x", "not a url", "https://"])
def test_malformed_slack_api_url_names_the_setting(no_env_file: Path, url: str) -> None:
    assert error_for({"SLACK_API_URL": url}, no_env_file).startswith("SLACK_API_URL: ")


def test_slack_api_url_gets_a_trailing_slash(no_env_file: Path) -> None:
    settings = load({"SLACK_API_URL": "http://127.0.0.1:8080/api"}, no_env_file)
    assert settings.slack_api_url == "http://127.0.0.1:8080/api/"


def test_bot_token_without_signing_secret_in_http_mode_names_signing_secret(
    no_env_file: Path,
) -> None:
    message = error_for({"SLACK_BOT_TOKEN": BOT_TOKEN}, no_env_file)
    assert message.startswith("SLACK_SIGNING_SECRET: ")
    assert BOT_TOKEN not in message


def test_app_token_without_bot_token_is_rejected(no_env_file: Path) -> None:
    message = error_for({"SLACK_APP_TOKEN": APP_TOKEN}, no_env_file)
    assert message.startswith("SLACK_BOT_TOKEN: ")
    assert APP_TOKEN not in message


def test_bot_token_and_signing_secret_enable_slack_in_http_mode(no_env_file: Path) -> None:
    settings = load({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING}, no_env_file)
    assert settings.slack_enabled is True
    assert settings.slack_socket_mode is False
    assert settings.slack_bot_token == Secret(BOT_TOKEN)


def test_app_token_turns_on_socket_mode_without_a_signing_secret(no_env_file: Path) -> None:
    settings = load({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN}, no_env_file)
    assert settings.slack_enabled is True
    assert settings.slack_socket_mode is True


def test_repr_of_settings_shows_no_secret_value(no_env_file: Path) -> None:
    settings = load(
        {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_APP_TOKEN": APP_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING,
            "TICKET_WEBHOOK_SECRET": WHSEC_A,
        },
        no_env_file,
    )
    shown = repr(settings) + str(settings)
    for value in (BOT_TOKEN, APP_TOKEN, SIGNING, WHSEC_A):
        assert value not in shown
    assert "********" in shown
    assert sorted(settings.secret_values()) == sorted([BOT_TOKEN, APP_TOKEN, SIGNING, WHSEC_A])


def test_secret_repr_and_str_are_masked() -> None:
    secret = Secret("SECRETVALUE")
    assert "SECRETVALUE" not in repr(secret)
    assert "SECRETVALUE" not in str(secret)
    assert "SECRETVALUE" not in f"{secret}"


def test_repr_of_settings_hides_the_database_password(no_env_file: Path) -> None:
    settings = load({"DATABASE_URL": "postgresql://user:SECRETPW@host/db"}, no_env_file)
    assert "SECRETPW" not in repr(settings)


def test_two_space_separated_webhook_secrets_are_both_kept(no_env_file: Path) -> None:
    settings = load({"TICKET_WEBHOOK_SECRET": f"{WHSEC_A} {WHSEC_B}"}, no_env_file)
    assert [s.value for s in settings.ticket_webhook_secrets] == [WHSEC_A, WHSEC_B]


def test_sqlite_url_with_two_slashes_is_rejected(no_env_file: Path) -> None:
    message = error_for({"DATABASE_URL": "sqlite://npsbot.db"}, no_env_file)
    assert message.startswith("DATABASE_URL: ")
    assert "three slashes" in message


@pytest.mark.parametrize(
    "url",
    ["sqlite:////var/lib/npsbot.db", "sqlite+aiosqlite:///x.db", "postgresql://u@h/db"],
)
def test_supported_database_urls_are_accepted(no_env_file: Path, url: str) -> None:
    assert load({"DATABASE_URL": url}, no_env_file).database_url == url


def test_missing_platform_hint_is_one_line_when_slack_is_off(no_env_file: Path) -> None:
    hint = load({}, no_env_file).missing_platform_hint()
    assert hint is not None
    assert "SLACK_BOT_TOKEN" in hint
    assert "\n" not in hint


def test_missing_platform_hint_is_none_when_slack_is_on(no_env_file: Path) -> None:
    settings = load({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING}, no_env_file)
    assert settings.missing_platform_hint() is None


def test_unknown_log_level_names_the_setting(no_env_file: Path) -> None:
    assert error_for({"LOG_LEVEL": "chatty"}, no_env_file).startswith("LOG_LEVEL: ")


@pytest.mark.parametrize("value", ["nan", "0", "soon"])
def test_bad_delivery_poll_seconds_names_the_setting(no_env_file: Path, value: str) -> None:
    assert error_for({"DELIVERY_POLL_SECONDS": value}, no_env_file).startswith(
        "DELIVERY_POLL_SECONDS: "
    )


@pytest.mark.parametrize("value", ["-1", "0", "366"])
def test_survey_expiry_days_out_of_range_says_the_range(no_env_file: Path, value: str) -> None:
    message = error_for({"SURVEY_EXPIRY_DAYS": value}, no_env_file)
    assert message == "SURVEY_EXPIRY_DAYS: must be between 1 and 365"
