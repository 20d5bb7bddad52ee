"""Shared fixtures: a clean environment, and a fresh real database per test on each backend."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import bot.deadline
from tests.databases import PostgresTemplate, SqliteTemplate, postgres_url

CLEARED_PREFIXES = ("SLACK_", "MICROSOFT_", "TEAMS_", "TICKET_", "NPS_", "SURVEY_", "DELIVERY_")
# slack_sdk reads the proxy variables itself and ignores NO_PROXY, even for loopback.
CLEARED = {
    "DATABASE_URL",
    "HOST",
    "PORT",
    "LOG_LEVEL",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
}


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    """No developer's real tokens or database may leak into a test (httpx's clean_environ)."""
    for name in list(os.environ):
        if name in CLEARED or name.startswith(CLEARED_PREFIXES):
            monkeypatch.delenv(name)


@pytest.fixture(autouse=True)
def roomy_deadline(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Clicks get 10 s instead of 2 s, except in tests marked `deadline` (the ones about it):
    on a loaded CI machine a click once took over 2 s, and a test about who may claim a
    callback then failed on the machine's speed, not the bot's behaviour."""
    if request.node.get_closest_marker("deadline") is None:
        monkeypatch.setattr(bot.deadline, "INTERACTIVE_SECONDS", 10.0)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplate:
    return SqliteTemplate(tmp_path_factory.mktemp("sqlite-template"))


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[PostgresTemplate | None]:
    url = postgres_url()
    if url is None:
        yield None
        return
    template = PostgresTemplate(url)
    yield template
    template.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    sqlite_template: SqliteTemplate,
    postgres_template: PostgresTemplate | None,
) -> Iterator[str]:
    if request.param == "sqlite":
        yield sqlite_template.fresh(tmp_path)
        return
    if postgres_template is None:
        pytest.skip("TEST_DATABASE_URL is not set")
    url, name = postgres_template.fresh()
    yield url
    postgres_template.drop(name)
