"""E-mail → person on a platform, looked up once and then served from the database."""

from __future__ import annotations

import asyncio

from bot.deps import Deps
from bot.ports import Messenger, Recipient
from store import recipients as rows


async def recipient_for(deps: Deps, messenger: Messenger, email: str) -> Recipient:
    # One lookup at a time per person: concurrent sends to a repeat requester share its result.
    key = (messenger.platform, email)
    async with deps.lookups.setdefault(key, asyncio.Lock()):
        async with deps.store.read() as conn:
            cached = await rows.cached_recipient(conn, messenger.platform, email)
        if cached is not None:
            return cached
        found = await messenger.find_recipient(email)
        async with deps.store.write() as conn:
            now = deps.clock.now()
            await rows.remember_recipient(conn, messenger.platform, email, found, now)
    return found
