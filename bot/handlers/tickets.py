"""POST /webhooks/tickets: authenticate, parse, store durably, then answer."""

from __future__ import annotations

import hashlib
import logging

from aiohttp import web

from bot import surveys
from bot.deps import Deps
from bot.handlers import Handler
from bot.handlers.signing import SignatureRejected, parse_webhook_secret, verify_standard_webhook
from bot.model import Ticket
from bot.ticket_event import TicketEventError, parse_ticket_event
from store.surveys import ReceiptConflict

log = logging.getLogger(__name__)

MAX_BODY = 64 * 1024  # Standard Webhooks recommends payloads under 20 kB


def tickets_handler(deps: Deps) -> Handler:
    keys = [parse_webhook_secret(s.value) for s in deps.settings.ticket_webhook_secrets]

    async def handle(request: web.Request) -> web.Response:
        if not keys:
            deps.metrics.webhooks.labels("no_secret").inc()
            log.warning("webhook_secret_not_set", extra={"hint": "set TICKET_WEBHOOK_SECRET"})
            return _json(503, "TICKET_WEBHOOK_SECRET is not set on the server", retry=True)
        body = await _read_capped(request)
        if body is None:
            return _json(413, f"body larger than {MAX_BODY} bytes")
        try:
            delivery_id = verify_standard_webhook(
                keys, request.headers, body, now=deps.clock.now().timestamp()
            )
        except SignatureRejected as exc:
            deps.metrics.rejected.labels("tickets", exc.reason).inc()
            log.warning("webhook_rejected", extra={"reason": exc.reason, "peer": request.remote})
            return _json(401, "invalid signature")
        try:
            ticket = parse_ticket_event(body)
        except TicketEventError as exc:
            deps.metrics.webhooks.labels("invalid").inc()
            return _json(400, str(exc))
        return await _store(deps, ticket, delivery_id, hashlib.sha256(body).hexdigest())

    return handle


async def _store(deps: Deps, ticket: Ticket, delivery_id: str, digest: str) -> web.Response:
    try:
        accepted = await surveys.accept_ticket(deps, ticket, delivery_id, digest)
    except ReceiptConflict:
        deps.metrics.webhooks.labels("conflict").inc()
        log.warning("webhook_id_reused", extra={"delivery": delivery_id})
        return _json(409, "this webhook-id was already used for a different body")
    except Exception:
        # Never a 2xx before the commit: the sender keeps the event and retries.
        log.exception("webhook_not_stored", extra={"delivery": delivery_id})
        deps.metrics.webhooks.labels("unavailable").inc()
        return _json(503, "storage unavailable, retry later", retry=True)
    outcome = "accepted" if accepted.new else "duplicate"
    deps.metrics.webhooks.labels(outcome).inc()
    payload = {"status": outcome, "survey": accepted.survey_id}
    return web.json_response(payload, status=202 if accepted.new else 200)


async def _read_capped(request: web.Request) -> bytes | None:
    if request.content_length is not None and request.content_length > MAX_BODY:
        return None
    body = await request.content.read(MAX_BODY + 1)
    return None if len(body) > MAX_BODY else body


def _json(status: int, reason: str, *, retry: bool = False) -> web.Response:
    headers = {"Retry-After": "30"} if retry else None
    return web.json_response({"error": reason}, status=status, headers=headers)
