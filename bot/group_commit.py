"""Group commit: concurrent callers' writes share one transaction, each answered after it.

Under load most of a click's cost is the transaction around it (the write lock, BEGIN, COMMIT,
a round trip per statement), not its own rows. Callers queue; one drain runs what has queued
as one batch while the next batch gathers, so nobody waits for a timer and a lone caller runs
at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, Generic, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")
Batch = Callable[[list[T]], Coroutine[Any, Any, list[R]]]
Waiter = tuple[T, "asyncio.Future[R]"]

# Batches given up on are cancelled, not awaited: their rollback may wait on a dead database.
_abandoned: set[asyncio.Future[Any]] = set()
# Under load, the callers the last batch answered come back within a millisecond or two, one by
# one: the first used to run alone and the rest waited a whole transaction behind it (batch
# sizes 49, 1, 49, 1 … under wrk's 50 connections). A new batch waits at most this long for as
# many callers as the last one had; after a lone caller it does not wait at all.
GATHER_SECONDS = 0.002


class GroupCommit(Generic[T, R]):
    def __init__(self, limit: int = 200, at_once: int = 1) -> None:
        """`at_once`: how many batches may run together. One for SQLite's one writer; several
        on PostgreSQL, whose pooled connections commit in parallel, so a batch does not wait
        for the previous one's round trips (issue 13: webhooks at 0.19x the floor)."""
        self.limit = limit
        self.at_once = at_once
        self._waiting: list[Waiter[T, R]] = []
        self._drains: set[asyncio.Task[None]] = set()
        self._taking = asyncio.Lock()  # held by the one drain gathering and taking a batch
        self._last_batch = 0
        self._enough: asyncio.Future[None] | None = None  # set once the gathering may end

    async def submit(self, item: T, run: Batch[T, R]) -> R:
        """`run(items)` returns one result per item, in order, after its commit; every caller
        of one GroupCommit passes the same `run`."""
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        if len(self._waiting) >= self._last_batch:
            _release(self._enough)
        # A drain gathering takes this caller; else, while every drain runs a batch, another.
        if not self._taking.locked() and len(self._drains) < self.at_once:
            self._drains.add(asyncio.create_task(self._run_all(run), name="npsbot-group-commit"))
        return await future

    async def _run_all(self, run: Batch[T, R]) -> None:
        try:
            while batch := await self._take():
                # A caller that gave up (its deadline passed) before its batch began is left
                # out: it was told nothing was stored, so nothing is.
                live = [(item, f) for item, f in batch if not f.done()]
                if live:
                    await self._settle(live, run)
        finally:
            # Here, not in a done callback: a caller arriving before that ran would find this
            # drain still counted, and nobody would take it.
            self._drains.discard(asyncio.current_task())
            if not self._drains:  # the last drain: callers left only when it was cancelled
                for _, future in self._waiting:
                    future.cancel()
                self._waiting.clear()

    async def _take(self) -> list[Waiter[T, R]]:
        async with self._taking:
            if not self._waiting:
                return []
            await self._gather()
            batch, self._waiting = self._waiting[: self.limit], self._waiting[self.limit :]
            self._last_batch = len(batch)
            return batch

    async def _gather(self) -> None:
        if len(self._waiting) >= self._last_batch:
            return
        loop = asyncio.get_running_loop()
        self._enough = enough = loop.create_future()
        timer = loop.call_later(GATHER_SECONDS, _release, enough)
        try:
            await enough
        finally:
            timer.cancel()
            self._enough = None

    async def _settle(self, batch: list[Waiter[T, R]], run: Batch[T, R]) -> None:
        try:
            results = await _unless_abandoned(batch, run)
        except _Abandoned:
            # Rolled back: the callers still waiting go first into the next batch.
            self._waiting[:0] = [(item, f) for item, f in batch if not f.done()]
            return
        except Exception as exc:
            if len(batch) == 1:
                _answer(batch[0][1], exc)
                return
            # One bad item must not fail the others: each gets a transaction of its own.
            log.warning("group_commit_split", extra={"items": len(batch), "error": repr(exc)})
            for one in batch:
                if not one[1].done():
                    await self._settle([one], run)
            return
        for (_, future), result in zip(batch, results, strict=True):
            _answer(future, result)


class _Abandoned(Exception):
    """A caller gave up while its batch ran: the batch was cancelled, so it commits nothing."""


async def _unless_abandoned(batch: list[Waiter[T, R]], run: Batch[T, R]) -> list[R]:
    """The batch's results; cancelled (rolled back) as soon as one of its callers gives up, as
    that caller's own transaction would have been, so no caller told "not stored" was stored."""
    work = asyncio.create_task(run([item for item, _ in batch]))  # noqa: RUF006 - held below
    gave_up = asyncio.Event()
    for _, future in batch:
        future.add_done_callback(lambda f: gave_up.set() if f.cancelled() else None)
    watch = asyncio.create_task(gave_up.wait())
    try:
        await asyncio.wait({work, watch}, return_when=asyncio.FIRST_COMPLETED)
    except asyncio.CancelledError:  # the drain itself (shutdown): its callers must not hang
        work.cancel()
        for _, future in batch:
            future.cancel()
        raise
    finally:
        watch.cancel()
    if work.done():
        return work.result()
    _abandon(work)
    raise _Abandoned


def _abandon(task: asyncio.Future[Any]) -> None:
    task.cancel()
    _abandoned.add(task)
    task.add_done_callback(_forget)


def _forget(task: asyncio.Future[Any]) -> None:
    _abandoned.discard(task)
    if not task.cancelled():
        task.exception()  # retrieved, so asyncio does not log it: its callers were answered


def _release(waiting: asyncio.Future[None] | None) -> None:
    if waiting is not None and not waiting.done():
        waiting.set_result(None)


def _answer(future: asyncio.Future[R], result: R | Exception) -> None:
    if future.done():
        return  # its caller gave up while the batch ran
    if isinstance(result, Exception):
        future.set_exception(result)
    else:
        future.set_result(result)
