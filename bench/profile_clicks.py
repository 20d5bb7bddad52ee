"""`python -m bench.profile_clicks [--url PG] [--path webhooks]`: where `npsbot serve` spends a
score click (or a ticket webhook).

The npsbot round of bench/throughput.py (same surveys, fake Slack and wrk load), with
py-spy (`pip install py-spy`, not a project dependency) sampling the server during the timed run.
Prints the functions holding the most samples, inclusive (anywhere on the stack) and self.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import tempfile
from collections import Counter
from pathlib import Path

from bench import wrk
from bench.common import BOT_TOKEN, SIGNING_SECRET, fresh_database, serve
from bench.fake_slack_proc import fake_slack
from bench.slack_limits import slack_limits
from bench.throughput import (
    ROUTE,
    TIMED_POOL,
    WARM_POOL,
    click_pool,
    seed_surveys,
    survey_ref,
    webhook_pool,
)


async def profile(admin_url: str | None, seconds: int, out: Path, path: str) -> None:
    spy = shutil.which("py-spy")
    if spy is None:
        raise SystemExit("py-spy is not installed: pip install py-spy")
    with tempfile.TemporaryDirectory(prefix="npsbot-profile-") as tmp:
        workdir = Path(tmp)
        async with (
            fresh_database(admin_url, workdir) as db_url,
            fake_slack(0, "healthy", slack_limits()) as fake,
        ):
            slack = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET}
            # Webhooks as bench/throughput.py runs them: no Slack, surveys wait undelivered.
            env = {} if path == "webhooks" else {**slack, "SLACK_API_URL": fake.base_url}
            async with serve(db_url, workdir, env) as bot:
                warm, timed = workdir / "warm.txt", workdir / "timed.txt"
                if path == "clicks":
                    await seed_surveys(db_url, WARM_POOL + TIMED_POOL)
                    await fake.seed([survey_ref(i)[2:] for i in range(WARM_POOL + TIMED_POOL)])
                    wrk.write_pool(warm, click_pool(0, WARM_POOL))
                    wrk.write_pool(timed, click_pool(WARM_POOL, TIMED_POOL))
                else:
                    wrk.write_pool(warm, webhook_pool("p", 0, WARM_POOL))
                    wrk.write_pool(timed, webhook_pool("p", WARM_POOL, TIMED_POOL))
                url = bot.url + ROUTE[path]
                await wrk.run(url, warm, 2, workdir)
                sampler = await asyncio.create_subprocess_exec(
                    spy,
                    "record",
                    "--pid",
                    str(bot.pid),
                    "--duration",
                    str(seconds),
                    "--rate",
                    "200",
                    "--format",
                    "raw",
                    "--output",
                    str(out),
                    "--nonblocking",
                    stdout=asyncio.subprocess.DEVNULL,
                    stderr=asyncio.subprocess.DEVNULL,
                )
                print(await wrk.run(url, timed, seconds, workdir))
                await sampler.wait()


def top(raw: Path, n: int = 25) -> str:
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = [f.split(" (")[0] + " (" + f.split(" (")[-1] for f in stack.split(";") if f]
        samples = int(count)
        total += samples
        for frame in set(frames):
            inclusive[frame] += samples
        if frames:
            own[frames[-1]] += samples
    lines = [f"{total} samples", "", "inclusive:"]
    lines += [f"{100 * c / total:5.1f} %  {f}" for f, c in inclusive.most_common(n)]
    lines += ["", "self:"] + [f"{100 * c / total:5.1f} %  {f}" for f, c in own.most_common(n)]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile_clicks", description=__doc__)
    parser.add_argument("--url", help="PostgreSQL admin URL (default: SQLite)")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--path", choices=sorted(ROUTE), default="clicks")
    parser.add_argument("--out", type=Path, default=Path("npsbot-click-profile.txt"))
    args = parser.parse_args()
    asyncio.run(profile(args.url, args.seconds, args.out, args.path))
    print(top(args.out))


if __name__ == "__main__":
    main()
