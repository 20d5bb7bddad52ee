"""Brings a database to the newest schema with Alembic; safe to run any number of times."""

from __future__ import annotations

import asyncio
import sqlite3

import asyncpg  # type: ignore[import-untyped]  # no stubs; only its error classes are used
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import make_url
from sqlalchemy.exc import InterfaceError, OperationalError

from store.engine import async_url

# What a database that cannot be reached or opened raises, before any migration runs.
_UNREACHABLE = (
    OSError,
    TimeoutError,
    OperationalError,
    InterfaceError,
    asyncpg.InvalidAuthorizationSpecificationError,
    asyncpg.InvalidCatalogNameError,
)


class DatabaseUnavailable(Exception):
    """The database could not be reached or opened; the message names where, never the password."""


def alembic_config(url: str) -> Config:
    config = Config()
    # A package resource, so an installed `npsbot migrate` finds its scripts without a checkout.
    config.set_main_option("script_location", "store:migrations")
    config.attributes["database_url"] = async_url(url)
    return config


def upgrade_to_head(url: str) -> None:
    _open_sqlite_file(url)
    try:
        command.upgrade(alembic_config(url), "head")
    except _UNREACHABLE as exc:
        raise DatabaseUnavailable(_unreachable_text(url, exc)) from None


def _open_sqlite_file(url: str) -> None:
    """A SQLite file that cannot be opened is said in one line by the synchronous driver;
    through aiosqlite, its thread outlived the failed open and printed a traceback once
    Alembic's asyncio.run had closed the loop."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return
    try:
        sqlite3.connect(parsed.database).close()
    except sqlite3.Error as exc:
        raise DatabaseUnavailable(_unreachable_text(url, exc)) from None


def _unreachable_text(url: str, exc: BaseException) -> str:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        where = f"the SQLite file {parsed.database or ':memory:'}"
    else:
        where = f"{parsed.host or 'localhost'}:{parsed.port or 5432}"
    cause = getattr(exc, "orig", None) or exc
    reason = (str(cause).splitlines() or [""])[0][:160] or type(cause).__name__
    if parsed.password:
        reason = reason.replace(parsed.password, "***")
    return f"DATABASE_URL: cannot open the database at {where} ({reason})"


async def upgrade_to_head_async(url: str) -> None:
    # Alembic's env.py runs its own event loop, so keep it off the caller's loop.
    await asyncio.to_thread(upgrade_to_head, url)
