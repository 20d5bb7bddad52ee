"""The perception gap and the rank (issue 15 items 2 and 5), through the fake Slack and the
fake Bot Connector, on figures worked out by hand in the comments."""

from __future__ import annotations

import base64
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from bot.charts import CHART_SIZE
from tests.harness import NPS_TOML, FakeClock, RunningBot, running_bot, ticket
from tests.perception_seed import seed_guesses, set_sla
from tests.seed import Seeded, seed
from tests.slash import nps_command
from tests.teams_harness import teams_user

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # a Wednesday; the week began Mon 23 Nov (UTC)
# Five teams; min_answers 5 everywhere. "tiny" has two answers, so it is left out of the rank.
TOML = NPS_TOML + "".join(
    f'\n[[team]]\nkey = "{key}"\nname = "{name}"\nslack_lead_channel = "C0{key.upper()}"\n'
    for key, name in (("net", "Network"), ("hr", "HR Systems"), ("ops", "Ops"), ("tiny", "Tiny"))
)
TEAMS_TOML = TOML.replace("[defaults]\n", '[defaults]\nplatform = "teams"\n')

# eus this week: six answers, five of them with a guess (passives, ties, one far off).
#   guesses  9  9  8   7  10        IT's view: 3 promoters, 2 passives, 0 detractors → +60
#   scores   9  6  8  10   3  (10)  customers on the same five: 2 P, 1 Pa, 2 D → 0
#   |diff|   0  3  0   3   7        gap 60 points; 13 / 5 = 2.6 points off on average
#   mean guess 43 / 5 = 8.6; mean score 36 / 5 = 7.2
# The sixth answer (10) has no guess: it is in the NPS (+17: 3 P, 1 Pa, 2 D of 6), not the gap.
GUESSES = [9, 9, 8, 7, 10]
SCORES = [9, 6, 8, 10, 3]
GAP_LINE = (
    "IT's view +60 · customers 0 · gap 60 points (5 tickets with both; a guess was 2.6 points "
    "off on average)"
)
# Rank over this week: net +100, eus +17, hr +17 (same answers: a tie), ops −100; tiny (+100 on
# 2 answers) is left out. eus is 2nd of 4: 1 + one team strictly ahead; top 2/4 = 50 %.
RANK_LINE = "Rank: 2nd of 4 teams (top 50 %)"
AGENT_LINE = "you expected 8.6 on average; customers gave 7.2 (5 tickets with both)"


async def _history(bot: RunningBot) -> None:
    at = NOW - timedelta(days=1)
    eus = await seed(
        bot.store,
        *[Seeded("eus", at - timedelta(minutes=i), score=s) for i, s in enumerate([*SCORES, 10])],
    )
    await seed_guesses(bot.store, eus[:5], GUESSES, at)
    # A guess whose ticket is unanswered counts nowhere.
    (open_,) = await seed(bot.store, Seeded("eus", None, delivered_at=at))
    await seed_guesses(bot.store, [open_], [0], at)
    others = {"net": [10] * 5, "hr": [*SCORES, 10], "ops": [0] * 5, "tiny": [10, 10]}
    for key, scores in others.items():
        await seed(
            bot.store, *[Seeded(key, at, score=s, agent_email="dave@example.com") for s in scores]
        )
    # Last week: six tickets, guess 10 and answer 10: outside `weeks 1`, inside `/nps gap`.
    before = NOW - timedelta(days=8)
    last = await seed(bot.store, *[Seeded("eus", before, score=10) for _ in range(6)])
    await seed_guesses(bot.store, last, [10] * 6, before)


def _png(card: dict[str, Any]) -> Image.Image:
    (image,) = [n for n in card["body"] if n.get("type") == "Image"]
    data = image["url"].removeprefix("data:image/png;base64,")
    return Image.open(io.BytesIO(base64.b64decode(data)))


async def _slack(bot: RunningBot, text: str, user: str = "U0MGR") -> str:
    reply = await nps_command(bot, text, "C0RANDOM", user)
    return json.dumps(reply["blocks"], ensure_ascii=False).replace("&amp;", "&")


async def test_slack_team_report_shows_the_gap_and_the_rank(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path, toml=TOML, clock=FakeClock(NOW)) as bot:
        await _history(bot)
        shown = await _slack(bot, "team eus weeks 1")
        assert GAP_LINE in shown
        assert RANK_LINE in shown
        assert "Rank: 2nd of 4 teams" in await _slack(bot, "team hr weeks 1")  # the tie
        assert "Rank: 1st of 4 teams (top 25 %)" in await _slack(bot, "team net weeks 1")
        tiny = await _slack(bot, "team tiny weeks 1")
        assert "Rank" not in tiny  # too few answers: not ranked, and no rank given away
        assert "IT's view" not in await _slack(bot, "team net weeks 1")  # no guesses: no line


async def test_slack_gap_command_goes_week_by_week_with_a_two_line_chart(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path, toml=TOML, clock=FakeClock(NOW)) as bot:
        await _history(bot)
        shown = await _slack(bot, "gap eus weeks 2")
        # Both weeks: 11 tickets. IT's view: 9 P, 2 Pa → 82 (81.8); customers: 8 P, 1 Pa, 2 D
        # → 55 (54.5, half away from zero); gap 27; (13 + 0) / 11 = 1.18 → 1.2 points off.
        assert (
            "IT's view +82 · customers +55 · gap 27 points (11 tickets with both; a guess was "
            "1.2 points off on average)"
        ) in shown
        assert "16 Nov: IT's view +100 · customers +100 · gap 0 points (6)" in shown
        assert "23 Nov: IT's view +60 · customers 0 · gap 60 points (5) (so far)" in shown
        await bot.slack.wait_for("files.completeUploadExternal")
        (file,) = bot.slack.files
        assert file["channel"] == "D0MGR"  # the chart goes to the asker's DM, not the channel
        image = Image.open(io.BytesIO(bot.slack.uploads[file["id"]]))
        assert image.size == CHART_SIZE
        # Both lines are drawn: the vermillion of IT's view and the blue of customers'.
        colours = {c for _n, c in image.convert("RGB").getcolors(1 << 16) or []}
        assert {(213, 94, 0), (0, 114, 178)} <= colours


async def test_slack_agent_sees_their_own_guesses_against_customers_in_nps_me(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path, toml=TOML, clock=FakeClock(NOW)) as bot:
        await _history(bot)
        bot.slack.add_user("carol@example.com", "U0CAROL")
        # Carol's tickets over 12 weeks: the 5 pairs of this week and 6 of last week (10 / 10):
        # guesses (43 + 60) / 11 = 9.36 → 9.4; scores (36 + 60) / 11 = 8.73 → 8.7.
        shown = await _slack(bot, "me", user="U0CAROL")
        assert "you expected 9.4 on average; customers gave 8.7 (11 tickets with both)" in shown
        assert AGENT_LINE in await _slack(bot, "me weeks 1", user="U0CAROL")


@pytest.mark.parametrize("weeks", [1])
async def test_teams_team_report_gap_and_me_match_slack(
    db_url: str, tmp_path: Path, weeks: int
) -> None:
    async with running_bot(
        db_url, tmp_path, toml=TEAMS_TOML, teams=True, clock=FakeClock(NOW)
    ) as bot:
        await _history(bot)
        carol = teams_user(bot, "Carol Agent", "carol@example.com", 7)
        await carol.install()
        await carol.say(f"nps team eus weeks {weeks}")
        team = json.dumps(carol.cards()[-1][1], ensure_ascii=False)
        assert GAP_LINE in team
        assert RANK_LINE in team
        await carol.say("nps gap eus weeks 2")
        gap_card = carol.cards()[-1][1]
        assert "23 Nov: IT's view +60 · customers 0 · gap 60 points (5) (so far)" in json.dumps(
            gap_card, ensure_ascii=False
        )
        assert _png(gap_card).size == CHART_SIZE
        await carol.say(f"nps me weeks {weeks}")
        assert AGENT_LINE in json.dumps(carol.cards()[-1][1], ensure_ascii=False)
        assert bot.teams is not None
        assert bot.teams.connector.invalid == []


# SLA data on five of eus's six answers this week (the sixth ticket's event said nothing):
#   scores  9     6     8     10     3     10
#   sla     met   met   met   missed met   –
# met on 4 of 5 → 80 %; of those 4, two detractors (6 and 3) → 🍉 50 %.
SLA_LINE = (
    "SLA met on 80 % of answered tickets · 🍉 50 % of those were detractors "
    "(SLA data on 5 of 6 answered tickets)"
)


async def _sla_history(bot: RunningBot) -> None:
    at = NOW - timedelta(days=1)
    eus = await seed(bot.store, *[Seeded("eus", at, score=s) for s in [*SCORES, 10]])
    await set_sla(bot.store, eus, [True, True, True, False, True, None])
    net = await seed(bot.store, *[Seeded("net", at, score=10) for _ in range(5)])
    await set_sla(bot.store, net, [True] * 5)  # green and happy: 🍉 0 %
    await seed(bot.store, *[Seeded("hr", at, score=3) for _ in range(5)])  # no SLA data
    ops = await seed(bot.store, *[Seeded("ops", at, score=9) for _ in range(5)])
    await set_sla(bot.store, ops, [True, True, None, None, None])  # SLA data on 2 of 5 only


async def test_slack_watermelon_in_team_and_teams(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path, toml=TOML, clock=FakeClock(NOW)) as bot:
        await _sla_history(bot)
        assert SLA_LINE in await _slack(bot, "team eus weeks 1")
        assert "SLA" not in await _slack(bot, "team hr weeks 1")  # no data: no line
        teams = await _slack(bot, "teams")
        assert "*End User Services* +17 · 6 answers, 100 % response · 🍉 50 % ⚠" in teams
        assert "*Network* +100 · 5 answers, 100 % response · 🍉 0 % ⚠" in teams
        assert "*HR Systems* −100 · 5 answers, 100 % response ⚠" in teams  # no SLA data
        assert "*Ops* +100 · 5 answers, 100 % response ⚠" in teams  # SLA data on 2 < 5
        ops = await _slack(bot, "team ops weeks 1")
        assert "SLA: too few answered tickets with SLA data to show (2 of 5)" in ops


async def test_teams_watermelon_in_team_and_teams(db_url: str, tmp_path: Path) -> None:
    async with running_bot(
        db_url, tmp_path, toml=TEAMS_TOML, teams=True, clock=FakeClock(NOW)
    ) as bot:
        await _sla_history(bot)
        lead = teams_user(bot, "Lead", "lead@example.com", 9)
        await lead.install()
        await lead.say("nps team eus weeks 1")
        assert SLA_LINE in json.dumps(lead.cards()[-1][1], ensure_ascii=False)
        await lead.say("nps teams")
        teams = json.dumps(lead.cards()[-1][1], ensure_ascii=False)
        assert " +17 · 6 answers, 100 % response · 🍉 50 % ⚠" in teams
        assert " +100 · 5 answers, 100 % response · 🍉 0 % ⚠" in teams


async def test_sla_fields_of_the_generic_event_are_stored(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        body = {"type": "ticket.closed", "ticket": ticket(sla_met=False, resolution_minutes=240)}
        assert (await bot.post_ticket(body))[0] == 202
        assert await bot.scalar("SELECT resolution_minutes FROM survey") == 240
        assert not await bot.scalar("SELECT sla_met FROM survey")
        assert await bot.scalar("SELECT count(*) FROM survey WHERE sla_met IS NOT NULL") == 1
        status, answer = await bot.post_ticket(
            {"type": "ticket.closed", "ticket": ticket(id="INC2", sla_met="no")}
        )
        assert (status, answer) == (400, {"error": "ticket.sla_met must be true or false"})
