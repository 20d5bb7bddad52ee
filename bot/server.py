"""build_app(settings): the one aiohttp server for Slack, Teams, ticket webhooks and operations."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from typing import NamedTuple

from aiohttp import web

from bot.delivery import DeliveryWorker
from bot.deps import Deps
from bot.directory import TeamDirectory
from bot.handlers.itsm import WEBHOOKS, add_itsm_routes, enabled_webhooks
from bot.handlers.ops import healthz_handler, metrics_handler, timing_middleware
from bot.handlers.tickets import tickets_handler
from bot.heap import frozen_startup_heap
from bot.logs import quiet_libraries
from bot.ports import Clock, Messenger, SystemClock
from bot.scheduler import RunningJobs, make_scheduler
from bot.settings import Settings
from bot.tallies import zones
from store import Store, open_store, rollup_rebuild

log = logging.getLogger(__name__)

DEPS = web.AppKey("deps", Deps)
WORKER = web.AppKey("worker", DeliveryWorker)


def build_app(
    settings: Settings,
    directory: TeamDirectory,
    *,
    clock: Clock | None = None,
    teams_credentials: object | None = None,
) -> web.Application:
    """`teams_credentials`: for tests, botframework credentials for outbound Teams calls."""
    quiet_libraries()  # here too, so an embedding app or a test gets the same protection
    store, clock = open_store(settings.database_url), clock or SystemClock()
    # Messengers first, so Deps is complete when built; the handlers that need Deps come after.
    platforms = _platforms(settings, store, clock, teams_credentials)
    messengers = {p.messenger.platform: p.messenger for p in platforms}
    deps = Deps(store, directory, clock, settings, messengers=messengers)
    worker = DeliveryWorker(deps)
    app = web.Application(middlewares=[timing_middleware(deps)])
    app[DEPS], app[WORKER] = deps, worker
    app.router.add_post("/webhooks/tickets", tickets_handler(deps))
    add_itsm_routes(app, deps)
    on = enabled_webhooks(settings)
    off = " ".join(w for w in WEBHOOKS if w not in on) or "none"
    log.info("webhooks_enabled", extra={"on": " ".join(on) or "none", "off": off})
    app.router.add_get("/healthz", healthz_handler(deps))
    app.router.add_get("/metrics", metrics_handler(deps))
    mounted = [p.mount(app, deps) for p in platforms]
    lifecycles = [_store_lifecycle(deps), *mounted, _worker_lifecycle(worker), frozen_startup_heap]
    app.cleanup_ctx.extend(c for c in lifecycles if c is not None)
    return app


Lifecycle = Callable[[web.Application], AsyncIterator[None]]


def _store_lifecycle(deps: Deps) -> Lifecycle:
    async def ctx(_app: web.Application) -> AsyncIterator[None]:
        await _reconcile_rollups(deps)
        yield
        # Shielded: a second Ctrl-C during shutdown must not cut a connection close in half.
        await asyncio.shield(deps.store.close())

    return ctx


async def _reconcile_rollups(deps: Deps) -> None:
    """Before serving: a team whose time zone changed gets its report days rebuilt. A database
    that is down must not stop the start (/healthz says 503 until it is back); the teams not
    rebuilt are left unmarked, and their reports count the raw rows until the next start."""
    try:
        await rollup_rebuild.reconcile(deps.store, zones(deps.directory))
    except Exception as exc:
        log.warning("rollups_reconcile_failed", extra={"error": type(exc).__name__})


def _worker_lifecycle(worker: DeliveryWorker) -> Lifecycle:
    async def ctx(_app: web.Application) -> AsyncIterator[None]:
        running = RunningJobs()
        scheduler = make_scheduler(worker.deps.settings, worker, running)
        worker.start()
        scheduler.start()
        worker.wake()  # work left by a previous run starts at once, not at the first tick
        yield
        scheduler.shutdown(wait=False)
        await running.finish()
        await worker.stop()

    return ctx


class Platform(NamedTuple):
    messenger: Messenger
    # Adds the platform's routes (or its Socket Mode connection) once Deps exists.
    mount: Callable[[web.Application, Deps], Lifecycle | None]


def _platforms(
    settings: Settings, store: Store, clock: Clock, credentials: object | None
) -> list[Platform]:
    hint = settings.missing_platform_hint()
    if hint:
        log.warning(hint)
    teams = _teams(settings, store, clock, credentials)
    slack = _slack(settings, clock)
    return [p for p in (teams, slack) if p is not None]


def _slack(settings: Settings, clock: Clock) -> Platform | None:
    if not settings.slack_enabled:
        return None  # Teams only, or no platform yet: nothing of Slack's is loaded
    # Imported here so a Teams-only deployment never loads Slack's libraries.
    from bot.handlers.slack import make_slack_app, make_slack_messenger, slack_events_handler
    from bot.handlers.slack.session import kept_alive
    from bot.handlers.slack.socket import socket_mode_lifecycle

    messenger = make_slack_messenger(settings, clock)

    def mount(app: web.Application, deps: Deps) -> Lifecycle | None:
        # Before the platform's own lifecycle, so the session outlives the Socket Mode link.
        app.cleanup_ctx.append(kept_alive(messenger.client))
        bolt = make_slack_app(settings, deps, messenger)
        if settings.slack_socket_mode:
            return socket_mode_lifecycle(bolt, settings)
        app.router.add_post("/slack/events", slack_events_handler(bolt, deps))
        return None

    return Platform(messenger, mount)


def _teams(
    settings: Settings, store: Store, clock: Clock, credentials: object | None
) -> Platform | None:
    if not settings.teams_enabled:
        return None
    if not settings.microsoft_app_id:
        # botbuilder takes an empty app id as "authentication off": anyone could post activities.
        log.warning("teams_authentication_off", extra={"hint": UNAUTHENTICATED_HINT})
    # Imported here so a Slack-only deployment never loads botbuilder.
    from bot.handlers.teams import make_teams, make_teams_messenger

    messenger = make_teams_messenger(settings, store, clock, credentials)

    def mount(app: web.Application, deps: Deps) -> None:
        app.router.add_post("/api/messages", make_teams(deps, messenger).handler)

    return Platform(messenger, mount)


UNAUTHENTICATED_HINT = (
    "TEAMS_ALLOW_UNAUTHENTICATED=1 without MICROSOFT_APP_ID: /api/messages accepts unsigned "
    "requests; use this with the Bot Framework Emulator on your own machine only"
)
