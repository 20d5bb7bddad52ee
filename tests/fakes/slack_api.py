"""Loopback fake of the Slack Web API that the real slack_sdk AsyncWebClient can talk to."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import time
import uuid
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from logging.handlers import BufferingHandler
from typing import Any, Self

from aiohttp import BodyPartReader, WSMsgType, web
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

MAX_BLOCKS = 50
MAX_VIEW_BLOCKS = 100  # modals and the Home tab
RATELIMITED_TOKEN = "xoxb-ratelimited"
AUTH_TEST = {
    "url": "https://example.slack.com/",
    "team": "Example",
    "user": "npsbot",
    "team_id": "T0001",
    "user_id": "U0BOT",
    "bot_id": "B0NPSBOT1",
}
# slack_sdk JSON-encodes these when it sends them as query-string or form values.
_JSON_PARAMS = frozenset({"blocks", "view", "files", "metadata", "attachments"})
_BLOCK_METHODS = frozenset({"chat.postMessage", "chat.update", "chat.postEphemeral"})
SOCKET_TYPES = frozenset({"interactive", "slash_commands", "events_api"})

Params = dict[str, Any]
Reply = dict[str, Any]


@dataclass(frozen=True)
class Call:
    method: str
    params: Params
    token: str
    at: float
    fault: str | None = None  # e.g. "429 ratelimited" or "dropped"; None for a normal answer


@dataclass(frozen=True)
class _Fault:
    status: int
    error: str
    retry_after: int
    raw: tuple[str, str] | None = None  # (content type, body): a proxy's page instead of JSON

    def response(self) -> web.Response:
        # slack_sdk int()s the header, so it must be a bare integer; only 429 carries it.
        headers = {"Retry-After": str(self.retry_after)} if self.status == 429 else None
        if self.raw is not None:
            content_type, text = self.raw
            return web.Response(
                status=self.status, body=text.encode(), headers={"Content-Type": content_type}
            )
        body = {"ok": False, "error": self.error}
        return web.json_response(body, status=self.status, headers=headers)


def _error(error: str, **extra: Any) -> Reply:
    return {"ok": False, "error": error, **extra}


def _truthy(value: Any) -> bool:
    # Query strings carry booleans as "1"/"0" (slack_sdk converts them), JSON as true/false.
    return str(value).strip().lower() not in {"", "0", "false", "none"}


@contextlib.contextmanager
def _model_warnings() -> Iterator[list[logging.LogRecord]]:
    # slack_sdk models only log (and drop) unknown blocks/elements; treat that as invalid too.
    capture, logger = BufferingHandler(capacity=10_000), logging.getLogger("slack_sdk.models")
    capture.setLevel(logging.WARNING)
    logger.addHandler(capture)
    try:
        yield capture.buffer
    finally:
        logger.removeHandler(capture)


def _validate_blocks(blocks: Any, limit: int = MAX_BLOCKS) -> list[str]:
    if not isinstance(blocks, list):
        return [f"blocks must be a list, got {type(blocks).__name__}"]
    if len(blocks) > limit:
        return [f"{len(blocks)} blocks, Slack accepts at most {limit}"]
    ids = [b.get("block_id") for b in blocks if isinstance(b, dict) and b.get("block_id")]
    errors = [f"duplicate block_id {i!r}" for i in sorted(set(ids)) if ids.count(i) > 1]
    with _model_warnings() as logged:
        for i, raw in enumerate(blocks):
            try:
                block = Block.parse(raw)
                if block is None:
                    errors.append(f"blocks[{i}]: unknown block {raw!r}")
                else:
                    block.validate_json()
            except Exception as exc:  # any model failure means Slack would refuse the payload
                errors.append(f"blocks[{i}]: {exc}")
    return errors + [record.getMessage() for record in logged]


def _validate_view(view: Any) -> list[str]:
    if not isinstance(view, dict):
        return [f"view must be an object, got {type(view).__name__}"]
    with _model_warnings() as logged:
        try:
            View(**view).validate_json()
        except Exception as exc:
            return [str(exc)]
    # View checks only its own fields; each block is checked as in a message, 100 of them.
    return [record.getMessage() for record in logged] + _validate_blocks(
        view.get("blocks"), MAX_VIEW_BLOCKS
    )


async def _read_params(request: web.Request) -> Params:
    params: Params = dict(request.query)
    if request.can_read_body:
        if request.content_type == "application/json":
            body = await request.json()
            if isinstance(body, dict):
                params.update(body)
        elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = await request.post()
            params.update({k: v for k, v in form.items() if isinstance(v, str)})
    for key in _JSON_PARAMS & params.keys():
        if isinstance(params[key], str):
            # Undecodable values stay strings so validation reports them.
            with contextlib.suppress(json.JSONDecodeError):
                params[key] = json.loads(params[key])
    return params


class FakeSlack:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.invalid: list[dict[str, Any]] = []
        self.messages: dict[tuple[str, str], dict[str, Any]] = {}
        self.ephemerals: list[dict[str, Any]] = []
        self.views: dict[str, dict[str, Any]] = {}
        self.homes: dict[str, dict[str, Any]] = {}  # user id → their published Home tab view
        self.uploads: dict[str, bytes] = {}
        self.files: list[dict[str, Any]] = []  # completed uploads with the channel they went to
        self.users: dict[str, dict[str, Any]] = {}
        # The client's (host, port) of every Web API call: how many connections the bot opened.
        self.peers: set[tuple[str, int]] = set()
        self._counter = itertools.count(1)
        self._faults: dict[str, deque[_Fault]] = {}
        self._drops: Counter[str] = Counter()
        self._delays: dict[str, float] = {}
        self._channel_errors: dict[str, str] = {}
        # Opt-in, off in tests (the benches set it): (method, params) → the Retry-After of a 429
        # for a call over a rate limit, or None to serve the call.
        self.limiter: Callable[[str, Params], int | None] | None = None
        self._issued_uploads: set[str] = set()
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        # Socket Mode: tickets issued by apps.connections.open, open sockets, acks by envelope.
        self.socket_acks: list[dict[str, Any]] = []
        self._tickets: set[str] = set()
        self._sockets: list[web.WebSocketResponse] = []
        self._pending_acks: dict[str, asyncio.Future[dict[str, Any]]] = {}

    # -- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/api/{method}", self._handle)
        app.router.add_post("/api/{method}", self._handle)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self._port = self._runner.addresses[0][1]

    async def close(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    @property
    def origin(self) -> str:
        if self._port is None:
            raise RuntimeError("FakeSlack is not started")
        return f"http://127.0.0.1:{self._port}"

    @property
    def base_url(self) -> str:
        return f"{self.origin}/api/"  # slack_sdk urljoins method names, so the slash matters

    # -- test set-up -------------------------------------------------------------------------

    def add_user(
        self, email: str, user_id: str, *, tz: str = "Europe/Paris", real_name: str | None = None
    ) -> dict[str, Any]:
        name = email.split("@")[0]
        user = {"id": user_id, "name": name, "real_name": real_name or name, "tz": tz}
        self.users[user_id] = {**user, "profile": {"email": email}}
        return self.users[user_id]

    def make_channel_fail(self, channel_id: str, error: str = "channel_not_found") -> None:
        self._channel_errors[channel_id] = error

    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        retry_after: int = 2,
        error: str = "ratelimited",
        times: int = 1,
        raw: tuple[str, str] | None = None,
    ) -> None:
        """`raw=(content type, body)` answers that body instead of Slack's JSON error."""
        queue = self._faults.setdefault(method, deque())
        queue.extend([_Fault(status, error, int(retry_after), raw)] * times)

    def drop_after_processing(self, method: str, times: int = 1) -> None:
        self._drops[method] += times

    def delay(self, method: str, seconds: float) -> None:
        self._delays[method] = seconds

    # -- assertions --------------------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    # A plain timeout argument (not asyncio.timeout) so the failure can list what was called.
    async def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[Call]:
        deadline = time.monotonic() + timeout
        while len(calls := self.calls_to(method)) < count:
            if time.monotonic() >= deadline:
                seen = Counter(call.method for call in self.calls)
                listing = ", ".join(f"{m} x{n}" for m, n in seen.items()) or "nothing"
                raise AssertionError(
                    f"expected {count} call(s) to {method} within {timeout}s, "
                    f"got {len(calls)}; Slack saw: {listing}"
                )
            await asyncio.sleep(0.01)
        return calls

    # -- Socket Mode -------------------------------------------------------------------------

    @property
    def socket_connected(self) -> bool:
        return bool(self._sockets)

    async def wait_for_socket(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        deadline = time.monotonic() + timeout
        while not self._sockets:
            if time.monotonic() >= deadline:
                opened = len(self.calls_to("apps.connections.open"))
                raise AssertionError(
                    f"no Socket Mode client connected within {timeout}s "
                    f"(apps.connections.open called {opened} time(s))"
                )
            await asyncio.sleep(0.01)

    async def socket_send(
        self,
        payload_type: str,
        payload: dict[str, Any],
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> dict[str, Any]:
        """Pushes one envelope to the newest client, as Slack does; returns the client's ack."""
        assert payload_type in SOCKET_TYPES, payload_type
        await self.wait_for_socket(timeout)
        envelope_id = str(uuid.uuid4())
        acked: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending_acks[envelope_id] = acked
        envelope = {
            "envelope_id": envelope_id,
            "type": payload_type,
            "payload": payload,
            "accepts_response_payload": True,
            "retry_attempt": 0,
            "retry_reason": "",
        }
        try:
            await self._sockets[-1].send_json(envelope)
            async with asyncio.timeout(timeout):
                return await acked
        except TimeoutError:
            raise AssertionError(f"no ack for {payload_type} envelope within {timeout}s") from None
        finally:
            self._pending_acks.pop(envelope_id, None)

    async def _socket(self, request: web.Request) -> web.StreamResponse:
        if request.query.get("ticket") not in self._tickets:
            return web.Response(status=401, text="invalid ticket")
        ws = web.WebSocketResponse()  # autoping: the client's heartbeat pings get their pongs
        await ws.prepare(request)
        self._sockets.append(ws)
        try:
            await ws.send_json(
                {
                    "type": "hello",
                    "num_connections": len(self._sockets),
                    "debug_info": {"host": "fake-applink", "approximate_connection_time": 18060},
                    "connection_info": {"app_id": "A0NPSBOT1"},
                }
            )
            async for message in ws:
                if message.type != WSMsgType.TEXT:
                    continue
                ack = json.loads(message.data)
                self.socket_acks.append(ack)
                waiter = self._pending_acks.get(str(ack.get("envelope_id")))
                if waiter is not None and not waiter.done():
                    waiter.set_result(ack)
        finally:
            self._sockets.remove(ws)
        return ws

    # -- HTTP --------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        params = await _read_params(request)
        if request.transport is not None:
            self.peers.add(request.transport.get_extra_info("peername")[:2])
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else ""
        token = token or str(params.pop("token", ""))

        fault: _Fault | None = None
        if token == RATELIMITED_TOKEN:
            fault = _Fault(429, "ratelimited", 1)
        elif queue := self._faults.get(method):
            fault = queue.popleft()
        elif self.limiter is not None and (wait := self.limiter(method, params)) is not None:
            fault = _Fault(429, "ratelimited", wait)
        drop = fault is None and self._drops[method] > 0
        if drop:
            self._drops[method] -= 1
        label = f"{fault.status} {fault.error}" if fault else ("dropped" if drop else None)
        self.calls.append(Call(method, params, token, time.monotonic(), fault=label))

        if seconds := self._delays.get(method):
            await asyncio.sleep(seconds)
        if fault is not None:
            return fault.response()
        if not token.startswith(("xoxb-", "xapp-")):
            return web.json_response(_error("invalid_auth"))
        if (method == "apps.connections.open") != token.startswith("xapp-"):
            return web.json_response(_error("not_allowed_token_type"))
        reply = self._dispatch(method, params)
        if drop and request.transport is not None:
            # abort() resets the socket before anything is written, so the client sees
            # ServerDisconnectedError after the side effect already happened.
            request.transport.abort()
        return web.json_response(reply)

    async def _upload(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        if file_id not in self._issued_uploads:
            return web.Response(status=404, text="unknown file_id")
        if request.content_type.startswith("multipart/"):
            part = await (await request.multipart()).next()
            data = await part.read() if isinstance(part, BodyPartReader) else b""
        else:
            data = await request.read()
        self.uploads[file_id] = bytes(data)
        # files.slack.com answers text/plain; slack_sdk only checks the status code.
        return web.Response(text=f"OK - {len(data)}")

    # -- methods -----------------------------------------------------------------------------

    def _dispatch(self, method: str, params: Params) -> Reply:
        if method in _BLOCK_METHODS and params.get("blocks"):
            if any(_truthy(params.get(key)) for key in ("link_names", "parse")):
                return self._reject(method, params, "forbidden_parse", ["link_names/parse set"])
            if errors := _validate_blocks(params["blocks"]):
                return self._reject(method, params, "invalid_blocks", errors)
        is_view = method in ("views.open", "views.update", "views.publish")
        if is_view and (errors := _validate_view(params.get("view"))):
            return self._reject(method, params, "invalid_blocks", errors)
        # Web API method "chat.postMessage" is served by _api_chat_postMessage, and so on.
        handler = getattr(self, "_api_" + method.replace(".", "_"), None)
        return handler(params) if handler else {"ok": True}

    def _reject(self, method: str, params: Params, error: str, errors: list[str]) -> Reply:
        self.invalid.append({"method": method, "error": error, "errors": errors, "params": params})
        return _error(error, errors=errors)

    def _api_auth_test(self, params: Params) -> Reply:
        return {"ok": True, **AUTH_TEST}

    def _api_apps_connections_open(self, params: Params) -> Reply:
        ticket = uuid.uuid4().hex
        self._tickets.add(ticket)
        return {"ok": True, "url": f"ws://127.0.0.1:{self._port}/socket?ticket={ticket}"}

    def _next_ts(self) -> str:
        return f"1700000000.{next(self._counter):06d}"

    def _api_users_lookupByEmail(self, params: Params) -> Reply:
        email = str(params.get("email", "")).lower()
        for user in self.users.values():
            if user["profile"]["email"].lower() == email:
                return {"ok": True, "user": user}
        return _error("users_not_found")

    def _api_users_info(self, params: Params) -> Reply:
        user = self.users.get(str(params.get("user", "")))
        return {"ok": True, "user": user} if user else _error("user_not_found")

    def _api_conversations_open(self, params: Params) -> Reply:
        user_id = str(params.get("users", ""))
        if not user_id:
            return _error("users_list_not_supplied")
        return {"ok": True, "channel": {"id": "D" + user_id.removeprefix("U")}}

    def _api_chat_postMessage(self, params: Params) -> Reply:
        channel = str(params.get("channel", ""))
        if error := self._channel_errors.get(channel) or ("" if channel else "channel_not_found"):
            return _error(error)
        ts = self._next_ts()
        content = {key: params.get(key) for key in ("text", "blocks", "metadata", "thread_ts")}
        self.messages[(channel, ts)] = {**content, "history": []}
        message = {"type": "message", "ts": ts, "bot_id": AUTH_TEST["bot_id"], **content}
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _api_chat_update(self, params: Params) -> Reply:
        channel, ts = str(params.get("channel", "")), str(params.get("ts", ""))
        if error := self._channel_errors.get(channel):
            return _error(error)
        stored = self.messages.get((channel, ts))
        if stored is None:
            return _error("message_not_found")
        stored["history"].append({k: v for k, v in stored.items() if k != "history"})
        # Like Slack, only the fields sent are replaced; omitted ones are kept.
        stored.update({k: params[k] for k in ("text", "blocks", "metadata") if k in params})
        return {"ok": True, "channel": channel, "ts": ts, "text": stored["text"]}

    def _api_chat_postEphemeral(self, params: Params) -> Reply:
        channel = str(params.get("channel", ""))
        if error := self._channel_errors.get(channel):
            return _error(error)
        ts = self._next_ts()
        keys = ("channel", "user", "text", "blocks", "thread_ts")
        self.ephemerals.append({**{k: params.get(k) for k in keys}, "message_ts": ts})
        return {"ok": True, "message_ts": ts}

    def _api_chat_delete(self, params: Params) -> Reply:
        channel, ts = str(params.get("channel", "")), str(params.get("ts", ""))
        if self.messages.pop((channel, ts), None) is None:
            return _error("message_not_found")
        return {"ok": True, "channel": channel, "ts": ts}

    def _api_views_open(self, params: Params) -> Reply:
        view_id = str(params.get("view_id") or f"V{next(self._counter):08d}")
        view = {"id": view_id, **params["view"]}
        self.views[view_id] = view
        return {"ok": True, "view": view}

    _api_views_update = _api_views_open  # view_id, when given, is kept by _api_views_open

    def _api_views_publish(self, params: Params) -> Reply:
        user_id = str(params.get("user_id", ""))
        if not user_id:
            return _error("invalid_arguments")
        view = {"id": f"V{next(self._counter):08d}", **params["view"]}
        self.homes[user_id] = view
        return {"ok": True, "view": view}

    def _api_files_getUploadURLExternal(self, params: Params) -> Reply:
        file_id = f"F{next(self._counter):08d}"
        self._issued_uploads.add(file_id)
        return {"ok": True, "upload_url": f"{self.origin}/upload/{file_id}", "file_id": file_id}

    def _api_files_completeUploadExternal(self, params: Params) -> Reply:
        channel = params.get("channel_id") or params.get("channels")
        if error := self._channel_errors.get(str(channel)):
            return _error(error)
        files = params.get("files")
        if not isinstance(files, list) or not files:
            return _error("invalid_arguments")
        shared = []
        for f in files:
            if f.get("id") not in self.uploads:
                return _error("file_not_found")
            shared.append({"id": f["id"], "title": f.get("title")})
        extra = {k: params.get(k) for k in ("initial_comment", "thread_ts")}
        self.files.extend({**f, "channel": channel, **extra} for f in shared)
        return {"ok": True, "files": shared}
