"""Report use cases on real SQLite and PostgreSQL, against figures computed by hand."""

from __future__ import annotations

import tomllib
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import text as sql

from bot.deps import Deps
from bot.digests import send_digests, weekly_digest
from bot.directory import TeamDirectory, parse_directory
from bot.reports import agent_report, team_report, teams_overview
from bot.scoring import Tally
from bot.settings import Settings
from store import Store, open_store
from tests.harness import FakeClock
from tests.seed import Seeded, seed

# min_answers = 1: most tests check the figures themselves on a handful of answers;
# FIVE (the default) is what a real deployment withholds.
TOML = """\
[defaults]
slack_lead_channel = "C0DEFAULT"
timezone = "Europe/Paris"
min_answers = 1

[benchmark]
name = "IT support (industry)"
nps = 38

[[team]]
key = "eus"
name = "End User Services"

[[team]]
key = "net"
name = "Network"
timezone = "America/New_York"

[[team]]
key = "akl"
name = "Auckland Desk"
timezone = "Pacific/Auckland"
"""
FIVE = TOML.replace("min_answers = 1\n", "")
# Wednesday of the week starting Monday 30 March 2026; Paris changed to summer time on the 29th.
NOW = datetime(2026, 4, 1, 12, tzinfo=UTC)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def directory(text: str = TOML) -> TeamDirectory:
    return parse_directory(tomllib.loads(text), text, "nps.toml")


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[Store]:
    opened = open_store(db_url)
    yield opened
    await opened.close()


def deps_for(store: Store, now: datetime = NOW, text: str = TOML) -> Deps:
    return Deps(store, directory(text), FakeClock(now), Settings())


async def test_team_report_weeks_match_hand_computed_figures(store: Store) -> None:
    await seed(
        store,
        Seeded("eus", utc(2026, 3, 5, 10), score=10),  # previous period: one promoter
        # Week of 23 March: 10, 9, 3, and 8 at Sunday 23:30 in Paris (21:30 UTC, summer time).
        Seeded("eus", utc(2026, 3, 24, 9), score=10, comment="Quick and kind"),
        Seeded("eus", utc(2026, 3, 25, 9), score=9),
        Seeded("eus", utc(2026, 3, 26, 9), score=3, comment="Took a week"),
        Seeded("eus", utc(2026, 3, 29, 21, 30), score=8),
        # Week of 30 March: Monday 00:30 in Paris is still Sunday 22:30 UTC.
        Seeded("eus", utc(2026, 3, 29, 22, 30), score=7),
        Seeded("eus", utc(2026, 3, 31, 9), score=8),
        Seeded("eus", utc(2026, 4, 1, 9), score=7),
        Seeded("eus", None, delivered_at=utc(2026, 3, 31, 10)),  # delivered, not answered
        Seeded("eus", None, delivered_at=utc(2026, 3, 31, 11), status="failed"),
        Seeded("net", utc(2026, 3, 31, 9), score=0),
        Seeded("net", utc(2026, 3, 31, 10), score=2),
    )
    report = await team_report(deps_for(store), directory().by_key("eus"), 3)  # type: ignore[arg-type]

    assert [w.start for w in report.weeks] == [
        date(2026, 3, 16),
        date(2026, 3, 23),
        date(2026, 3, 30),
    ]
    empty, busy, passive = (w.tally for w in report.weeks)
    assert empty == Tally()
    assert empty.nps is None
    assert busy == Tally(2, 1, 1, delivered=4, delivered_answered=4)
    assert busy.nps == 25
    assert passive == Tally(0, 3, 0, delivered=4, delivered_answered=3)
    assert (passive.nps, passive.response_rate) == (0, 75)
    assert report.period.nps == 14  # (2 − 1) / 7
    assert report.previous == Tally(1, 0, 0, delivered=1, delivered_answered=1)
    assert report.organisation.nps == -11  # (2 − 3) / 9, every team over the same weeks
    assert report.undeliverable == 1
    assert sorted(report.comments) == ["Quick and kind", "Took a week"]
    assert report.benchmark is not None
    assert report.benchmark.nps == 38
    assert [nps for _day, nps in report.chart.trend][-3:] == [None, 25, 0]
    assert len(report.chart.trend) == 12
    assert report.chart.current == 14


async def test_one_answer_shows_no_score_no_comment_and_no_chart_point(store: Store) -> None:
    await seed(store, Seeded("eus", utc(2026, 3, 31, 9), score=10, comment="Brilliant, thanks Ana"))
    report = await team_report(deps_for(store, text=FIVE), directory(FIVE).by_key("eus"), 8)  # type: ignore[arg-type]
    assert report.withheld == "too few answers to show a score (1 of 5)"
    assert report.period == Tally()
    assert report.comments == ()  # one answer: quoting it would name its author
    assert report.chart.current is None
    assert all(nps is None for _day, nps in report.chart.trend)
    assert report.weeks[-1].withheld == "too few answers to show a score (1 of 5)"


async def test_with_min_answers_one_a_single_answer_is_scored(store: Store) -> None:
    await seed(store, Seeded("eus", utc(2026, 3, 31, 9), score=10, comment="Brilliant, thanks Ana"))
    report = await team_report(deps_for(store), directory().by_key("eus"), 8)  # type: ignore[arg-type]
    assert report.withheld is None
    assert report.period.nps == 100
    assert report.period.too_few
    assert report.period.margin == 100


async def test_teams_overview_best_first_with_standing(store: Store) -> None:
    rows = [Seeded("eus", utc(2026, 3, 20 + i % 10, 9), score=10) for i in range(10)]
    rows += [Seeded("net", utc(2026, 3, 20 + i % 10, 15), score=i % 3) for i in range(12)]
    rows += [Seeded("akl", utc(2026, 3, 25, 1), score=9)]
    await seed(store, *rows)
    overview = await teams_overview(deps_for(store), 4)
    assert [line.team_key for line in overview.lines] == ["eus", "akl", "net"]
    standing = {line.team_key: line.standing for line in overview.lines}
    # akl has one answer: scored, but too few for a verdict.
    assert standing == {"eus": "star", "akl": None, "net": "needs help"}
    assert overview.organisation.answers == 23
    assert overview.organisation.nps == round((11 - 12) / 23 * 100)  # −4


async def test_agent_report_holds_only_their_tickets(store: Store) -> None:
    await seed(
        store,
        Seeded("eus", utc(2026, 3, 30, 9), score=9, comment="Carol fixed it"),
        Seeded(
            "eus",
            utc(2026, 3, 31, 9),
            score=4,
            comment="Dave never called",
            agent_email="dave@example.com",
        ),
    )
    report = await agent_report(deps_for(store), "Carol@Example.com", "you", 12)
    assert report.period == Tally(1, 0, 0, delivered=1, delivered_answered=1)
    assert [c.comment for c in report.comments] == ["Carol fixed it"]
    assert report.chart is not None
    assert report.chart.open_week  # NOW is a Wednesday: its week is still being answered
    nobody = await agent_report(deps_for(store), "erin@example.com", "you", 12)
    assert nobody.chart is None  # nothing to draw, so nothing is sent


async def test_digest_reports_last_week_with_shared_comments_only(store: Store) -> None:
    week = [Seeded("eus", utc(2026, 3, 24, 9 + i), score=s) for i, s in enumerate((10, 9, 8, 7))]
    week += [
        Seeded("eus", utc(2026, 3, 26, 9), score=2, comment="private words"),
        Seeded("eus", utc(2026, 3, 26, 10), score=10, comment="shared words", share_ok=True),
    ]
    await seed(store, *week, Seeded("eus", utc(2026, 3, 17, 9), score=0))
    digest = await weekly_digest(deps_for(store), directory().by_key("eus"), date(2026, 3, 30))  # type: ignore[arg-type]
    assert digest.week.start == date(2026, 3, 23)
    assert digest.week.tally.nps == 33  # (3 − 1) / 6
    assert digest.previous.nps == -100
    assert digest.comments == ("shared words",)
    assert not digest.chart.open_week  # the week it reports has ended


async def test_digest_starts_once_per_team_and_week_in_each_time_zone(store: Store) -> None:
    text = (
        TOML + "\n[defaults]\n"
        if False
        else TOML.replace(
            'timezone = "Europe/Paris"\n', 'timezone = "Europe/Paris"\ndigest = "mon 09:00"\n', 1
        )
    )
    replicas = [deps_for(store, NOW, text) for _ in range(3)]
    # Monday 30 March 2026, every hour of the day (UTC): each team's 09:00 comes once.
    queued = 0
    start = utc(2026, 3, 29, 12)
    for hour in range(0, 48):
        for deps in replicas:
            deps.clock._now = start + timedelta(hours=hour)  # type: ignore[attr-defined]
            queued += await send_digests(deps)
    assert queued == 3
    async with store.read() as conn:
        runs = (await conn.execute(sql("SELECT team_key, week_start FROM digest_run"))).all()
    weeks = {key: str(week) for key, week in runs}
    # Auckland's Monday 09:00 is Sunday 20:00 UTC: the week key is still its local Monday.
    assert weeks == {"eus": "2026-03-30", "net": "2026-03-30", "akl": "2026-03-30"}


async def test_weeks_under_min_answers_are_withheld_but_the_period_is_shown(store: Store) -> None:
    """7 answers in 3 weeks (0, 4, 3): the period is scored, no week is, the period before (1
    answer) gives no comparison."""
    await seed(
        store,
        Seeded("eus", utc(2026, 3, 5, 10), score=10),
        *(
            Seeded(
                "eus", utc(2026, 3, 24 + i, 9), score=s, comment=f"c{i}" if i in (0, 2) else None
            )
            for i, s in enumerate((10, 9, 3, 8))
        ),
        *(Seeded("eus", utc(2026, 3, 31, 9 + i), score=s) for i, s in enumerate((7, 8, 7))),
    )
    report = await team_report(deps_for(store, text=FIVE), directory(FIVE).by_key("eus"), 3)  # type: ignore[arg-type]
    assert report.withheld is None
    assert report.period.nps == 14  # (2 − 1) / 7
    assert [w.withheld for w in report.weeks] == [
        None,
        "too few answers to show a score (4 of 5)",
        "too few answers to show a score (3 of 5)",
    ]
    assert [w.tally for w in report.weeks[1:]] == [Tally(), Tally()]
    assert [nps for _day, nps in report.chart.trend][-3:] == [None, None, None]
    assert report.previous == Tally()  # 1 answer: no "change on the period before"
    assert sorted(report.comments) == ["c0", "c2"]  # 7 answers: quoted


async def test_a_big_week_is_hidden_with_a_small_one_so_the_total_gives_nothing_away(
    store: Store,
) -> None:
    """Weeks of 6 and 2 answers: showing the 6 and the total of 8 would reveal the 2."""
    await seed(
        store,
        *(Seeded("eus", utc(2026, 3, 24, 9 + i), score=10) for i in range(6)),
        Seeded("eus", utc(2026, 3, 31, 9), score=0),
        Seeded("eus", utc(2026, 3, 31, 10), score=0),
    )
    report = await team_report(deps_for(store, text=FIVE), directory(FIVE).by_key("eus"), 2)  # type: ignore[arg-type]
    assert report.period.nps == 50  # (6 − 2) / 8
    assert [w.withheld for w in report.weeks] == [
        "hidden (6 answers) so that the smaller figures can't be worked out",
        "too few answers to show a score (2 of 5)",
    ]


async def test_a_teams_min_answers_wins_over_the_default(store: Store) -> None:
    text = FIVE.replace(
        'name = "End User Services"\n', 'name = "End User Services"\nmin_answers = 2\n'
    )
    await seed(store, *(Seeded("eus", utc(2026, 3, 31, 9 + i), score=10) for i in range(2)))
    report = await team_report(deps_for(store, text=text), directory(text).by_key("eus"), 4)  # type: ignore[arg-type]
    assert report.withheld is None
    assert report.period.nps == 100


async def test_teams_overview_withholds_small_teams_and_one_more_to_stop_subtraction(
    store: Store,
) -> None:
    """eus 10, net 12, akl 1 answer: akl is withheld, and eus (the smallest other) with it, or
    the organisation's 23 minus eus and net would give akl's one answer away."""
    rows = [Seeded("eus", utc(2026, 3, 20 + i % 10, 9), score=10) for i in range(10)]
    rows += [Seeded("net", utc(2026, 3, 20 + i % 10, 15), score=i % 3) for i in range(12)]
    rows += [Seeded("akl", utc(2026, 3, 25, 1), score=9)]
    await seed(store, *rows)
    overview = await teams_overview(deps_for(store, text=FIVE), 4)
    lines = {line.team_key: line for line in overview.lines}
    assert lines["akl"].withheld == "too few answers to show a score (1 of 5)"
    assert lines["eus"].withheld == (
        "hidden (10 answers) so that the smaller figures can't be worked out"
    )
    assert lines["akl"].period == lines["eus"].period == Tally()
    assert lines["net"].withheld is None
    assert lines["net"].period.nps == -100
    assert overview.lines[0].team_key == "net"  # scored teams first
    assert overview.organisation.nps == -4


async def test_agent_and_digest_under_min_answers_show_no_score_and_no_comment(
    store: Store,
) -> None:
    await seed(
        store,
        *(
            Seeded("eus", utc(2026, 3, 24, 9 + i), score=10, comment="shared words", share_ok=True)
            for i in range(4)
        ),
    )
    me = await agent_report(deps_for(store, text=FIVE), "carol@example.com", "you", 12)
    assert me.withheld == "too few answers to show a score (4 of 5)"
    assert me.period == Tally()
    assert me.comments == ()
    assert me.chart is None  # every week withheld: nothing to draw, so no chart
    team = directory(FIVE).by_key("eus")
    digest = await weekly_digest(deps_for(store, text=FIVE), team, date(2026, 3, 30))  # type: ignore[arg-type]
    assert digest.week.withheld == "too few answers to show a score (4 of 5)"
    assert digest.week.tally == Tally()
    assert digest.comments == ()
    assert digest.chart.current is None
