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
from bot.ports import Clock
from bot.settings import Settings
from store import Store


class Teams(NamedTuple):
    handler: Handler  # POST /api/messages
    messenger: TeamsMessenger


def make_teams_messenger(
    settings: Settings, store: Store, clock: Clock, credentials_factory: Any = None
) -> TeamsMessenger:
    """Built before `Deps`, which holds it. `credentials_factory`: a botframework
    ServiceClientCredentialsFactory for outbound calls; None reads MICROSOFT_APP_ID/PASSWORD/
    TENANT_ID (tests pass one, since MSAL refuses http)."""
    adapter = make_adapter(settings, credentials_factory)
    return TeamsMessenger(adapter, settings.microsoft_app_id or "", store, clock)


def make_teams(deps: Deps, messenger: TeamsMessenger) -> Teams:
    bot = NpsBot(deps, messenger)
    return Teams(messages_handler(messenger.adapter, bot, deps), messenger)
