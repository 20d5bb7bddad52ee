"""`npsbot shell` in a pseudo-terminal, as a person types it: ticket → survey → detractor alert →
claim → done → weekly score, on the real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import re
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pexpect
import pytest
from sqlalchemy import text

from bot.deps import Deps
from bot.directory import load_directory
from bot.model import Ticket
from bot.ports import SystemClock
from bot.settings import load_settings
from bot.surveys import accept_ticket
from store import open_store
from tests.e2e.test_cli import _run
from tests.perception_seed import seed_guesses, set_sla
from tests.seed import Seeded, seed

TOML = """\
[[team]]
key = "eus"
name = "End User Services"
min_answers = 1
"""
PROMPT = re.escape("lead@example.com in #eus-leads> ")
CLOSE = 'close INC1 "Printer jammed" --team eus --requester ana@example.com --agent bob@example.com'


def _as_from_a_terminal() -> None:
    """Ctrl-C as a terminal delivers it: a suite started in the background of a shell without
    job control (`cmd &`, nohup) ignores SIGINT and SIGQUIT, the shell inherited that, and the
    Ctrl-C test waited for ever (py-spy: the shell in readline's select; SigIgn had SIGINT)."""
    for sig in (signal.SIGINT, signal.SIGQUIT):
        signal.signal(sig, signal.SIG_DFL)


@contextmanager
def npsbot_shell(tmp_path: Path, db_url: str) -> Iterator[pexpect.spawn]:
    """The real `npsbot shell` in a pseudo-terminal; what it printed is kept in shell.log."""
    env = {**os.environ, "DATABASE_URL": db_url, "HOME": str(tmp_path), "TERM": "xterm"}
    with open(tmp_path / "shell.log", "a", encoding="utf-8") as log:
        child = pexpect.spawn(
            sys.executable,
            ["-m", "bot", "shell"],
            cwd=str(tmp_path),
            env=env,
            encoding="utf-8",
            timeout=60,
            dimensions=(50, 300),
            preexec_fn=_as_from_a_terminal,
        )
        child.logfile_read = log
        try:
            yield child
        finally:
            child.close(force=True)


@pytest.fixture
def shell(tmp_path: Path, db_url: str) -> Iterator[pexpect.spawn]:
    (tmp_path / "nps.toml").write_text(TOML)
    with npsbot_shell(tmp_path, db_url) as child:
        yield child


def said(child: pexpect.spawn, line: str, *expected: str) -> str:
    """Types a line, waits for each expected text in order and the next prompt; the output."""
    child.sendline(line)
    out = ""
    for wanted in expected:
        child.expect(re.escape(wanted))
        out += str(child.before) + str(child.after)
    child.expect(PROMPT)
    return out + str(child.before)


def test_ticket_to_survey_to_alert_to_claim_to_done_to_weekly_score(
    shell: pexpect.spawn, tmp_path: Path
) -> None:
    shell.expect(re.escape("Teams (from nps.toml): eus (End User Services)"))
    shell.expect(PROMPT)
    said(
        shell,
        CLOSE,
        "[DM ana@example.com] Your ticket INC1 Printer jammed was closed",
        "[DM ana@example.com] How likely are you to recommend End User Services to a colleague?",
        "0 = not at all likely · 10 = extremely likely",
    )
    said(
        shell,
        "score 3",
        "[DM ana@example.com] (edited) Thank you! You gave 3 for INC1",
        "What went wrong?",
        "[#eus-leads] 🚨 Detractor: 3/10 for INC1 Printer jammed",
        "→ claim INC1",
    )
    said(
        shell,
        'comment "Took three days" --drivers timeliness',
        "[DM ana@example.com] (edited) > Took three days",
        "What mattered: Timeliness",
        "[#eus-leads] (edited) 🚨 Detractor: 3/10",
        "> Took three days",
    )
    said(
        shell,
        "claim",
        "You're calling back ana@example.com",
        "[#eus-leads] (edited) lead@example.com is calling back",
    )
    said(
        shell,
        "done resolved called her back",
        "[#eus-leads] (edited) Closed by lead@example.com: Resolved the issue",
    )
    report = said(
        shell,
        "/nps team eus",
        "NPS — End User Services",
        "−100 (±100) over the last 8 weeks · 1 answer",
        "chart saved: ",
    )
    assert "> Took three days" in report  # what people said, unattributed
    chart = re.search(r"chart saved: (\S+\.png)", report)
    assert chart is not None, report
    assert Path(chart.group(1)).read_bytes().startswith(b"\x89PNG")
    said(
        shell,
        "/nps callbacks",
        "Open callbacks for End User Services",
        "None: every detractor has been called back.",
    )
    shell.sendline("quit")
    shell.expect(pexpect.EOF)
    shell.wait()
    assert shell.exitstatus == 0
    history = (tmp_path / ".npsbot_shell_history").read_text()  # readline kept the lines
    assert "score 3" in history


def test_only_the_owner_closes_a_callback_ctrl_c_drops_a_line_ctrl_d_leaves(
    shell: pexpect.spawn,
) -> None:
    shell.expect(PROMPT)
    said(shell, CLOSE, "How likely are you to recommend")
    said(shell, "answer INC1 0", "[#eus-leads] 🚨 Detractor: 0/10 for INC1")
    said(shell, "claim INC1", "lead@example.com is calling back")
    shell.sendline("as carol@example.com")
    shell.expect(re.escape("carol@example.com in #eus-leads> "))
    shell.sendline("done INC1")
    shell.expect(re.escape("Only lead@example.com (or an admin) can do that"))
    shell.sendline("claim INC1")
    shell.expect(re.escape("lead@example.com is already calling back about this one."))
    shell.sendline("as lead@example.com")
    said(shell, "release INC1", "[#eus-leads] (edited)", "→ claim INC1 (Call back)")
    shell.send("half a line")
    # A person sees what they typed before pressing Ctrl-C. Sent at once, a Ctrl-C can land
    # while readline is still inserting the pasted keys: the terminal flushes the keys readline
    # was about to read, and readline waits for them for ever (readline 8's typeahead insert).
    shell.expect(re.escape("half a line"))
    shell.sendintr()  # Ctrl-C drops the line, as in a shell, and the shell stays
    shell.expect(PROMPT)
    said(shell, "score 9", "Your answer was already recorded (you gave 0). Thank you!")
    said(shell, "whoami", "You are lead@example.com, typing in #eus-leads.")
    shell.sendeof()
    shell.expect(pexpect.EOF)
    shell.wait()
    assert shell.exitstatus == 0


def test_bad_input_gets_one_line_and_changes_nothing(shell: pexpect.spawn) -> None:
    shell.expect(PROMPT)
    out = said(
        shell,
        'close INC2 "Lost mouse" --team eus --requester not-an-email',
        "The ticket was refused, as the webhook would refuse it",
    )
    assert "How likely" not in out
    said(shell, "score 11", "a score is a whole number from 0 to 10")
    said(shell, "claim", "No detractor alert yet in this session")
    said(shell, "/nps team nowhere", "I don't know a team called “nowhere”")
    said(shell, CLOSE, "How likely")
    said(shell, CLOSE, "INC1 was already received: it gets no second survey.")
    said(shell, "comment", "Score it first")
    said(shell, "score 8", "Thank you! You gave 8", "What would have made it a 10?")
    said(shell, "comment --drivers vibes", "Not offered: vibes; nothing was saved.")


def test_nps_me_without_answers_saves_no_chart(shell: pexpect.spawn) -> None:
    shell.expect(PROMPT)
    assert "chart saved" not in said(shell, "/nps me", "Your NPS")
    assert "chart saved" in said(shell, "/nps team eus", "NPS — End User Services")


def readme_session() -> list[str]:
    """The shell lines README.md shows, without their comments."""
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    block = readme.split("`.venv/bin/npsbot shell`", 1)[1].split("```\n", 2)[1]
    return [line.split("  #", 1)[0].strip() for line in block.splitlines() if line.strip()]


def test_the_readme_session_after_npsbot_demo_without_nps_toml(db_url: str, tmp_path: Path) -> None:
    """No nps.toml: the demo fills its sample teams and the shell reports on the same ones; the
    README's lines, typed as written, go from a ticket to a closed callback and a weekly score."""
    demo = _run(["demo", "--teams", "1", "--weeks", "8"], tmp_path, DATABASE_URL=db_url)
    assert demo.returncode == 0, demo.stderr
    lines = readme_session()
    assert lines[0].startswith("close INC1"), lines
    assert lines[-1] == "/nps team eus", lines
    with npsbot_shell(tmp_path, db_url) as child:
        child.expect(re.escape("Teams (no nps.toml: the sample teams of `npsbot demo`): eus"))
        child.expect(PROMPT)
        out = "".join(said(child, line) for line in lines)
    assert "(type `help` for the commands)" not in out, out
    assert "[#eus-leads] 🚨 Detractor: 3/10 for INC1" in out
    assert "Closed by lead@example.com: Resolved the issue" in out
    assert re.search(r"[+−]?\d+ \(±\d+\) over the last 8 weeks · \d+ answers", out), out


def test_an_unanswered_survey_is_reminded_in_the_terminal(db_url: str, tmp_path: Path) -> None:
    """The scheduler's work (here, the survey reminder) reaches the shell as it reaches Slack."""
    (tmp_path / "nps.toml").write_text(TOML + "reminder_after_hours = 0.0003\n")  # about 1 s
    with npsbot_shell(tmp_path, db_url) as child:
        child.expect(PROMPT)
        said(child, CLOSE, "How likely are you to recommend")
        reminded = False
        for _ in range(120):  # polls: each line typed lets the shell run what has come due
            child.sendline("whoami")
            found = child.expect([re.escape("[DM ana@example.com] A quick reminder: "), PROMPT])
            if found == 0:
                reminded = True
                break
        assert reminded
        child.expect(re.escape("Your ticket INC1 Printer jammed was closed"))
        child.expect(PROMPT)
        said(child, "score 7", "Thank you! You gave 7 for INC1", "What would have made it a 10?")


async def test_a_slack_survey_in_the_same_database_is_left_for_serve(
    db_url: str, tmp_path: Path
) -> None:
    """The shell's surveys are platform 'shell': it neither sends nor claims Slack's work, and a
    running `npsbot serve` never claims the shell's."""
    (tmp_path / "nps.toml").write_text(TOML)
    settings = load_settings({"DATABASE_URL": db_url}, env_file=tmp_path / "none")
    directory = load_directory(tmp_path / "nps.toml", required=True)
    deps = Deps(open_store(db_url), directory, SystemClock(), settings)
    try:
        slack_ticket = Ticket(
            "generic", "INC9", "VPN", "bo@example.com", None, None, "eus", datetime.now(UTC), None
        )
        await accept_ticket(deps, slack_ticket, "slack-delivery", "0" * 64)
        with npsbot_shell(tmp_path, db_url) as child:
            child.expect(PROMPT)
            said(child, CLOSE, "How likely")
            said(child, "score 2", "[#eus-leads] 🚨 Detractor: 2/10 for INC1")
            assert "INC9" not in str(child.before)
        async with deps.store.read() as conn:
            jobs = (await conn.execute(text("SELECT platform, status, attempts FROM outbox"))).all()
            surveys = dict(
                (await conn.execute(text("SELECT ticket_id, platform FROM survey"))).all()
            )
    finally:
        await deps.store.close()
    assert surveys == {"INC9": "slack", "INC1": "shell"}
    assert [tuple(j) for j in jobs if j[0] == "slack"] == [("slack", "todo", 0)]
    assert {tuple(j) for j in jobs if j[0] != "slack"} == {("shell", "done", 1)}


async def test_nps_gap_and_the_issue_15_lines_show_in_the_shell(
    db_url: str, tmp_path: Path
) -> None:
    """Issue 15 item 6 in the third adapter: `/nps gap` week by week, and `/nps team`'s
    perception gap and watermelon lines and `/nps teams`' 🍉 column, as Slack and Teams show
    them."""
    (tmp_path / "nps.toml").write_text(TOML)
    store = open_store(db_url)
    at = datetime.now(UTC) - timedelta(hours=1)
    try:
        ids = await seed(store, *[Seeded("eus", at, score=s) for s in (10, 10, 10, 0, 0)])
        await seed_guesses(store, ids, [10] * 5, at)
        await set_sla(store, ids, [True] * 5)
    finally:
        await store.close()
    gap = "IT's view +100 · customers +20 · gap 80 points"
    with npsbot_shell(tmp_path, db_url) as child:
        child.expect(PROMPT)
        out = said(child, "/nps gap eus", "IT's view and customers' — End User Services", gap)
        assert "5 tickets with both; a guess was 4 points off on average" in out
        out = said(child, "/nps team eus", gap, "🍉 40 % of those")
        assert "Rank" not in out  # one team: nothing to rank it among
        assert "SLA met on 100 % of answered tickets" in out
        said(child, "/nps teams", "🍉 40 %")
