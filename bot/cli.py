"""The `npsbot` command line: its arguments (argparse) and `main`, which runs the command chosen."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import TYPE_CHECKING

from bot import __version__
from bot.settings import SettingsError, load_settings

if TYPE_CHECKING:
    from collections.abc import Callable

    from bot.directory import TeamDirectory
    from bot.settings import Settings

    Commands = argparse._SubParsersAction[argparse.ArgumentParser]
    Command = Callable[[Settings, TeamDirectory, argparse.Namespace], int]

# Spelled out, not imported from bot.export: that module loads SQLAlchemy, and `npsbot --help`
# must answer without it (tests/unit/test_cli_imports.py keeps the two equal).
EXPORT_FORMATS = ("csv", "json")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # Each module is imported once it is needed: `npsbot --help` and a settings error answer
    # without the directory, asyncio or the commands (issue 10: under 0.15 s, bench/cli_startup).
    try:
        settings = load_settings()
    except SettingsError as exc:
        return _refused(exc)
    from bot.directory import ConfigError, load_directory

    try:
        directory = load_directory(settings.nps_config, required=settings.nps_config_explicit)
    except ConfigError as exc:
        return _refused(exc)
    from bot.logs import configure_logging

    configure_logging(settings.log_level, settings.secret_values())
    return _command(args.run)(settings, directory, args)


def _command(name: str) -> Command:
    """The subcommand's implementation, named in the parser; written out, so mypy checks each."""
    from bot import cli_commands as run

    commands: dict[str, Command] = {
        "serve": run.serve_command,
        "migrate": run.migrate_command,
        "export": run.export_command,
        "forget": run.forget_command,
        "figures": run.figures_command,
        "import": run.import_command,
        "teams_package": run.teams_package_command,
        "demo": run.demo_command,
        "shell": run.shell_command,
    }
    return commands[name]


def _refused(exc: Exception) -> int:
    print(f"npsbot: {exc}", file=sys.stderr)  # noqa: T201 - the one line an admin reads
    return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="npsbot",
        description="Net Promoter surveys for closed IT tickets, in Slack and Microsoft Teams.",
    )
    parser.add_argument("--version", action="version", version=f"npsbot {__version__}")
    sub = parser.add_subparsers(title="commands", required=True, metavar="COMMAND", dest="command")
    _serve_parser(sub)
    migrate = sub.add_parser("migrate", help="bring the database schema up to date (idempotent)")
    migrate.set_defaults(run="migrate")
    _export_parser(sub)
    _forget_parser(sub)
    _figures_parser(sub, "drivers", "what moves a team's score: key-driver figures")
    _figures_parser(sub, "themes", "what a team's comments are about: themes found in them")
    _import_parser(sub)
    package = sub.add_parser("teams-package", help="zip the Teams app package (manifest + icons)")
    package.add_argument("--output", "-o", metavar="FILE", default="npsbot-teams.zip")
    package.set_defaults(run="teams_package")
    _demo_parser(sub)
    shell = sub.add_parser("shell", help="chat with the bot in this terminal, playing every role")
    shell.set_defaults(run="shell")
    return parser


def _serve_parser(sub: Commands) -> None:
    serve = sub.add_parser("serve", help="migrate the database, then serve HTTP (and Socket Mode)")
    serve.add_argument(
        "--workers",
        type=_workers,
        default=1,
        metavar="N",
        help="server processes sharing the port and the database (default 1)",
    )
    serve.set_defaults(run="serve")


def _export_parser(sub: Commands) -> None:
    export = sub.add_parser("export", help="write every answer since a date as CSV or JSON")
    export.add_argument(
        "--since",
        required=True,
        type=_date,
        metavar="DATE",
        help="first day to include, YYYY-MM-DD (midnight in the default time zone)",
    )
    export.add_argument("--team", metavar="KEY", help="only this team (key, name or alias)")
    export.add_argument("--format", required=True, choices=EXPORT_FORMATS, dest="fmt")
    export.add_argument("--output", "-o", metavar="FILE", help="write here instead of stdout")
    export.set_defaults(run="export")


def _figures_parser(sub: Commands, command: str, help_text: str) -> None:
    """`npsbot drivers` and `npsbot themes`: the same options, and both run `figures_command`."""
    figures = sub.add_parser(command, help=help_text)
    figures.add_argument("--team", required=True, metavar="KEY", help="key, name or alias")
    figures.add_argument(
        "--weeks",
        type=int,
        default=12,
        choices=range(1, 53),
        metavar="N",
        help="the last N weeks, this one included (default 12)",
    )
    figures.add_argument("--format", default="json", choices=("json", "csv"), dest="fmt")
    figures.set_defaults(run="figures")


def _import_parser(sub: Commands) -> None:
    imp = sub.add_parser("import", help="load answers from an old survey tool's CSV (idempotent)")
    imp.add_argument("file", metavar="answers.csv", help="CSV with a header row (see README)")
    imp.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
    imp.add_argument("--rejects", metavar="FILE", help="also write rejected rows here, as CSV")
    imp.set_defaults(run="import")


def _forget_parser(sub: Commands) -> None:
    forget = sub.add_parser(
        "forget", help="erase one person's comments, e-mail and ids, and the bot's messages to them"
    )
    who = forget.add_mutually_exclusive_group(required=True)
    who.add_argument("--email", metavar="E")
    who.add_argument("--slack-user", metavar="ID")
    who.add_argument("--teams-user", metavar="ID")
    forget.add_argument(
        "--dry-run", action="store_true", help="print what would go; change nothing"
    )
    forget.set_defaults(run="forget")


def _demo_parser(sub: Commands) -> None:
    demo = sub.add_parser("demo", help="fill the database with a seeded sample history to explore")
    demo.add_argument("--teams", type=int, default=4, metavar="N", help="how many teams (1-6)")
    demo.add_argument("--weeks", type=int, default=52, metavar="W", help="weeks of history")
    demo.add_argument("--seed", type=int, default=1, metavar="S", help="same seed, same history")
    demo.add_argument("--reset", action="store_true", help="only remove what the demo created")
    demo.set_defaults(run="demo")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-01-31") from None


def _workers(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of processes") from None
    if not 1 <= count <= 64:
        raise argparse.ArgumentTypeError("between 1 and 64")
    return count
