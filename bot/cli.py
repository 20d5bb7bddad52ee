"""The `npsbot` command: serve, migrate, export, teams-package."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from datetime import date
from pathlib import Path
from typing import TextIO

from bot import __version__
from bot.directory import ConfigError, TeamDirectory, load_directory
from bot.export import FORMATS
from bot.logs import configure_logging
from bot.settings import Settings, SettingsError, load_settings

log = logging.getLogger("npsbot")


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
        directory = load_directory(settings.nps_config, required=settings.nps_config_explicit)
    except (SettingsError, ConfigError) as exc:
        print(f"npsbot: {exc}", file=sys.stderr)  # noqa: T201 - the one line an admin reads
        return 2
    configure_logging(settings.log_level, settings.secret_values())
    result: int = args.run(settings, directory, args)
    return result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="npsbot",
        description="Net Promoter surveys for closed IT tickets, in Slack and Microsoft Teams.",
    )
    parser.add_argument("--version", action="version", version=f"npsbot {__version__}")
    sub = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")
    serve = sub.add_parser("serve", help="migrate the database, then serve HTTP (and Socket Mode)")
    serve.set_defaults(run=_serve)
    migrate = sub.add_parser("migrate", help="bring the database schema up to date (idempotent)")
    migrate.set_defaults(run=_migrate)
    export = sub.add_parser("export", help="write every answer since a date as CSV or JSON")
    export.add_argument(
        "--since",
        required=True,
        type=_date,
        metavar="DATE",
        help="first day to include, YYYY-MM-DD (midnight in the default time zone)",
    )
    export.add_argument("--team", metavar="KEY", help="only this team (key, name or alias)")
    export.add_argument("--format", required=True, choices=FORMATS, dest="fmt")
    export.add_argument("--output", "-o", metavar="FILE", help="write here instead of stdout")
    export.set_defaults(run=_export)
    imp = sub.add_parser("import", help="load answers from an old survey tool's CSV (idempotent)")
    imp.add_argument("file", metavar="answers.csv", help="CSV with a header row (see README)")
    imp.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
    imp.add_argument("--rejects", metavar="FILE", help="also write rejected rows here, as CSV")
    imp.set_defaults(run=_import)
    package = sub.add_parser("teams-package", help="zip the Teams app package (manifest + icons)")
    package.add_argument("--output", "-o", metavar="FILE", default="npsbot-teams.zip")
    package.set_defaults(run=_teams_package)
    return parser


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-01-31") from None


def _export(settings: Settings, directory: TeamDirectory, args: argparse.Namespace) -> int:
    from bot.export import export
    from bot.scoring import local_midnight_utc
    from store import open_store

    team = directory.match(args.team) if args.team else None
    if args.team and team is None:
        known = ", ".join(t.key for t in directory.teams) or "none configured"
        print(f"npsbot: unknown team {args.team!r}; known teams: {known}", file=sys.stderr)  # noqa: T201
        return 2
    since = local_midnight_utc(args.since, directory.default_timezone)

    async def run(out: TextIO) -> int:
        store = open_store(settings.database_url)
        try:
            return await export(store, since, team.key if team else None, args.fmt, out)
        finally:
            await store.close()

    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as out:
            count = asyncio.run(run(out))
    else:
        count = asyncio.run(run(sys.stdout))
    log.info("answers_exported", extra={"answers": count, "format": args.fmt})
    return 0


def _import(settings: Settings, directory: TeamDirectory, args: argparse.Namespace) -> int:
    from bot.importer import run_import

    try:
        outcome = run_import(settings, directory, Path(args.file), args.dry_run, args.rejects)
    except (OSError, ValueError) as exc:
        print(f"npsbot: {args.file}: {exc}", file=sys.stderr)  # noqa: T201
        return 2
    verb = "would import" if args.dry_run else "imported"
    print(f"{verb} {outcome.imported}, already present {outcome.present}, "  # noqa: T201
          f"rejected {outcome.rejected}", file=sys.stderr)  # fmt: skip
    return 1 if outcome.rejected else 0


def _teams_package(settings: Settings, _directory: TeamDirectory, args: argparse.Namespace) -> int:
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


def _migrate(settings: Settings, _directory: TeamDirectory, _args: object = None) -> int:
    from store.migrate import upgrade_to_head

    upgrade_to_head(settings.database_url)
    log.info("database_migrated")
    return 0


def _serve(settings: Settings, directory: TeamDirectory, _args: object = None) -> int:
    from aiohttp import web

    from bot.server import build_app

    _migrate(settings, directory)
    log.info("npsbot_starting", extra={"host": settings.host, "port": settings.port,
                                       "teams": len(directory.teams)})  # fmt: skip
    web.run_app(build_app(settings, directory), host=settings.host, port=settings.port,
                print=None, access_log=None)  # fmt: skip
    return 0
