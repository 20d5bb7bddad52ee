"""`/nps themes`: what the period's comments are about, theme by theme, and what is growing.

The themes are bot.scoring.themes'; this picks the period and the one before it, applies the
anonymity rule (nothing below the team's min_answers: theme words and quotes would point at
the few who answered) and counts each theme's comments, detractors and change. The comments
of both periods are grouped together, so a theme means the same thing in each.
"""

from __future__ import annotations

import asyncio
import csv
import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any, TextIO

from bot.deps import Deps
from bot.model import Team
from bot.report_messages import ThemeLine, ThemeReport
from bot.report_text import digest_theme, not_enough_comments, themes_withheld
from bot.scoring import boundaries, local_midnight_utc
from bot.scoring.themes import EXAMPLES, MIN_THEME_COMMENTS, find_themes
from store import Store
from store import reports as tallies
from store import themes as rows

Comments = Sequence[tuple[int, str, datetime]]
DIGEST_WEEKS = 12  # as `/nps themes` by default, so the digest's line is what the lead finds


async def theme_report(deps: Deps, team: Team, weeks: int) -> ThemeReport:
    return await team_themes(deps.store, team, weeks, deps.clock.now())


async def team_themes(store: Store, team: Team, weeks: int, now: datetime) -> ThemeReport:
    """The last `weeks` weeks, the current one included, against the `weeks` before them."""
    bounds = boundaries(now, team.timezone, 2 * weeks)
    return await themes_between(store, team, weeks, (bounds[0], bounds[weeks], bounds[-1]))


async def themes_between(
    store: Store, team: Team, weeks: int, span: tuple[datetime, datetime, datetime]
) -> ThemeReport:
    start, middle, end = span
    async with store.read() as conn:
        before, period = await tallies.weekly_tallies(conn, [start, middle, end], [team.key])
        found = await rows.theme_comments(conn, start, end, team.key)
    needed = team.min_answers
    if before.answers < needed:  # its counts are withheld: its words must not shape the themes
        found = [c for c in found if c[2] >= middle]
    counts = (before.answers >= needed, period.answers)
    # Clustering 10,000 comments takes seconds: off the event loop, as charts are drawn.
    return await asyncio.to_thread(analyse, found, middle, counts, team, weeks)


def analyse(
    comments: Comments, middle: datetime, counts: tuple[bool, int], team: Team, weeks: int
) -> ThemeReport:
    """`counts`: whether the previous period may be shown, and the period's answers."""
    previous_shown, answers = counts
    current = [i for i, c in enumerate(comments) if c[2] >= middle]
    withheld = None
    if answers < team.min_answers:
        withheld = themes_withheld(answers, team.min_answers)
    elif len(current) < MIN_THEME_COMMENTS:
        withheld = not_enough_comments(len(current))
    if withheld is not None:
        return ThemeReport(team.key, team.name, weeks, len(current), (), withheld)
    lines = _lines(comments, middle, previous_shown)
    return ThemeReport(team.key, team.name, weeks, len(current), lines)


def _lines(comments: Comments, middle: datetime, previous_shown: bool) -> tuple[ThemeLine, ...]:
    """The themes present in the period, largest first (ties keep the themes' own order)."""
    found = find_themes([text for _score, text, _at in comments])
    lines = []
    for terms, members in zip(found.terms, found.nearest, strict=True):
        now = [i for i in members if comments[i][2] >= middle]
        if now:
            lines.append(
                ThemeLine(
                    terms,
                    len(now),
                    sum(1 for i in now if comments[i][0] <= 6),
                    len(members) - len(now) if previous_shown else None,
                    _distinct(comments[i][1] for i in now),
                )
            )
    return tuple(sorted(lines, key=lambda line: -line.comments))


def _distinct(texts: Iterable[str]) -> tuple[str, ...]:
    """The first `EXAMPLES` different texts: a comment given twice is quoted once."""
    quoted: dict[str, str] = {}
    for text in texts:
        quoted.setdefault(" ".join(text.split()).casefold(), text)
        if len(quoted) == EXAMPLES:
            break
    return tuple(quoted.values())


async def digest_line(store: Store, team: Team, posted_week: date) -> str | None:
    """The digest's fastest-growing theme: the 12 weeks before the digest's week, against the
    12 before them."""
    days = [posted_week - timedelta(weeks=w) for w in (2 * DIGEST_WEEKS, DIGEST_WEEKS, 0)]
    start, middle, end = (local_midnight_utc(d, team.timezone) for d in days)
    return digest_theme(await themes_between(store, team, DIGEST_WEEKS, (start, middle, end)))


FORMATS = ("json", "csv")
CSV_COLUMNS = (
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
)


def as_json(report: ThemeReport) -> dict[str, Any]:
    """`npsbot themes --format json`: detractor_share a fraction 0–1 with all its digits."""
    themes = [
        {
            "terms": list(t.terms),
            "count": t.comments,
            "detractors": t.detractors,
            "detractor_share": t.detractors / t.comments,
            "previous": t.previous,
            "change": None if t.previous is None else t.comments - t.previous,
            "quotes": list(t.quotes),
        }
        for t in report.themes
    ]
    return {
        "team": report.team_key,
        "weeks": report.weeks,
        "comments": report.comments,
        "withheld": report.withheld,
        "themes": themes,
    }


def write(report: ThemeReport, fmt: str, out: TextIO) -> None:
    data = as_json(report)
    if fmt == "json":
        out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180, as `npsbot export`
    writer.writerow(CSV_COLUMNS)
    head = [data["team"], data["weeks"], data["comments"]]
    for rank, t in enumerate(data["themes"], start=1):
        quotes = [*t["quotes"], "", ""][:2]
        cells = [
            t["count"],
            t["detractors"],
            repr(t["detractor_share"]),
            t["previous"],
            t["change"],
            *quotes,
        ]
        writer.writerow(
            [*head, rank, " ".join(t["terms"]), *("" if v is None else v for v in cells)]
        )
