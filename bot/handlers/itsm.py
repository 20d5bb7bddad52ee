"""POST /webhooks/{jira,servicenow,zendesk,freshservice,github}: authenticate → parse → accept.

Every tool takes the same path as /webhooks/tickets: its body becomes the domain Ticket and
goes to the same use case, so de-duplication, fatigue rules and delivery are shared.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from aiohttp import web

from bot import surveys
from bot.deps import Deps
from bot.handlers import Handler
from bot.handlers import itsm_auth as auth
from bot.handlers.signing import SignatureRejected, parse_webhook_secret, verify_standard_webhook
from bot.handlers.webhook_reply import MAX_BODY, json_error, read_capped, stored_reply
from bot.itsm.close import Close, ItsmError, NotAClose, Parsed
from bot.itsm.freshservice import parse_freshservice
from bot.itsm.github import parse_github
from bot.itsm.jira import parse_jira
from bot.itsm.servicenow import parse_servicenow
from bot.itsm.zendesk import parse_zendesk
from bot.settings import ITSM_SECRET_SETTINGS, Settings

log = logging.getLogger(__name__)

Headers = Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Tool:
    name: str
    # Raises SignatureRejected; returns the sender's delivery id, if it sends a usable one.
    authenticate: Callable[[Sequence[str], Headers, bytes, float], str | None]
    parse: Callable[[bytes, datetime, Headers], Parsed]


def _jira_auth(secrets: Sequence[str], headers: Headers, body: bytes, _now: float) -> str | None:
    # Admin webhooks sign; a JSM automation "Send web request" cannot, so it sends Basic.
    if auth.has_basic(headers):
        auth.check_basic(secrets, headers)
    else:
        auth.check_hub_signature(secrets, headers, "x-hub-signature", body)
    return auth.delivery_id(headers, "x-atlassian-webhook-identifier")


def _servicenow_auth(
    secrets: Sequence[str], headers: Headers, body: bytes, now: float
) -> str | None:
    if auth.has_basic(headers):
        auth.check_basic(secrets, headers)
        return auth.delivery_id(headers, "webhook-id")
    keys = [parse_webhook_secret(s) for s in secrets]  # validated at start-up
    return verify_standard_webhook(keys, headers, body, now=now)


def _zendesk_auth(secrets: Sequence[str], headers: Headers, body: bytes, now: float) -> None:
    auth.check_zendesk(secrets, headers, body, now=now)


def _freshservice_auth(secrets: Sequence[str], headers: Headers, _b: bytes, _n: float) -> None:
    auth.check_basic(secrets, headers)  # Freshservice cannot sign a body


def _github_auth(secrets: Sequence[str], headers: Headers, body: bytes, _now: float) -> str | None:
    auth.check_hub_signature(secrets, headers, "x-hub-signature-256", body)
    return auth.delivery_id(headers, "x-github-delivery")


TOOLS = (
    Tool("jira", _jira_auth, lambda b, now, _h: parse_jira(b, now)),
    Tool("servicenow", _servicenow_auth, lambda b, now, _h: parse_servicenow(b, now)),
    Tool("zendesk", _zendesk_auth, lambda b, now, _h: parse_zendesk(b, now)),
    Tool("freshservice", _freshservice_auth, lambda b, now, _h: parse_freshservice(b, now)),
    Tool("github", _github_auth, lambda b, now, h: parse_github(b, now, h.get("x-github-event"))),
)


WEBHOOKS = ("/webhooks/tickets", *(f"/webhooks/{t.name}" for t in TOOLS))


def enabled_webhooks(settings: Settings) -> list[str]:
    """The /webhooks/* endpoints that are on: each needs its secret."""
    on = ["/webhooks/tickets"] if settings.ticket_webhook_secrets else []
    return on + [f"/webhooks/{t.name}" for t in TOOLS if t.name in settings.itsm_webhook_secrets]


def add_itsm_routes(app: web.Application, deps: Deps) -> None:
    for tool in TOOLS:
        app.router.add_post(f"/webhooks/{tool.name}", itsm_handler(deps, tool))


def itsm_handler(deps: Deps, tool: Tool) -> Handler:
    secrets = [s.value for s in deps.settings.itsm_webhook_secrets.get(tool.name, ())]
    off = f"/webhooks/{tool.name} is off: {ITSM_SECRET_SETTINGS[tool.name]} is not set"

    async def handle(request: web.Request) -> web.Response:
        if not secrets:
            return json_error(404, off)
        body = await read_capped(request)
        if body is None:
            return json_error(413, f"body larger than {MAX_BODY} bytes")
        now = deps.clock.now()
        try:
            sender_id = tool.authenticate(secrets, request.headers, body, now.timestamp())
            parsed = tool.parse(body, now, request.headers)
        except SignatureRejected as exc:
            return _rejected(deps, tool.name, request, exc.reason)
        except ItsmError as exc:
            deps.metrics.webhooks.labels("invalid").inc()
            return json_error(400, str(exc))
        return await _accept(deps, parsed, sender_id, hashlib.sha256(body).hexdigest())

    return handle


def _rejected(deps: Deps, tool: str, request: web.Request, reason: str) -> web.Response:
    deps.metrics.rejected.labels(tool, reason).inc()
    log.warning(
        "webhook_rejected", extra={"endpoint": tool, "reason": reason, "peer": request.remote}
    )
    return json_error(401, "invalid signature or credentials")


async def _accept(deps: Deps, parsed: Parsed, sender_id: str | None, digest: str) -> web.Response:
    if isinstance(parsed, NotAClose):
        deps.metrics.webhooks.labels("ignored").inc()
        return web.json_response({"status": "ignored", "reason": parsed.reason})
    return await _store(deps, parsed, sender_id, digest)


async def _store(deps: Deps, close: Close, sender_id: str | None, digest: str) -> web.Response:
    t = close.ticket
    # No delivery id (Zendesk, Freshservice, automation): the body is the receipt's key, so an
    # identical retry is a duplicate while a later close of the ticket reaches the ticket rules.
    delivery = sender_id or f"{t.source}:{t.ticket_id}:{digest[:16]}"
    accepting = surveys.accept_close(deps, close, delivery, digest)
    return await stored_reply(deps, accepting, delivery, t.source)
