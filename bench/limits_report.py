"""The fan-out and thank-you sections of docs/benchmarks.md, against Slack's rate limits."""

from __future__ import annotations

import math
from typing import Any

from bench import slack_limits, thankyous

SHARE_GOAL, ATTEMPTS_GOAL = 0.90, 1.05


def _s(seconds: float) -> str:
    return "–" if math.isnan(seconds) else f"{seconds:,.1f} s"


def _limits(speed: float) -> str:
    tier3 = slack_limits.TIER3_PER_MIN * speed
    post = slack_limits.POST_WORKSPACE_PER_MIN * speed
    return f"×{speed:g}: Tier 3 {tier3:,.0f}/min, postMessage {post:,.0f}/min"


def _fanout_row(r: dict[str, Any]) -> str:
    share, attempts = r["share"], r["attempts_per_dm"]
    ok_share = "" if math.isnan(share) else (" ✓" if share >= SHARE_GOAL else " ✗")
    ok_attempts = " ✓" if attempts <= ATTEMPTS_GOAL else " ✗"
    calls = "; ".join(f"{m} {r['calls'][m]:,} ({r['limited'][m]:,})" for m in r["calls"])
    cells = [
        r["backend"],
        r["case"],
        _limits(r["limits"]["speed"]),
        f"{r['delivered']:,} / {r['sent']:,} / {r['accepted']:,}",
        "yes" if r["exactly_once"] and r["sent"] == r["delivered"] else "**NO**",
        _s(r["seconds"]),
        _s(r["floor_s"]),
        f"{r['rate']:,.1f} / {r['allowed_rate']:,.1f}",
        f"**{share:.0%}**{ok_share}" if not math.isnan(share) else "–",
        f"**{attempts:.3f}**{ok_attempts}",
        calls,
    ]
    return "| " + " | ".join(cells) + " |"


def fanout_section(rows: list[dict[str, Any]], stamp: str) -> str:
    head = (
        "| Database | Requesters | Limits (Slack's ×speed) | DMs posted / surveys sent / "
        "webhooks accepted | Each exactly once | Time to deliver all | Least time the limits "
        "allow | DMs/s: achieved / allowed | Share of allowed (goal ≥ 90 %) | postMessage "
        "attempts per DM (goal ≤ 1.05) | Calls (of which 429) |"
    )
    lines = [
        f"## Fan-out at Slack's ceiling: {rows[0]['surveys']:,} surveys (`bench/fanout.py`)",
        "",
        stamp,
        "",
        head,
        "| " + " | ".join(["---"] * 11) + " |",
        *(_fanout_row(r) for r in rows),
        "",
    ]
    return "\n".join(lines)


def _lags(spread: dict[str, float]) -> str:
    return " / ".join(_s(spread[k]) for k in ("p50", "p99", "max"))


def _thanks_row(r: dict[str, Any]) -> str:
    arrived = r["thanked"] == r["answers"] == r["acked"] and not r["failed_jobs"]
    cells = [
        r["backend"],
        f"{r['clicks']:,} at {r['click_rate']:,.0f}/s",
        f"{r['acked']:,} / {r['answers']:,}",
        f"{r['thanked']:,} ({r['updates_ok']:,} calls)",
        "yes" if arrived else "**NO**",
        _lags(r["lag"]),
        _lags(r["forced"]),
        f"{r['lag']['max'] - r['forced']['max']:+,.1f} s",
        f"{r['limited']:,}",
        f"{r['failed_jobs']:,}",
    ]
    return "| " + " | ".join(cells) + " |"


def thanks_section(rows: list[dict[str, Any]], stamp: str) -> str:
    speed = thankyous.SPEED
    rate = slack_limits.TIER3_PER_MIN * speed
    burst = slack_limits.TIER3_BURST * speed
    head = (
        "| Database | Clicks sent | Acked 200 / answers stored | Thank-yous arrived "
        "(chat.update ok) | Every one arrived | Lag click → thank-you p50 / p99 / max | Lag the "
        "limits force p50 / p99 / max | Last one, beyond forced | chat.update 429s | Jobs "
        "given up |"
    )
    lines = [
        f"## Thank-yous under {rows[0]['rate']} clicks/s for {rows[0]['seconds']} s "
        "(`bench/thankyous.py`)",
        "",
        stamp,
        "",
        f"chat.update limited to Tier 3 ×{speed:g}: {rate:,.0f}/min, burst {burst:,.0f}.",
        "",
        head,
        "| " + " | ".join(["---"] * 10) + " |",
        *(_thanks_row(r) for r in rows),
        "",
    ]
    return "\n".join(lines)


READING = [
    "## How to read the fan-out and thank-you sections",
    "",
    "- **Goals (issue 13, items 6 and 7).** Fan-out: the achieved DM rate is at least **90 %** of "
    "the rate the limits allow, and chat.postMessage is called at most **1.05** times per DM "
    "delivered (429s included), for new and for known requesters; every survey is delivered "
    "exactly once. Thank-yous: **every** stored score gets its thank-you, and none later than "
    "the limits force.",
    "- **The fake enforces Slack's published limits** (`bench/slack_limits.py`, plugged into "
    "tests' FakeSlack through its opt-in `limiter`): a token bucket per method for the workspace "
    "(Tier 3: users.lookupByEmail, conversations.open, chat.update at 50/min) and, for "
    "chat.postMessage, 1/s per channel plus a workspace ceiling. Over a bucket the call gets 429 "
    "with `Retry-After` = the seconds until a token, rounded up. Slack publishes no burst sizes "
    "and no number for the ceiling; **assumed here:** Tier 3 burst 20, 3 per channel, ceiling "
    "600/min with burst 20.",
    "- **Speed.** Known requesters run at Slack's own rates. New requesters (1,000 lookups at "
    "50/min: 20 min) and thank-yous (6,000 updates: two hours) run with every rate **and** "
    "burst multiplied by the speed shown; the buckets then hold the same seconds of refill, so "
    "the bot's pauses (whole seconds of Retry-After, its 5 s delivery tick) cost it no more "
    "tokens than on the real Slack.",
    "- **Allowed rate.** For each workspace bucket a DM needs, (calls − burst) ÷ rate is the "
    "least time the bucket allows; the largest of these is the floor, and *share* = floor ÷ the "
    "time from the first webhook to the last DM posted. Per-channel buckets never bind: every "
    "DM is its own channel.",
    "- **Forced lag.** A sender with no overhead, updating in click order from a bucket full at "
    "the first click: its lag per click. *Last one, beyond forced* is the bot's last "
    "thank-you's lag minus that sender's; a click's lag counts from when it was due "
    "(wrk2-style pacing from Python/aiohttp in the bench process), so a server that fell "
    "behind pays for it.",
    "- The server runs with its defaults (`DELIVERY_POLL_SECONDS` 5, `npsbot serve`, one "
    "worker) on a fresh database; the fake runs in its own process. Surveys for the thank-yous "
    "are written to the database as delivered, and their DMs seeded in the fake.",
    "",
]
