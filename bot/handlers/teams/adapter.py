"""Builds botbuilder's CloudAdapter from our settings, with outbound calls that never retry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from botbuilder.schema import CallerIdConstants
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    ServiceClientCredentialsFactory,
    UserTokenClient,
)
from urllib3.util.retry import Retry

from bot.settings import Settings

CONNECTOR_TIMEOUT_S = 10  # msrest waits 100 s by default; the worker's lease is 2 minutes


@dataclass(frozen=True)
class _Config:
    """What ConfigurationBotFrameworkAuthentication reads, by attribute name (platforms.md §2.2)."""

    APP_ID: str
    APP_PASSWORD: str
    APP_TYPE: str
    APP_TENANTID: str | None


@dataclass(frozen=True)
class _OverriddenConfig(_Config):
    """Any of these switches botbuilder to its "parameterized" authentication; all must be set."""

    TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL: str
    TO_BOT_FROM_CHANNEL_TOKEN_ISSUER: str = AuthenticationConstants.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER
    TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL: str = (
        AuthenticationConstants.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL
    )
    TO_CHANNEL_FROM_BOT_OAUTH_SCOPE: str = AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE
    TO_CHANNEL_FROM_BOT_LOGIN_URL: str = AuthenticationConstants.TO_CHANNEL_FROM_BOT_LOGIN_URL
    OAUTH_URL: str = AuthenticationConstants.OAUTH_URL
    CALLER_ID: str = CallerIdConstants.public_azure_channel


def make_adapter(
    settings: Settings, credentials_factory: ServiceClientCredentialsFactory | None = None
) -> CloudAdapter:
    password = settings.microsoft_app_password.value if settings.microsoft_app_password else ""
    tenant = settings.microsoft_app_tenant_id
    # An empty app id turns botbuilder's authentication off; server.py allows that only with
    # TEAMS_ALLOW_UNAUTHENTICATED=1.
    base: dict[str, Any] = {
        "APP_ID": settings.microsoft_app_id or "",
        "APP_PASSWORD": password,
        "APP_TYPE": "SingleTenant" if tenant else "MultiTenant",
        "APP_TENANTID": tenant,
    }
    metadata = settings.teams_openid_metadata_url
    config = (
        _OverriddenConfig(**base, TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL=metadata)
        if (metadata)
        else _Config(**base)
    )
    inner = ConfigurationBotFrameworkAuthentication(config, credentials_factory=credentials_factory)
    return CloudAdapter(_NoRetries(inner))


class _NoRetries(BotFrameworkAuthentication):  # type: ignore[misc]  # botbuilder ships no types
    """Hands out connector clients that make one attempt per call.

    msrest retries 429 and 5xx itself (three times, sleeping out Retry-After inside the call)
    and retries after a dropped connection, which double-posts a card. The durable delivery
    worker owns every retry and records why (reliability.md §2.8).
    """

    def __init__(self, inner: BotFrameworkAuthentication) -> None:
        self._inner = inner

    async def authenticate_request(self, activity: Any, auth_header: str) -> Any:
        result: AuthenticateRequestResult = await self._inner.authenticate_request(
            activity, auth_header
        )
        result.connector_factory = _OneAttempt(result.connector_factory)
        return result

    async def authenticate_streaming_request(self, auth_header: str, channel_id: str) -> Any:
        return await self._inner.authenticate_streaming_request(auth_header, channel_id)

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return _OneAttempt(self._inner.create_connector_factory(claims_identity))

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        return await self._inner.create_user_token_client(claims_identity)

    def create_bot_framework_client(self) -> Any:
        return self._inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        return str(self._inner.get_originating_audience())

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        return await self._inner.authenticate_channel_request(auth_header)


class _OneAttempt(ConnectorFactory):  # type: ignore[misc]  # botbuilder ships no types
    def __init__(self, inner: ConnectorFactory) -> None:
        self._inner = inner

    async def create(self, service_url: str, audience: str | None = None) -> Any:
        client = await self._inner.create(service_url, audience)
        client.config.retry_policy.policy = Retry(
            total=0,
            connect=0,
            read=0,
            redirect=0,
            status=0,
            raise_on_status=False,
            respect_retry_after_header=False,
        )
        client.config.connection.timeout = CONNECTOR_TIMEOUT_S
        return client
