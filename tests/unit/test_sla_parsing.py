"""What a ticket event says of its SLA (issue 15 item 3), for the generic event and each tool."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.itsm.close import Close, ItsmError
from bot.itsm.freshservice import parse_freshservice
from bot.itsm.jira import parse_jira
from bot.itsm.servicenow import parse_servicenow
from bot.itsm.zendesk import parse_zendesk
from bot.ticket_event import TicketEventError, parse_ticket_event
from tests.harness import PAYLOADS, ticket

NOW = datetime(2026, 11, 20, 10, 0, 5, tzinfo=UTC)


def _generic(**fields: Any) -> bytes:
    return json.dumps({"type": "ticket.closed", "ticket": ticket(**fields)}).encode()


def test_generic_event_carries_sla_met_and_resolution_minutes() -> None:
    parsed = parse_ticket_event(_generic(sla_met=False, resolution_minutes=95))
    assert (parsed.sla_met, parsed.resolution_minutes) == (False, 95)
    plain = parse_ticket_event(_generic())
    assert (plain.sla_met, plain.resolution_minutes) == (None, None)


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"sla_met": "yes"}, "ticket.sla_met must be true or false"),
        ({"sla_met": 1}, "ticket.sla_met must be true or false"),
        ({"resolution_minutes": -1}, "ticket.resolution_minutes must be a whole number"),
        ({"resolution_minutes": 1.5}, "ticket.resolution_minutes must be a whole number"),
        ({"resolution_minutes": True}, "ticket.resolution_minutes must be a whole number"),
    ],
)
def test_bad_sla_fields_are_named(fields: dict[str, Any], reason: str) -> None:
    with pytest.raises(TicketEventError, match=reason):
        parse_ticket_event(_generic(**fields))


def _fixture(name: str, **changes: Any) -> bytes:
    body = json.loads((PAYLOADS / name).read_text())
    target = body.get("ticket") or body.get("freshservice_webhook") or body
    target.update(changes)
    return json.dumps(body).encode()


@pytest.mark.parametrize(
    ("value", "expected"), [("true", True), ("false", False), ("1", True), ("", None)]
)
def test_servicenow_made_sla(value: str, expected: bool | None) -> None:
    body = _fixture("servicenow_incident_resolved.json", made_sla=value)
    parsed = parse_servicenow(body, NOW)
    assert isinstance(parsed, Close)
    assert parsed.ticket.sla_met is expected


def test_zendesk_and_freshservice_read_sla_met_when_their_template_has_it() -> None:
    zendesk = parse_zendesk(_fixture("zendesk_ticket_solved.json", sla_met="false"), NOW)
    fresh = parse_freshservice(_fixture("freshservice_ticket_resolved.json", sla_met="yes"), NOW)
    assert isinstance(zendesk, Close)
    assert isinstance(fresh, Close)
    assert (zendesk.ticket.sla_met, fresh.ticket.sla_met) == (False, True)
    plain = parse_zendesk(_fixture("zendesk_ticket_solved.json"), NOW)
    assert isinstance(plain, Close)
    assert plain.ticket.sla_met is None
    with pytest.raises(ItsmError, match=r"ticket\.sla_met must be true or false"):
        parse_zendesk(_fixture("zendesk_ticket_solved.json", sla_met="maybe"), NOW)


def _jira(sla: dict[str, Any] | None) -> bytes:
    body = json.loads((PAYLOADS / "jira_issue_updated_resolved.json").read_text())
    if sla is not None:
        body["issue"]["fields"]["customfield_10031"] = sla
    return json.dumps(body).encode()


@pytest.mark.parametrize(
    ("sla", "expected"),
    [
        (None, None),
        ({"name": "Time to resolution", "completedCycles": [{"breached": True}]}, False),
        (
            {
                "name": "Time to resolution",
                "completedCycles": [{"breached": True}, {"breached": False}],
            },
            True,
        ),
        (
            {
                "name": "Time to resolution",
                "completedCycles": [],
                "ongoingCycle": {"breached": True},
            },
            False,
        ),
        ({"name": "Time to first response", "completedCycles": [{"breached": True}]}, None),
    ],
)
def test_jira_reads_the_time_to_resolution_sla_field_when_present(
    sla: dict[str, Any] | None, expected: bool | None
) -> None:
    parsed = parse_jira(_jira(sla), NOW)
    assert isinstance(parsed, Close)
    assert parsed.ticket.sla_met is expected
