"""Defensive reading of a JSON body: bounded, typed, and every error names its field."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from bot.itsm.close import ItsmError

MAX_TITLE = 1000
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,255}")
# ServiceNow's getValue() date-times: "2026-11-20 10:00:00", in UTC.
_GLIDE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}")

Obj = dict[str, Any]


def load_object(body: bytes) -> Obj:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        # RecursionError: a deeply nested body must be a 400, never a 500.
        raise ItsmError("body is not valid UTF-8 JSON") from None
    if not isinstance(data, dict):
        raise ItsmError("body must be a JSON object")
    return data


def obj(parent: Obj, key: str, path: str, *, required: bool = True) -> Obj | None:
    value = parent.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, dict):
        raise ItsmError(f"{path}{key} must be an object")
    return value


def need(parent: Obj, key: str, path: str) -> Obj:
    found = obj(parent, key, path)
    assert found is not None  # noqa: S101 - obj() raises when a required object is missing
    return found


def text(parent: Obj, key: str, path: str, *, limit: int = 200, required: bool = False) -> str:
    """A string (or a whole number, as ids often are); "" when absent and not required."""
    value = parent.get(key)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if value is not None and not isinstance(value, str):
        raise ItsmError(f"{path}{key} must be a string")
    result = (value or "").strip()
    if required and not result:
        raise ItsmError(f"{path}{key} is required")
    if len(result) > limit:
        raise ItsmError(f"{path}{key} is longer than {limit} characters")
    return result


def email(parent: Obj, key: str, path: str) -> str | None:
    value = text(parent, key, path, limit=320)
    if not value:
        return None
    if not _EMAIL.fullmatch(value):
        raise ItsmError(f"{path}{key} is not an e-mail address")
    return value.lower()  # the join key with the chat directory, which ignores case


def url(parent: Obj, key: str, path: str) -> str | None:
    value = text(parent, key, path, limit=2000)
    if not value:
        return None
    if not value.startswith(("https://", "http://")):
        raise ItsmError(f"{path}{key} must be an http(s) URL")
    return value


def timestamp(parent: Obj, key: str, path: str, *, naive_utc: bool = False) -> datetime | None:
    """ISO 8601 with a time zone; with `naive_utc`, also ServiceNow's UTC "YYYY-MM-DD HH:MM:SS"."""
    value = text(parent, key, path, limit=64)
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ItsmError(f"{path}{key} must be an ISO 8601 timestamp") from None
    if parsed.tzinfo is None:
        if not (naive_utc and _GLIDE.fullmatch(value)):
            raise ItsmError(f"{path}{key} must include a time zone, e.g. Z")
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def first_time(now: datetime, *found: datetime | None) -> datetime:
    """The first close time the body gave; the time it arrived when it gave none."""
    return next((t for t in found if t is not None), now)


_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}


def flag(parent: Obj, key: str, path: str) -> bool | None:
    """A boolean, or the text a template renders for one ("true"/"false", "1"/"0",
    "yes"/"no"); None when absent or empty (an unset placeholder)."""
    value = parent.get(key)
    if value is None or isinstance(value, bool):
        return value
    folded = text(parent, key, path, limit=8).casefold()
    if not folded:
        return None
    if folded in _TRUE | _FALSE:
        return folded in _TRUE
    raise ItsmError(f"{path}{key} must be true or false")
