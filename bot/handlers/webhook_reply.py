"""What every ticket webhook shares: the capped body read, the error body, the stored answer."""

from __future__ import annotations

import logging
from collections.abc import Awaitable

from aiohttp import web

from bot.deps import Deps
from store.intake import Accepted, ReceiptConflict

log = logging.getLogger(__name__)

MAX_BODY = 64 * 1024  # Standard Webhooks recommends payloads under 20 kB


async def read_capped(request: web.Request) -> bytes | None:
    """The body, or None past MAX_BODY (a 413), without ever holding more than one byte extra."""
    if request.content_length is not None and request.content_length > MAX_BODY:
        return None
    # read(n) returns what has arrived so far: loop until the end or one byte past the cap.
    chunks: list[bytes] = []
    size = 0
    while size <= MAX_BODY:
        chunk = await request.content.read(MAX_BODY + 1 - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return None if size > MAX_BODY else b"".join(chunks)


def json_error(status: int, reason: str, *, retry: bool = False) -> web.Response:
    headers = {"Retry-After": "30"} if retry else None
    return web.json_response({"error": reason}, status=status, headers=headers)


async def stored_reply(
    deps: Deps, accepting: Awaitable[Accepted], delivery_id: str, source: str
) -> web.Response:
    """202 stored, 200 duplicate, 409 a reused id, 503 not stored (the sender retries)."""
    try:
        accepted = await accepting
    except ReceiptConflict:
        deps.metrics.webhooks.labels("conflict").inc()
        log.warning("webhook_id_reused", extra={"delivery": delivery_id, "source": source})
        return json_error(
            409, "this delivery id (webhook-id) was already used for a different body"
        )
    except Exception:
        # Never a 2xx before the commit: the sender keeps the event and retries.
        log.exception("webhook_not_stored", extra={"delivery": delivery_id, "source": source})
        deps.metrics.webhooks.labels("unavailable").inc()
        return json_error(503, "storage unavailable, retry later", retry=True)
    outcome = "accepted" if accepted.new else "duplicate"
    deps.metrics.webhooks.labels(outcome).inc()
    payload = {"status": outcome, "survey": accepted.survey_id}
    return web.json_response(payload, status=202 if accepted.new else 200)
