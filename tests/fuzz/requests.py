"""What each endpoint is sent: signed and unsigned hostile requests, drawn by Hypothesis.

A Request is built without the server (Hypothesis draws them in bulk first); `sign` turns it
into headers at send time, so timestamps and tokens are fresh. Add an endpoint by adding a
row to ENDPOINTS in test_endpoints.py with a strategy from here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from hypothesis import strategies as st

from tests.fuzz.strategies import (
    dumps,
    form,
    garbage_bytes,
    garbage_text,
    json_values,
    load,
    mutate,
    text,
)

# How a request (fails to) authenticate; "signed" is the only one that may get past 401.
FORGERIES = ["none", "bad_signature", "stale", "garbled"]
SLACK_TYPES = [
    "block_actions",
    "view_submission",
    "view_closed",
    "shortcut",
    "message_action",
    "block_suggestion",
    "interactive_message",
    "dialog_submission",
    "url_verification",
    "event_callback",
    "app_rate_limited",
    "workflow_step_edit",
    "nonsense",
    "",
]
ACTIONS = [f"nps.score.{n}" for n in range(11)] + [
    "nps.comment.open",
    "nps.optout",
    "nps.callback.claim",
    "nps.callback.release",
    "nps.callback.done",
    "nps.score.11",
    "nps.unknown",
    "",
]
USERS = ["U0ANA", "U0OTHER", "U0LEAD", "W0NOBODY", "", "U\x00"]
VERBS = [
    "nps.score",
    "nps.comment",
    "nps.optout",
    "nps.callback.claim",
    "nps.callback.release",
    "nps.callback.done",
    "nps.unknown",
    "",
]
INVOKES = [
    "adaptiveCard/action",
    "composeExtension/query",
    "task/fetch",
    "signin/verifyState",
    "healthCheck",
    "config/fetch",
    "",
    "x" * 200,
]


@dataclass(frozen=True)
class Request:
    auth: str  # "signed" or one of FORGERIES
    body: bytes
    method: str = "POST"
    query: str = ""
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def signed(self) -> bool:
        return self.auth == "signed"


def _requests(bodies: st.SearchStrategy[bytes], signed_share: int = 3) -> st.SearchStrategy[Any]:
    """Mostly signed (those reach the parsers), the rest forged in each way."""
    auth = st.sampled_from(["signed"] * signed_share + FORGERIES)
    return st.builds(Request, auth=auth, body=bodies)


def _ids(known: dict[str, str]) -> st.SearchStrategy[str]:
    """Ids of real surveys and callbacks (someone else's), of none, and not ids at all."""
    return st.sampled_from([*known.values(), "0123456789abcdef", "f" * 16, "1", ""]) | text


def slack(known: dict[str, str]) -> st.SearchStrategy[Request]:
    ids = _ids(known)
    value = st.one_of(ids, st.builds("{}:{}".format, ids, st.integers(-1, 12)), json_values)
    click = st.builds(_click, st.sampled_from(ACTIONS), value, st.sampled_from(USERS) | text)
    view = st.builds(
        _view,
        st.sampled_from(["nps.comment", "nps.callback.outcome", "other"]),
        st.sampled_from(["survey", "callback", "x"]),
        ids | json_values,
        json_values,
    )
    command = st.builds(
        _command, st.sampled_from(["/nps", "/other", ""]), text, st.sampled_from(USERS) | text, text
    )
    extra = st.dictionaries(text, json_values, max_size=3)
    kinds = st.builds(
        lambda t, more: form({"type": t, **more}), st.sampled_from(SLACK_TYPES), extra
    )
    events = st.builds(
        lambda t, e: dumps({"type": t, "event": e, "challenge": "c"}),
        st.sampled_from(SLACK_TYPES),
        json_values,
    )
    bodies = st.one_of(
        click.map(form),
        view.map(form),
        command,
        kinds,
        events,
        mutate(load("slack_block_actions.json")).map(form),
        mutate(load("slack_view_submission.json")).map(form),
        garbage_text,
        st.builds(lambda t: "payload=" + t, garbage_text),
    )
    return _requests(bodies.map(lambda b: b.encode("utf-8", "surrogatepass")))


def _click(action_id: str, value: Any, user: Any) -> dict[str, Any]:
    payload = load("slack_block_actions.json")
    payload["user"]["id"] = user
    payload["actions"] = [
        {
            "type": "button",
            "action_id": action_id,
            "block_id": "b",
            "value": value,
            "action_ts": str(time.time()),
        }
    ]
    return payload


def _view(callback_id: str, key: str, ident: Any, values: Any) -> dict[str, Any]:
    payload = load("slack_view_submission.json")
    payload["view"].update(callback_id=callback_id, private_metadata=dumps({key: ident}))
    payload["view"]["state"] = {"values": values}
    return payload


def _command(command: str, words: str, user: str, channel: str) -> str:
    fields = {
        "command": command,
        "text": words,
        "user_id": user,
        "channel_id": channel,
        "team_id": "T0001",
        "trigger_id": "1.2.3",
        "response_url": "https://x",
    }
    return urlencode(fields, errors="surrogatepass")


def tickets() -> st.SearchStrategy[Request]:
    base = load("generic_ticket_closed.json")
    ticket = st.fixed_dictionaries(
        {
            "id": text | json_values,
            "title": text,
            "requester_email": text | st.just("a@b.c"),
            "closed_at": text | st.just("2026-11-20T10:00:00Z"),
            "team": text | json_values,
            "url": text | json_values,
        }
    )
    bodies = st.one_of(
        mutate(base).map(dumps),
        st.builds(
            lambda t, s: dumps({"type": "ticket.closed", "source": s, "ticket": t}),
            ticket,
            text | json_values,
        ),
        garbage_text,
    ).map(lambda b: b.encode("utf-8", "surrogatepass"))
    return _requests(bodies | garbage_bytes)


def teams(known: dict[str, str], service_url: str) -> st.SearchStrategy[Request]:
    message = load("teams_message_activity.json") | {"serviceUrl": service_url}
    data = st.fixed_dictionaries(
        {
            "survey": _ids(known),
            "callback": _ids(known),
            "score": json_values,
            "comment": json_values,
        }
    )
    invoke = st.builds(
        lambda name, verb, d: dumps(
            message
            | {"type": "invoke", "name": name, "value": {"action": {"verb": verb, "data": d}}}
        ),
        st.sampled_from(INVOKES) | text,
        st.sampled_from(VERBS) | text,
        data | json_values,
    )
    submit = st.builds(
        lambda verb, d: dumps(message | {"value": {"verb": verb, **d}}),
        st.sampled_from(VERBS),
        data,
    )
    other = ["conversationUpdate", "installationUpdate", "typing", "event", "messageReaction"]
    kinds = st.builds(lambda t: dumps(message | {"type": t}), text | st.sampled_from(other))
    bodies = st.one_of(mutate(message).map(dumps), invoke, submit, kinds, garbage_text)
    return _requests(bodies.map(lambda b: b.encode("utf-8", "surrogatepass")) | garbage_bytes)


def ops() -> st.SearchStrategy[Request]:
    """GET endpoints: anyone may call them; odd queries, headers and bodies change nothing."""
    printable = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=40)
    methods = st.sampled_from(["GET"] * 4 + ["POST", "HEAD"])
    headers = st.dictionaries(st.sampled_from(["X-Odd", "Accept", "Cookie"]), printable)
    return st.builds(
        Request,
        auth=st.just("none"),
        body=garbage_bytes,
        method=methods,
        query=printable,
        headers=headers,
    )
