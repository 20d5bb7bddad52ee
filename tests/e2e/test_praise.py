"""A promoter's comment reaches the agent who earned it, and the team only with consent."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from tests.harness import NPS_TOML, RunningBot, running_bot

Resubmit = Callable[[], Awaitable[None]]
TOML = NPS_TOML.replace(
    'slack_lead_channel = "C0LEADS"',
    'slack_lead_channel = "C0LEADS"\nslack_kudos_channel = "C0KUDOS"',
)


async def _comment(bot: RunningBot, score: int, comment: str, share: bool) -> Resubmit:
    ana = bot.user("ana@example.com", "U0ANA")
    bot.slack.add_user("carol@example.com", "U0CAROL")
    assert (await bot.post_ticket())[0] == 202
    await bot.slack.wait_for("chat.postMessage")
    view = await ana.score_and_open_comment(score)
    shared = [{"value": "yes"}] if share else []
    values: dict[str, Any] = {
        "comment": {"text": {"type": "plain_text_input", "value": comment}},
        "drivers": {"selected": {"type": "checkboxes", "selected_options": []}},
        "share": {"ok": {"type": "checkboxes", "selected_options": shared}},
    }
    status, body = await ana.submit_view(view, values)
    assert (status, body) == (200, "")
    await bot.drain()

    async def again() -> None:
        await ana.submit_view(view, values)
        await bot.drain()

    return again


def _in(bot: RunningBot, channel: str) -> list[str]:
    return [json.dumps(m["blocks"]) for (ch, _), m in bot.slack.messages.items() if ch == channel]


async def test_promoter_comment_is_dmed_to_the_agent_and_shared_with_consent(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path, toml=TOML) as bot:
        edit_again = await _comment(bot, 10, "Carol fixed it in minutes <3", share=True)
        (dm,) = _in(bot, "U0CAROL")
        assert "Carol fixed it in minutes &lt;3" in dm
        assert "ana" not in dm.lower()  # the requester is not named
        (kudos,) = _in(bot, "C0KUDOS")
        assert "Kudos to <@U0CAROL>" in kudos
        assert bot.slack.invalid == []
        await edit_again()
        assert len(_in(bot, "U0CAROL")) == 1  # an edited comment is not praise twice
        assert len(_in(bot, "C0KUDOS")) == 1


async def test_without_consent_praise_stays_private(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path, toml=TOML) as bot:
        await _comment(bot, 9, "Great help", share=False)
        assert len(_in(bot, "U0CAROL")) == 1
        assert _in(bot, "C0KUDOS") == []


async def test_a_passives_comment_is_no_praise(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path, toml=TOML) as bot:
        await _comment(bot, 8, "Fine", share=True)
        assert _in(bot, "U0CAROL") == []
        assert _in(bot, "C0KUDOS") == []
