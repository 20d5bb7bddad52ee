"""Modules stay at 300 lines or fewer (house style: "Modules ≤ 300 lines … One concept per
module"): a longer one is split by concept, never trimmed by squeezing lines together."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).parents[2]
PACKAGES = ("bot", "store")
MAX_LINES = 300


def modules() -> Iterator[Path]:
    """Every module of bot/ and store/ but Alembic's revisions, which are written once and kept."""
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations/versions" not in path.relative_to(ROOT).as_posix():
                yield path


def test_no_module_passes_300_lines() -> None:
    found = sorted(
        f"{path.relative_to(ROOT).as_posix()}: {lines} lines"
        for path in modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    )
    assert not found, "split these by concept:\n" + "\n".join(found)
