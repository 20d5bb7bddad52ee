"""The click path's fast parsing must read every body exactly as Bolt (urllib) does, and its
shortcut past the payload limits must never let through what the full walk refuses."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.handlers.payload import PayloadError, check_limits, plainly_within_limits
from bot.handlers.slack.shape import form

# What makes form decoding differ: escapes good, bad and cut short, '+', separators, UTF-8.
PIECES = st.sampled_from(
    [
        "a",
        "=",
        "&",
        "+",
        ";",
        "#",
        "?",
        "%",
        "%2",
        "%zz",
        "%25",
        "%3D",
        "%26",
        "%00",
        "%ed%a0%80",
        "%F0%9F%98%80",
        "%F0%9F",
        "é",
        "😀",
        " ",
        "\x00",
        "payload",
    ]
)


@settings(max_examples=3000, deadline=None)
@given(st.lists(PIECES, max_size=24).map("".join))
def test_form_reads_a_body_as_urllib_does(body: str) -> None:
    assert form(body) == dict(parse_qsl(body, keep_blank_values=True))


def test_form_keeps_the_last_of_a_repeated_name_as_bolt_does() -> None:
    assert form("payload=1&payload=2&text=a+b%21") == {"payload": "2", "text": "a b!"}


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=40,
)


def _refused(value: Any) -> bool:
    try:
        check_limits(value)
    except PayloadError:
        return True
    return False


@settings(max_examples=2000, deadline=None)
@given(JSON, st.booleans())
def test_the_shortcut_never_passes_what_the_walk_refuses(value: Any, ascii_only: bool) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only)
    if plainly_within_limits(text):
        assert not _refused(json.loads(text))


@pytest.mark.parametrize(
    "text",
    [
        '{"a": "\\u0000"}',
        '{"a": "\\ud800"}',
        '{"a": "\\uDC00"}',
        '{"a": "\x00"}',
        "[" * 32 + "]" * 32,
    ],
)
def test_the_shortcut_sends_what_may_be_refused_to_the_walk(text: str) -> None:
    assert not plainly_within_limits(text)


def test_the_deepest_payload_the_walk_accepts_is_at_the_edge_of_the_shortcut() -> None:
    assert _refused(json.loads("[" * 32 + "1" + "]" * 32))
    assert not _refused(json.loads("[" * 31 + "1" + "]" * 31))


def test_a_score_click_takes_the_shortcut() -> None:
    click = {"type": "block_actions", "user": {"id": "U1"}, "actions": [{"value": "s:9 é"}]}
    assert plainly_within_limits(json.dumps(click))
