"""The Slack adapter: a Bolt app over our use cases, served by our aiohttp server or Socket Mode."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.logger.messages import (
    warning_client_prioritized_and_token_skipped,
    warning_token_skipped,
)

from bot.deps import Deps
from bot.handlers import Handler
from bot.handlers.signing import SignatureRejected, precheck_slack_request
from bot.handlers.slack import callback_listeners, listeners
from bot.handlers.slack.messenger import SlackMessenger, make_client
from bot.settings import Settings

log = logging.getLogger(__name__)
REJECTED = {"error": "invalid request"}  # the body Bolt itself sends for a bad signature


def make_slack_app(settings: Settings, deps: Deps) -> AsyncApp:
    assert settings.slack_bot_token is not None  # noqa: S101 - only called when Slack is on
    client = make_client(settings.slack_bot_token.value, settings.slack_api_url)
    signing = settings.slack_signing_secret.value if settings.slack_signing_secret else ""
    app = AsyncApp(
        client=client,
        authorize=_single_workspace(settings.slack_bot_token.value),
        signing_secret=signing,
        # Kept on explicitly: Socket Mode skips it by design, HTTP mode must never.
        request_verification_enabled=True,
        raise_error_for_unhandled_request=False,
        logger=_bolt_logger(),
    )
    listeners.register(app, deps)
    callback_listeners.register(app, deps)
    deps.messengers["slack"] = SlackMessenger(client)
    return app


class _ExpectedBoltWarnings(logging.Filter):
    """Drops Bolt's two start-up warnings about the token: we pass our own client and authorize on
    purpose (and Bolt also reads SLACK_BOT_TOKEN from the environment), so they warn of nothing."""

    expected = frozenset({warning_client_prioritized_and_token_skipped(), warning_token_skipped()})

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() not in self.expected


def _bolt_logger() -> logging.Logger:
    logger = logging.getLogger("slack_bolt.npsbot")
    if not any(isinstance(f, _ExpectedBoltWarnings) for f in logger.filters):
        logger.addFilter(_ExpectedBoltWarnings())
    return logger


def _single_workspace(token: str) -> Callable[..., Awaitable[AuthorizeResult]]:
    """Our one token, without Bolt's lazy auth.test: when that first call failed or was slow,
    Bolt refused (or nearly timed out) the click that triggered it, after we had ack'ed nothing."""

    async def authorize(
        enterprise_id: str | None, team_id: str | None, user_id: str | None, **_: Any
    ) -> AuthorizeResult:
        return AuthorizeResult(
            enterprise_id=enterprise_id, team_id=team_id, user_id=user_id, bot_token=token
        )

    return authorize


def slack_events_handler(app: AsyncApp, deps: Deps) -> Handler:
    async def handle(request: web.Request) -> web.StreamResponse:
        body = await request.read()
        try:
            # Bolt answers 500 on some garbage headers; anything malformed is a 401 here first.
            precheck_slack_request(request.headers, body)
        except SignatureRejected as exc:
            deps.metrics.rejected.labels("slack", exc.reason).inc()
            log.warning("slack_request_rejected", extra={"reason": exc.reason})
            return web.json_response(REJECTED, status=401, headers={"X-Slack-No-Retry": "1"})
        bolt_response = await app.async_dispatch(await to_bolt_request(request))
        if bolt_response.status == 401:
            deps.metrics.rejected.labels("slack", "mismatch").inc()
        return await to_aiohttp_response(bolt_response)

    return handle
