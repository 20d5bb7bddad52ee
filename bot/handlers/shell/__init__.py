"""`npsbot shell`: a chat with the bot in a terminal, on the real use cases and database.

A third adapter beside Slack and Teams, in the tradition of Hubot's shell adapter and Errbot's
text backend: the Messenger port prints, the delivery worker runs after every line typed.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

from bot.delivery import DeliveryWorker
from bot.deps import Deps
from bot.directory import TeamDirectory
from bot.handlers.shell.directory import lead_channel, shell_directory
from bot.handlers.shell.messenger import ShellMessenger
from bot.handlers.shell.session import Session
from bot.ports import SystemClock
from bot.settings import Settings
from store import open_store

HISTORY = Path.home() / ".npsbot_shell_history"


def banner(directory: TeamDirectory, configured: bool, database: str) -> list[str]:
    teams = ", ".join(f"{t.key} ({t.name})" for t in directory.teams)
    source = "from nps.toml" if configured else "no nps.toml: the sample teams of `npsbot demo`"
    return [
        "npsbot shell: you are the ITSM tool, the requester and the team lead.",
        f"Teams ({source}): {teams}",
        f"Database: {database}. Type `help` for the commands, `quit` or Ctrl-D to leave.",
    ]


def where_stored(url: str) -> str:
    """The database, named without its credentials: `sqlite:///npsbot.db`, `postgresql://db/nps`."""
    parts = urlsplit(url)
    scheme = parts.scheme.split("+", 1)[0]
    if scheme == "sqlite":
        return f"SQLite {url.split(':///', 1)[-1]}"
    return f"{scheme}://{parts.hostname or ''}{parts.path}"


def _writer(out: TextIO) -> Callable[[str], None]:
    def write(line: str) -> None:
        out.write(line + "\n")
        out.flush()

    return write


def open_session(settings: Settings, directory: TeamDirectory, out: TextIO) -> Session:
    messenger = ShellMessenger(_writer(out))
    deps = Deps(
        open_store(settings.database_url),
        directory,
        SystemClock(),
        settings,
        messengers={messenger.platform: messenger},
    )
    first = directory.teams[0].key if directory.teams else None
    channel = lead_channel(first) if first else "#leads"
    return Session(deps, DeliveryWorker(deps), messenger, channel=channel)


def run_shell(settings: Settings, directory: TeamDirectory, out: TextIO = sys.stdout) -> int:
    shown, configured = shell_directory(directory)
    database = where_stored(settings.database_url)
    with asyncio.Runner() as runner, _history():
        session = open_session(settings, shown, out)
        try:
            session.messenger.show("", banner(shown, configured, database))
            # Work left by an earlier session, as `serve` does at start. Not the weekly digest:
            # it is posted once per team and week, and belongs to the team's real channel.
            runner.run(session.deliver())
            _loop(runner, session)
        finally:
            runner.run(session.deps.store.close())
    return 0


def _loop(runner: asyncio.Runner, session: Session) -> None:
    while True:
        try:
            where = session.channel if session.channel.startswith("#") else "DM"
            line = input(f"{session.me} in {where}> ")
        except EOFError:
            session.messenger.write("")
            return
        except KeyboardInterrupt:  # as in a shell: drop the line, stay
            session.messenger.write("")
            continue
        with _uninterrupted():
            if not runner.run(session.handle(line)):
                return


@contextlib.contextmanager
def _uninterrupted() -> Iterator[None]:
    """A line once typed runs to its end, as a click does: Ctrl-C cancelling it mid-commit
    could leave a SQLite connection half-closed (see bot/scheduler.py)."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@contextlib.contextmanager
def _history() -> Iterator[None]:
    """Line editing and history (↑, Ctrl-R) from the standard library's readline, if any."""
    try:
        import readline
    except ImportError:  # Windows without pyreadline: plain input() still works
        yield
        return
    with contextlib.suppress(OSError):
        readline.read_history_file(HISTORY)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            readline.set_history_length(1000)
            readline.write_history_file(HISTORY)
