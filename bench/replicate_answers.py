"""`python -m bench.replicate_answers ADMIN_URL SOURCE TARGET --copies K`.

TARGET becomes a copy of the generated database SOURCE (bench.gen_answers) holding its surveys
and answers K times: each extra copy shifted a few minutes earlier (same teams, scores, delays
and business hours; new ids and ticket ids), so the same two years hold K times the answers.
INSERT … SELECT in the database: minutes where generating 10 million rows in Python takes hours
on a busy machine. The report roll-ups are emptied, for bench.reports to build from the rows.
PostgreSQL: ADMIN_URL is the server, SOURCE and TARGET database names. SQLite: ADMIN_URL is
`sqlite:`, SOURCE and TARGET file paths.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import time

from bench.gen_answers import ANSWER_COLUMNS, SURVEY_COLUMNS, _connect, _delete_sqlite

SHIFTED = {
    "closed_at",
    "created_at",
    "delivered_at",
    "expires_at",
    "reminded_at",
    "answered_at",
    "commented_at",
    "praised_at",
}


def _select(
    columns: tuple[str, ...],
    renamed: dict[str, str],
    shift: str = "{c} - $1::int * interval '7 minutes'",
) -> str:
    return ", ".join(renamed.get(c, shift.format(c=c) if c in SHIFTED else c) for c in columns)


# SQLite keeps UTC as 'YYYY-MM-DD HH:MM:SS.ffffff' text: the minutes move, the fraction stays.
SQLITE_SHIFT = (
    "strftime('%Y-%m-%d %H:%M:%S', {c}, '-' || (:k * 7) || ' minutes') || substr({c}, 20)"
)
# Random hex ids: their first 30 digits stay unique, and "x" is never a hex digit.
SQLITE_ID = "substr({c}, 1, 30) || printf('x%d', :k)"


def replicate_sqlite(source: str, target: str, copies: int) -> float:
    began = time.perf_counter()
    _delete_sqlite(target)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    conn = sqlite3.connect(target, isolation_level=None)
    try:
        conn.execute("PRAGMA cache_size=-1000000")
        surveys = SURVEYS.format(
            cols=", ".join(SURVEY_COLUMNS),
            values=_select(
                SURVEY_COLUMNS,
                {"id": SQLITE_ID.format(c="id"), "ticket_id": "ticket_id || '#' || :k"},
                SQLITE_SHIFT,
            ),
        )
        answers = ANSWERS.format(
            cols=", ".join(ANSWER_COLUMNS),
            values=_select(
                ANSWER_COLUMNS,
                {
                    "survey_id": SQLITE_ID.format(c="answer.survey_id"),
                    "team_key": "answer.team_key",
                },
                SQLITE_SHIFT.replace("{c}", "answer.{c}"),
            ),
        )
        for k in range(1, copies):
            conn.execute("BEGIN")
            conn.execute(surveys, {"k": k})
            conn.execute(answers, {"k": k})
            conn.execute("COMMIT")
            print(f"copy {k + 1} of {copies} in {time.perf_counter() - began:.0f} s", flush=True)
        for table in ("tally_slot", "tally_org_day", "tally_day", "tally_week", "tally_zone"):
            conn.execute(f"DELETE FROM {table}")  # noqa: S608 - our table names
    finally:
        conn.close()
    return time.perf_counter() - began


SURVEYS = "INSERT INTO survey ({cols}) SELECT {values} FROM survey WHERE ticket_id NOT LIKE '%#%'"
# The source's own answers: their surveys' ticket ids carry no copy number.
ANSWERS = (
    "INSERT INTO answer ({cols}) SELECT {values} FROM answer JOIN survey ON survey.id = "
    "answer.survey_id WHERE survey.ticket_id NOT LIKE '%#%'"
)


async def replicate(admin_url: str, source: str, target: str, copies: int) -> float:
    began = time.perf_counter()
    admin = await _connect(admin_url, "postgres")
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
    finally:
        await admin.close()
    conn = await _connect(admin_url, target)
    try:
        surveys = SURVEYS.format(
            cols=", ".join(SURVEY_COLUMNS),
            values=_select(
                SURVEY_COLUMNS,
                {
                    "id": "md5(id || '#' || $1::int::text)",
                    "ticket_id": "ticket_id || '#' || $1::int::text",
                },
            ),
        )
        answers = ANSWERS.format(
            cols=", ".join(ANSWER_COLUMNS),
            values=_select(
                ANSWER_COLUMNS,
                {
                    "survey_id": "md5(answer.survey_id || '#' || $1::int::text)",
                    "team_key": "answer.team_key",
                },
            ),
        )
        for k in range(1, copies):
            async with conn.transaction():
                await conn.execute(surveys, k, timeout=None)
                await conn.execute(answers, k, timeout=None)
            print(f"copy {k + 1} of {copies} in {time.perf_counter() - began:.0f} s", flush=True)
        await conn.execute("TRUNCATE tally_slot, tally_org_day, tally_day, tally_week, tally_zone")
        await conn.execute("VACUUM ANALYZE survey, answer", timeout=None)
    finally:
        await conn.close()
    return time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.replicate_answers", description=__doc__)
    parser.add_argument("admin_url")
    parser.add_argument("source")
    parser.add_argument("target")
    parser.add_argument("--copies", type=int, default=10)
    args = parser.parse_args()
    if args.admin_url.startswith("sqlite"):
        seconds = replicate_sqlite(args.source, args.target, args.copies)
    else:
        seconds = asyncio.run(replicate(args.admin_url, args.source, args.target, args.copies))
    print(f"{args.target}: {args.copies} copies of {args.source} in {seconds:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
