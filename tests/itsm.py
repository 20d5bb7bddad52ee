"""Signs and builds ITSM bodies exactly as Jira, ServiceNow, Zendesk, Freshservice and GitHub do."""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
import uuid
from datetime import datetime
from typing import Any

from bot.handlers.signing import parse_webhook_secret, sign_standard_webhook
from tests.harness import PAYLOADS

JIRA_SECRET = "jira-test-secret-0123456789"
SERVICENOW_SECRET = "whsec_" + base64.b64encode(b"servicenow-test-key-0123456789ab").decode()
ZENDESK_SECRET = "zendesk-test-signing-secret-abcdef"
FRESHSERVICE_SECRET = "freshservice-test-password-0123"
GITHUB_SECRET = "github-test-secret-0123456789"
SECRETS = {
    "jira": JIRA_SECRET,
    "servicenow": SERVICENOW_SECRET,
    "zendesk": ZENDESK_SECRET,
    "freshservice": FRESHSERVICE_SECRET,
    "github": GITHUB_SECRET,
}
TOOLS = tuple(SECRETS)
WRONG = {tool: "wrong-" + secret[::-1] for tool, secret in SECRETS.items()}
WRONG["servicenow"] = "whsec_" + base64.b64encode(b"another-key-nobody-configured-01").decode()
ITSM_ENV = {f"{tool.upper()}_WEBHOOK_SECRET": secret for tool, secret in SECRETS.items()}
# One fresh close per tool (not the fixture's values): what the requester must see.
FRESH = {
    "jira": ("HELP-77", "Dan Jira"),
    "servicenow": ("INC0099001", "Dan Snow"),
    "zendesk": ("90210", "Dan Desk"),
    "freshservice": ("INC-7788", "Dan Fresh"),
    "github": ("acme/helpdesk#412", "dan-gh"),
}
REQUESTER = "bea@example.com"
PEOPLE_TOML = '\n[people]\n"acc-bea-0001" = "bea@example.com"\n"bea-gh" = "bea@example.com"\n'


def fixture(name: str) -> dict[str, Any]:
    files = {
        "jira": "jira_issue_updated_resolved.json",
        "servicenow": "servicenow_incident_resolved.json",
        "zendesk": "zendesk_ticket_solved.json",
        "freshservice": "freshservice_ticket_resolved.json",
        "github": "github_issues_closed.json",
    }
    return dict(json.loads((PAYLOADS / files[name]).read_text()))


def fresh_close(tool: str, *, email: str | None = REQUESTER) -> dict[str, Any]:
    """The tool's real body shape with new values: ticket, title, requester, agent, team."""
    body = copy.deepcopy(fixture(tool))
    ticket_id, agent = FRESH[tool]
    return _FRESHEN[tool](body, ticket_id, agent, email)


def _jira(body: dict[str, Any], key: str, agent: str, email: str | None) -> dict[str, Any]:
    f = body["issue"]["fields"]
    body["issue"]["key"], f["summary"] = key, "Printer is on fire"
    f["project"].update(key="HELP", name="Service Desk")
    f["assignee"].update(displayName=agent, emailAddress="dan@example.com")
    f["reporter"].update(accountId="acc-bea-0001", emailAddress=email)
    if email is None:
        del f["reporter"]["emailAddress"]  # Jira Cloud's privacy setting
    return body


def _servicenow(body: dict[str, Any], number: str, agent: str, email: str | None) -> dict[str, Any]:
    body.update(
        number=number,
        sys_id=uuid.uuid4().hex,
        short_description="Printer is on fire",
        caller_email=email or "",
        assigned_to={"value": "x", "display_value": agent},
        assignment_group={"value": "y", "display_value": "EUS"},
    )
    return body


def _zendesk(body: dict[str, Any], ticket_id: str, agent: str, email: str | None) -> dict[str, Any]:
    t = body["ticket"]
    t.update(
        id=ticket_id,
        title="Printer is on fire",
        group="Service Desk",
        requester={"name": "Bea", "email": email or ""},
        assignee={"name": agent, "email": "dan@example.com"},
    )
    return body


def _fresh(body: dict[str, Any], ticket_id: str, agent: str, email: str | None) -> dict[str, Any]:
    body["freshservice_webhook"].update(
        ticket_id=ticket_id,
        ticket_subject="Printer is on fire",
        ticket_agent_name=agent,
        ticket_requester_email=email or "",
        ticket_group_name="End User Services",
    )
    return body


def _github(body: dict[str, Any], ticket_id: str, agent: str, _email: str | None) -> dict[str, Any]:
    repo, number = ticket_id.split("#")
    body["repository"].update(full_name=repo, name=repo.split("/")[1])
    body["issue"].update(
        number=int(number),
        title="Printer is on fire",
        user={"login": "bea-gh"},
        assignee={"login": agent},
    )
    return body


_FRESHEN = {
    "jira": _jira,
    "servicenow": _servicenow,
    "zendesk": _zendesk,
    "freshservice": _fresh,
    "github": _github,
}


def not_a_close(tool: str) -> dict[str, Any]:
    """An update of the same ticket that is not a close (the reason says what it is)."""
    body = fresh_close(tool)
    if tool == "jira":
        body["issue"]["fields"]["status"] = {
            "name": "In Progress",
            "statusCategory": {"key": "indeterminate"},
        }
    elif tool == "servicenow":
        body.update(state="2", state_label="In Progress")
    elif tool == "zendesk":
        body["ticket"]["status"] = "Pending"
    elif tool == "freshservice":
        body["freshservice_webhook"]["ticket_status"] = "Pending"
    else:
        body["issue"]["state_reason"] = "not_planned"
    return body


def _hmac(secret: str, message: bytes) -> bytes:
    return hmac.new(secret.encode(), message, hashlib.sha256).digest()


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def sign(tool: str, body: bytes, now: datetime, secret: str | None = None) -> dict[str, str]:
    """The headers the tool sends with `body`, authenticated with `secret` (default: its own)."""
    key = secret or SECRETS[tool]
    headers = {"content-type": "application/json"}
    if tool == "jira":
        headers["x-hub-signature"] = "sha256=" + _hmac(key, body).hex()
        headers["x-atlassian-webhook-identifier"] = str(uuid.uuid4())
    elif tool == "github":
        headers["x-hub-signature-256"] = "sha256=" + _hmac(key, body).hex()
        headers |= {"x-github-event": "issues", "x-github-delivery": str(uuid.uuid4())}
    elif tool == "zendesk":
        stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")
        headers["x-zendesk-webhook-signature-timestamp"] = stamp
        signature = _hmac(key, stamp.encode() + body)
        headers["x-zendesk-webhook-signature"] = base64.b64encode(signature).decode()
    elif tool == "servicenow":
        msg_id, ts = f"msg_{uuid.uuid4().hex}", int(now.timestamp())
        raw_key = parse_webhook_secret(key)
        headers |= {
            "webhook-id": msg_id,
            "webhook-timestamp": str(ts),
            "webhook-signature": sign_standard_webhook(raw_key, msg_id, ts, body),
        }
    else:
        headers["authorization"] = basic("npsbot", key)
    return headers


def unsigned(headers: dict[str, str]) -> dict[str, str]:
    auth = {
        "x-hub-signature",
        "x-hub-signature-256",
        "x-zendesk-webhook-signature",
        "webhook-signature",
        "authorization",
    }
    return {k: v for k, v in headers.items() if k not in auth}


def encode(body: dict[str, Any]) -> bytes:
    return json.dumps(body, indent=1).encode()
