"""Brings a database to the newest schema with Alembic; safe to run any number of times."""

from __future__ import annotations

import asyncio

from alembic import command
from alembic.config import Config

from store.engine import async_url


def alembic_config(url: str) -> Config:
    config = Config()
    # A package resource, so an installed `npsbot migrate` finds its scripts without a checkout.
    config.set_main_option("script_location", "store:migrations")
    config.attributes["database_url"] = async_url(url)
    return config


def upgrade_to_head(url: str) -> None:
    command.upgrade(alembic_config(url), "head")


async def upgrade_to_head_async(url: str) -> None:
    # Alembic's env.py runs its own event loop, so keep it off the caller's loop.
    await asyncio.to_thread(upgrade_to_head, url)
