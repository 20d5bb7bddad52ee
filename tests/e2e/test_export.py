"""`npsbot export` as an analyst runs it: a real process, a real database, CSV and JSON out."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from store import open_store
from store.migrate import upgrade_to_head_async
from tests.e2e.test_cli import _run
from tests.harness import NPS_TOML
from tests.seed import Seeded, seed

NASTY = '=HYPERLINK("http://x") <!channel> \'; DROP TABLE answer;--'


async def _seeded(db_url: str) -> None:
    await upgrade_to_head_async(db_url)
    store = open_store(db_url)
    try:
        await seed(
            store,
            Seeded("eus", datetime(2025, 12, 30, 9, tzinfo=UTC), score=3, comment="too old"),
            Seeded(
                "eus",
                datetime(2026, 1, 5, 9, tzinfo=UTC),
                score=2,
                comment=NASTY,
                drivers=("timeliness", "communication"),
            ),
            Seeded("eus", datetime(2026, 1, 6, 9, tzinfo=UTC), score=10, comment="-1 wait, great"),
            Seeded("net", datetime(2026, 1, 7, 9, tzinfo=UTC), score=8),
        )
    finally:
        await store.close()


async def test_csv_export_escapes_formulas_and_keeps_numbers(db_url: str, tmp_path: Path) -> None:
    await _seeded(db_url)
    (tmp_path / "nps.toml").write_text(NPS_TOML)
    result = _run(
        ["export", "--since", "2026-01-01", "--team", "EUS", "--format", "csv"],
        tmp_path,
        DATABASE_URL=db_url,
    )
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["score"] for r in rows] == ["2", "10"]  # since the date, this team, oldest first
    assert rows[0]["comment"] == "'" + NASTY  # a spreadsheet shows it instead of running it
    assert rows[1]["comment"] == "'-1 wait, great"
    assert rows[0]["drivers"] == "timeliness;communication"
    assert rows[0]["category"] == "detractor"
    assert rows[0]["team"] == "eus"
    assert "requester" not in result.stdout.splitlines()[0]  # the export names no requester


async def test_json_export_to_a_file(db_url: str, tmp_path: Path) -> None:
    await _seeded(db_url)
    out = tmp_path / "answers.json"
    result = _run(
        ["export", "--since", "2026-01-01", "--format", "json", "--output", str(out)],
        tmp_path,
        DATABASE_URL=db_url,
    )
    assert result.returncode == 0, result.stderr
    answers = json.loads(out.read_text())
    assert [(a["team"], a["score"]) for a in answers] == [("eus", 2), ("eus", 10), ("net", 8)]
    assert answers[0]["comment"] == NASTY  # JSON needs no escaping: the text is kept whole
    assert answers[0]["drivers"] == ["timeliness", "communication"]


def test_export_refuses_unknown_team_and_bad_date(tmp_path: Path) -> None:
    (tmp_path / "nps.toml").write_text(NPS_TOML)
    url = f"sqlite:///{tmp_path / 'x.db'}"
    unknown = _run(
        ["export", "--since", "2026-01-01", "--team", "payroll", "--format", "csv"],
        tmp_path,
        DATABASE_URL=url,
    )
    assert unknown.returncode == 2
    assert "unknown team 'payroll'; known teams: eus" in unknown.stderr
    bad = _run(["export", "--since", "last week", "--format", "csv"], tmp_path, DATABASE_URL=url)
    assert bad.returncode == 2
    assert "is not a date like 2026-01-31" in bad.stderr


@pytest.mark.parametrize("where", ["missing-folder/answers.csv", "."])
def test_export_to_a_path_it_cannot_write_says_so_in_one_line(tmp_path: Path, where: str) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    target = str(tmp_path / where)
    result = _run(
        ["export", "--since", "2026-01-01", "--format", "csv", "--output", target],
        tmp_path,
        DATABASE_URL=url,
    )
    assert result.returncode == 2
    assert result.stderr.startswith(f"npsbot: --output: cannot write {target}: ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
