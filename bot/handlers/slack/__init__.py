"""The Slack adapter: a Bolt app over our use cases, served by our aiohttp server or Socket Mode."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.logger.messages import (
    warning_client_prioritized_and_token_skipped,
    warning_token_skipped,
)
from slack_bolt.middleware.async_builtins import AsyncRequestVerification
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.signature import Clock as SignatureClock
from slack_sdk.signature import SignatureVerifier

from bot.deps import Deps
from bot.handlers import Handler
from bot.handlers.signing import SignatureRejected, verify_slack_request
from bot.handlers.slack import (
    callback_listeners,
    clicks,
    guess_listeners,
    home_listeners,
    listeners,
    shape,
    slash,
)
from bot.handlers.slack.messenger import SlackMessenger, make_client
from bot.handlers.slack.shape_fields import ShapeError
from bot.pacing import Pacing
from bot.ports import Clock
from bot.settings import Settings

log = logging.getLogger(__name__)
REJECTED = {"error": "invalid request"}  # the body Bolt itself sends for a bad signature
FAILED = slash.FAILED


def make_slack_messenger(settings: Settings, clock: Clock) -> SlackMessenger:
    """Built before `Deps`, which holds it; the Bolt app over the same client comes after.
    Paced on the bot's clock, which the worker's queue also runs on."""
    assert settings.slack_bot_token is not None  # noqa: S101 - only called when Slack is on
    client = make_client(settings.slack_bot_token.value, settings.slack_api_url)
    return SlackMessenger(client, Pacing(now=lambda: clock.now().timestamp()))


def make_slack_app(settings: Settings, deps: Deps, messenger: SlackMessenger) -> AsyncApp:
    assert settings.slack_bot_token is not None  # noqa: S101 - only called when Slack is on
    signing = settings.slack_signing_secret.value if settings.slack_signing_secret else ""
    app = AsyncApp(
        client=messenger.client,
        authorize=_single_workspace(settings.slack_bot_token.value),
        signing_secret=signing,
        # Bolt's own check stays, added below on our clock: Socket Mode skips it by design.
        request_verification_enabled=False,
        raise_error_for_unhandled_request=False,
        logger=_bolt_logger(),
    )
    app.use(_Verification(signing, deps.clock))
    app.error(_on_listener_error)
    listeners.register(app, deps)
    callback_listeners.register(app, deps)
    guess_listeners.register(app, deps)
    home_listeners.register(app, deps)
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


class _Verification(AsyncRequestVerification):
    """Bolt's signature middleware, reading the deps clock as ours does: with time.time() the
    two checks would disagree whenever that clock is not the host's (tests drive it)."""

    def __init__(self, signing_secret: str, clock: Clock) -> None:
        super().__init__(signing_secret)
        self._clock = _EpochClock(clock)

    @property
    def verifier(self) -> SignatureVerifier:
        # Built on first use, as Bolt does: Socket Mode runs with no signing secret at all.
        if self._verifier is None:
            self._verifier = SignatureVerifier(self._signing_secret, clock=self._clock)
        return self._verifier


class _EpochClock(SignatureClock):
    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    def now(self) -> float:
        return self._clock.now().timestamp()


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
    """Verify ourselves, then check the shape; score clicks and `/nps` go straight to their use
    case (clicks.py, slash.py), the rest to Bolt (which verifies again)."""
    signing = deps.settings.slack_signing_secret
    secret = signing.value.encode() if signing else b""

    async def handle(request: web.Request) -> web.StreamResponse:
        body = await request.read()
        now = deps.clock.now().timestamp()
        try:
            verify_slack_request(secret, request.headers, body, now=now)
        except SignatureRejected as exc:
            return _rejected(deps, exc.reason)
        try:
            verdict = shape.check(body.decode("utf-8"), _content_type(request))
        except ShapeError as exc:
            return _malformed(deps, str(exc))
        if isinstance(verdict, shape.Ack):
            return web.Response(status=200)  # nothing of ours to run; Slack wants its 200
        if (action := clicks.score_action(verdict.payload)) is not None:
            return await clicks.answer(deps, app.client, verdict.payload, action)
        if verdict.payload.get("command") == "/nps":  # shape.check acks any other command
            return await slash.answer(deps, request, verdict.payload)
        return await _dispatch(app, deps, request, body)

    return handle


def _rejected(deps: Deps, reason: str) -> web.Response:
    deps.metrics.rejected.labels("slack", reason).inc()
    log.warning("slack_request_rejected", extra={"reason": reason})
    return web.json_response(REJECTED, status=401, headers={"X-Slack-No-Retry": "1"})


def _malformed(deps: Deps, reason: str) -> web.Response:
    deps.metrics.rejected.labels("slack", "malformed").inc()
    log.warning("slack_request_malformed", extra={"reason": reason})
    return web.json_response({"error": reason}, status=400, headers={"X-Slack-No-Retry": "1"})


async def _dispatch(
    app: AsyncApp, deps: Deps, request: web.Request, body: bytes
) -> web.StreamResponse:
    try:
        # Bolt's request, built from the bytes we verified; Bolt verifies them once more.
        headers: dict[str, str | Sequence[str]] = dict(request.headers.items())
        bolt_request = AsyncBoltRequest(
            body=body.decode("utf-8"),
            query=request.query_string,
            headers=headers,
        )
        response = await app.async_dispatch(bolt_request)
    except Exception as exc:
        # What the shape check missed must still not be a 500; the body stays out of the log.
        log.warning("slack_dispatch_failed", extra={"error": type(exc).__name__})
        return web.json_response(FAILED, status=400, headers={"X-Slack-No-Retry": "1"})
    if response.status == 401:
        deps.metrics.rejected.labels("slack", "mismatch").inc()
    if response.status >= 500:  # a listener raised before its ack (see _on_listener_error)
        return web.json_response(FAILED, status=400, headers={"X-Slack-No-Retry": "1"})
    return await to_aiohttp_response(response)


def _content_type(request: web.Request) -> str | None:
    """The content type as Bolt reads it: the last header of that name, without parameters."""
    values = request.headers.getall("Content-Type", [])
    return values[-1].split(";")[0] if values and values[-1] else None


async def _on_listener_error(
    error: Exception, response: BoltResponse | None
) -> BoltResponse | None:
    """Replaces Bolt's handler, which logs the error text (it can quote the payload) at ERROR."""
    log.warning("slack_listener_failed", extra={"error": type(error).__name__})
    # None once the listener has ack'ed: Bolt has already answered Slack.
    return None if response is None else BoltResponse(status=400, body=FAILED)
