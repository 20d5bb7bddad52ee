"""How fast `npsbot --help` and a settings error answer (issue 10: under 0.15 s).

Import time is read with `python -X importtime` (the self-reported microseconds of every import,
so a busy machine inflates it less than a wall clock would); wall time is shown beside it, with
the floor of a bare `python -c pass` measured in the same alternating rounds.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

CASES = {
    "floor: python -c pass": ["-c", "pass"],
    "npsbot --help": ["-m", "bot", "--help"],
    "npsbot with PORT=abc": ["-m", "bot", "migrate"],
}
ROUNDS = 7


def _run(args: list[str]) -> tuple[float, float]:
    env = {**os.environ, "PORT": "abc"} if args[-1] == "migrate" else dict(os.environ)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *args], capture_output=True, text=True, env=env
    )
    wall = time.perf_counter() - started
    cumulative = 0
    for line in done.stderr.splitlines():
        parts = line.split("|")
        if (
            line.startswith("import time:")
            and len(parts) == 3
            and parts[1].strip().isdigit()
            and not parts[2].startswith("  ")
        ):
            cumulative += int(parts[1])  # top-level imports only: their totals include children
    return cumulative / 1e6, wall


def main() -> None:
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in CASES}
    for _ in range(ROUNDS):
        for name, args in CASES.items():  # alternating, so a noisy moment hits every case
            results[name].append(_run(args))
    print(f"| Command ({ROUNDS} rounds) | import time p50 | wall p50 |")
    print("| --- | --- | --- |")
    for name, runs in results.items():
        imports = statistics.median(r[0] for r in runs)
        wall = statistics.median(r[1] for r in runs)
        print(f"| {name} | {imports * 1000:.0f} ms | {wall * 1000:.0f} ms |")


if __name__ == "__main__":
    main()
