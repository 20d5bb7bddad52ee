"""`/nps themes` (Slack), `nps themes` (Teams), `npsbot themes` and the digest's fastest-growing
theme, on comments of the labelled set (tests/data/comments.jsonl): 12 about waiting this period
against 2 the period before, and praise for speed in both."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from store import open_store
from store.migrate import upgrade_to_head_async
from tests.e2e.test_cli import _run
from tests.e2e.test_drivers_report import _ask as _ask_in_time
from tests.harness import NPS_TOML, FakeClock, RunningBot, running_bot
from tests.seed import Seeded, seed
from tests.slash import nps_command
from tests.teams_harness import LEADS, TEAMS_TOML, teams_user

LABELLED = [
    json.loads(line)
    for line in (Path(__file__).parents[1] / "data" / "comments.jsonl")
    .read_text(encoding="utf-8")
    .splitlines()
]


def _english(theme: str) -> list[str]:
    return [r["text"] for r in LABELLED if r["theme"] == theme and r["lang"] == "en"]


# Waiting comments that count the days: this tests the plumbing (counts, growth, quotes,
# withholding); how well themes match their labels is measured by tests/unit and bench/themes.py.
WAITING = [c for c in _english("waiting") if "days" in c][:14]
FAST = _english("great_fast")[:13]
# 27 comments in all: under 30, so the two themes are all k-means may find (one per 10).
BEFORE = [(10, c) for c in FAST[:5]] + [(3, c) for c in WAITING[:2]]
NOW = [(3, c) for c in WAITING[2:]] + [(10, c) for c in FAST[5:]]  # 20 comments
GROWTH = "12 comments (+10 on the 12 weeks before) · 100 % from detractors"


async def _seed(store: Any, now: datetime, before: list[Any], current: list[Any]) -> None:
    rows = [
        Seeded("eus", now - timedelta(weeks=13, minutes=i), score=s, comment=c)
        for i, (s, c) in enumerate(before)
    ]
    rows += [
        Seeded("eus", now - timedelta(days=1, minutes=i), score=s, comment=c)
        for i, (s, c) in enumerate(current)
    ]
    await seed(store, *rows)


async def _ask(bot: RunningBot, platform: str, text: str) -> str:
    """The reply, wherever it went: in the ack, or in the DM when it took more than Slack's ack
    allows (the first themes load scikit-learn)."""
    if platform == "teams":
        return await _ask_in_time(bot, platform, text)
    reply = await nps_command(bot, text, "C0RANDOM", "U0MGR")
    if "direct messages" not in reply.get("text", ""):
        return json.dumps(reply["blocks"], ensure_ascii=False)
    (sent,) = await bot.slack.wait_for("chat.postMessage", timeout=60)
    assert sent.params["channel"] == "D0MGR"
    return json.dumps(sent.params["blocks"], ensure_ascii=False)


def _toml(platform: str, extra: str = "") -> str:
    return (NPS_TOML if platform == "slack" else TEAMS_TOML) + extra


@pytest.mark.parametrize("platform", ["slack", "teams"])
async def test_themes_counts_each_theme_its_detractors_and_its_growth_with_quotes(
    db_url: str, tmp_path: Path, platform: str
) -> None:
    async with running_bot(
        db_url, tmp_path, toml=_toml(platform), teams=platform == "teams"
    ) as bot:
        await _seed(bot.store, bot.clock.now(), BEFORE, NOW)
        text = await _ask(bot, platform, "themes eus")
        assert "Comment themes — End User Services" in text
        assert "20 comments in " in text
        assert GROWTH in text
        quoted = [c for c in WAITING[2:] if json.dumps(" ".join(c.split()))[1:-1] in text]
        assert len(quoted) >= 2  # the theme's two examples, never attributed
        assert "From detractors = share of the theme's comments given with a score of 0–6" in text


@pytest.mark.parametrize("platform", ["slack", "teams"])
async def test_themes_below_min_answers_shows_no_theme_and_no_quote(
    db_url: str, tmp_path: Path, platform: str
) -> None:
    toml = _toml(platform).replace(
        'name = "End User Services"', 'name = "End User Services"\nmin_answers = 21'
    )
    async with running_bot(db_url, tmp_path, toml=toml, teams=platform == "teams") as bot:
        await _seed(bot.store, bot.clock.now(), BEFORE, NOW)
        text = await _ask(bot, platform, "themes eus weeks 12")
        assert "Too few answers to show themes (20 of 21)" in text
        assert not any(json.dumps(c)[1:-1] in text for _s, c in NOW)
        assert "comments (" not in text


@pytest.mark.parametrize("platform", ["slack", "teams"])
async def test_themes_with_fewer_than_20_comments_says_not_enough_yet(
    db_url: str, tmp_path: Path, platform: str
) -> None:
    async with running_bot(
        db_url, tmp_path, toml=_toml(platform), teams=platform == "teams"
    ) as bot:
        await _seed(bot.store, bot.clock.now(), BEFORE, NOW[:19])
        text = await _ask(bot, platform, "themes eus")
        assert "Not enough comments yet (19 of 20)" in text
        assert not any(json.dumps(c)[1:-1] in text for _s, c in NOW)


async def test_npsbot_themes_prints_the_themes_as_json_and_csv(db_url: str, tmp_path: Path) -> None:
    await upgrade_to_head_async(db_url)
    store = open_store(db_url)
    try:
        await _seed(store, datetime.now(UTC), BEFORE, NOW)
    finally:
        await store.close()
    (tmp_path / "nps.toml").write_text(NPS_TOML)
    result = _run(
        ["themes", "--team", "EUS", "--weeks", "12", "--format", "json"],
        tmp_path,
        DATABASE_URL=db_url,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert (out["team"], out["weeks"], out["comments"], out["withheld"]) == ("eus", 12, 20, None)
    assert sum(t["count"] for t in out["themes"]) == 20
    (waiting,) = [t for t in out["themes"] if t["detractors"]]
    assert {
        k: waiting[k] for k in ("count", "detractors", "detractor_share", "previous", "change")
    } == {"count": 12, "detractors": 12, "detractor_share": 1.0, "previous": 2, "change": 10}
    assert len(waiting["quotes"]) == 2
    assert set(waiting["quotes"]) <= set(WAITING[2:])
    assert all(isinstance(term, str) and term for term in waiting["terms"])
    csv_out = _run(["themes", "--team", "eus", "--format", "csv"], tmp_path, DATABASE_URL=db_url)
    assert csv_out.returncode == 0, csv_out.stderr
    rows = list(csv.DictReader(io.StringIO(csv_out.stdout)))
    assert list(rows[0]) == [
        "team",
        "weeks",
        "comments",
        "theme",
        "terms",
        "count",
        "detractors",
        "detractor_share",
        "previous",
        "change",
        "quote_1",
        "quote_2",
    ]
    assert [r["theme"] for r in rows] == [str(i) for i in range(1, len(out["themes"]) + 1)]
    assert [int(r["count"]) for r in rows] == [t["count"] for t in out["themes"]]
    (row,) = [r for r in rows if r["detractors"] != "0"]
    assert (row["detractor_share"], row["change"], row["quote_1"]) == (
        "1.0",
        "10",
        waiting["quotes"][0],
    )


@pytest.mark.parametrize("platform", ["slack", "teams"])
@pytest.mark.parametrize("comments", [20, 19])
async def test_weekly_digest_names_the_fastest_growing_theme_once_there_are_enough(
    db_url: str, tmp_path: Path, platform: str, comments: int
) -> None:
    from bot.digests import send_digests
    from bot.server import DEPS

    monday = datetime(2026, 3, 9, 8, 30, tzinfo=UTC)
    toml = _toml(platform).replace('digest = "off"', 'digest = "mon 09:00"')
    async with running_bot(
        db_url, tmp_path, toml=toml, teams=platform == "teams", clock=FakeClock(monday)
    ) as bot:
        if platform == "teams":
            lead = teams_user(bot, "Lead Zero", "lead0@example.com", 100)
            assert (await lead.say_in_channel(LEADS, "nps help"))[0] == 201
        await _seed(bot.store, monday - timedelta(days=2), BEFORE, NOW[:comments])
        bot.clock.advance(hours=1)
        await send_digests(bot.app[DEPS])
        await bot.drain()
        if platform == "slack":
            text = next(f["initial_comment"] for f in bot.slack.files if f["channel"] == "C0LEADS")
        else:
            assert bot.teams is not None
            cards = bot.teams.connector.cards(LEADS)
            text = next(
                json.dumps(c, ensure_ascii=False) for _, c in cards if "Weekly NPS" in str(c)
            )
        assert ("Fastest-growing theme (last 12 weeks): " in text) == (comments == 20)
        assert ("12 comments (+10 on the 12 weeks before)" in text) == (comments == 20)


async def test_a_slack_reply_not_ready_in_time_is_acked_then_sent_to_the_dm(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Slack drops a slash command not acked within 3 s: a slow reply goes to the DM instead."""
    from bot.handlers.slack import replies

    monkeypatch.setattr(replies, "ACK_WITHIN", 0.0)  # every reply is late: the path is the test
    async with running_bot(db_url, tmp_path, toml=NPS_TOML) as bot:
        await _seed(bot.store, bot.clock.now(), BEFORE, NOW)
        reply = await nps_command(bot, "themes eus", "C0RANDOM", "U0MGR")
        assert reply["text"] == replies.LATE_REPLY
        (sent,) = await bot.slack.wait_for("chat.postMessage", timeout=60)
        assert sent.params["channel"] == "D0MGR"
        assert GROWTH in json.dumps(sent.params["blocks"], ensure_ascii=False)


def test_npsbot_shell_answers_nps_themes_in_the_terminal(db_url: str, tmp_path: Path) -> None:
    """`npsbot shell`, the real CLI in a pseudo-terminal, shows the same themes as Slack."""
    import asyncio
    import re

    from tests.e2e.test_shell import PROMPT, TOML, npsbot_shell, said

    async def seeded() -> None:
        await upgrade_to_head_async(db_url)
        store = open_store(db_url)
        try:
            await _seed(store, datetime.now(UTC), BEFORE, NOW)
        finally:
            await store.close()

    asyncio.run(seeded())
    (tmp_path / "nps.toml").write_text(TOML.replace("min_answers = 1", "min_answers = 5"))
    with npsbot_shell(tmp_path, db_url) as child:
        child.expect(PROMPT)
        out = said(child, "/nps themes eus", "Comment themes — End User Services", GROWTH)
    assert re.search(r"20 comments in \d+ themes, last 12 weeks", out), out
    assert any("> " + " ".join(c.split()) in out for c in WAITING[2:]), out
