"""`npsbot import` as an admin runs it: good and bad rows, twice, and an export imported as is."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from store import open_store

NPSBOT = [sys.executable, "-m", "bot"]
NPS_TOML = '[[team]]\nkey = "eus"\nname = "End User Services"\naliases = ["EUS"]\n'

ANSWERS = (
    "ticket_id,team,score,answered_at,comment,drivers,legacy_column,source\r\n"
    "OLD-1,eus,9,2025-03-01T10:00:00Z,Great,communication;timeliness,x,\r\n"
    'OLD-2,End User Services,2,2025-03-02T10:00:00+01:00,"Slow,\nvery slow",,y,oldtool\r\n'
    "OLD-3,eus,11,2025-03-03T10:00:00Z,,,,\r\n"
    "OLD-4,eus,7,2025-03-04 10:00,,,,\r\n"
    ",eus,7,2025-03-05T10:00:00Z,,,,\r\n"
    "OLD-6,Network Ops,10,2025-03-06T10:00:00Z,,,,\r\n"
    "OLD-7,eus,5,2025-03-07T10:00:00Z,,magic,,\r\n"
)


def _run(args: list[str], cwd: Path, db_url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": db_url, "NPS_CONFIG": str(cwd / "nps.toml")}
    return subprocess.run(  # noqa: S603 - our own CLI with fixed arguments
        NPSBOT + args, cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False
    )


async def _query(db_url: str, sql: str) -> list[tuple[object, ...]]:
    store = open_store(db_url)
    try:
        async with store.read() as conn:
            return [tuple(r) for r in await conn.execute(text(sql))]
    finally:
        await store.close()


def _setup(tmp_path: Path) -> Path:
    (tmp_path / "nps.toml").write_text(NPS_TOML)
    path = tmp_path / "answers.csv"
    path.write_bytes(ANSWERS.encode())
    return path


async def test_import_takes_the_good_rows_lists_the_bad_ones_and_is_idempotent(
    db_url: str, tmp_path: Path
) -> None:
    path = _setup(tmp_path)
    for attempt in range(2):  # physical lines: OLD-2's quoted comment spans lines 3 and 4
        rejects = tmp_path / f"rejects{attempt}.csv"
        args = ["import", str(path), "--rejects", str(rejects)]
        result = await asyncio.to_thread(_run, args, tmp_path, db_url)
        assert result.returncode == 1, result.stderr
        assert "line 5: score must be a whole number from 0 to 10" in result.stderr
        assert "line 6: answered_at must include a time zone" in result.stderr
        assert "line 7: ticket_id is required" in result.stderr
        assert "line 9: unknown driver 'magic'" in result.stderr
        imported = 3 if attempt == 0 else 0
        assert f"imported {imported}, already present {3 - imported}, rejected 4" in result.stderr
        lines = rejects.read_text().splitlines()
        assert lines[0].startswith("line,reason,ticket_id,team,score")
        assert [line.split(",")[0] for line in lines[1:]] == ["5", "6", "7", "9"]
    rows = await _query(
        db_url,
        "SELECT s.source, s.ticket_id, s.team_key, a.score, a.comment "
        "FROM survey s JOIN answer a ON a.survey_id = s.id ORDER BY s.ticket_id",
    )
    assert rows == [
        ("import", "OLD-1", "eus", 9, "Great"),
        ("oldtool", "OLD-2", "eus", 2, "Slow,\nvery slow"),
        ("import", "OLD-6", None, 10, None),
    ]
    # Imported answers never alert, praise or DM: no callback and no job exists.
    assert await _query(db_url, "SELECT count(*) FROM callback") == [(0,)]
    assert await _query(db_url, "SELECT count(*) FROM outbox") == [(0,)]


async def test_dry_run_writes_nothing(db_url: str, tmp_path: Path) -> None:
    path = _setup(tmp_path)
    result = await asyncio.to_thread(_run, ["import", str(path), "--dry-run"], tmp_path, db_url)
    assert result.returncode == 1
    assert "would import 3, already present 0, rejected 4" in result.stderr
    assert await _query(db_url, "SELECT count(*) FROM survey") == [(0,)]


async def test_a_file_written_by_export_imports_as_is(
    db_url: str, tmp_path: Path, sqlite_template: object
) -> None:
    path = _setup(tmp_path)
    await asyncio.to_thread(_run, ["import", str(path)], tmp_path, db_url)
    exported = tmp_path / "export.csv"
    args = ["export", "--since", "2025-01-01", "--format", "csv", "-o", str(exported)]
    assert (await asyncio.to_thread(_run, args, tmp_path, db_url)).returncode == 0
    other = tmp_path / "other"
    other.mkdir()
    (other / "nps.toml").write_text(NPS_TOML)
    fresh = sqlite_template.fresh(other)  # type: ignore[attr-defined]
    result = await asyncio.to_thread(_run, ["import", str(exported)], other, fresh)
    assert result.returncode == 0, result.stderr
    assert "imported 3, already present 0, rejected 0" in result.stderr
    before = "SELECT s.source, s.ticket_id, s.team_key, a.score, a.comment, a.drivers "
    query = before + "FROM survey s JOIN answer a ON a.survey_id = s.id ORDER BY s.ticket_id"
    assert await _query(fresh, query) == await _query(db_url, query)
