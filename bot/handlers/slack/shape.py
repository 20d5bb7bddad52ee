"""Strict shape checks on a verified Slack request, before Bolt or a listener reads it.

Bolt and our listeners index into the payload freely (`body["user"]["id"]`, `payload.get(…)`
on whatever `team` holds), so a list where a dict belongs was a 500 deep inside them. This
parses the body exactly as Bolt will (`slack_bolt.request.internals.parse_body`), then checks
every key Bolt's context builders and our listeners read. What npsbot has nothing to do with
gets a harmless 200 ack and never reaches Bolt; what is malformed gets a 400 with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from yarl import URL

from bot.handlers.payload import PayloadError, check_limits, plainly_within_limits
from bot.handlers.slack.ids import ACTION_VALUES, VIEW_METADATA_KEYS
from bot.handlers.slack.shape_fields import (
    SLACK_ID,
    ShapeError,
    as_dict,
    as_list,
    envelope,
    load_json,
    optional_id,
    optional_string,
    string,
)

MAX_METADATA = 3000  # Slack's own limit on a view's private_metadata
# Known Slack interactivity types this bot registers nothing for: a 200 ack, nothing runs.
IGNORED_PAYLOADS = frozenset(
    {
        "view_closed",
        "shortcut",
        "message_action",
        "block_suggestion",
        "interactive_message",
        "dialog_submission",
        "dialog_cancellation",
        "dialog_suggestion",
        "workflow_step_edit",
    }
)
IGNORED_EVENTS = frozenset({"app_rate_limited"})
HOME_OPENED = "app_home_opened"  # the one event npsbot listens to, for its Home tab


@dataclass(frozen=True, slots=True)
class Dispatch:
    """Well formed and ours: Bolt may run its listener. `payload` is the body as Bolt parses it."""

    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Ack:
    """Well formed but nothing npsbot handles: answer 200 and run nothing."""


Verdict = Dispatch | Ack


def check(body: str, content_type: str | None) -> Verdict:
    """Raise ShapeError for a malformed request; say whether Bolt should see it."""
    payload, json_text = _parse(body, content_type)
    try:
        if json_text is None or not plainly_within_limits(json_text):
            check_limits(payload)
    except PayloadError as exc:
        raise ShapeError(str(exc)) from None
    envelope(payload, "body")
    verdict = _by_kind(payload)
    return Dispatch(payload) if isinstance(verdict, Dispatch) else verdict


def parse(body: str, content_type: str | None) -> dict[str, Any]:
    """The dict Bolt will build from this body, by Bolt's own rules, or ShapeError."""
    return _parse(body, content_type)[0]


def _parse(body: str, content_type: str | None) -> tuple[dict[str, Any], str | None]:
    """The dict, and the JSON text it was read from (None for a plain form)."""
    if not body:
        raise ShapeError("empty body")
    json_text: str | None = body
    if content_type == "application/json" or body.startswith("{"):
        data = load_json(body, "body")
    elif "payload" in body:  # Bolt's test: a substring, so "text=payload" also lands here
        json_text = form(body).get("payload") or ""
        data = load_json(json_text, "payload")
    else:
        json_text, data = None, form(body)
    if not isinstance(data, dict):
        raise ShapeError("payload must be a JSON object")
    return data, json_text


def form(body: str) -> dict[str, str]:
    """Bolt's `dict(parse_qsl(body, keep_blank_values=True))` (the last of a repeated name
    wins), decoded by yarl's C unquoter: urllib's took half of a score click's checks on its
    1.5 KB of %-escaped JSON. tests/unit/test_slack_form.py holds the two equal."""
    return dict(URL.build(query_string=body, encoded=True).query.items())


def _by_kind(payload: dict[str, Any]) -> Verdict:
    kind = payload.get("type")
    if kind == "block_actions":
        return _block_actions(payload)
    if kind == "view_submission":
        return _view_submission(payload)
    if kind == "event_callback":
        return _event(payload)
    if kind in IGNORED_PAYLOADS or kind in IGNORED_EVENTS:
        return Ack()
    if kind == "url_verification":
        string(payload.get("challenge"), "body.challenge")
        return Dispatch()
    if kind is None and "command" in payload:
        return _command(payload)
    if kind is None and "ssl_check" in payload:
        return Ack()  # Slack's signed certificate probe: a 200 is all it wants
    raise ShapeError("not a Slack request npsbot knows: unknown or missing type")


def _block_actions(payload: dict[str, Any]) -> Verdict:
    _user(payload)
    actions = as_list(payload.get("actions"), "body.actions")
    if not actions:
        raise ShapeError("body.actions is empty")
    action = as_dict(actions[0], "body.actions[0]")
    action_id = string(action.get("action_id"), "body.actions[0].action_id")
    valid = ACTION_VALUES.get(action_id)
    if valid is None:
        return Ack()  # e.g. a link button on our message: Slack still wants its 200
    value = string(action.get("value"), "body.actions[0].value")
    if not valid(value):
        raise ShapeError(f"body.actions[0].value is not a valid value for {action_id}")
    string(payload.get("trigger_id"), "body.trigger_id")
    channel = payload.get("channel")
    if channel is not None:  # the listeners read channel["id"] to reply privately
        optional_id(as_dict(channel, "body.channel").get("id"), "body.channel.id")
    container = payload.get("container")
    if container is not None:
        optional_string(as_dict(container, "body.container").get("channel_id"), "body.container")
    return Dispatch()


def _event(payload: dict[str, Any]) -> Verdict:
    """Only the Home tab's opening runs anything; every other event gets its 200."""
    event = as_dict(payload.get("event"), "body.event")
    if event.get("type") != HOME_OPENED or event.get("tab") != "home":
        return Ack()
    user = event.get("user")
    if not isinstance(user, str) or not SLACK_ID.fullmatch(user):
        raise ShapeError("body.event.user must be a Slack id")
    return Dispatch()


def _view_submission(payload: dict[str, Any]) -> Verdict:
    _user(payload)
    view = as_dict(payload.get("view"), "body.view")
    callback_id = string(view.get("callback_id"), "body.view.callback_id")
    string(view.get("type"), "body.view.type")
    metadata_key = VIEW_METADATA_KEYS.get(callback_id)
    if metadata_key is None:
        return Ack()  # a modal that is not ours: an empty 200 closes it
    _metadata(view.get("private_metadata"), metadata_key)
    _state(view.get("state"))
    return Dispatch()


def _metadata(value: Any, key: str) -> None:
    text = string(value, "body.view.private_metadata")
    if len(text) > MAX_METADATA:
        raise ShapeError("body.view.private_metadata is too long")
    meta = load_json(text, "body.view.private_metadata")
    if not isinstance(meta, dict) or not isinstance(meta.get(key), str):
        raise ShapeError(f"body.view.private_metadata must name a {key}")


def _state(value: Any) -> None:
    """view.state.values[block][action] = {value | selected_option | selected_options}."""
    values = as_dict(as_dict(value, "body.view.state").get("values"), "body.view.state.values")
    for block_id, block in values.items():
        for action_id, state in as_dict(block, f"values.{block_id}").items():
            where = f"values.{block_id}.{action_id}"
            entry = as_dict(state, where)
            optional_string(entry.get("value"), f"{where}.value")
            selected = entry.get("selected_option")
            options = [] if selected is None else [selected]
            options += as_list(entry.get("selected_options", []), f"{where}.selected_options")
            for option in options:
                string(as_dict(option, f"{where}.option").get("value"), f"{where}.option.value")


def _command(payload: dict[str, Any]) -> Verdict:
    if payload.get("command") != "/nps":
        return Ack()
    optional_id(payload.get("user_id") or None, "body.user_id")
    optional_id(payload.get("channel_id") or None, "body.channel_id")
    if not payload.get("user_id") or not payload.get("channel_id"):
        raise ShapeError("a slash command needs user_id and channel_id")
    return Dispatch()


def _user(payload: dict[str, Any]) -> None:
    user = as_dict(payload.get("user"), "body.user")
    if user.get("id") is None:
        raise ShapeError("body.user.id is required")
    optional_id(user.get("id"), "body.user.id")
