"""Checks of one `nps.toml` value each: a wrong value raises ConfigError naming where it is."""

from __future__ import annotations

import re
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.model import MAX_DRIVERS, DigestTime, Platform
from bot.report_messages import Benchmark


class ConfigError(Exception):
    """`nps.toml` is invalid; the message names the file, the line and the reason."""


_CHANNEL = re.compile(r"[CG][A-Z0-9]{2,}")
_USER = re.compile(r"[UW][A-Z0-9]{2,}")
_AAD = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DRIVER = re.compile(r"[a-z][a-z0-9_]{0,39}")
_DIGEST = re.compile(r"(mon|tue|wed|thu|fri|sat|sun) ([01][0-9]|2[0-3]):([0-5][0-9])")
_PERSON_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,255}")


def flag(value: object, where: str, name: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: {name} must be true or false")
    return value


def rate(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
        raise ConfigError(
            f"{where}: ask_agent_rate must be a share above 0 and at most 1, e.g. 0.25"
        )
    return float(value)


def platform(value: object, where: str) -> Platform:
    if value not in ("slack", "teams"):
        raise ConfigError(f'{where}: platform must be "slack" or "teams"')
    return Platform(str(value))


def teams_channel(value: object, where: str, name: str = "teams_lead_channel") -> str | None:
    # Teams conversation ids look like 19:abc…@thread.tacv2; the bot tells admins which to paste.
    if value is None:
        return None
    if not isinstance(value, str) or not value.startswith("19:") or len(value) > 200:
        raise ConfigError(
            f"{where}: {name} must be a Teams channel id like 19:…@thread.tacv2 "
            "(add the bot to the team: it replies in the channel with the id to paste)"
        )
    return value


def digest(value: object, where: str) -> DigestTime | None:
    if value == "off":
        return None
    match = _DIGEST.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise ConfigError(f'{where}: digest must be "off" or a day and time like "mon 09:00"')
    day, hour, minute = match.groups()
    return DigestTime(_WEEKDAYS.index(day), int(hour), int(minute))


def drivers(value: object, where: str) -> tuple[str, ...]:
    """Driver keys such as "communication" or "remote_access", shown as "Remote access"."""
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_DRIVERS:
        raise ConfigError(f"{where}: drivers must be a list of 1 to {MAX_DRIVERS} driver keys")
    for item in value:
        if not isinstance(item, str) or not _DRIVER.fullmatch(item):
            raise ConfigError(
                f"{where}: driver {item!r} must be lowercase letters, digits or _, "
                'starting with a letter, e.g. "remote_access"'
            )
    if len(set(value)) != len(value):
        raise ConfigError(f"{where}: drivers lists a driver twice")
    return tuple(value)


def benchmark(value: object, where: str) -> Benchmark | None:
    if value is None:
        return None
    table = section(value, f"{where}: [benchmark]")
    reject_unknown(table, {"name", "nps"}, f"{where}: [benchmark]")
    name, nps = table.get("name"), table.get("nps")
    if not isinstance(name, str) or not name.strip() or len(name) > 80:
        raise ConfigError(f'{where}: [benchmark] name must be a short text, e.g. "IT support"')
    if isinstance(nps, bool) or not isinstance(nps, int) or not -100 <= nps <= 100:
        raise ConfigError(f"{where}: [benchmark] nps must be a whole number from -100 to 100")
    return Benchmark(name.strip(), nps)


def people(value: object, where: str) -> dict[str, str]:
    table = section(value, where)
    people: dict[str, str] = {}
    for person, email in table.items():
        if not isinstance(email, str) or not _PERSON_EMAIL.fullmatch(email):
            raise ConfigError(f'{where}: {person!r} must map to an e-mail, e.g. "ana@example.com"')
        # Account ids are case-sensitive opaque strings; GitHub logins are not: keep both forms.
        people[person] = email.lower()
        people.setdefault(person.casefold(), email.lower())
    return people


def section(raw: object, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: must be a table")
    return raw


def reject_unknown(table: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ConfigError(f"{where}: unknown setting {unknown[0]!r}")


def channel(value: object, where: str, name: str = "slack_lead_channel") -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _CHANNEL.fullmatch(value):
        raise ConfigError(f"{where}: {name} must be a Slack channel id like C0123ABCD")
    return value


def positive(value: object, where: str, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1000:
        raise ConfigError(f"{where}: {name} must be a number of hours or days above 0")
    return float(value)


def non_negative(value: object, where: str, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 3650:
        raise ConfigError(f"{where}: {name} must be a number, 0 or more")
    return float(value)


def min_answers(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1000:
        raise ConfigError(f"{where}: min_answers must be a whole number from 1 to 1000")
    return value


def retention_days(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 36500:
        raise ConfigError(f"{where}: retention_days must be a whole number of days, 0 or more")
    return value


def admins(value: object, where: str) -> frozenset[str]:
    if not isinstance(value, list) or not all(
        isinstance(v, str) and (_USER.fullmatch(v) or _AAD.fullmatch(v)) for v in value
    ):
        raise ConfigError(
            f"{where}: admins must be a list of Slack user ids like U0123ABCD "
            "or Teams (Entra) object ids like 6f1c5e2a-0001-4a2b-9c3d-0123456789ab"
        )
    return frozenset(value)


def timezone(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{where}: timezone must be a string such as 'Europe/Paris'")
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{where}: unknown timezone {value!r}") from None
    return value
