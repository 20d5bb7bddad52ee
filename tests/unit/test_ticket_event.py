"""Tests for bot.ticket_event: the generic ticket-closed event and every way it can be wrong."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.ticket_event import TicketEventError, parse_ticket_event

PAYLOAD = Path(__file__).resolve().parents[1] / "payloads" / "generic_ticket_closed.json"


def event(**ticket_changes: Any) -> dict[str, Any]:
    """The sample event with some ticket fields replaced (None deletes the field)."""
    data: dict[str, Any] = json.loads(PAYLOAD.read_bytes())
    for key, value in ticket_changes.items():
        if value is None:
            data["ticket"].pop(key, None)
        else:
            data["ticket"][key] = value
    return data


def encode(data: object) -> bytes:
    return json.dumps(data).encode()


def reason_for(body: bytes) -> str:
    with pytest.raises(TicketEventError) as info:
        parse_ticket_event(body)
    return str(info.value)


def test_sample_payload_parses() -> None:
    ticket = parse_ticket_event(PAYLOAD.read_bytes())
    assert ticket.source == "generic"
    assert ticket.ticket_id == "INC0012345"
    assert ticket.title == "VPN keeps disconnecting"
    assert ticket.requester_email == "ana.requester@example.com"
    assert ticket.agent_email == "carol.agent@example.com"
    assert ticket.agent_name == "Carol"
    assert ticket.team_name == "End User Services"
    assert ticket.closed_at == datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    assert ticket.url == "https://itsm.example.com/INC0012345"


def test_emails_are_lowercased() -> None:
    body = encode(event(requester_email="Ana.Requester@Example.COM", agent_email="CAROL@X.ORG"))
    ticket = parse_ticket_event(body)
    assert ticket.requester_email == "ana.requester@example.com"
    assert ticket.agent_email == "carol@x.org"


def test_closed_at_with_offset_is_converted_to_utc() -> None:
    ticket = parse_ticket_event(encode(event(closed_at="2026-11-20T12:00:00+02:00")))
    assert ticket.closed_at == datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    assert ticket.closed_at.utcoffset() is not None


def test_optional_fields_may_be_left_out() -> None:
    ticket = parse_ticket_event(
        encode(event(agent_email=None, agent_name=None, team=None, url=None))
    )
    assert ticket.agent_email is None
    assert ticket.url is None
    assert not ticket.agent_name
    assert not ticket.team_name


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"id": None}, "ticket.id is required"),
        ({"id": 12345}, "ticket.id must be a string"),
        ({"title": "x" * 1001}, "ticket.title is longer than 1000 characters"),
        ({"requester_email": None}, "ticket.requester_email is required"),
        ({"requester_email": "ana at example.com"}, "ticket.requester_email is not an e-mail"),
        ({"agent_email": "carol@@example.com"}, "ticket.agent_email is not an e-mail"),
        ({"closed_at": "2026-11-20T10:00:00"}, "ticket.closed_at must include a time zone"),
        ({"closed_at": "20 November 2026"}, "ticket.closed_at must be an ISO 8601 timestamp"),
        ({"closed_at": None}, "ticket.closed_at is required"),
        ({"url": "javascript:alert(1)"}, "ticket.url must be an http(s) URL"),
        ({"url": "ftp://itsm.example.com/1"}, "ticket.url must be an http(s) URL"),
    ],
)
def test_invalid_ticket_field_is_named_in_the_reason(changes: dict[str, Any], field: str) -> None:
    assert field in reason_for(encode(event(**changes)))


def test_title_of_exactly_the_limit_is_accepted() -> None:
    assert len(parse_ticket_event(encode(event(title="x" * 1000))).title) == 1000


def test_type_other_than_ticket_closed_is_rejected() -> None:
    data = event()
    data["type"] = "ticket.opened"
    assert "type must be 'ticket.closed'" in reason_for(encode(data))


def test_missing_ticket_object_is_rejected() -> None:
    assert "ticket must be an object" in reason_for(encode({"type": "ticket.closed"}))


@pytest.mark.parametrize("body", [b"{not json", b"", b"\xff\xfe{}"])
def test_body_that_is_not_utf8_json_is_rejected(body: bytes) -> None:
    assert "not valid UTF-8 JSON" in reason_for(body)


def test_json_array_is_rejected() -> None:
    assert "body must be a JSON object" in reason_for(encode([event()]))


def test_source_is_kept_when_valid() -> None:
    data = event()
    data["source"] = "servicenow"
    assert parse_ticket_event(encode(data)).source == "servicenow"


@pytest.mark.parametrize("source", ["ServiceNow", "", "a" * 41, 7, "service now"])
def test_invalid_source_is_rejected(source: object) -> None:
    data = event()
    data["source"] = source
    assert "source must be" in reason_for(encode(data))


def test_source_with_trailing_newline_is_rejected() -> None:
    data = event()
    data["source"] = "servicenow\n"
    assert "source must be" in reason_for(encode(data))


def test_blank_requester_email_is_rejected() -> None:
    assert "ticket.requester_email" in reason_for(encode(event(requester_email="   ")))


def test_blank_ticket_id_is_rejected() -> None:
    assert "ticket.id is required" in reason_for(encode(event(id="   ")))


def test_reason_does_not_echo_the_invalid_value() -> None:
    reason = reason_for(encode(event(requester_email="<script>@@evil")))
    assert "<script>" not in reason
