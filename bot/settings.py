"""Settings from the environment and `.env`, validated once at start-up."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from dotenv import dotenv_values

from bot.webhook_secret import parse_webhook_secret

_DIGITS = re.compile(r"-?[0-9]{1,6}")  # a sign is read, so -1 gets the range message


class SettingsError(Exception):
    """A setting is invalid; the message names the setting, never its value."""


@dataclass(frozen=True, slots=True)
class Secret:
    """A secret value whose repr and str never show it, so it cannot leak into logs by accident."""

    value: str = field(repr=False)

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__


@dataclass(frozen=True, slots=True)
class Settings:
    # Not a Secret (the store needs the string), but kept out of repr: it may hold a password.
    database_url: str = field(default="sqlite:///npsbot.db", repr=False)
    slack_bot_token: Secret | None = None
    slack_signing_secret: Secret | None = None
    slack_app_token: Secret | None = None
    slack_api_url: str = "https://slack.com/api/"
    ticket_webhook_secrets: tuple[Secret, ...] = ()
    nps_config: Path = Path("nps.toml")
    nps_config_explicit: bool = False
    host: str = "0.0.0.0"  # noqa: S104 - a bot server is meant to be reachable; HOST narrows it
    port: int = 3000
    survey_expiry_days: int = 7
    delivery_give_up_hours: float = 24.0
    delivery_poll_seconds: float = 5.0
    log_level: str = "INFO"
    microsoft_app_id: str | None = None
    microsoft_app_password: Secret | None = None
    microsoft_app_tenant_id: str | None = None
    # Local emulator only: with no app id botbuilder accepts any request, so this must be explicit.
    teams_allow_unauthenticated: bool = False
    # Where Bot Framework's OpenID metadata is read from; tests point it at a fake on loopback.
    teams_openid_metadata_url: str | None = None
    # ITSM tools' webhook secrets (issue 11): unset, that /webhooks/<tool> answers 404.
    itsm_webhook_secrets: dict[str, tuple[Secret, ...]] = field(default_factory=dict, repr=False)

    @property
    def slack_enabled(self) -> bool:
        return self.slack_bot_token is not None

    @property
    def teams_enabled(self) -> bool:
        return self.microsoft_app_id is not None or self.teams_allow_unauthenticated

    @property
    def slack_socket_mode(self) -> bool:
        return self.slack_app_token is not None

    def secret_values(self) -> list[str]:
        """Every configured secret, for the log redaction filter."""
        secrets = [
            self.slack_bot_token,
            self.slack_signing_secret,
            self.slack_app_token,
            self.microsoft_app_password,
        ]
        found = [s.value for s in secrets if s is not None]
        password = urlsplit(self.database_url).password
        itsm = [s.value for values in self.itsm_webhook_secrets.values() for s in values]
        return (
            found
            + [s.value for s in self.ticket_webhook_secrets]
            + itsm
            + ([password] if password else [])
        )

    def missing_platform_hint(self) -> str | None:
        if self.slack_enabled or self.teams_enabled:
            return None
        return (
            "no chat platform configured: set SLACK_BOT_TOKEN (and SLACK_SIGNING_SECRET or "
            "SLACK_APP_TOKEN) for Slack, or MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD for "
            "Teams; tickets are accepted and surveys wait in the database until then"
        )


def load_settings(
    environ: Mapping[str, str] | None = None, env_file: str | Path = ".env"
) -> Settings:
    """Environment first, then `.env`, then defaults (starlette's precedence)."""

    def present(values: Mapping[str, str | None]) -> dict[str, str]:
        # An empty value means "not set", so it neither hides .env nor replaces a default.
        return {k: v.strip() for k, v in values.items() if v is not None and v.strip()}

    environment = present(os.environ if environ is None else environ)
    return _build({**present(dotenv_values(env_file)), **environment})


def _build(raw: dict[str, str]) -> Settings:
    bot_token, signing, app_token = _slack(raw)
    app_id, app_password = _teams_app(raw)
    return Settings(
        database_url=_database_url(raw.get("DATABASE_URL", "sqlite:///npsbot.db")),
        slack_bot_token=bot_token,
        slack_signing_secret=signing,
        slack_app_token=app_token,
        slack_api_url=_http_url(raw, "SLACK_API_URL", "https://slack.com/api/", slash=True),
        ticket_webhook_secrets=_webhook_secrets(raw),
        nps_config=Path(raw.get("NPS_CONFIG", "nps.toml")),
        nps_config_explicit="NPS_CONFIG" in raw,
        host=raw.get("HOST", "0.0.0.0"),  # noqa: S104 - see Settings.host
        port=_int(raw, "PORT", 3000, low=1, high=65535),
        survey_expiry_days=_int(raw, "SURVEY_EXPIRY_DAYS", 7, low=1, high=365),
        delivery_give_up_hours=_float(raw, "DELIVERY_GIVE_UP_HOURS", 24.0, low=0.01, high=720),
        delivery_poll_seconds=_float(raw, "DELIVERY_POLL_SECONDS", 5.0, low=0.05, high=3600),
        log_level=_choice(raw, "LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR")),
        microsoft_app_id=app_id,
        microsoft_app_password=app_password,
        microsoft_app_tenant_id=raw.get("MICROSOFT_APP_TENANT_ID"),
        teams_allow_unauthenticated=_choice(raw, "TEAMS_ALLOW_UNAUTHENTICATED", "0", ("0", "1"))
        == "1",
        teams_openid_metadata_url=_openid_metadata_url(raw),
        itsm_webhook_secrets=_itsm_secrets(raw),
    )


def _slack(raw: dict[str, str]) -> tuple[Secret | None, Secret | None, Secret | None]:
    """The bot token, signing secret and app token: with a bot token, HTTP mode needs the
    signing secret and Socket Mode the app token; without one, Slack is off."""
    bot_token = _token(raw, "SLACK_BOT_TOKEN", "xoxb-")
    app_token = _token(raw, "SLACK_APP_TOKEN", "xapp-")
    signing = _secret(raw, "SLACK_SIGNING_SECRET")
    if bot_token and not app_token and not signing:
        raise SettingsError(
            "SLACK_SIGNING_SECRET: required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)"
        )
    if app_token and not bot_token:
        raise SettingsError("SLACK_BOT_TOKEN: required when SLACK_APP_TOKEN is set")
    return bot_token, signing, app_token


def _teams_app(raw: dict[str, str]) -> tuple[str | None, Secret | None]:
    """The Azure bot's id and its password, which the id requires; without an id, Teams is off."""
    app_id = raw.get("MICROSOFT_APP_ID")
    app_password = _secret(raw, "MICROSOFT_APP_PASSWORD")
    if app_id and not app_password:
        raise SettingsError("MICROSOFT_APP_PASSWORD: required when MICROSOFT_APP_ID is set")
    return app_id, app_password


def _openid_metadata_url(raw: dict[str, str]) -> str | None:
    """Unset: None, and botbuilder reads Bot Framework's own metadata."""
    if "TEAMS_OPENID_METADATA_URL" not in raw:
        return None
    return _http_url(raw, "TEAMS_OPENID_METADATA_URL", "", slash=False)


def _secret(raw: dict[str, str], name: str) -> Secret | None:
    value = raw.get(name)
    return Secret(value) if value else None


def _token(raw: dict[str, str], name: str, prefix: str) -> Secret | None:
    secret = _secret(raw, name)
    if secret is not None and not secret.value.startswith(prefix):
        raise SettingsError(f"{name}: must be a token starting with {prefix}")
    return secret


def _webhook_secrets(raw: dict[str, str]) -> tuple[Secret, ...]:
    # Space-separated so a secret can be rotated without downtime (Standard Webhooks multi-sig).
    values = raw.get("TICKET_WEBHOOK_SECRET", "").split()
    for value in values:
        try:
            parse_webhook_secret(value)
        except ValueError as exc:
            raise SettingsError(f"TICKET_WEBHOOK_SECRET: {exc}") from None
    return tuple(Secret(v) for v in values)


# The tool each ITSM endpoint serves, and the setting holding its secret.
ITSM_SECRET_SETTINGS = {
    "jira": "JIRA_WEBHOOK_SECRET",
    "servicenow": "SERVICENOW_WEBHOOK_SECRET",
    "zendesk": "ZENDESK_WEBHOOK_SECRET",
    "freshservice": "FRESHSERVICE_WEBHOOK_SECRET",
    "github": "GITHUB_WEBHOOK_SECRET",
}


def _itsm_secrets(raw: dict[str, str]) -> dict[str, tuple[Secret, ...]]:
    """Space-separated values, as for TICKET_WEBHOOK_SECRET, so a rotation has no downtime."""
    found: dict[str, tuple[Secret, ...]] = {}
    for tool, name in ITSM_SECRET_SETTINGS.items():
        values = raw.get(name, "").split()
        if tool == "servicenow":
            for value in values:
                try:
                    parse_webhook_secret(value)
                except ValueError as exc:
                    raise SettingsError(f"{name}: {exc}") from None
        elif any(len(v) < 16 for v in values):
            raise SettingsError(f"{name}: must be at least 16 characters")
        if values:
            found[tool] = tuple(Secret(v) for v in values)
    return found


def _int(raw: dict[str, str], name: str, default: int, *, low: int, high: int) -> int:
    text = raw.get(name)
    if text is None:
        return default
    if not _DIGITS.fullmatch(text):
        raise SettingsError(f"{name}: {text!r} is not an integer")
    value = int(text)
    if not low <= value <= high:
        raise SettingsError(f"{name}: must be between {low} and {high}")
    return value


def _float(raw: dict[str, str], name: str, default: float, *, low: float, high: float) -> float:
    text = raw.get(name)
    if text is None:
        return default
    try:
        value = float(text)
    except ValueError:
        raise SettingsError(f"{name}: {text!r} is not a number") from None
    if not low <= value <= high:
        raise SettingsError(f"{name}: must be between {low} and {high}")
    return value


def _choice(raw: dict[str, str], name: str, default: str, allowed: tuple[str, ...]) -> str:
    value = raw.get(name, default).upper()
    if value not in allowed:
        raise SettingsError(f"{name}: must be one of {', '.join(allowed)}")
    return value


def _http_url(raw: dict[str, str], name: str, default: str, *, slash: bool) -> str:
    value = raw.get(name, default)
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SettingsError(f"{name}: must be an http:// or https:// URL")
    return value if not slash or value.endswith("/") else value + "/"


def _database_url(value: str) -> str:
    # Only the scheme is inspected: the URL may hold a password and must never be echoed.
    scheme = value.split("://", 1)[0] if "://" in value else ""
    base = scheme.split("+", 1)[0]
    if base not in ("sqlite", "postgresql", "postgres"):
        raise SettingsError(
            "DATABASE_URL: must be a sqlite:///path or postgresql://user@host/db URL"
        )
    if base == "sqlite" and not value.startswith(f"{scheme}:///"):
        raise SettingsError("DATABASE_URL: a SQLite URL has three slashes: sqlite:///path")
    return value
