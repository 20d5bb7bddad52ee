"""The peer: a minimal slack-bolt AsyncApp on aiohttp that verifies and stores one row per click.

`python -m bench.peer`: Bolt checks the signature (request_verification_enabled, its default),
routes the block_actions to one listener, which inserts one row through the floor's Sink and
acks. Authorization is a local function (as npsbot does), so no request waits on auth.test.
"""

from __future__ import annotations

import os
import re
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_bolt.authorization import AuthorizeResult

from bench.common import BOT_TOKEN, SIGNING_SECRET
from bench.floor import Sink, healthz, open_sink


async def _authorize(enterprise_id: str | None, team_id: str | None, **_: Any) -> AuthorizeResult:
    return AuthorizeResult(enterprise_id=enterprise_id, team_id=team_id, bot_token=BOT_TOKEN)


def make_app(sink: Sink) -> web.Application:
    bolt = AsyncApp(signing_secret=SIGNING_SECRET, authorize=_authorize)

    @bolt.action(re.compile(r"^nps\.score\.\d+$"))
    async def on_score(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        survey_id, score = action["value"].split(":")
        await sink.click(survey_id, int(score), body["user"]["id"])
        await ack()

    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    app = web.Application()
    app.router.add_post("/slack/events", events)
    app.router.add_get("/healthz", healthz)
    return app


async def _app() -> web.Application:
    return make_app(await open_sink(os.environ["DATABASE_URL"]))


if __name__ == "__main__":
    web.run_app(_app(), host="127.0.0.1", port=int(os.environ["PORT"]), print=None, access_log=None)
