"""manifest.yml asks for exactly the scopes the code's Slack calls need (least privilege)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).parents[2]
# Web API method (as slack_sdk names it) → the bot scope Slack requires for it.
METHOD_SCOPES = {
    "users_lookupByEmail": {"users:read", "users:read.email"},
    "conversations_open": {"im:write"},
    "chat_postMessage": {"chat:write"},
    "chat_update": {"chat:write"},
    "chat_delete": {"chat:write"},  # npsbot forget: the bot deletes its own messages
    "chat_postEphemeral": {"chat:write"},
    "views_open": set(),
    "views_publish": set(),  # the App Home tab
    "users_info": {"users:read", "users:read.email"},  # /nps me: the agent's e-mail
    "files_upload_v2": {"files:write"},  # report charts and the weekly digest
}


def _manifest() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((ROOT / "manifest.yml").read_text())


def _methods_called() -> set[str]:
    source = "\n".join(p.read_text() for p in (ROOT / "bot").rglob("*.py"))
    return set(re.findall(r"client\.((?:chat|users|conversations|views|files)_\w+)", source))


def test_every_slack_method_the_code_calls_is_covered_by_a_scope() -> None:
    scopes = set(_manifest()["oauth_config"]["scopes"]["bot"])
    called = _methods_called()
    assert called, "found no Slack calls: the pattern is wrong"
    unknown = called - METHOD_SCOPES.keys()
    assert not unknown, f"add these methods and their scopes to METHOD_SCOPES: {unknown}"
    for method in called:
        assert METHOD_SCOPES[method] <= scopes, method


def test_no_scope_is_asked_for_that_no_call_needs() -> None:
    scopes = set(_manifest()["oauth_config"]["scopes"]["bot"])
    needed = set().union(*(METHOD_SCOPES[m] for m in _methods_called())) | {"commands"}
    assert scopes == needed


def test_manifest_has_the_command_interactivity_and_socket_mode() -> None:
    manifest = _manifest()
    commands = [c["command"] for c in manifest["features"]["slash_commands"]]
    assert commands == ["/nps"]
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert manifest["features"]["bot_user"]["display_name"] == "npsbot"


def test_the_home_tab_is_on_and_its_one_event_needs_no_scope() -> None:
    """app_home_opened and views.publish need no scope: the scopes test above covers the rest."""
    manifest = _manifest()
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["settings"]["event_subscriptions"]["bot_events"] == ["app_home_opened"]
