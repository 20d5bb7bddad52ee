"""The daily retention purge: old comments and e-mails, finished outbox rows, webhook receipts.

Every replica ticks; the (UTC day) run row is the once-only guarantee, as the digest's is."""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.deps import Deps
from store import retention as rows

log = logging.getLogger(__name__)


async def purge_expired(deps: Deps) -> bool:
    """True if this call ran today's purge; False if a replica (or an earlier tick) did."""
    now = deps.clock.now()
    days = deps.directory.retention_days
    async with deps.store.write() as conn:
        if not await rows.start_retention(conn, now.date(), now):
            return False
        purged = await rows.purge_personal(conn, now - timedelta(days=days)) if days else {}
        purged["outbox jobs"] = await rows.purge_finished(conn, now)
        purged["webhook receipts"] = await rows.purge_receipts(conn, now)
    log.info("retention_purged", extra={k.replace(" ", "_"): n for k, n in purged.items()})
    return True
