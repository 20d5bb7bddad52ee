"""GET /healthz and GET /metrics, plus the middleware that times every request."""

from __future__ import annotations

import time

from aiohttp import web
from aiohttp.typedefs import Middleware
from prometheus_client.aiohttp import make_aiohttp_handler

from bot.deps import Deps
from bot.handlers import Handler


def healthz_handler(deps: Deps) -> Handler:
    async def handle(_request: web.Request) -> web.Response:
        if await deps.store.ping():
            return web.json_response({"status": "ok", "database": "ok"})
        return web.json_response({"status": "unavailable", "database": "unreachable"}, status=503)

    return handle


def metrics_handler(deps: Deps) -> Handler:
    # prometheus_client's own handler: it negotiates OpenMetrics from the Accept header and lets
    # aiohttp gzip the body, both of which a hand-written text/plain response got wrong.
    handler: Handler = make_aiohttp_handler(deps.metrics.registry)
    return handler


def timing_middleware(deps: Deps) -> Middleware:
    @web.middleware
    async def timed(request: web.Request, handler: Handler) -> web.StreamResponse:
        started = time.perf_counter()
        status = 500
        try:
            response: web.StreamResponse = await handler(request)
            status = response.status
            return response
        except web.HTTPException as exc:
            status = exc.status
            raise
        finally:
            route = request.match_info.route.resource
            name = route.canonical if route is not None else "unmatched"
            deps.metrics.latency.labels(name, request.method, str(status)).observe(
                time.perf_counter() - started
            )

    return timed
