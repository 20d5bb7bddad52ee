"""`npsbot teams-package`: the Teams app package, a zip of manifest.json and its two icons."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

from bot import __version__
from bot.settings import Settings, SettingsError

# The repository's teams/ folder: the manifest template and the icons, edited by hand.
APP_FOLDER = Path(__file__).resolve().parents[3] / "teams"
ICONS = ("color.png", "outline.png")
_GUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
# Fixed zip timestamps: the same settings always give the same bytes.
_EPOCH = (2026, 1, 1, 0, 0, 0)


def manifest(settings: Settings, template: Path = APP_FOLDER / "manifest.json") -> dict[str, Any]:
    app_id = settings.microsoft_app_id or ""
    if not _GUID.fullmatch(app_id):
        raise SettingsError("MICROSOFT_APP_ID: must be the Azure Bot's app id, a GUID")
    data: dict[str, Any] = json.loads(template.read_text(encoding="utf-8"))
    # The Teams app id may be any GUID; using the bot's keeps one id to look for in admin
    # centres. Teams refuses an upload whose version did not change, so it follows ours.
    data["id"] = app_id
    data["version"] = __version__
    for bot in data.get("bots", []):
        bot["botId"] = app_id
    return data


def build_package(settings: Settings, out: Path, folder: Path = APP_FOLDER) -> Path:
    """Writes the zip to `out` (parents created) and returns its path."""
    content = json.dumps(manifest(settings, folder / "manifest.json"), indent=2) + "\n"
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        # Teams wants the three files at the root of the zip, not in a folder.
        archive.writestr(zipfile.ZipInfo("manifest.json", _EPOCH), content)
        for icon in ICONS:
            archive.writestr(zipfile.ZipInfo(icon, _EPOCH), (folder / icon).read_bytes())
    return out
