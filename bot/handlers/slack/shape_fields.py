"""Type checks of single Slack payload fields, and of the envelope keys Bolt reads at every level.

A failed check raises ShapeError naming the field's path (`body.actions[0].value`), which is
safe to return in a 400.
"""

from __future__ import annotations

import json
import re
from typing import Any

SLACK_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")
# Keys Bolt's extract_* functions read, by the type Slack sends (request/internals.py).
_ID_KEYS = frozenset(
    {
        "enterprise_id",
        "team_id",
        "user_id",
        "channel_id",
        "user_team",
        "context_team_id",
        "context_enterprise_id",
        "app_installed_team_id",
    }
)
_TEXT_KEYS = frozenset(
    {
        "type",
        "thread_ts",
        "response_url",
        "bot_access_token",
        "function_execution_id",
        "execution_id",
        "callback_id",
        "trigger_id",
        "api_app_id",
        "token",
        "channel_type",
        "subtype",
        "bot_id",
        "tab",
    }
)
_ENTITY_KEYS = frozenset({"team", "enterprise", "user", "channel"})
_NESTED_KEYS = frozenset(
    {
        "event",
        "message",
        "previous_message",
        "item",
        "assistant_thread",
        "view",
        "function_data",
        "inputs",
        "workflow_step",
        "function",
    }
)
_LIST_KEYS = frozenset({"authorizations", "actions", "response_urls"})
_FLAG_KEYS = frozenset({"is_enterprise_install", "is_ext_shared_channel"})
_ENVELOPE_KEYS = _ID_KEYS | _TEXT_KEYS | _ENTITY_KEYS | _NESTED_KEYS | _LIST_KEYS | _FLAG_KEYS


class ShapeError(ValueError):
    """The payload is not what Slack sends; the message names the field and is safe to return."""


def load_json(text: str, where: str) -> Any:
    if not text:
        raise ShapeError(f"{where} is empty")
    try:
        return json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: "[[[[…" nested thousands deep
        raise ShapeError(f"{where} is not valid JSON") from None


def envelope(obj: dict[str, Any], where: str) -> None:
    """Every key Bolt's context builders read has the type Slack sends, at every level."""
    for key, value in obj.items():
        if key in _ENVELOPE_KEYS:  # the path is built only for the keys checked
            _field(key, value, f"{where}.{key}")


def _field(key: str, value: Any, path: str) -> None:
    if key in _ID_KEYS:
        optional_id(value, path)
    elif key in _TEXT_KEYS:
        optional_string(value, path)
    elif key in _ENTITY_KEYS:
        _entity(value, path)
    elif key in _NESTED_KEYS:
        envelope(as_dict(value, path), path)
    elif key in _LIST_KEYS:
        for i, item in enumerate(as_list(value, path)):
            envelope(as_dict(item, f"{path}[{i}]"), f"{path}[{i}]")
    elif key in _FLAG_KEYS and value is not None and not isinstance(value, bool | str):
        raise ShapeError(f"{path} must be a boolean")


def _entity(value: Any, path: str) -> None:
    if value is None or isinstance(value, str):
        optional_id(value, path)
        return
    entity = as_dict(value, path)
    optional_id(entity.get("id"), f"{path}.id")
    envelope(entity, path)


def as_dict(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ShapeError(f"{path} must be an object")
    return value


def as_list(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise ShapeError(f"{path} must be a list")
    return value


def string(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise ShapeError(f"{path} must be a string")
    return value


def optional_string(value: Any, path: str) -> None:
    if value is not None:
        string(value, path)


def optional_id(value: Any, path: str) -> None:
    if value is not None and (not isinstance(value, str) or not SLACK_ID.fullmatch(value)):
        raise ShapeError(f"{path} must be a Slack id")
