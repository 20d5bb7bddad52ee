"""The Teams adapter: botbuilder's CloudAdapter over our use cases, in our aiohttp server.

botbuilder-python is archived (support ended 2025-12-31); every botbuilder import lives in this
folder, so moving to the Microsoft 365 Agents SDK touches nothing else.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from bot.deps import Deps
from bot.handlers import Handler
from bot.handlers.teams.adapter import make_adapter
from bot.handlers.teams.auth import messages_handler
from bot.handlers.teams.bot import NpsBot
from bot.handlers.teams.messenger import TeamsMessenger
from bot.settings import Settings


class Teams(NamedTuple):
    handler: Handler  # POST /api/messages
    messenger: TeamsMessenger


def make_teams(settings: Settings, deps: Deps, credentials_factory: Any = None) -> Teams:
    """`credentials_factory`: a botframework ServiceClientCredentialsFactory for outbound calls;
    None reads MICROSOFT_APP_ID/PASSWORD/TENANT_ID (tests pass one, since MSAL refuses http)."""
    adapter = make_adapter(settings, credentials_factory)
    app_id = settings.microsoft_app_id or ""
    messenger = TeamsMessenger(adapter, app_id, deps.store, deps.clock)
    return Teams(messages_handler(adapter, NpsBot(deps, messenger), deps), messenger)
