"""POST /webhooks/tickets: authenticate, parse, store durably, then answer."""

from __future__ import annotations

import hashlib
import logging

from aiohttp import web

from bot import surveys
from bot.deps import Deps
from bot.handlers import Handler
from bot.handlers.signing import SignatureRejected, parse_webhook_secret, verify_standard_webhook
from bot.handlers.webhook_reply import MAX_BODY, json_error, read_capped, stored_reply
from bot.model import Ticket
from bot.ticket_event import TicketEventError, parse_ticket_event

log = logging.getLogger(__name__)


def tickets_handler(deps: Deps) -> Handler:
    keys = [parse_webhook_secret(s.value) for s in deps.settings.ticket_webhook_secrets]

    async def handle(request: web.Request) -> web.Response:
        if not keys:
            deps.metrics.webhooks.labels("no_secret").inc()
            log.warning("webhook_secret_not_set", extra={"hint": "set TICKET_WEBHOOK_SECRET"})
            return json_error(503, "TICKET_WEBHOOK_SECRET is not set on the server", retry=True)
        body = await read_capped(request)
        if body is None:
            return json_error(413, f"body larger than {MAX_BODY} bytes")
        return await _signed(deps, keys, request, body)

    return handle


async def _signed(deps: Deps, keys: list[bytes], request: web.Request, body: bytes) -> web.Response:
    """Authenticated before anything parses the body; then parsed, then stored."""
    try:
        delivery_id = verify_standard_webhook(
            keys, request.headers, body, now=deps.clock.now().timestamp()
        )
    except SignatureRejected as exc:
        deps.metrics.rejected.labels("tickets", exc.reason).inc()
        log.warning("webhook_rejected", extra={"reason": exc.reason, "peer": request.remote})
        return json_error(401, "invalid signature")
    try:
        ticket = parse_ticket_event(body)
    except TicketEventError as exc:
        deps.metrics.webhooks.labels("invalid").inc()
        return json_error(400, str(exc))
    return await _store(deps, ticket, delivery_id, hashlib.sha256(body).hexdigest())


async def _store(deps: Deps, ticket: Ticket, delivery_id: str, digest: str) -> web.Response:
    accepting = surveys.accept_ticket(deps, ticket, delivery_id, digest)
    return await stored_reply(deps, accepting, delivery_id, ticket.source)
