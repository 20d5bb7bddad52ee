"""The `npsbot` command: serve, migrate."""

from __future__ import annotations

import argparse
import logging
import sys

from bot import __version__
from bot.directory import ConfigError, TeamDirectory, load_directory
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
    result: int = args.run(settings, directory)
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
    return parser


def _migrate(settings: Settings, _directory: TeamDirectory) -> int:
    from store.migrate import upgrade_to_head

    upgrade_to_head(settings.database_url)
    log.info("database_migrated")
    return 0


def _serve(settings: Settings, directory: TeamDirectory) -> int:
    from aiohttp import web

    from bot.server import build_app

    _migrate(settings, directory)
    log.info("npsbot_starting", extra={"host": settings.host, "port": settings.port,
                                       "teams": len(directory.teams)})  # fmt: skip
    web.run_app(build_app(settings, directory), host=settings.host, port=settings.port,
                print=None, access_log=None)  # fmt: skip
    return 0
