"""`python -m bench.gen_answers`: a fresh, migrated database of surveys and answers for reports.

Deterministic for a given --seed and --end. Teams differ in size, score mix and response rate;
tickets close on working days in each team's business hours, a little more each month; about 3 %
of surveys could not be delivered (status 'failed'); 60 % of delivered surveys are answered, after
a delay of minutes to days; detractors comment most. SQLite is loaded through the store's engine
(SQLAlchemy Core executemany, so timestamps go through UTCDateTime); PostgreSQL with asyncpg COPY
of aware UTC datetimes, which is what UTCDateTime binds there, then VACUUM ANALYZE as autovacuum
would. SQLite gets no ANALYZE: the bot never runs one, so its planner has no statistics either.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy.engine import make_url

from bot.directory import TeamDirectory
from bot.model import Driver, Team
from bot.report_messages import Benchmark
from store import open_store
from store.migrate import upgrade_to_head
from store.tables import AnswerRow, SurveyRow
from store.types import UTCDateTime

S = SurveyRow.__table__  # type: ignore[attr-defined]
A = AnswerRow.__table__  # type: ignore[attr-defined]


def pg_database() -> str:
    """Another name (BENCH_PG_DATABASE) keeps several generated sizes side by side."""
    return os.environ.get("BENCH_PG_DATABASE", "bench_reports")


AREAS = (
    "Service Desk",
    "End User Services",
    "Network",
    "Identity",
    "Messaging",
    "Workplace Apps",
    "Data Platform",
    "Field Support",
    "Security Ops",
    "Cloud",
)
SITES = (
    ("Paris", "Europe/Paris"),
    ("New York", "America/New_York"),
    ("Bangalore", "Asia/Kolkata"),
    ("London", "Europe/London"),
    ("Remote", "UTC"),
)
ANSWER_RATE, FAILED_SHARE = 0.60, 0.03
WEEKDAY_WEIGHT = (1.0, 1.0, 0.95, 0.95, 0.85, 0.2, 0.1)  # Monday first
GROWTH = 0.5  # this month's tickets are 1.5× those of the first month
COMMENT_ODDS = {"promoter": 0.15, "passive": 0.25, "detractor": 0.5}
COMMENTS = {
    "promoter": (
        "Fast and friendly, thanks!",
        "Fixed before I finished my coffee.",
        "Great explanation of what went wrong.",
        "Very patient with me, thank you.",
    ),
    "passive": (
        "Fine, but it took a few days.",
        "OK in the end.",
        "Had to explain twice.",
        "Solved, though nobody told me it was.",
    ),
    "detractor": (
        "Closed without fixing anything.",
        "Waited a week for a password reset.",
        "Nobody called me back.",
        "Still broken, ticket closed anyway.",
        "Bounced between three teams.",
    ),
}
TITLES = (
    "VPN drops every hour",
    "Password reset",
    "New laptop",
    "Printer offline",
    "Access to shared drive",
    "Outlook keeps crashing",
    "Teams audio broken",
    "Software install request",
    "MFA device lost",
    "Wi-Fi slow on floor 3",
)
BATCH = 10_000


def directory(count: int = 50) -> TeamDirectory:
    """The bench's nps.toml: teams t00…t49 at five sites (Paris, New York, Bangalore, London and
    remote, in UTC), so reports cross time zones and DST changes on both sides of the Atlantic."""
    teams = tuple(
        Team(
            key=f"t{i:02d}",
            name=f"{AREAS[i % 10]} {SITES[i // 10][0]}",
            aliases=(f"T{i:02d}",),
            timezone=SITES[i // 10][1],
        )
        for i in range(count)
    )
    return TeamDirectory(
        teams=teams, default_timezone="Europe/Paris", benchmark=Benchmark("IT support", 30)
    )


@dataclass(frozen=True, slots=True)
class Profile:
    team: Team
    weight: float  # share of tickets
    promoters: float
    detractors: float
    responds: float  # relative willingness to answer
    utc_offset: float  # hours, standard time: business hours are placed with it


def profiles(rng: random.Random, teams: tuple[Team, ...]) -> list[Profile]:
    """Zipf-like sizes (largest ≈ 23× smallest); score mixes around 45 % / 30 % / 25 %."""
    sizes = [1 / (rank + 1) ** 0.8 for rank in range(len(teams))]
    rng.shuffle(sizes)
    total = sum(sizes)
    bias = [max(-1.0, min(1.0, rng.gauss(0, 0.5))) for _ in teams]
    mean = sum(b * s for b, s in zip(bias, sizes, strict=True)) / total
    january = datetime(2025, 1, 15, tzinfo=UTC)
    return [
        Profile(
            team,
            s / total,
            0.45 + 0.12 * (b - mean),
            0.25 - 0.10 * (b - mean),
            rng.uniform(0.7, 1.3),
            _offset(january, team.timezone),
        )
        for team, s, b in zip(teams, sizes, bias, strict=True)
    ]


def _offset(moment: datetime, tz: str) -> float:
    delta = moment.astimezone(ZoneInfo(tz)).utcoffset() or timedelta()
    return delta.total_seconds() / 3600


@dataclass(slots=True)
class Plan:
    """One survey per index, oldest first: when, which team, and what became of it."""

    created: list[float]  # epoch seconds
    team: list[int]
    failed: bytearray
    answered: bytearray
    delay: list[float]  # seconds from delivery to answer


def plan(rng: random.Random, teams: list[Profile], answers: int, end: float, days: int) -> Plan:
    delivered = math.ceil(answers / ANSWER_RATE)
    count = math.ceil(delivered / (1 - FAILED_SHARE))
    team = rng.choices(range(len(teams)), weights=[p.weight for p in teams], k=count)
    created = sorted((_when(rng, end, days, teams[t].utc_offset), t) for t in team)
    times, team = [c for c, _ in created], [t for _, t in created]
    failed = bytearray(rng.random() < FAILED_SHARE for _ in times)
    delay = [min(rng.lognormvariate(math.log(5400), 1.6), 6.5 * 86400) for _ in times]
    eligible = [i for i, t in enumerate(times) if not failed[i] and t + 60 + delay[i] < end]
    # Weighted sampling of exactly `answers` surveys (Efraimidis-Spirakis keys).
    keys = [rng.random() ** (1 / teams[team[i]].responds) for i in eligible]
    ranked = sorted(range(len(eligible)), key=keys.__getitem__, reverse=True)
    chosen = [eligible[k] for k in ranked[:answers]]
    if len(chosen) < answers:
        raise SystemExit(f"only {len(chosen):,} surveys could be answered; need {answers:,}")
    answered = bytearray(len(times))
    for i in chosen:
        answered[i] = 1
    return Plan(times, team, failed, answered, delay)


def _when(rng: random.Random, end: float, days: int, utc_offset: float) -> float:
    """A business-hours instant in the last `days` days: more lately, few at weekends."""
    while True:
        age = rng.random() * days
        if rng.random() * (1 + GROWTH) > 1 + GROWTH * (1 - age / days):
            continue
        day = (end - age * 86400) // 86400 * 86400
        if rng.random() > WEEKDAY_WEIGHT[int(day // 86400 + 3) % 7]:  # 1 Jan 1970: a Thursday
            continue
        moment = day + (rng.triangular(7.5, 18.5, 10) - utc_offset) * 3600
        if end - days * 86400 <= moment < end - 120:
            return moment


SURVEY_COLUMNS = (
    "id",
    "source",
    "ticket_id",
    "title",
    "url",
    "requester_email",
    "agent_email",
    "agent_name",
    "team_key",
    "team_name",
    "platform",
    "status",
    "closed_at",
    "created_at",
    "delivered_at",
    "expires_at",
    "failure_reason",
    "recipient_id",
    "message_channel",
    "message_ts",
    "reminded_at",
    "close_seq",
    "sla_met",
    "resolution_minutes",
)
ANSWER_COLUMNS = (
    "survey_id",
    "score",
    "answered_at",
    "responder_id",
    "comment",
    "drivers",
    "commented_at",
    "share_ok",
    "praised_at",
    "team_key",
    "lost_time",
)
COLUMNS = (SURVEY_COLUMNS, ANSWER_COLUMNS)
Row = tuple[Any, ...]


def rows(
    rng: random.Random, p: Plan, teams: list[Profile], end: float
) -> Iterator[tuple[list[Row], list[Row]]]:
    """(surveys, their answers) in batches, oldest first, as the bot would have written them."""
    agents = [max(2, round(t.weight * 600)) for t in teams]
    requesters = max(1000, len(p.created) // 40)
    for start in range(0, len(p.created), BATCH):
        surveys, answers = [], []
        for i in range(start, min(start + BATCH, len(p.created))):
            t = p.team[i]
            survey = _survey(
                rng, i, p, teams[t].team, rng.randrange(agents[t]), rng.randrange(requesters), end
            )
            surveys.append(survey)
            if p.answered[i]:
                answers.append(_answer(rng, survey, teams[t], p.delay[i], end))
        yield surveys, answers


def _at(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def _survey(
    rng: random.Random, i: int, p: Plan, team: Team, agent: int, person: int, end: float
) -> Row:
    created, ticket = p.created[i], f"INC{i + 1:08d}"
    common = (
        f"{rng.getrandbits(128):032x}",
        "itsm",
        ticket,
        rng.choice(TITLES),
        f"https://itsm.example.com/ticket/{ticket}",
        f"user{person:06d}@example.com",
        f"agent{agent:02d}.{team.key}@example.com",
        f"Agent {agent} ({team.key})",
        team.key,
        team.name,
        "slack",
    )
    closed = _at(created - rng.uniform(1, 20))
    if p.failed[i]:
        reason = rng.choice(("users_not_found", "user_not_found_in_directory"))
        return (
            *common,
            "failed",
            closed,
            _at(created),
            None,
            None,
            reason,
            None,
            None,
            None,
            None,
            0,
            None,
            None,
        )
    delivered = created + rng.uniform(1, 30)
    late = not p.answered[i] or p.delay[i] > 86400
    reminded = _at(delivered + 86400) if late and delivered + 86400 < end else None
    return (
        *common,
        "sent",
        closed,
        _at(created),
        _at(delivered),
        _at(delivered + 7 * 86400),
        None,
        f"U{person:08X}",
        f"D{person:08X}",
        f"{delivered:.6f}",
        reminded,
        0,
        None,
        None,
    )


def _answer(rng: random.Random, survey: Row, team: Profile, delay: float, end: float) -> Row:
    answered = survey[14].timestamp() + delay
    draw = rng.random()
    if draw < team.promoters:
        kind, score = "promoter", 10 if rng.random() < 0.55 else 9
    elif draw < 1 - team.detractors:
        kind, score = "passive", 8 if rng.random() < 0.55 else 7
    else:
        kind, score = "detractor", rng.choices(range(7), weights=(4, 2, 3, 4, 6, 9, 12))[0]
    comment = drivers = commented = None
    if rng.random() < COMMENT_ODDS[kind]:
        comment = rng.choice(COMMENTS[kind])
        drivers = json.dumps(rng.sample([d.value for d in Driver], rng.randrange(3)))
        commented = _at(min(answered + rng.uniform(15, 300), end - 1))
    share = comment is not None and rng.random() < 0.5
    return (
        survey[0],
        score,
        _at(answered),
        survey[17],
        comment,
        drivers,
        commented,
        share,
        None,
        survey[8],
        None,
    )


async def load_sqlite(url: str, batches: Iterator[tuple[list[Row], list[Row]]]) -> None:
    """Through the store's engine, in one transaction (a commit per batch rewrote every index
    page it touched: 55 s of 150). Timestamps are bound by UTCDateTime's own processor; the rest
    of SQLAlchemy's per-row work would double the time. The next batch is made in a thread
    meanwhile, since SQLite releases the GIL while it writes."""
    store = open_store(url)
    try:
        async with store.write() as conn:
            await conn.exec_driver_sql("PRAGMA cache_size=-1000000")  # 1 GB for the indexes
            upcoming = asyncio.create_task(asyncio.to_thread(next, batches, None))
            while (batch := await upcoming) is not None:
                upcoming = asyncio.create_task(asyncio.to_thread(next, batches, None))
                for table, columns, found in zip(("survey", "answer"), COLUMNS, batch, strict=True):
                    await conn.exec_driver_sql(_insert_sql(table, columns), _bound(conn, found))
    finally:
        await store.close()


def _bound(conn: Any, batch: list[Row]) -> list[Row]:
    stamp = UTCDateTime().dialect_impl(conn.dialect).bind_processor(conn.dialect)
    assert stamp is not None  # UTCDateTime always converts
    return [tuple(stamp(v) if isinstance(v, datetime) else v for v in r) for r in batch]


def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    marks = ", ".join("?" for _ in columns)
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608 - our names


async def load_postgresql(url: str, batches: Iterator[tuple[list[Row], list[Row]]]) -> None:
    """COPY in one transaction, then VACUUM ANALYZE, as autovacuum would do soon after."""
    conn = await _connect(url)
    try:
        async with conn.transaction():
            for surveys, answers in batches:
                await conn.copy_records_to_table("survey", records=surveys, columns=SURVEY_COLUMNS)
                await conn.copy_records_to_table("answer", records=answers, columns=ANSWER_COLUMNS)
        await conn.execute("VACUUM ANALYZE survey, answer")
    finally:
        await conn.close()


async def _connect(url: str, database: str | None = None) -> Any:
    u = make_url(url)
    return await asyncpg.connect(
        host=u.host,
        port=u.port,
        user=u.username,
        password=u.password,
        database=database or u.database,
    )


async def fresh_database(url: str) -> str:
    """Deletes and recreates the target: the SQLite file, or PostgreSQL database bench_reports
    on the server of `url` (whatever database `url` names is left alone)."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        _delete_sqlite(str(u.database))
        target = url
    else:
        admin = await _connect(url, "postgres")
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{pg_database()}" WITH (FORCE)')
            await admin.execute(f'CREATE DATABASE "{pg_database()}"')
        finally:
            await admin.close()
        target = u.set(database=pg_database()).render_as_string(hide_password=False)
    await asyncio.to_thread(upgrade_to_head, target)
    return target


def _delete_sqlite(path: str) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


async def drop_database(url: str) -> None:
    """Drops bench_reports from the PostgreSQL server of `url`."""
    admin = await _connect(url, "postgres")
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{pg_database()}" WITH (FORCE)')
    finally:
        await admin.close()


async def generate(
    url: str,
    answers: int,
    teams: int = 50,
    years: float = 2,
    seed: int = 1,
    end: datetime | None = None,
) -> dict[str, Any]:
    """Makes the database; returns its URL, the row counts and the seconds it took."""
    if set(SURVEY_COLUMNS) != set(S.c.keys()) or set(ANSWER_COLUMNS) != set(A.c.keys()):
        raise SystemExit("store/tables.py changed: update SURVEY_COLUMNS and ANSWER_COLUMNS")
    began, stop = time.perf_counter(), (end or _this_hour()).timestamp()
    target = await fresh_database(url)
    rng = random.Random(seed)
    profile = profiles(rng, directory(teams).teams)
    p = plan(rng, profile, answers, stop, round(365.25 * years))
    planned = time.perf_counter() - began
    load = load_postgresql if target.startswith("postgres") else load_sqlite
    await load(target, rows(rng, p, profile, stop))
    return {
        "url": target,
        "surveys": len(p.created),
        "answers": answers,
        "failed": sum(p.failed),
        "end": _at(stop),
        "plan_s": planned,
        "seconds": time.perf_counter() - began,
    }


def _this_hour() -> datetime:
    return datetime.now(UTC).replace(minute=0, second=0, microsecond=0)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.gen_answers", description=__doc__)
    parser.add_argument("--url", required=True, help="sqlite:///FILE, or a postgresql:// server")
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--teams", type=int, default=50, choices=range(1, 51), metavar="1…50")
    parser.add_argument("--years", type=float, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--end", type=datetime.fromisoformat, help="UTC; default: this hour")
    args = parser.parse_args()
    end = args.end.replace(tzinfo=args.end.tzinfo or UTC) if args.end else None
    done = asyncio.run(generate(args.url, args.answers, args.teams, args.years, args.seed, end))
    shown = make_url(done["url"]).render_as_string(hide_password=True)
    print(
        f"{shown}: {done['surveys']:,} surveys ({done['failed']:,} failed), "
        f"{done['answers']:,} answers up to {done['end']:%Y-%m-%d %H:%M} UTC, "
        f"in {done['seconds']:.0f} s ({done['plan_s']:.0f} s planning)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
