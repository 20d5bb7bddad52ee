"""The perception gap's counts equal the same answers and guesses counted in Python: each pair in
the week of its answer (a bound starts its week and ends the one before), for a team, several
teams, the organisation and an agent, on SQLite and PostgreSQL."""

from __future__ import annotations

import random
from datetime import datetime

from bot.scoring import Tally, boundaries, category
from bot.scoring.gap import GapTally
from store import Store, perception, rollup_reads, rollup_rebuild
from store.tables import AgentGuessRow
from tests.store.test_rollups import SPAN, START, Row, history, write

G = AgentGuessRow.__table__  # type: ignore[attr-defined]
AGENTS = ("ann@example.com", "bob@example.com")


def expected(
    pairs: list[tuple[Row, Row, int]],
    bounds: list[datetime],
    teams: list[str] | None,
    agent: str | None,
) -> list[GapTally]:
    weeks: list[list[tuple[int, int]]] = [[] for _ in bounds[1:]]
    for survey, answer, guess in pairs:
        at = answer["answered_at"]
        if not bounds[0] <= at < bounds[-1]:
            continue
        if teams is not None and answer["team_key"] not in teams:
            continue
        if agent is not None and survey["agent_email"] != agent:
            continue
        week = max(i for i, b in enumerate(bounds[:-1]) if at >= b)
        weeks[week].append((guess, answer["score"]))
    return [_tally(week) for week in weeks]


def _tally(week: list[tuple[int, int]]) -> GapTally:
    def of(scores: list[int]) -> Tally:
        kinds = [category(s).value for s in scores]
        return Tally(*(kinds.count(k) for k in ("promoter", "passive", "detractor")))

    guesses, scores = [g for g, _ in week], [s for _, s in week]
    off = sum(abs(g - s) for g, s in week)
    return GapTally(of(guesses), of(scores), off, sum(guesses), sum(scores))


def spans(rng: random.Random) -> list[list[datetime]]:
    zones = ("Europe/Paris", "Asia/Kolkata", "America/New_York", "UTC")
    return [boundaries(START + SPAN * rng.random(), rng.choice(zones), 4) for _ in range(10)]


async def test_gap_tallies_count_each_guessed_answer_in_its_answers_week(store: Store) -> None:
    rng = random.Random(21)
    made, checked = history(rng, 400), spans(rng)
    for n, (survey, answer) in enumerate(made):
        survey["agent_email"] = rng.choice(AGENTS)
        if answer is not None and n % 10 == 0:  # on a bound exactly: where < and <= differ
            answer["answered_at"] = rng.choice(rng.choice(checked))
    await write(store, made, None, guessed=False)
    pairs = [(s, a, rng.randrange(11)) for s, a in made if a is not None and rng.random() < 0.7]
    async with store.write() as conn:
        await conn.execute(G.insert(), [guess(s["id"], a["answered_at"], g) for s, a, g in pairs])
        # A guess asked and never given counts nowhere.
        await conn.execute(
            G.insert(),
            [
                guess(s["id"], s["created_at"], None)
                for s, a in made
                if a and not any(p[0] is s for p in pairs)
            ],
        )
    # Their days and weeks counted from the raw rows (the migration's and start-up's way).
    await rollup_rebuild.reconcile(store, {"par": "Europe/Paris", "nyc": "America/New_York"})
    pairs_seen = kept = 0
    async with store.read() as conn:
        for bounds in checked:
            for teams, agent in (
                (["par"], None),
                (["par", "nyc"], None),
                (None, None),
                (None, AGENTS[0]),
            ):
                found = await perception.gap_tallies(conn, bounds, teams, agent=agent)
                assert found == expected(pairs, bounds, teams, agent)
                raw = await perception.raw_gap_tallies(conn, bounds, teams, agent=agent)
                assert raw == found
                pairs_seen += sum(t.pairs for t in found)
                if teams and agent is None:
                    kept += (
                        await rollup_reads.counts(conn, bounds, teams, by_team=False) is not None
                    )
    assert pairs_seen > 200
    assert kept > 0  # some from the roll-ups, the rest from the raw rows


def guess(survey_id: str, at: datetime, score: int | None) -> Row:
    return {
        "survey_id": survey_id,
        "agent_id": "U0AGENT",
        "team_key": None,
        "asked_at": at,
        "score": score,
        "guessed_at": at if score is not None else None,
    }
