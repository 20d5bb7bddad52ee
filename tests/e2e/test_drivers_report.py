"""`/nps drivers` (Slack) and `nps drivers` (Teams), and `npsbot drivers`, on seeded answers
whose figures are worked out by hand below."""

from __future__ import annotations

import base64
import csv
import io
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from store import open_store
from store.migrate import upgrade_to_head_async
from tests.e2e.test_cli import _run
from tests.harness import NPS_TOML, RunningBot, running_bot
from tests.seed import Seeded, seed
from tests.slash import nps_command
from tests.teams_harness import LEADS, TEAMS_TOML, teams_user

# 30 answers naming a driver: communication +1 at 10 (×10), −1 at 2 (×12); timeliness −1 at 8
# (×8). With centred sums S: S(x1,y) = 1328/15, S(x1,x1) = 328/15, S(y,y) = 5728/15,
# S(x2,y) = −208/15, S(x2,x2) = 88/15, so r1² = 6889/7339 and r2² = 169/1969. The fit is exact
# (y = 6 + 4·x1 − 2·x2), R² = 1, and with two drivers LMG gives communication
# (r1² + 1 − r2²)/2 = 149579/161458 = 0.92643 of R², timeliness the rest.
COMMUNICATION = 149579 / 161458
DRIVERS = [(10, ("communication",))] * 10 + [(2, ("communication",))] * 12
DRIVERS += [(8, ("timeliness",))] * 8


async def _seed(store: Any, now: Any, answers: list[tuple[int, tuple[str, ...]]]) -> None:
    await seed(
        store,
        *(
            Seeded("eus", now - timedelta(days=1, minutes=i), score=s, drivers=d)
            for i, (s, d) in enumerate(answers)
        ),
    )


async def _ask(bot: RunningBot, platform: str, text: str) -> str:
    if platform == "slack":
        reply = await nps_command(bot, text, "C0RANDOM", "U0MGR")
        return json.dumps(reply["blocks"], ensure_ascii=False)
    lead = teams_user(bot, "Lead Zero", "lead0@example.com", 100)
    await lead.install()
    status, _ = await lead.say_in_channel(LEADS, "nps " + text)
    assert status == 201
    assert bot.teams is not None
    (_, card) = bot.teams.connector.cards(LEADS)[-1]
    return json.dumps(card, ensure_ascii=False)


@pytest.mark.parametrize("platform", ["slack", "teams"])
async def test_drivers_names_the_one_that_moves_the_score_with_a_bar_chart(
    db_url: str, tmp_path: Path, platform: str
) -> None:
    toml = NPS_TOML if platform == "slack" else TEAMS_TOML
    async with running_bot(db_url, tmp_path, toml=toml, teams=platform == "teams") as bot:
        await _seed(bot.store, bot.clock.now(), DRIVERS)
        text = await _ask(bot, platform, "drivers eus")
        assert (
            "Communication explains 93 % of what moves your score; it is named as what went "
            "wrong in 100 % of detractors"
        ) in text
        assert "93 % · named as good 10 (NPS +100) · as bad 12 (NPS −100)" in text
        assert "7 % · named as good 0 (NPS –) · as bad 8 (NPS 0)" in text
        assert "R² 1.00 · 30 answers naming a driver, last 12 weeks" in text
        png = await _chart(bot, platform, text)
        assert Image.open(io.BytesIO(png)).format == "PNG"


@pytest.mark.parametrize("platform", ["slack", "teams"])
async def test_drivers_with_fewer_than_30_answers_gives_counts_and_no_importance(
    db_url: str, tmp_path: Path, platform: str
) -> None:
    toml = NPS_TOML if platform == "slack" else TEAMS_TOML
    async with running_bot(db_url, tmp_path, toml=toml, teams=platform == "teams") as bot:
        await _seed(bot.store, bot.clock.now(), DRIVERS[:12])
        text = await _ask(bot, platform, "drivers eus weeks 4")
        assert "Not enough answers yet (12 of 30)" in text
        assert "named as good 10 (NPS +100) · as bad 2 (NPS −100)" in text
        assert " % ·" not in text


async def _chart(bot: RunningBot, platform: str, text: str) -> bytes:
    if platform == "slack":
        await bot.slack.wait_for("files.completeUploadExternal")
        (found,) = [f for f in bot.slack.files if f["channel"] == "D0MGR"]
        return bot.slack.uploads[found["id"]]
    prefix = "data:image/png;base64,"
    start = text.index(prefix) + len(prefix)
    return base64.b64decode(text[start : text.index('"', start)])


async def test_npsbot_drivers_prints_the_figures_as_json_and_csv(
    db_url: str, tmp_path: Path
) -> None:
    await upgrade_to_head_async(db_url)
    store = open_store(db_url)
    try:
        from datetime import UTC, datetime

        await _seed(store, datetime.now(UTC), DRIVERS)
    finally:
        await store.close()
    (tmp_path / "nps.toml").write_text(NPS_TOML)
    result = _run(
        ["drivers", "--team", "EUS", "--weeks", "12", "--format", "json"],
        tmp_path,
        DATABASE_URL=db_url,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert (out["team"], out["weeks"], out["n"]) == ("eus", 12, 30)
    assert out["r2"] == pytest.approx(1.0, abs=1e-12)
    first, second, third, *_ = out["drivers"]
    assert first == {
        "name": "communication",
        "named_good": 10,
        "named_bad": 12,
        "nps_good": 100,
        "nps_bad": -100,
        "importance": pytest.approx(COMMUNICATION, abs=1e-12),
    }
    assert second["importance"] == pytest.approx(1 - COMMUNICATION, abs=1e-12)
    assert third == {
        "name": "knowledge",
        "named_good": 0,
        "named_bad": 0,
        "nps_good": None,
        "nps_bad": None,
        "importance": None,
    }
    csv_out = _run(["drivers", "--team", "eus", "--format", "csv"], tmp_path, DATABASE_URL=db_url)
    assert csv_out.returncode == 0, csv_out.stderr
    rows = list(csv.DictReader(io.StringIO(csv_out.stdout)))
    assert list(rows[0]) == [
        "team",
        "weeks",
        "n",
        "r2",
        "name",
        "named_good",
        "named_bad",
        "nps_good",
        "nps_bad",
        "importance",
    ]
    assert [(r["team"], r["n"], r["name"], r["named_bad"]) for r in rows] == [
        ("eus", "30", "communication", "12"),
        ("eus", "30", "timeliness", "8"),
        ("eus", "30", "knowledge", "0"),
        ("eus", "30", "courtesy", "0"),
        ("eus", "30", "resolution_quality", "0"),
    ]
    assert rows[0]["importance"] == repr(first["importance"])  # all digits, as in JSON
    assert float(rows[0]["importance"]) == pytest.approx(COMMUNICATION, abs=1e-12)
    assert rows[2]["importance"] == ""


@pytest.mark.parametrize("platform", ["slack", "teams"])
@pytest.mark.parametrize("answers", [30, 29])
async def test_weekly_digest_names_the_driver_that_moves_the_score_once_there_are_30(
    db_url: str, tmp_path: Path, platform: str, answers: int
) -> None:
    from datetime import UTC, datetime

    from bot.digests import send_digests
    from bot.server import DEPS
    from tests.harness import FakeClock

    monday = datetime(2026, 3, 9, 8, 30, tzinfo=UTC)
    base = NPS_TOML if platform == "slack" else TEAMS_TOML
    toml = base.replace('digest = "off"', 'digest = "mon 09:00"')
    async with running_bot(
        db_url, tmp_path, toml=toml, teams=platform == "teams", clock=FakeClock(monday)
    ) as bot:
        if platform == "teams":
            lead = teams_user(bot, "Lead Zero", "lead0@example.com", 100)
            assert (await lead.say_in_channel(LEADS, "nps help"))[0] == 201
        await _seed(bot.store, monday - timedelta(days=3), DRIVERS[-answers:])
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
        line = "What moves the score most (last 12 weeks): Communication, 93 % of it"
        assert (line in text) == (answers == 30)
