"""Checks a Teams activity against botbuilder's own schema before anything deserializes it.

msrest's deserializer is lenient: `"id": {"a": 1}` or `"text": 5` come through as they are
and fail later, while replying (a msrest ValidationError, which was a 500). Here every field
the schema types is checked against that type, using the models' `_attribute_map`, so a
field botbuilder adds is covered without a change here.
"""

from __future__ import annotations

from typing import Any

import botbuilder.schema as schema
from botbuilder.schema import Activity

from bot.handlers.payload import PayloadError, check_limits

# Present in every activity Teams sends; conversations.py and the handler read each of them.
_REQUIRED = ("conversation", "from", "recipient")
_SCALARS: dict[str, type | tuple[type, ...]] = {
    "str": str,
    "iso-8601": str,
    "bool": bool,
    "int": int,
    "long": int,
    "float": (int, float),
}


class ActivityShapeError(ValueError):
    """The body is not an activity; the message names the field and is safe to return."""


def check_activity(body: Any) -> None:
    if not isinstance(body, dict):
        raise ActivityShapeError("body is not an activity: not a JSON object")
    try:
        check_limits(body)
    except PayloadError as exc:
        raise ActivityShapeError(str(exc)) from None
    for field in ("type", "serviceUrl", "channelId"):
        if not isinstance(body.get(field), str) or not body[field]:
            raise ActivityShapeError(f"body is not an activity: no {field}")
    _model(body, Activity, "activity")
    for field in _REQUIRED:
        account = body.get(field)
        if not isinstance(account, dict) or not isinstance(account.get("id"), str):
            raise ActivityShapeError(f"activity.{field}.id must be a string")


def _model(data: dict[str, Any], model: Any, where: str) -> None:
    for attribute in model._attribute_map.values():
        key, kind = attribute["key"], attribute["type"]
        if data.get(key) is not None:
            _value(data[key], kind, f"{where}.{key}")


def _value(value: Any, kind: str, where: str) -> None:
    if kind == "object":
        return
    if kind.startswith("[") and kind.endswith("]"):
        _list(value, kind[1:-1], where)
        return
    if kind.startswith("{") and kind.endswith("}"):
        _map(value, kind[1:-1], where)
        return
    if kind in _SCALARS:
        if not isinstance(value, _SCALARS[kind]) or (kind != "bool" and isinstance(value, bool)):
            raise ActivityShapeError(f"{where} must be a {kind}")
        return
    model = getattr(schema, kind, None)
    if model is None or not hasattr(model, "_attribute_map"):
        return  # a type this schema does not describe (e.g. an enum): msrest checks it
    if not isinstance(value, dict):
        raise ActivityShapeError(f"{where} must be an object")
    _model(value, model, where)


def _list(value: Any, item_kind: str, where: str) -> None:
    if not isinstance(value, list):
        raise ActivityShapeError(f"{where} must be a list")
    for i, item in enumerate(value):
        if item is not None:
            _value(item, item_kind, f"{where}[{i}]")


def _map(value: Any, item_kind: str, where: str) -> None:
    if not isinstance(value, dict):
        raise ActivityShapeError(f"{where} must be an object")
    for key, item in value.items():
        if item is not None:
            _value(item, item_kind, f"{where}.{key}")
