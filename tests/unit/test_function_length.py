"""Function bodies stay at 25 lines or fewer (issue 10, item 8): a longer one is split, or says
why it is not in a `# long: <reason>` line directly above its `def` or first decorator."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).parents[2]
PACKAGES = ("bot", "store")
MAX_BODY = 25
REASON = "# long:"


Function = ast.FunctionDef | ast.AsyncFunctionDef


def modules() -> Iterator[Path]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations/versions" not in path.relative_to(ROOT).as_posix():
                yield path


def functions(node: ast.AST, prefix: str = "") -> Iterator[tuple[str, Function]]:
    """Every function with its dotted name (`Metrics.__init__`, `RunningJobs.tracked.run`)."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, Function | ast.ClassDef):
            if isinstance(child, Function):
                yield f"{prefix}{child.name}", child
            yield from functions(child, f"{prefix}{child.name}.")
        else:
            yield from functions(child, prefix)


def body_lines(function: Function) -> int:
    """Lines from the first statement after the docstring to the end, nested functions included."""
    body = function.body
    first = body[0]
    if (
        len(body) > 1
        and isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        first = body[1]
    assert function.end_lineno is not None
    return function.end_lineno - first.lineno + 1


def has_reason(function: Function, lines: list[str]) -> bool:
    start = min([function.lineno, *(decorator.lineno for decorator in function.decorator_list)])
    return start >= 2 and lines[start - 2].strip().startswith(REASON)


def too_long() -> dict[tuple[str, str], int]:
    found = {}
    for path in modules():
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for name, function in functions(ast.parse(source, filename=str(path))):
            length = body_lines(function)
            if length > MAX_BODY and not has_reason(function, lines):
                found[(path.relative_to(ROOT).as_posix(), name)] = length
    return found


def test_no_function_body_passes_25_lines_without_a_reason() -> None:
    """Split the function, or put `# long: <why splitting would not read better>` above it."""
    found = too_long()
    unexplained = sorted(f"{path} {name}: {length} lines" for (path, name), length in found.items())
    assert not unexplained, "\n".join(unexplained)
