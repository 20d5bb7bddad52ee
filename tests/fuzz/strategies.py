"""Hypothesis strategies for hostile request bodies: wrong types, deep nesting, NUL bytes and
lone surrogates, unknown ids and payload kinds, mutations of the real recorded payloads."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

PAYLOADS = Path(__file__).parent.parent / "payloads"
T = TypeVar("T")
Json = Any

ODD_TEXT = ["", "\x00", "a\x00b", "\ud800", "é", "💥", "%00", "\n", " " * 3, "null", "[", "{"]
text = st.text(max_size=24) | st.sampled_from(ODD_TEXT)
scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | text
json_values: st.SearchStrategy[Json] = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
    max_leaves=12,
)


def deep(depth: int) -> str:
    return "[" * depth if depth % 2 else '{"a":' * depth


def dumps(value: Json) -> str:
    # ensure_ascii spells a lone surrogate "\ud800", as a hostile sender would.
    return json.dumps(value, ensure_ascii=True)


garbage_text = st.one_of(
    st.integers(1, 6000).map(deep),
    st.binary(max_size=64).map(lambda b: b.decode("latin-1")),
    json_values.map(dumps),
    text,
)
garbage_bytes = st.one_of(
    garbage_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.binary(max_size=128),
)


def load(name: str) -> dict[str, Any]:
    return dict(json.loads((PAYLOADS / name).read_text()))


def mutate(base: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """The base payload with a few fields (at any depth) replaced by any JSON value."""
    paths = list(_paths(base))

    def apply(changes: list[tuple[int, Json]]) -> dict[str, Any]:
        payload = copy.deepcopy(base)
        for index, value in changes:
            _set(payload, paths[index], value)
        return payload

    change = st.tuples(st.integers(0, len(paths) - 1), json_values)
    return st.lists(change, min_size=1, max_size=3).map(apply)


def _paths(node: Json, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found: list[tuple[Any, ...]] = [prefix] if prefix else []
    items = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else []
    )
    for key, child in items:
        found += _paths(child, (*prefix, key))
    return found


def _set(payload: Json, path: tuple[Any, ...], value: Json) -> None:
    """An earlier change may have replaced a parent: then this change has nowhere to go."""
    node = payload
    try:
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    except (KeyError, IndexError, TypeError):
        return


def form(payload: Json) -> str:
    return urlencode({"payload": dumps(payload)})


def generate(strategy: st.SearchStrategy[T], count: int) -> list[T]:
    """`count` examples drawn by Hypothesis's generator (no shrinking: nothing fails here)."""
    found: list[T] = []
    while len(found) < count:  # Hypothesis skips repeats, so a small space can need a rerun
        found += _draw(strategy, count - len(found))
    return found[:count]


def _draw(strategy: st.SearchStrategy[T], count: int) -> list[T]:
    found: list[T] = []

    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(example: T) -> None:
        found.append(example)

    collect()
    return found
