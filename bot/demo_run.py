"""`npsbot demo`: which teams to fill, then the store does it; the summary a person reads."""

from __future__ import annotations

import argparse

from bot.demo import DEFAULT_TEAMS, make_history
from bot.directory import TeamDirectory
from bot.ports import SystemClock
from bot.settings import Settings
from bot.tallies import zones
from store import open_store
from store.demo import delete_demo, insert_demo


def demo_labels(directory: TeamDirectory, count: int) -> tuple[list[tuple[str, str]], bool]:
    """The configured teams first, so /nps team shows them; sample teams when none are set."""
    configured = [(t.key, t.name) for t in directory.teams[:count]]
    return (configured, True) if configured else (list(DEFAULT_TEAMS[:count]), False)


async def run_demo(settings: Settings, directory: TeamDirectory, args: argparse.Namespace) -> str:
    store = open_store(settings.database_url)
    try:
        # A second run replaces the first, never doubles it.
        removed = await delete_demo(store, zones(directory))
        if args.reset:
            return f"demo: removed {removed} demo surveys and their answers and callbacks"
        labels, configured = demo_labels(directory, args.teams)
        now = SystemClock().now()
        history = make_history(args.seed, labels, args.weeks, now)
        count = await insert_demo(store, history, now, zones(directory))
    finally:
        await store.close()
    return _summary(count, labels, configured, args.weeks)


def _summary(count: int, labels: list[tuple[str, str]], configured: bool, weeks: int) -> str:
    keys = ", ".join(key for key, _ in labels)
    lines = [f"demo: {count} surveys over {weeks} weeks for teams {keys}; try /nps teams"]
    if not configured:
        lines.append("demo: add these teams to nps.toml so reports find them:")
        lines += [f'[[team]]\nkey = "{key}"\nname = "{name}"' for key, name in labels]
    lines.append("demo: `npsbot demo --reset` removes only what the demo created")
    return "\n".join(lines)
