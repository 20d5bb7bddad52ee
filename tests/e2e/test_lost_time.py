"""Lost time (issue 15 item 4): the comment form's extra question on both platforms, and the
hours lost in `/nps team` at each choice's documented midpoint."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.harness import NPS_TOML, FakeClock, RunningBot, running_bot
from tests.perception_seed import set_lost_time
from tests.seed import Seeded, seed
from tests.slash import nps_command
from tests.teams_harness import TEAMS_TOML, actions, invoke_text, teams_user

ASK = "\nask_lost_time = true\n"
QUESTION = "How much work time did this issue cost you?"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def _values(lost: str | None) -> dict[str, Any]:
    chosen = {"selected_option": {"value": lost}} if lost else {"selected_option": None}
    return {
        "comment": {"text": {"type": "plain_text_input", "value": "Lost a morning"}},
        "drivers": {"selected": {"type": "checkboxes", "selected_options": []}},
        "lost_time": {"choice": {"type": "radio_buttons", **chosen}},
    }


async def _slack_form(bot: RunningBot) -> tuple[Any, dict[str, Any]]:
    ana = bot.user("ana@example.com", "U0ANA")
    assert (await bot.post_ticket())[0] == 202
    await bot.slack.wait_for("chat.postMessage")
    return ana, await ana.score_and_open_comment(4)


async def test_slack_comment_form_asks_and_stores_the_lost_time(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path, toml=NPS_TOML + ASK) as bot:
        ana, view = await _slack_form(bot)
        (block,) = [b for b in view["blocks"] if b.get("block_id") == "lost_time"]
        assert block["label"]["text"] == QUESTION
        labels = [o["text"]["text"] for o in block["element"]["options"]]
        assert labels == ["None", "Under 1 hour", "1–4 hours", "About a day", "More than a day"]
        status, body = await ana.submit_view(view, _values("weeks"))  # never offered
        assert status == 200
        assert json.loads(body)["errors"] == {
            "lost_time": "the work time lost is one of the choices offered"
        }
        assert await bot.scalar("SELECT comment FROM answer") is None  # nothing stored
        assert (await ana.submit_view(view, _values("1_4h"))) == (200, "")
        assert await bot.scalar("SELECT lost_time FROM answer") == "1_4h"
        await bot.drain()
        await ana.click("nps.comment.open", ana.survey_message())
        (_, reopened) = await bot.slack.wait_for("views.open", count=2)
        (again,) = [
            b for b in reopened.params["view"]["blocks"] if b.get("block_id") == "lost_time"
        ]
        assert again["element"]["initial_option"]["value"] == "1_4h"


async def test_slack_form_without_ask_lost_time_has_no_question(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        ana, view = await _slack_form(bot)
        assert QUESTION not in json.dumps(view)
        assert (await ana.submit_view(view, _values("day"))) == (200, "")
        assert await bot.scalar("SELECT lost_time FROM answer") is None  # not asked: not kept


async def test_teams_comment_card_asks_and_stores_the_lost_time(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path, toml=TEAMS_TOML + ASK, teams=True) as bot:
        ana = teams_user(bot, "Ana", "ana@example.com", 1)
        await ana.install()
        assert (await bot.post_ticket())[0] == 202
        await bot.drain()
        _status, answer = await ana.click_score(4)
        card = json.loads(invoke_text(answer))
        assert QUESTION in json.dumps(card)
        (send,) = actions(card, "nps.comment")
        inputs = {"comment": "Lost a morning", "drivers": "", "share": "false"}
        _s, bad = await ana.invoke(send, ana.survey_card()[0], {**inputs, "lost_time": "weeks"})
        assert "one of the choices offered; nothing was saved" in invoke_text(bad)
        assert await bot.scalar("SELECT comment FROM answer") is None
        _s, ok = await ana.invoke(send, ana.survey_card()[0], {**inputs, "lost_time": "day"})
        assert '"value": "day"' in invoke_text(ok)  # the redrawn form keeps the choice
        assert await bot.scalar("SELECT lost_time FROM answer") == "day"


# Six answers this week: none 0 + under 1 hour 0.5 + 1–4 hours 2.5 + about a day 8 + more than
# a day 16 + 1–4 hours 2.5 = 29.5 h; 29.5 / 6 = 4.92 → 4.9 h per ticket. A seventh answer says
# nothing about lost time and counts in neither figure.
LOST_LINE = "Work time lost: about 29.5 h over 6 answers (4.9 h per ticket)"


async def _lost_history(bot: RunningBot) -> None:
    at = NOW - timedelta(days=1)
    ids = await seed(bot.store, *[Seeded("eus", at, score=7) for _ in range(7)])
    await set_lost_time(
        bot.store, ids, ["none", "under_1h", "1_4h", "day", "over_day", "1_4h", None]
    )


async def test_slack_team_report_shows_hours_lost(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path, clock=FakeClock(NOW)) as bot:
        await _lost_history(bot)
        reply = await nps_command(bot, "team eus weeks 1", "C0RANDOM", "U0MGR")
        assert LOST_LINE in json.dumps(reply["blocks"], ensure_ascii=False)


async def test_teams_team_report_shows_hours_lost(db_url: str, tmp_path: Path) -> None:
    async with running_bot(
        db_url, tmp_path, toml=TEAMS_TOML, teams=True, clock=FakeClock(NOW)
    ) as bot:
        await _lost_history(bot)
        lead = teams_user(bot, "Lead", "lead@example.com", 9)
        await lead.install()
        await lead.say("nps team eus weeks 1")
        assert LOST_LINE in json.dumps(lead.cards()[-1][1], ensure_ascii=False)
