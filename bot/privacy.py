"""Erasure on request (`npsbot forget`) and the platform side of it: the bot's messages go too.

The database is scrubbed in one transaction, which also queues one outbox job per platform; the
delivery worker of a running `npsbot serve` deletes the messages, retrying through an outage, and
each message's row goes once the platform confirmed it, so nothing is deleted twice or lost."""

from __future__ import annotations

import logging
import secrets

from bot.deps import Deps
from bot.jobs import JobKind, complete_job, queue_job
from bot.messages import MessageRemoved
from bot.ports import DeliveryError, MessageRef, Messenger
from store import privacy
from store import teams as conversations
from store.outbox import Job
from store.privacy import Item

log = logging.getLogger(__name__)

ERASE = JobKind.ERASE
RETRIED = "retried"  # earlier erasures whose message deletions had given up, queued again


async def forget(
    deps: Deps,
    email: str | None,
    slack_user: str | None,
    teams_user: str | None,
    *,
    dry_run: bool,
) -> dict[str, int]:
    """What was (or, dry, would be) removed, by kind; all zero when nothing is left."""
    async with deps.store.write() as conn:
        emails, ids = await privacy.who(conn, email, slack_user, teams_user)
        found = await privacy.find(conn, emails, ids)
        stalled = await privacy.stalled_erasures(conn)
        found.counts[RETRIED] = len(stalled)
        if dry_run or not any(found.counts.values()):
            return found.counts
        for erasure_id, platform in stalled:
            await queue_job(deps, conn, ERASE, f"{erasure_id}:{platform}", platform)
        erasure_id = secrets.token_hex(8)
        await privacy.apply(conn, found, erasure_id, deps.clock.now())
        for platform in sorted({item.platform for item in found.items}):
            await queue_job(deps, conn, ERASE, f"{erasure_id}:{platform}", platform)
    log.info("person_erased", extra={"erasure": erasure_id, "surveys": len(found.survey_ids)})
    return found.counts


async def erase_messages(deps: Deps, messenger: Messenger, job: Job, owner: str) -> None:
    erasure_id, _, platform = job.ref.partition(":")
    async with deps.store.read() as conn:
        items = await privacy.pending_items(conn, erasure_id, platform)
    for item_id, item in items:
        await _erase(deps, messenger, item)  # a failure retries the job from this item on
        async with deps.store.write() as conn:
            await privacy.item_done(conn, item_id)
    await complete_job(deps, job, owner)


async def _erase(deps: Deps, messenger: Messenger, item: Item) -> None:
    ref = MessageRef(channel=item.channel, ts=item.ts)
    try:
        if item.action == "delete":
            await messenger.delete(ref)
        elif item.action == "replace":
            await messenger.update(ref, MessageRemoved())
        else:  # forget_chat: last, once the chat's cards are gone
            async with deps.store.write() as conn:
                await conversations.forget(conn, item.channel)
    except DeliveryError as exc:
        if not exc.permanent:
            raise
        # Already deleted by someone, or the chat is gone: nothing of it is left to remove.
        log.info("erasure_message_gone", extra={"action": item.action, "reason": exc.reason})
