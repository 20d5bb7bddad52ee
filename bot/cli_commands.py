"""What each `npsbot` command does, once bot.cli has parsed its arguments and loaded settings."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot.directory import TeamDirectory
from bot.settings import Settings, SettingsError

if TYPE_CHECKING:
    from bot.model import Team
    from store import Store

log = logging.getLogger("npsbot")


def forget_command(settings: Settings, directory: TeamDirectory, args: argparse.Namespace) -> int:
    from bot.deps import Deps
    from bot.ports import SystemClock
    from bot.privacy import forget
    from store import open_store

    async def run() -> dict[str, int]:
        deps = Deps(open_store(settings.database_url), directory, SystemClock(), settings)
        try:
            return await forget(
                deps, args.email, args.slack_user, args.teams_user, dry_run=args.dry_run
            )
        finally:
            await deps.store.close()

    _say_forgotten(asyncio.run(run()), dry_run=args.dry_run)
    return 0


def _say_forgotten(counts: dict[str, int], *, dry_run: bool) -> None:
    """The admin's record of the erasure: what went (or would go), and what is still to do."""
    if retried := counts.pop("retried", 0):
        again = "would queue again" if dry_run else "queued again"
        print(f"{again} the message deletions of {retried} earlier erasure(s)")  # noqa: T201
    verb = "would remove" if dry_run else "removed"
    found = {kind: n for kind, n in counts.items() if n}
    for kind, n in found.items():
        print(f"{verb} {n} {kind}")  # noqa: T201 - the admin's record of the erasure
    if not found:
        print("nothing to remove: no data about this person is left")  # noqa: T201
    elif not dry_run and (counts["bot messages to delete"] or counts["alerts to replace"]):
        print("messages are deleted by the running npsbot serve (outbox kind 'erase')")  # noqa: T201


def demo_command(settings: Settings, directory: TeamDirectory, args: argparse.Namespace) -> int:
    from bot.demo_run import run_demo

    if not 1 <= args.teams <= 6 or not 1 <= args.weeks <= 260:
        print("npsbot: demo: --teams must be 1 to 6 and --weeks 1 to 260", file=sys.stderr)  # noqa: T201
        return 2
    migrate_command(settings, directory)
    print(asyncio.run(run_demo(settings, directory, args)))  # noqa: T201 - what was done, for a person
    return 0


def shell_command(settings: Settings, directory: TeamDirectory, _args: object = None) -> int:
    from bot.handlers.shell import run_shell

    # The chat is the output: INFO lines (survey_sent, …) would interleave with it.
    logging.getLogger().setLevel(max(logging.WARNING, logging.getLogger().level))
    if (failed := migrate_command(settings, directory)) != 0:
        return failed
    return run_shell(settings, directory)


def export_command(settings: Settings, directory: TeamDirectory, args: argparse.Namespace) -> int:
    from bot.scoring import local_midnight_utc

    team = _known_team(directory, args.team) if args.team else None
    if args.team and team is None:
        return 2
    since = local_midnight_utc(args.since, directory.default_timezone)
    team_key = team.key if team else None
    if args.output:
        try:
            out_file = open(args.output, "w", encoding="utf-8", newline="")  # noqa: SIM115
        except OSError as exc:
            print(f"npsbot: --output: cannot write {args.output}: {exc.strerror}", file=sys.stderr)  # noqa: T201
            return 2
        with out_file as out:
            count = asyncio.run(_export_to(settings, since, team_key, args.fmt, out))
    else:
        count = asyncio.run(_export_to(settings, since, team_key, args.fmt, sys.stdout))
    log.info("answers_exported", extra={"answers": count, "format": args.fmt})
    return 0


async def _export_to(
    settings: Settings, since: datetime, team_key: str | None, fmt: str, out: TextIO
) -> int:
    from bot.export import export
    from store import open_store

    store = open_store(settings.database_url)
    try:
        return await export(store, since, team_key, fmt, out)
    finally:
        await store.close()


def _known_team(directory: TeamDirectory, key: str) -> Team | None:
    """The team `--team` names; None once the admin is told which teams there are."""
    team = directory.match(key)
    if team is None:
        known = ", ".join(t.key for t in directory.teams) or "none configured"
        print(f"npsbot: unknown team {key!r}; known teams: {known}", file=sys.stderr)  # noqa: T201
    return team


def figures_command(settings: Settings, directory: TeamDirectory, args: argparse.Namespace) -> int:
    """`npsbot drivers` and `npsbot themes`: one team's figures for scripts, on stdout."""
    from store import open_store

    team = _known_team(directory, args.team)
    if team is None:
        return 2

    async def run() -> None:
        store = open_store(settings.database_url)
        try:
            await _figures(store, team, args)
        finally:
            await store.close()

    asyncio.run(run())
    return 0


async def _figures(store: Store, team: Team, args: argparse.Namespace) -> None:
    from datetime import UTC, datetime

    from bot import drivers, themes

    now = datetime.now(UTC)
    if args.command == "themes":
        themes.write(await themes.team_themes(store, team, args.weeks, now), args.fmt, sys.stdout)
    else:
        figures = await drivers.team_drivers(store, team, args.weeks, now)
        drivers.write(figures, args.fmt, sys.stdout)


def import_command(settings: Settings, directory: TeamDirectory, args: argparse.Namespace) -> int:
    from bot.importer import run_import

    try:
        outcome = run_import(settings, directory, Path(args.file), args.dry_run, args.rejects)
    except (OSError, ValueError) as exc:
        print(f"npsbot: {args.file}: {exc}", file=sys.stderr)  # noqa: T201
        return 2
    verb = "would import" if args.dry_run else "imported"
    summary = f"{verb} {outcome.imported}, already present {outcome.present}, "
    print(summary + f"rejected {outcome.rejected}", file=sys.stderr)  # noqa: T201
    return 1 if outcome.rejected else 0


def teams_package_command(
    settings: Settings, _directory: TeamDirectory, args: argparse.Namespace
) -> int:
    from bot.handlers.teams.package import build_package

    if not settings.microsoft_app_id:
        print("npsbot: MICROSOFT_APP_ID: required to build the Teams package", file=sys.stderr)  # noqa: T201
        return 2
    try:
        path = build_package(settings, Path(args.output))
    except SettingsError as exc:
        print(f"npsbot: {exc}", file=sys.stderr)  # noqa: T201 - the one line an admin reads
        return 2
    print(path)  # noqa: T201 - the one thing the admin needs: where the zip is
    return 0


def migrate_command(settings: Settings, _directory: TeamDirectory, _args: object = None) -> int:
    from store.migrate import DatabaseUnavailable, upgrade_to_head

    try:
        upgrade_to_head(settings.database_url)
    except DatabaseUnavailable as exc:
        print(f"npsbot: {exc}", file=sys.stderr)  # noqa: T201 - the one line an admin reads
        return 2
    log.info("database_migrated")
    return 0


def serve_command(settings: Settings, directory: TeamDirectory, args: argparse.Namespace) -> int:
    from bot.startup import startup_summary

    if (failed := migrate_command(settings, directory)) != 0:
        return failed
    workers: int = getattr(args, "workers", 1)
    log.info(
        "npsbot_starting",
        extra={
            "host": settings.host,
            "port": settings.port,
            "teams": len(directory.teams),
            "workers": workers,
        },
    )
    log.info("npsbot_serving", extra=startup_summary(settings))
    if workers == 1:
        _serve_one(settings, directory)
        return 0
    from bot.workers import run_workers

    return run_workers(workers, lambda _i: _serve_one(settings, directory, reuse_port=True))


def _serve_one(settings: Settings, directory: TeamDirectory, *, reuse_port: bool = False) -> None:
    from aiohttp import web

    from bot.server import build_app
    from bot.startup import listening_line

    # run_app calls `print` once the socket is bound, so the line is true when it appears;
    # run_app also turns SIGTERM into a graceful shutdown (docker stop, systemctl stop).
    web.run_app(
        build_app(settings, directory),
        host=settings.host,
        port=settings.port,
        print=lambda _text: log.info(listening_line(settings)),
        access_log=None,
        reuse_port=reuse_port or None,
    )
