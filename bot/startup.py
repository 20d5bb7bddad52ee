"""The start-up summary: in one log line, what this process serves and what to set for the rest."""

from __future__ import annotations

from bot.settings import Settings

SLACK_HINT = "set SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode)"
TEAMS_HINT = "set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD"


def slack_summary(settings: Settings) -> str:
    if not settings.slack_enabled:
        return f"off ({SLACK_HINT})"
    return "on, Socket Mode" if settings.slack_socket_mode else "on, HTTP at /slack/events"


def teams_summary(settings: Settings) -> str:
    if not settings.teams_enabled:
        return f"off ({TEAMS_HINT})"
    if not settings.microsoft_app_id:
        return "on, /api/messages, UNAUTHENTICATED (emulator only)"
    return "on, /api/messages"


def webhook_summaries(settings: Settings) -> list[str]:
    """One entry per /webhooks/* route; a new webhook adds its line here."""
    tickets = "/webhooks/tickets"
    if not settings.ticket_webhook_secrets:
        tickets += " off (set TICKET_WEBHOOK_SECRET; it answers 503 until then)"
    return [tickets]


def startup_summary(settings: Settings) -> dict[str, str]:
    """The `extra` of the one `npsbot_serving` line: a reader sees every switch at once."""
    return {
        "slack": slack_summary(settings),
        "teams": teams_summary(settings),
        "webhooks": ", ".join(webhook_summaries(settings)),
    }


def listening_line(settings: Settings) -> str:
    # The one line with data in its text: it is what a new user looks for to open the URL.
    return f"listening on http://{settings.host}:{settings.port}"
