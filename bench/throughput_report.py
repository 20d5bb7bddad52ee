"""Markdown for bench/throughput.py: the figures, each round, and how they were measured."""

from __future__ import annotations

from typing import Any

from bench import wrk
from bench.throughput import SCORE, SERVERS, TIMED_POOL, WARM_POOL

TITLES = {
    "clicks": "Signed score clicks, answer stored (`POST /slack/events`)",
    "webhooks": "Signed ticket-closed webhooks stored (`/webhooks/tickets`)",
}
NAMES = {
    "floor": "floor (bare aiohttp + HMAC + one insert)",
    "peer": "peer (slack-bolt AsyncApp + one insert)",
    "npsbot": "`npsbot serve`",
    "npsbot2": "`npsbot serve --workers 2`",
}


def _ms(value: float) -> str:
    return f"{value:,.0f} ms" if value >= 10 else f"{value:.1f} ms"


def _ratio(entry: dict[str, Any], other: str) -> str:
    if f"vs_{other}" not in entry:
        return "–"
    each = " / ".join(f"{x:.2f}" for x in entry[f"vs_{other}_rounds"])
    return f"**{entry[f'vs_{other}']:.2f}×** ({each})"


def table(summary: list[dict[str, Any]], path: str) -> str:
    out = [
        "| Database | Server | req/s (median) | Each round | p50 | p99 | npsbot ÷ peer "
        "| npsbot ÷ floor | Rows stored / 2xx, each round | Non-2xx + socket errors |",
        "|" + " --- |" * 10,
    ]
    for e in (e for e in summary if e["path"] == path):
        rounds = e["rounds"]
        each = " / ".join(f"{r['req_per_s']:,.0f}" for r in rounds)
        rows = "; ".join(f"{r['rows']:,} / {r['ok']:,}" for r in rounds)
        check = f"{'yes' if e['correct'] else '**NO**'} ({rows})"
        errors = sum(r["errors"] for r in rounds)
        out.append(
            f"| {e['backend']} | {NAMES[e['server']]} | **{e['req_per_s']:,.0f}** | {each} "
            f"| {_ms(e['p50_ms'])} | {_ms(e['p99_ms'])} | {_ratio(e, 'peer')} "
            f"| {_ratio(e, 'floor')} | {check} | {errors} |"
        )
    return "\n".join(out)


def scaling(summary: list[dict[str, Any]]) -> list[str]:
    """One line per store: `--workers 2` ÷ one process, per round then the median."""
    lines = []
    for e in (e for e in summary if e["server"] == "npsbot2" and "vs_npsbot" in e):
        each = " / ".join(f"{x:.2f}" for x in e["vs_npsbot_rounds"])
        lines.append(
            f"- **{e['backend']}, 2 workers ÷ 1 (scaling factor):** "
            f"**{e['vs_npsbot']:.2f}×** ({each})"
        )
    return lines


def _rss(row: dict[str, Any]) -> str:
    return f"{row['rss_mb']:.0f} MB" if row.get("rss_mb") else "–"


def rounds_table(rows: list[dict[str, Any]]) -> str:
    out = [
        "| Path | Database | Round | Server | Load avg (1 min) before | req/s | p50 | p99 "
        "| Requests (timed) | Pool wrapped | Peak RSS | Slack calls |",
        "|" + " --- |" * 12,
    ]
    for r in rows:
        calls = "; ".join(f"{k} ×{n}" for k, n in r.get("slack", {}).items()) or "–"
        out.append(
            f"| {r['path']} | {r['backend']} | {r['round'] + 1} | {r['server']} "
            f"| {r['load1']:.2f} | {r['req_per_s']:,.0f} | {_ms(r['p50_ms'])} "
            f"| {_ms(r['p99_ms'])} | {r['requests']:,} | {r['wrapped']} | {_rss(r)} "
            f"| {calls} |"
        )
    return "\n".join(out)


def section(found: dict[str, Any]) -> str:
    summary, rows, seconds = found["summary"], found["rows"], found["seconds"]
    paths = [p for p in SERVERS if any(e["path"] == p for e in summary)]
    parts = [
        "## Throughput: floor, peer and npsbot in alternating rounds (wrk)",
        "",
        f"wrk {wrk.THREADS} threads, {wrk.CONNECTIONS} keep-alive connections, loopback, "
        f"{seconds[0]:g} s warm-up then {seconds[1]:g} s timed, per server per round; "
        f"{found['rounds']} rounds, in the order floor, peer, npsbot, floor, peer, npsbot, … "
        "Ratios are per round (npsbot's rate ÷ the other server's rate in the same round), "
        "then the median: neighbours in time share the machine's load, which is why these "
        "ratios, not the raw rates, are the honest figure on this shared machine.",
        "",
    ]
    for path in paths:
        parts += [f"### {TITLES[path]}", "", table(summary, path), ""]
        if path == "clicks" and (lines := scaling(summary)):
            parts += [*lines, ""]
    parts += ["### Every round", "", rounds_table(rows), "", *METHOD, ""]
    return "\n".join(parts)


METHOD = [
    "### Method",
    "",
    "- **Same requests for every server.** Before each warm-up and each timed run, the bench "
    "signs a fresh pool of requests (Slack signatures and webhook timestamps are valid for 5 "
    f"minutes): {WARM_POOL:,} for the warm-up, {TIMED_POOL:,} for the timed run. wrk's Lua "
    "script (`bench/wrk.py`) gives each thread every other line and sends them in order; "
    "*Pool wrapped* counts how often a thread ran out and started over (allowed for the floor "
    "and peer, whose work per request does not depend on the data; never for npsbot, where a "
    "repeat would take another path: a round where it happened fails the check).",
    "- **Clicks.** A `block_actions` payload (tests/payloads, message blocks trimmed) for the "
    f"button *score {SCORE}* (a promoter: no callback opened) of survey i, clicked by U<i>, the "
    "survey's requester, in its DM D<i>: every click is for a different survey, so every one is "
    "a first click. For npsbot, the surveys are written straight into its tables as delivered "
    "and unanswered (webhooks are measured separately), and tests' FakeSlack runs in a child "
    "process knowing each DM, so the thank-you `chat.update` that each answer queues succeeds. "
    "The fake enforces Slack's published limits (`bench/slack_limits.py`, at Slack's own rates, "
    "as in the fan-out bench): chat.update is Tier 3, so the thank-yous queue and go at the rate "
    "Slack allows, which is what a burst of clicks meets on real Slack; until 2026-12-03 the "
    "fake answered every call, and npsbot's thousand thank-yous a second to it, with the fake's "
    "own CPU on the same two cores, cost it a third of its click rate. Delivering thank-yous "
    "under those limits is measured by `bench/thankyous.py`. *Slack calls* counts the ones sent "
    "before the server was stopped. The floor and the peer "
    "parse the payload and insert (survey id, score, user, time) into a `click` table.",
    "- **Webhooks.** Unique Standard Webhooks deliveries (unique webhook id and ticket id). "
    "npsbot runs without Slack, so surveys are stored and wait undelivered; its `survey` rows "
    "are counted. The floor inserts (webhook id, body) into a `receipt` table.",
    "- **Stores.** Each server of each round gets a fresh database: a new SQLite WAL file, or a "
    "new PostgreSQL database dropped afterwards. The floor and the peer insert with "
    "`bench/floor.py`'s Sink: the synchronous sqlite3 module in autocommit, or an asyncpg pool "
    "of 10; npsbot uses its own store. No unique key on the floor's tables: every request is "
    "one real insert.",
    f"- **Rows = 2xx.** Rows stored minus 2xx answers counted by wrk must be between 0 and "
    f"{2 * wrk.CONNECTIONS}: requests in flight when wrk stops (warm-up, then timed run: at most "
    "one per connection each time) are stored but never counted. Any non-2xx or socket error "
    "fails the check.",
    "- **Servers.** Each one a subprocess on a free loopback port: `python -m bench.floor`, "
    "`python -m bench.peer`, `python -m bot serve` (the real CLI, which migrates first), "
    "stopped after its round, so no server's leftover work (npsbot's thank-you backlog) runs "
    "during another's round. For clicks, `python -m bot serve --workers 2` runs as a fourth "
    "server in each round (two processes on one port with SO_REUSEPORT, one database); its "
    "rate ÷ the one-process rate of the same round is the scaling factor. *Peak RSS* is the "
    "one-process server's VmHWM (/proc) read at the end of its timed run.",
]
