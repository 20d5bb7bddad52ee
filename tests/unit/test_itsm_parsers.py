"""The ITSM parsers and authenticators on the real payload shapes and the documented vectors."""

from __future__ import annotations

import base64
import json
import tomllib
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.directory import parse_directory
from bot.handlers import itsm_auth as auth
from bot.handlers.signing import SignatureRejected
from bot.itsm.close import Close, ItsmError, NotAClose, resolve_close
from bot.itsm.freshservice import parse_freshservice
from bot.itsm.github import parse_github
from bot.itsm.jira import parse_jira
from bot.itsm.servicenow import parse_servicenow
from bot.itsm.zendesk import parse_zendesk
from tests.harness import PAYLOADS

NOW = datetime(2026, 11, 20, 10, 0, 5, tzinfo=UTC)
VECTOR_SECRET = "It's a Secret to Everybody"  # payloads/README.md


def _raw(name: str) -> bytes:
    return (PAYLOADS / name).read_bytes()


def _body(name: str) -> dict[str, Any]:
    return dict(json.loads(_raw(name)))


def _close(parsed: object) -> Close:
    assert isinstance(parsed, Close), parsed
    return parsed


def test_jira_resolved_fixture_is_a_close_with_reporter_assignee_project() -> None:
    close = _close(parse_jira(_raw("jira_issue_updated_resolved.json"), NOW))
    t = close.ticket
    assert (t.source, t.ticket_id, t.title) == ("jira", "ITSD-1423", "VPN keeps disconnecting")
    assert t.requester_email == "ana.requester@example.com"
    assert (t.agent_name, t.agent_email) == ("Carol Agent", "carol.agent@example.com")
    assert t.closed_at == datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    assert t.url == "https://example.atlassian.net/browse/ITSD-1423"
    assert close.teams == ("ITSD", "IT Service Desk")
    assert close.requester_ref == "5b10ac8d82e05b22cc7d4ef6"


def test_jira_updates_that_are_no_close_say_why() -> None:
    body = _body("jira_issue_updated_resolved.json")
    body["changelog"]["items"] = [{"field": "summary"}]  # a done issue edited again
    assert parse_jira(json.dumps(body).encode(), NOW) == NotAClose(
        "status did not change (status is Resolved)"
    )
    body["webhookEvent"] = "comment_created"
    assert parse_jira(json.dumps(body).encode(), NOW) == NotAClose("event is comment_created")


def test_jira_automation_issue_json_is_a_close_when_done() -> None:
    issue = _body("jira_issue_updated_resolved.json")["issue"]
    assert _close(parse_jira(json.dumps({"issue": issue}).encode(), NOW)).ticket.ticket_id
    assert _close(parse_jira(json.dumps(issue).encode(), NOW)).ticket.ticket_id == "ITSD-1423"


def test_servicenow_zendesk_freshservice_fixtures_are_closes() -> None:
    sn = _close(parse_servicenow(_raw("servicenow_incident_resolved.json"), NOW)).ticket
    assert (sn.ticket_id, sn.agent_name, sn.team_name) == (
        "INC0012345",
        "Carol Agent",
        "End User Services",
    )
    assert sn.closed_at == datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    zd = _close(parse_zendesk(_raw("zendesk_ticket_solved.json"), NOW)).ticket
    assert (zd.ticket_id, zd.requester_email, zd.url) == (
        "35436",
        "ana.requester@example.com",
        "https://example.zendesk.com/agent/tickets/35436",
    )
    fs = _close(parse_freshservice(_raw("freshservice_ticket_resolved.json"), NOW)).ticket
    assert (fs.ticket_id, fs.agent_email) == ("INC-4521", "carol.agent@example.com")


def test_github_fixture_closes_with_the_team_label_first_and_no_email() -> None:
    close = _close(parse_github(_raw("github_issues_closed.json"), NOW, "issues"))
    assert close.ticket.ticket_id == "example-org/it-help#87"
    assert close.ticket.requester_email == ""
    assert (close.requester_ref, close.agent_ref) == ("ana-requester", "carol-agent")
    assert close.teams == ("eus", "it-help")
    body = _body("github_issues_closed.json")
    body["issue"]["state_reason"] = "not_planned"
    assert parse_github(json.dumps(body).encode(), NOW) == NotAClose("state_reason is not_planned")
    assert parse_github(b"{}", NOW, "ping") == NotAClose("event is ping")


def test_resolve_close_uses_people_and_the_first_known_team() -> None:
    toml = '[[team]]\nkey = "eus"\n[people]\n"Ana-Requester" = "Ana@Example.com"\n'

    directory = parse_directory(tomllib.loads(toml), toml, "nps.toml")
    close = _close(parse_github(_raw("github_issues_closed.json"), NOW))
    ticket = resolve_close(directory, close)
    assert ticket.requester_email == "ana@example.com"
    assert ticket.team_name == "eus"


@pytest.mark.parametrize(
    ("parse", "body", "field"),
    [
        (parse_jira, {"webhookEvent": "jira:issue_updated", "issue": []}, "issue"),
        (parse_servicenow, {"state": "6", "sys_id": ["x"]}, "sys_id"),
        (
            parse_zendesk,
            {"ticket": {"status": "Solved", "id": "1", "requester": {"email": "x"}}},
            "ticket.requester.email",
        ),
        (
            parse_freshservice,
            {"freshservice_webhook": {"ticket_status": ["Resolved"]}},
            "ticket_status",
        ),
        (
            parse_github,
            {
                "action": "closed",
                "issue": {"state_reason": "completed", "number": True},
                "repository": {"full_name": "a/b"},
            },
            "issue.number",
        ),
    ],
)
def test_bad_fields_are_named(parse: Any, body: dict[str, Any], field: str) -> None:
    with pytest.raises(ItsmError, match=field.replace(".", r"\.")):
        parse(json.dumps(body).encode(), NOW)


def test_deep_nesting_and_bad_utf8_are_itsm_errors() -> None:
    for body in (b"[" * 50_000 + b"]" * 50_000, b'{"a": "\xff"}', b"1"):
        with pytest.raises(ItsmError):
            parse_jira(body, NOW)


def test_hub_signatures_match_the_documented_vectors() -> None:
    jira = "sha256=0e9271da92504cec634e57f8d00bf3f333c6ad2dc12731093d6a4443ab696e1f"
    auth.check_hub_signature(
        [VECTOR_SECRET],
        {"x-hub-signature": jira},
        "x-hub-signature",
        _raw("jira_issue_updated_resolved.json"),
    )
    gh = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
    headers = {"x-hub-signature-256": gh}
    auth.check_hub_signature(
        ["other-secret", VECTOR_SECRET], headers, "x-hub-signature-256", b"Hello, World!"
    )
    with pytest.raises(SignatureRejected, match="mismatch"):
        auth.check_hub_signature([VECTOR_SECRET], headers, "x-hub-signature-256", b"Hello, World?")


def test_zendesk_signature_matches_the_documented_vector_within_five_minutes() -> None:
    headers = {
        "x-zendesk-webhook-signature-timestamp": "2026-11-20T10:00:05Z",
        "x-zendesk-webhook-signature": "7HBcZxDuHceECAXInEn6ihrvt+cFjgIlbqJWtxzcC5c=",
    }
    secret = ["dGhpc19pc19hX3NhbXBsZV96ZW5kZXNrX3NlY3JldA"]
    body = _raw("zendesk_ticket_solved.json")
    auth.check_zendesk(secret, headers, body, now=NOW.timestamp())
    with pytest.raises(SignatureRejected, match="stale"):
        auth.check_zendesk(secret, headers, body, now=NOW.timestamp() + 301)


def test_basic_needs_user_npsbot_and_a_configured_password() -> None:
    def header(user: str, password: str) -> dict[str, str]:
        return {
            "authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        }

    auth.check_basic(
        ["old-secret-0123456789", "new-secret-0123456789"],
        header("npsbot", "new-secret-0123456789"),
    )
    for bad in (
        header("admin", "new-secret-0123456789"),
        header("npsbot", "nope"),
        {"authorization": "Basic !!"},
        {"authorization": "Bearer x"},
        {},
    ):
        with pytest.raises(SignatureRejected):
            auth.check_basic(["new-secret-0123456789"], bad)
