"""The lock files are the install: they must agree with pyproject.toml's bounds."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
RUNTIME = [Requirement(r) for r in PROJECT["dependencies"]]
DEV = [Requirement(r) for r in PROJECT["optional-dependencies"]["dev"]]
# Calendar-versioned time-zone data: the newest release is always the right one.
NO_UPPER_BOUND = {"tzdata"}


def pinned(lock: str) -> dict[str, str]:
    text = (ROOT / lock).read_text()
    return {
        canonicalize_name(name): version
        for name, version in re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s\\]+)", text, re.MULTILINE)
    }


@pytest.mark.parametrize(
    ("lock", "requirements"),
    [("requirements.lock", RUNTIME), ("requirements-dev.lock", RUNTIME + DEV)],
)
def test_every_declared_package_is_locked_within_its_bounds(
    lock: str, requirements: list[Requirement]
) -> None:
    versions = pinned(lock)
    for requirement in requirements:
        name = canonicalize_name(requirement.name)
        assert name in versions, f"{name} is declared but not in {lock}: run make lock"
        assert requirement.specifier.contains(versions[name], prereleases=True), (
            f"{lock} pins {name}=={versions[name]}, outside {requirement.specifier}: run make lock"
        )


def test_every_lock_line_carries_a_hash() -> None:
    for lock in ("requirements.lock", "requirements-dev.lock"):
        blocks = re.split(r"\n(?=[A-Za-z0-9_.\-]+==)", (ROOT / lock).read_text())
        for block in blocks[1:]:
            assert "--hash=sha256:" in block, block.splitlines()[0]


def test_every_runtime_dependency_has_an_upper_bound() -> None:
    for requirement in RUNTIME:
        if canonicalize_name(requirement.name) in NO_UPPER_BOUND:
            continue
        assert any(s.operator in ("<", "<=", "==", "~=") for s in requirement.specifier), (
            f"{requirement.name} has no upper bound"
        )
