"""A text whose words follow a number: "1 answer", "2 answers"."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Plural:
    """English needs two forms; `{count}` is the number that picks one."""

    one: str
    other: str
