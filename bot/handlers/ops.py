"""GET /healthz and GET /metrics, plus the middleware that times every request."""

from __future__ import annotations

import time

from aiohttp import web
from aiohttp.typedefs import Middleware

from bot.deps import Deps
from bot.handlers import Handler


def healthz_handler(deps: Deps) -> Handler:
    async def handle(_request: web.Request) -> web.Response:
        if await deps.store.ping():
            return web.json_response({"status": "ok", "database": "ok"})
        return web.json_response({"status": "unavailable", "database": "unreachable"}, status=503)

    return handle


def metrics_handler(deps: Deps) -> Handler:
    async def handle(_request: web.Request) -> web.Response:
        response = web.Response(body=deps.metrics.render())
        response.content_type = "text/plain"
        response.charset = "utf-8"
        return response

    return handle


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
