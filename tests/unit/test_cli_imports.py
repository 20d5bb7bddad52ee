"""`npsbot --help` and a settings error must not load the heavy libraries (issue 10)."""

from __future__ import annotations

import subprocess
import sys

from bot import cli, export

HEAVY = (
    "sqlalchemy",
    "aiohttp",
    "slack_bolt",
    "slack_sdk",
    "botbuilder",
    "PIL",
    "alembic",
    "sklearn",
    "scipy",
    "numpy",
)


def _modules_loaded_by(code: str) -> set[str]:
    probe = f"import sys\n{code}\nprint(' '.join(sys.modules))"
    out = subprocess.run(  # noqa: S603 - our own interpreter and probe text
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    return {name.split(".")[0] for name in out.split()}


def test_help_loads_no_database_http_or_platform_library() -> None:
    loaded = _modules_loaded_by(
        "from bot import cli\ntry:\n    cli.main(['--help'])\nexcept SystemExit:\n    pass"
    )
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_a_settings_error_loads_no_heavy_library() -> None:
    loaded = _modules_loaded_by(
        "import os\nos.environ['PORT'] = 'abc'\nfrom bot import cli\ncli.main(['migrate'])"
    )
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_the_cli_offers_exactly_the_export_formats() -> None:
    assert cli.EXPORT_FORMATS == export.FORMATS
