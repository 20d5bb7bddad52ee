"""`npsbot import`: streams an answers CSV into the database, in batches, idempotently.

Rows go straight to the store: no use case runs for them, so an imported answer never sends
an alert, praise or DM.
"""

from __future__ import annotations

import asyncio
import csv
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from bot import tallies
from bot.directory import TeamDirectory
from bot.import_rows import REQUIRED, ImportedAnswer, RowRejected, parse_row
from bot.settings import Settings
from store import Store, open_store
from store import imports as rows

BATCH = 1000
PLAIN_EVERY = 100_000  # rows between progress lines when the output is not a terminal


class ImportFileError(ValueError):
    """The file cannot be imported at all (no header, a required column missing)."""


@dataclass
class Progress:
    out: TextIO
    total_bytes: int
    tty: bool
    read_bytes: int = 0
    rows: int = 0
    started: float = field(default_factory=time.monotonic)
    _shown: float = 0.0

    def tick(self, final: bool = False) -> None:
        now = time.monotonic()
        rate = self.rows / max(now - self.started, 1e-6)
        if self.tty and (final or now - self._shown >= 0.2):
            share = self.read_bytes / self.total_bytes if self.total_bytes else 1.0
            bar = "#" * int(share * 30)
            self.out.write(f"\r[{bar:<30}] {share:4.0%} {self.rows:,} rows {rate:,.0f} rows/s")
            self.out.write("\n" if final else "")
            self._shown = now
        elif not self.tty and (final or self.rows % PLAIN_EVERY == 0):
            self.out.write(f"import: {self.rows} rows read, {rate:.0f} rows/s\n")
        self.out.flush()


@dataclass
class Outcome:
    imported: int = 0
    present: int = 0
    rejected: int = 0


def _lines(raw: BinaryIO, progress: Progress) -> Iterator[str]:
    for n, line in enumerate(raw):
        progress.read_bytes += len(line)
        text = line.decode("utf-8", errors="replace")
        yield text.removeprefix("\ufeff") if n == 0 else text


def _header(reader: Iterator[list[str]]) -> list[str]:
    header = next(reader, None)
    if not header:
        raise ImportFileError("the file is empty: the first row must name the columns")
    names = [h.strip() for h in header]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise ImportFileError(f"missing column(s): {', '.join(missing)}")
    return names


@dataclass
class Rejects:
    """Rejected rows: to the terminal, and to --rejects as CSV that can be fixed and re-imported."""

    out: TextIO
    file: TextIO | None
    header: list[str]
    _writer: Any = None

    def add(self, line: int, reason: str, values: list[str]) -> None:
        self.out.write(f"line {line}: {reason}\n")
        if self.file is None:
            return
        if self._writer is None:
            self._writer = csv.writer(self.file, lineterminator="\r\n")
            self._writer.writerow(["line", "reason", *self.header])
        self._writer.writerow([line, reason, *values])


Record = tuple[int, list[str] | None, str | None]  # first line, values or None, csv error


def _records(reader: Any) -> Iterator[Record]:
    """Each record with the line it starts on; a malformed one is reported, not fatal."""
    last = reader.line_num
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield last + 1, None, f"not valid CSV: {exc}"
            values = None
        else:
            if any(v.strip() for v in values):  # blank lines are skipped, as RFC 4180 allows
                yield last + 1, values, None
        last = reader.line_num


async def import_answers(
    store: Store,
    directory: TeamDirectory,
    raw: BinaryIO,
    *,
    progress: Progress,
    dry_run: bool,
    rejects_file: TextIO | None,
) -> Outcome:
    reader = csv.reader(_lines(raw, progress))
    header = _header(reader)
    rejects = Rejects(progress.out, rejects_file, header)
    outcome, batch = Outcome(), list[ImportedAnswer]()
    for line, values, error in _records(reader):
        progress.rows += 1
        try:
            if values is None:
                raise RowRejected(error or "not valid CSV")
            batch.append(parse_row(dict(zip(header, values, strict=False)), directory))
        except RowRejected as exc:
            outcome.rejected += 1
            rejects.add(line, str(exc), values or [])
        if len(batch) >= BATCH:
            await _flush(store, directory, batch, dry_run, outcome)
            batch = []
        progress.tick()
    await _flush(store, directory, batch, dry_run, outcome)
    progress.tick(final=True)
    return outcome


async def _flush(
    store: Store,
    directory: TeamDirectory,
    batch: list[ImportedAnswer],
    dry_run: bool,
    outcome: Outcome,
) -> None:
    if dry_run:
        async with store.read() as conn:
            present = await rows.count_present(conn, batch)
        outcome.imported += len(batch) - present
        outcome.present += present
        return
    async with store.write() as conn:
        created = await rows.insert_imported(conn, batch, tallies.zones(directory))
    outcome.imported += created
    outcome.present += len(batch) - created


def run_import(
    settings: Settings, directory: TeamDirectory, path: Path, dry_run: bool, rejects: str | None
) -> Outcome:
    """The CLI's entry: opens the files and the store, and runs the import on its own loop."""
    progress = Progress(sys.stderr, path.stat().st_size, sys.stderr.isatty())

    async def run(raw: BinaryIO, rejects_file: TextIO | None) -> Outcome:
        store = open_store(settings.database_url)
        try:
            return await import_answers(
                store, directory, raw, progress=progress, dry_run=dry_run, rejects_file=rejects_file
            )
        finally:
            await store.close()

    with path.open("rb") as raw, ExitStack() as stack:
        out = (
            stack.enter_context(open(rejects, "w", encoding="utf-8", newline=""))
            if rejects
            else None
        )
        return asyncio.run(run(raw, out))
