"""A batch after a busy one gathers the callers coming back, instead of running the first alone."""

from __future__ import annotations

import asyncio

import pytest

from bot import group_commit
from bot.group_commit import GATHER_SECONDS, GroupCommit


async def test_callers_coming_back_together_share_one_batch_not_one_and_the_rest() -> None:
    batches: list[list[int]] = []

    async def run(items: list[int]) -> list[int]:
        batches.append(items)
        return items

    commit: GroupCommit[int, int] = GroupCommit()
    assert await asyncio.gather(*(commit.submit(i, run) for i in range(5))) == list(range(5))
    loop = asyncio.get_running_loop()
    later: list[asyncio.Future[int]] = []
    # One caller back at once, four more well within the gathering window, one by one.
    first = asyncio.ensure_future(commit.submit(5, run))
    for i in range(6, 10):
        loop.call_later(
            GATHER_SECONDS / 4,
            lambda i=i: later.append(asyncio.ensure_future(commit.submit(i, run))),
        )
    assert await first == 5
    assert await asyncio.gather(*later) == [6, 7, 8, 9]
    assert batches == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]


async def test_a_lone_caller_after_a_lone_caller_does_not_wait(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(group_commit, "GATHER_SECONDS", 60.0)  # a wait would show

    async def run(items: list[int]) -> list[int]:
        return items

    commit: GroupCommit[int, int] = GroupCommit()
    assert await commit.submit(1, run) == 1
    assert await asyncio.wait_for(commit.submit(2, run), timeout=10) == 2


async def test_with_two_at_once_a_batch_runs_while_the_first_waits_on_the_database() -> None:
    first_may_commit = asyncio.Event()
    batches: list[list[int]] = []

    async def run(items: list[int]) -> list[int]:
        batches.append(items)
        if items == [1]:
            await first_may_commit.wait()  # a round trip to PostgreSQL that takes its time
        return items

    commit: GroupCommit[int, int] = GroupCommit(at_once=2)
    first = asyncio.ensure_future(commit.submit(1, run))
    await asyncio.sleep(0)
    assert await asyncio.wait_for(commit.submit(2, run), timeout=10) == 2
    first_may_commit.set()
    assert await first == 1
    assert batches == [[1], [2]]


async def test_with_one_at_once_the_next_batch_waits_for_the_running_one() -> None:
    first_may_commit = asyncio.Event()

    async def run(items: list[int]) -> list[int]:
        if items == [1]:
            await first_may_commit.wait()
        return items

    commit: GroupCommit[int, int] = GroupCommit()
    first = asyncio.ensure_future(commit.submit(1, run))
    await asyncio.sleep(0)
    second = asyncio.ensure_future(commit.submit(2, run))
    await asyncio.sleep(GATHER_SECONDS * 5)
    assert not second.done()
    first_may_commit.set()
    assert await asyncio.gather(first, second) == [1, 2]
    # Every drain has ended: the next caller starts one of its own.
    assert await asyncio.wait_for(commit.submit(3, run), timeout=10) == 3
