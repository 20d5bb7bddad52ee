"""Interactive answers keep their deadline whatever the database does.

Slack shows an error when a click or a modal is not answered within 3 s. A database that
does not answer (blackholed, or another process holding SQLite's write lock) would otherwise
hold the click for as long as its connect, lock or statement timeout, so the work is given
a deadline, and past it the user is told to click again."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

# Slack allows 3 s; this leaves room for the round trips either side of the database work.
INTERACTIVE_SECONDS = 2.0

# Work given up on is cancelled, not awaited: its rollback may wait on the same dead database.
# Held here until it ends, so the event loop does not drop a running task.
_abandoned: set[asyncio.Task[Any]] = set()


class TooSlow(TimeoutError):
    """The work did not finish in time; it was cancelled, so it changed nothing it had not
    already committed."""


async def within(work: Coroutine[Any, Any, T], seconds: float | None = None) -> T:
    # Read when called, not bound at import: the test suite widens it for tests that are not
    # about the deadline, whose clicks a loaded CI machine once held past 2 s.
    seconds = INTERACTIVE_SECONDS if seconds is None else seconds
    task = asyncio.ensure_future(work)
    try:
        done, _ = await asyncio.wait({task}, timeout=seconds)
    except asyncio.CancelledError:
        task.cancel()
        raise
    if task in done:
        return task.result()
    task.cancel()
    _abandoned.add(task)
    task.add_done_callback(_forget)
    raise TooSlow(f"no answer within {seconds} s")


async def within_waiting(work: Awaitable[T], seconds: float | None = None) -> T:
    """`within` for work that only waits for a result made elsewhere (a group commit's batch,
    which rolls back on its own when its caller gives up): cancelling that wait ends it at once,
    so it runs in the caller's task. A task per score click cost 5 % of its CPU (issue 13)."""
    seconds = INTERACTIVE_SECONDS if seconds is None else seconds
    try:
        async with asyncio.timeout(seconds):
            return await work
    except TimeoutError:
        raise TooSlow(f"no answer within {seconds} s") from None


def _forget(task: asyncio.Task[Any]) -> None:
    _abandoned.discard(task)
    if not task.cancelled():
        task.exception()  # retrieved, so asyncio does not log it again: the caller already did
