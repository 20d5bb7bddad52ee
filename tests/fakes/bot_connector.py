"""Loopback fakes of what Teams' side of the Bot Framework is: the Bot Connector service that
receives the bot's activities, and the OpenID metadata + JWKS that sign what Teams sends.

The OpenID server runs in its own thread: botbuilder fetches it with blocking `requests`, so a
server on the test's event loop would never answer (platforms.md §2.9).
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import functools
import itertools
import json
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

import jwt
from aiohttp import web
from botframework.connector.auth import ServiceClientCredentialsFactory
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from msrest.authentication import BasicTokenAuthentication

APP_ID = "11111111-2222-3333-4444-555555555555"
APP_PASSWORD = "test-teams-app-password-0123456789"
ISSUER = "https://api.botframework.com"
KID = "test-key-1"
MAX_ACTIVITY_BYTES = 28_000  # Teams refuses bigger messages with 413

Json = dict[str, Any]


@functools.cache
def signing_key(name: str = "teams") -> rsa.RSAPrivateKey:
    """Generated once per test run and name: 2048-bit generation costs tens of milliseconds."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    body: Json | None
    authorization: str | None
    fault: int | None = None
    at: float = field(default_factory=time.monotonic)  # when the fake received it


@dataclass
class _Fault:
    status: int
    retry_after: int | None
    times: int


class FakeConnector:
    """Records every activity the bot posts or updates, keyed by (conversation, activity id)."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.activities: dict[tuple[str, str], Json] = {}
        self.members: dict[str, Json] = {}
        self.invalid: list[str] = []
        self._faults: dict[str, list[_Fault]] = {}
        self._ids = itertools.count(1_763_632_800_001)
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

    async def start(self) -> None:
        app = web.Application()
        base = "/v3/conversations/{conversation}"
        app.router.add_post(base + "/activities", self._post)
        app.router.add_post(base + "/activities/{reply_to}", self._post)
        app.router.add_put(base + "/activities/{activity}", self._put)
        app.router.add_delete(base + "/activities/{activity}", self._delete)
        app.router.add_get(base + "/members/{member}", self._member)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = self._runner.addresses[0][1]

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    @property
    def service_url(self) -> str:
        return f"http://127.0.0.1:{self._port}/"

    def add_member(self, member_id: str, name: str, email: str, aad: str) -> None:
        """A person on the Teams roster, as GET …/members/{id} returns them."""
        self.members[member_id] = {
            "id": member_id,
            "name": name,
            "aadObjectId": aad,
            "email": email,
            "userPrincipalName": email,
            "givenName": name.split()[0],
            "userRole": "user",
            "tenantId": "72f988bf-0000-4a2b-9c3d-0123456789ab",
        }

    def fail_next(
        self, method: str, status: int, *, times: int = 1, retry_after: int | None = None
    ) -> None:
        """The next `times` calls with this HTTP method answer `status` and change nothing."""
        self._faults.setdefault(method, []).append(_Fault(status, retry_after, times))

    def posts(self, conversation: str | None = None) -> list[Call]:
        return self._calls("POST", conversation)

    def puts(self, conversation: str | None = None) -> list[Call]:
        return self._calls("PUT", conversation)

    def attempts(self, method: str, conversation: str | None = None) -> list[Call]:
        """Every call, refused ones (scripted faults) included."""
        return [
            c
            for c in self.calls
            if c.method == method
            and "/activities" in c.path
            and (conversation is None or c.path.startswith(f"/v3/conversations/{conversation}/"))
        ]

    def _calls(self, method: str, conversation: str | None) -> list[Call]:
        return [c for c in self.attempts(method, conversation) if c.fault is None]

    def cards(self, conversation: str) -> list[tuple[str, Json]]:
        """(activity id, card) of each card in a conversation and its threads (a channel's
        replies go to `<channel>;messageid=<root>`), oldest first, as last updated."""
        found = []
        for (conv, activity_id), activity in self.activities.items():
            if conv.split(";", 1)[0] != conversation:
                continue
            for attachment in activity.get("attachments") or []:
                found.append((activity_id, copy.deepcopy(attachment["content"])))
        return found

    async def wait_for(
        self,
        method: str,
        count: int = 1,
        conversation: str | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[Call]:
        deadline = time.monotonic() + timeout
        while len(found := self._calls(method, conversation)) < count:
            if time.monotonic() >= deadline:
                seen = Counter(f"{c.method} {c.path}" for c in self.calls)
                raise AssertionError(
                    f"expected {count} {method}(s) to {conversation or 'any conversation'} "
                    f"within {timeout}s, got {len(found)}; the connector saw: {dict(seen)}"
                )
            await asyncio.sleep(0.01)
        return found

    def _fault(self, request: web.Request, body: Json | None) -> web.Response | None:
        queue = self._faults.get(request.method) or []
        if not queue:
            return None
        fault = queue[0]
        fault.times -= 1
        if fault.times <= 0:
            queue.pop(0)
        auth = request.headers.get("Authorization")
        self.calls.append(Call(request.method, request.path, body, auth, fault=fault.status))
        headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after else None
        error = {"error": {"code": f"Http{fault.status}", "message": "scripted failure"}}
        return web.json_response(error, status=fault.status, headers=headers)

    async def _read(self, request: web.Request) -> Json | web.Response:
        raw = await request.read()
        body = json.loads(raw)
        if (failed := self._fault(request, body)) is not None:
            return failed
        self.calls.append(
            Call(request.method, request.path, body, request.headers.get("Authorization"))
        )
        problem = _check(body, len(raw))
        if problem:
            self.invalid.append(problem)
            status = 413 if "too large" in problem else 400
            return web.json_response(
                {"error": {"code": "BadArgument", "message": problem}}, status=status
            )
        return body

    async def _post(self, request: web.Request) -> web.Response:
        body = await self._read(request)
        if isinstance(body, web.Response):
            return body
        activity_id = str(next(self._ids))
        self.activities[(request.match_info["conversation"], activity_id)] = {
            **body,
            "id": activity_id,
        }
        return web.json_response({"id": activity_id}, status=201)

    async def _put(self, request: web.Request) -> web.Response:
        body = await self._read(request)
        if isinstance(body, web.Response):
            return body
        key = (request.match_info["conversation"], request.match_info["activity"])
        if key not in self.activities:
            error = {"error": {"code": "ActivityNotFoundInConversation", "message": "not found"}}
            return web.json_response(error, status=404)
        self.activities[key] = {**body, "id": key[1]}
        return web.json_response({"id": key[1]})

    async def _delete(self, request: web.Request) -> web.Response:
        """DELETE …/activities/{id}: the activity is gone, as Teams removes a bot's message."""
        if (failed := self._fault(request, None)) is not None:
            return failed
        self.calls.append(Call("DELETE", request.path, None, request.headers.get("Authorization")))
        key = (request.match_info["conversation"], request.match_info["activity"])
        if self.activities.pop(key, None) is None:
            error = {"error": {"code": "ActivityNotFoundInConversation", "message": "not found"}}
            return web.json_response(error, status=404)
        return web.json_response({})

    async def _member(self, request: web.Request) -> web.Response:
        self.calls.append(Call("GET", request.path, None, request.headers.get("Authorization")))
        member = self.members.get(request.match_info["member"])
        if member is None:
            error = {"error": {"code": "MemberNotFoundInConversation", "message": "not found"}}
            return web.json_response(error, status=404)
        return web.json_response(member)


def _check(activity: Json, size: int) -> str | None:
    """What Teams would refuse: oversize messages, and cards that are not Adaptive Cards 1.5."""
    if size > MAX_ACTIVITY_BYTES:
        return f"activity too large: {size} bytes"
    for attachment in activity.get("attachments") or []:
        content = attachment.get("content") or {}
        if attachment.get("contentType") != "application/vnd.microsoft.card.adaptive":
            return f"not an Adaptive Card: {attachment.get('contentType')}"
        if content.get("type") != "AdaptiveCard" or content.get("version") != "1.5":
            return "card is not an AdaptiveCard of version 1.5"
    return None


class TestCredentials(ServiceClientCredentialsFactory):  # type: ignore[misc]
    """Outbound calls carry `Bearer test`: MSAL refuses a token endpoint on http://127.0.0.1."""

    __test__ = False  # not a pytest class

    def __init__(self, app_id: str = APP_ID) -> None:
        self.app_id = app_id

    async def is_valid_app_id(self, app_id: str) -> bool:
        return app_id == self.app_id

    async def is_authentication_disabled(self) -> bool:
        return not self.app_id

    async def create_credentials(
        self, app_id: str, oauth_scope: str, login_endpoint: str, validate_authority: bool
    ) -> BasicTokenAuthentication:
        return BasicTokenAuthentication({"access_token": "test"})


@dataclass
class OpenIdServer:
    """Bot Framework's OpenID metadata and signing keys, served from a thread."""

    keys: list[Json] = field(default_factory=list)
    fetches: int = 0
    _server: ThreadingHTTPServer | None = None

    def start(self) -> Self:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.fetches += 1
                host = f"http://127.0.0.1:{self.server.server_address[1]}"
                body: Json = (
                    {"issuer": ISSUER, "jwks_uri": f"{host}/keys"}
                    if self.path.startswith("/openid")
                    else {"keys": outer.keys}
                )
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        # A short poll: shutdown() waits up to one poll interval, at every test's end.
        serve = functools.partial(self._server.serve_forever, poll_interval=0.02)
        threading.Thread(target=serve, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def metadata_url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/openid"

    def publish(self, key: rsa.RSAPrivateKey, kid: str, endorsements: list[str]) -> None:
        jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
        self.keys.append({**jwk, "kid": kid, "use": "sig", "endorsements": endorsements})


def mint(
    service_url: str,
    *,
    app_id: str = APP_ID,
    issuer: str = ISSUER,
    expires_in: float = 300,
    key: rsa.RSAPrivateKey | None = None,
    kid: str = KID,
    serviceurl: str | None = None,
) -> str:
    """A Bot Framework channel token, as Teams' side signs it."""
    now = int(time.time())
    claims = {
        "iss": issuer,
        "aud": app_id,
        "serviceurl": serviceurl or service_url,
        "nbf": now - 60,
        "iat": now - 60,
        "exp": now + int(expires_in),
    }
    return jwt.encode(claims, key or signing_key(), algorithm="RS256", headers={"kid": kid})


@dataclass
class TeamsRig:
    """Everything the bot's Teams side talks to, plus what a test needs to sign as Teams."""

    connector: FakeConnector
    openid: OpenIdServer
    app_id: str = APP_ID

    @property
    def service_url(self) -> str:
        return self.connector.service_url

    def env(self) -> dict[str, str]:
        return {
            "MICROSOFT_APP_ID": self.app_id,
            "MICROSOFT_APP_PASSWORD": APP_PASSWORD,
            "TEAMS_OPENID_METADATA_URL": self.openid.metadata_url,
        }

    @property
    def credentials(self) -> TestCredentials:
        return TestCredentials(self.app_id)

    def token(self, **claims: Any) -> str:
        return mint(self.service_url, app_id=self.app_id, **claims)


@contextlib.asynccontextmanager
async def teams_rig() -> AsyncIterator[TeamsRig]:
    openid = OpenIdServer().start()
    openid.publish(signing_key(), KID, ["msteams"])
    try:
        async with FakeConnector() as connector:
            yield TeamsRig(connector, openid)
    finally:
        openid.stop()
