"""`npsbot serve --workers N`: N server processes on one port, as one service.

Each process binds the port with SO_REUSEPORT (the kernel spreads connections over them) and
runs everything `npsbot serve` runs: its own event loop, delivery worker and scheduler. What
they share is the database, exactly as replicas on several machines do: jobs are claimed under
leases (SKIP LOCKED on PostgreSQL, BEGIN IMMEDIATE on SQLite), duplicates are stopped by
constraints. This parent only starts them, passes SIGTERM/SIGINT on, and stops the rest when
one ends, so the service manager (systemd, Docker) sees one unit and restarts it whole.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Sequence
from multiprocessing.process import BaseProcess
from types import FrameType

log = logging.getLogger("npsbot")

STOP_GRACE = 30.0  # seconds a worker gets to finish its requests and jobs after SIGTERM


def run_workers(count: int, serve_one: Callable[[int], None]) -> int:
    """Runs `serve_one(index)` in `count` processes; returns when they have all stopped."""
    # fork: the parent has loaded settings and migrated; the children start from that state.
    context = multiprocessing.get_context("fork")
    procs = [context.Process(target=serve_one, args=(i,), name=f"npsbot-{i}") for i in range(count)]
    for proc in procs:
        proc.start()
    stopping: list[int] = []

    def forward(signum: int, _frame: FrameType | None) -> None:
        stopping.append(signum)
        _signal_all(procs, signal.SIGTERM)

    previous = {s: signal.signal(s, forward) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        first = _wait_for_one(procs)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    if not stopping:
        log.warning("npsbot_worker_exited", extra={"worker": first.name, "code": first.exitcode})
        _signal_all(procs, signal.SIGTERM)
    _join_all(procs)
    return 0 if stopping or first.exitcode == 0 else 1


def _wait_for_one(procs: Sequence[BaseProcess]) -> BaseProcess:
    while True:
        for proc in procs:
            if not proc.is_alive():
                return proc
        time.sleep(0.2)


def _signal_all(procs: Sequence[BaseProcess], signum: int) -> None:
    for proc in procs:
        if proc.pid is not None and proc.is_alive():
            os.kill(proc.pid, signum)


def _join_all(procs: Sequence[BaseProcess]) -> None:
    deadline = time.monotonic() + STOP_GRACE
    for proc in procs:
        proc.join(max(0.0, deadline - time.monotonic()))
    for proc in procs:
        if proc.is_alive():
            proc.kill()
            proc.join()
