"""`/nps drivers`: which driver moves a team's score most, and how often each is named.

The figures are bot.scoring.drivers'; this picks the period and the drivers (the team's current
list, then any driver its answers still name after nps.toml dropped it: history keeps them).
"""

from __future__ import annotations

import csv
import json
from datetime import datetime
from typing import Any, TextIO

from bot.deps import Deps
from bot.model import Team, driver_label
from bot.report_messages import BarChart, DriverLine, DriverReport
from bot.scoring import boundaries
from bot.scoring.drivers import MIN_DRIVER_ANSWERS, Named, key_drivers, named_counts
from bot.texts import say
from store import Store
from store import drivers as rows

Answers = list[tuple[int, tuple[str, ...]]]


async def driver_report(deps: Deps, team: Team, weeks: int) -> DriverReport:
    return await team_drivers(deps.store, team, weeks, deps.clock.now())


async def team_drivers(store: Store, team: Team, weeks: int, now: datetime) -> DriverReport:
    """The last `weeks` weeks, the current one included, as `/nps team` counts them."""
    bounds = boundaries(now, team.timezone, weeks)
    async with store.read() as conn:
        answers = await rows.driver_answers(conn, bounds[0], bounds[-1], team.key)
    return analyse(answers, names_for(team.drivers, answers), team.key, team.name, weeks)


def names_for(offered: tuple[str, ...], answers: Answers) -> tuple[str, ...]:
    """The team's drivers in nps.toml order, then any others its answers name, by name."""
    extra = sorted({d for _score, named in answers for d in named} - set(offered))
    return (*offered, *extra)


def analyse(
    answers: Answers, names: tuple[str, ...], key: str, label: str, weeks: int
) -> DriverReport:
    lines, detractors = named_counts(answers, names)
    n = sum(1 for _score, named in answers if set(named) & set(names))
    enough = n >= MIN_DRIVER_ANSWERS
    fit = key_drivers(answers, names) if enough else None
    shares = dict(zip(fit.names, fit.importance, strict=True)) if fit else {}
    drivers = tuple(_line(line, shares.get(line.name) if fit else None) for line in lines)
    ranked = sorted(drivers, key=lambda d: -(d.importance or 0))
    bars = tuple((d.label, d.importance) for d in ranked if d.importance is not None)
    return DriverReport(
        team_key=key,
        team_label=label,
        weeks=weeks,
        n=n,
        detractors=detractors,
        r2=fit.r2 if fit else None,
        drivers=tuple(ranked) if fit else drivers,
        chart=BarChart(say("drivers.chart", team=label, weeks=weeks), bars) if bars else None,
    )


def _line(named: Named, importance: float | None) -> DriverLine:
    return DriverLine(
        named.name,
        driver_label(named.name),
        named.good.answers,
        named.bad.answers,
        named.good.nps,
        named.bad.nps,
        importance,
        named.bad.detractors,
    )


FORMATS = ("json", "csv")
CSV_COLUMNS = (
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
)


def as_json(report: DriverReport) -> dict[str, Any]:
    """`npsbot drivers --format json`: importance a fraction 0–1 with all its digits."""
    drivers = [
        {
            "name": d.key,
            "named_good": d.named_good,
            "named_bad": d.named_bad,
            "nps_good": d.nps_good,
            "nps_bad": d.nps_bad,
            "importance": d.importance,
        }
        for d in report.drivers
    ]
    return {
        "team": report.team_key,
        "weeks": report.weeks,
        "n": report.n,
        "r2": report.r2,
        "drivers": drivers,
    }


def write(report: DriverReport, fmt: str, out: TextIO) -> None:
    data = as_json(report)
    if fmt == "json":
        out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180, as `npsbot export`
    writer.writerow(CSV_COLUMNS)
    head = [data["team"], data["weeks"], data["n"], "" if data["r2"] is None else repr(data["r2"])]
    for d in data["drivers"]:
        cells = [d[c] for c in CSV_COLUMNS[4:]]
        writer.writerow(
            head + ["" if v is None else repr(v) if isinstance(v, float) else v for v in cells]
        )
