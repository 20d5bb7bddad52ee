"""The surveys a report counts as undeliverable: failed ones created in the period (its start
included, its end not), of the teams asked or of everyone, on SQLite and PostgreSQL."""

from __future__ import annotations

import random

from bot.scoring import boundaries
from store import Store
from store import reports as rows
from tests.store.test_rollups import SPAN, START, history, write


async def test_undeliverable_counts_the_failed_surveys_created_in_the_period(store: Store) -> None:
    rng = random.Random(8)
    periods = [boundaries(START + SPAN * rng.random(), "Europe/Paris", 2)[::2] for _ in range(8)]
    made = history(rng, 400)
    for n, (survey, _) in enumerate(made):
        if n % 8 == 0:  # on a bound exactly: where < and <= differ
            survey["created_at"] = rng.choice(rng.choice(periods))
    await write(store, made, None)
    failed = [s for s, _ in made if s["status"] == "failed"]
    async with store.read() as conn:
        for since, until in periods:
            for teams in (["par"], ["par", "nyc"], None):
                expected = sum(
                    1
                    for s in failed
                    if since <= s["created_at"] < until
                    and (teams is None or s["team_key"] in teams)
                )
                assert await rows.undeliverable(conn, since, until, teams) == expected
    assert sum(since <= s["created_at"] < until for s in failed for since, until in periods) > 5
