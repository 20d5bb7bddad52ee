"""docs/configuration.md is generated from the code and must not drift from it."""

from __future__ import annotations

import re
from pathlib import Path

from bot import configdoc
from bot.directory import nps_toml

ROOT = Path(__file__).resolve().parents[2]


def test_the_committed_configuration_reference_is_up_to_date() -> None:
    committed = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert committed == configdoc.render(), (
        "docs/configuration.md drifted: run `python -m bot.configdoc > docs/configuration.md`"
    )


def test_every_setting_and_key_has_a_meaning() -> None:
    assert configdoc.UNDOCUMENTED not in configdoc.render()


def test_every_setting_and_key_the_code_reads_is_listed() -> None:
    text = configdoc.render()
    names = set(re.findall(r"^\| `([A-Za-z_]+)` \|", text, flags=re.MULTILINE))
    env = set(re.findall(r'"([A-Z][A-Z0-9_]{2,})"', (ROOT / "bot" / "settings.py").read_text()))
    assert env - {"DEBUG", "INFO", "WARNING", "ERROR"} <= names  # LOG_LEVEL's values aside
    assert names >= nps_toml.DEFAULT_KEYS | nps_toml.TEAM_KEYS


def test_code_defaults_are_shown() -> None:
    text = configdoc.render()
    assert "| `PORT` | `3000` |" in text
    assert "| `escalate_after_hours` | `4` |" in text
    assert "| `escalate_after_hours` | `[defaults] escalate_after_hours` |" in text
