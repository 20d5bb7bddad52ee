"""`npsbot demo` fills a real database that reports then read; `--reset` removes only its rows."""

from __future__ import annotations

import re
from pathlib import Path

from tests.e2e.test_cli import _run
from tests.e2e.test_reports import TOML, command, shown
from tests.harness import running_bot


async def test_demo_then_reports_show_numbers_and_reset_removes_only_demo_rows(
    db_url: str, tmp_path: Path
) -> None:
    (tmp_path / "nps.toml").write_text(TOML)
    demo = _run(
        ["demo", "--teams", "2", "--weeks", "12", "--seed", "7"], tmp_path, DATABASE_URL=db_url
    )
    assert demo.returncode == 0, demo.stderr
    assert "for teams eus, net" in demo.stdout
    async with running_bot(db_url, tmp_path, toml=TOML) as bot:
        text = shown(await command(bot, "team eus weeks 12"))
        assert "NPS — End User Services" in text
        assert re.search(r"\*[+-−]?\d+\*", text), text  # a score, not "–"
        assert "Network" in shown(await command(bot, "teams"))
        bot.user("ana@example.com", "U0ANA")
        assert (await bot.post_ticket())[0] == 202  # a real ticket, which reset must keep
        demo_rows = await bot.scalar("SELECT count(*) FROM survey WHERE source = 'demo'")
        assert demo_rows > 100
        assert await bot.scalar("SELECT count(DISTINCT status) FROM callback") == 3
    reset = _run(["demo", "--reset"], tmp_path, DATABASE_URL=db_url)
    assert reset.returncode == 0, reset.stderr
    assert f"removed {demo_rows} demo surveys" in reset.stdout
    async with running_bot(db_url, tmp_path, toml=TOML) as bot:
        assert await bot.scalar("SELECT count(*) FROM survey") == 1
        assert await bot.scalar("SELECT source FROM survey") == "generic"
        assert await bot.scalar("SELECT count(*) FROM answer") == 0
        assert await bot.scalar("SELECT count(*) FROM callback") == 0


def test_demo_twice_replaces_rather_than_doubles(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    first = _run(["demo", "--weeks", "4", "--seed", "3"], tmp_path, DATABASE_URL=url)
    again = _run(["demo", "--weeks", "4", "--seed", "3"], tmp_path, DATABASE_URL=url)
    assert first.returncode == again.returncode == 0, first.stderr + again.stderr
    count = first.stdout.split(" surveys", 1)[0].rsplit(" ", 1)[1]
    assert f"demo: {count} surveys" in again.stdout
    reset = _run(["demo", "--reset"], tmp_path, DATABASE_URL=url)
    assert f"removed {count} demo surveys" in reset.stdout


def test_demo_refuses_out_of_range_arguments(tmp_path: Path) -> None:
    bad = _run(["demo", "--teams", "0"], tmp_path)
    assert bad.returncode == 2
    assert bad.stderr.strip() == "npsbot: demo: --teams must be 1 to 6 and --weeks 1 to 260"
