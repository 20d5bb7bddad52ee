"""The store the store tests share: the migrated database of `db_url`, on each backend."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from store import Store, open_store


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[Store]:
    opened = open_store(db_url)
    yield opened
    await opened.close()
