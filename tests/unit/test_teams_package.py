"""`npsbot teams-package`: a zip Teams accepts, with the configured app id and the two icons."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from bot.handlers.teams.package import build_package
from bot.settings import Settings, SettingsError

APP_ID = "11111111-2222-3333-4444-555555555555"


def test_the_package_holds_the_manifest_with_our_app_id_and_the_icons(tmp_path: Path) -> None:
    out = build_package(Settings(microsoft_app_id=APP_ID), tmp_path / "dist" / "npsbot.zip")
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(archive.read("manifest.json"))
        color = Image.open(io.BytesIO(archive.read("color.png")))
        outline = Image.open(io.BytesIO(archive.read("outline.png")))
    assert manifest["manifestVersion"] == "1.29"
    assert manifest["id"] == APP_ID
    (bot,) = manifest["bots"]
    assert bot["botId"] == APP_ID
    assert set(bot["scopes"]) == {"personal", "team"}
    assert color.size == (192, 192)
    assert outline.size == (32, 32)
    assert outline.mode == "RGBA"
    corner = outline.getpixel((0, 0))
    assert isinstance(corner, tuple)
    assert corner[3] == 0  # transparent around the white outline


def test_the_command_menu_lists_every_command_within_the_schema_limits(tmp_path: Path) -> None:
    out = build_package(Settings(microsoft_app_id=APP_ID), tmp_path / "npsbot.zip")
    with zipfile.ZipFile(out) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    (menu,) = manifest["bots"][0]["commandLists"]
    titles = [c["title"] for c in menu["commands"]]
    assert titles == ["nps team", "nps teams", "nps themes", "nps me", "nps callbacks", "nps help"]
    assert all(len(c["title"]) <= 32 and len(c["description"]) <= 128 for c in menu["commands"])
    assert len(manifest["name"]["short"]) <= 30
    assert len(manifest["description"]["short"]) <= 80
    assert len(manifest["description"]["full"]) <= 4000


def test_the_same_settings_build_the_same_bytes(tmp_path: Path) -> None:
    settings = Settings(microsoft_app_id=APP_ID)
    first = build_package(settings, tmp_path / "a.zip").read_bytes()
    assert build_package(settings, tmp_path / "b.zip").read_bytes() == first


@pytest.mark.parametrize("app_id", [None, "", "not-a-guid", APP_ID + "0"])
def test_an_app_id_that_is_no_guid_is_refused_with_the_setting_named(
    tmp_path: Path, app_id: str | None
) -> None:
    with pytest.raises(SettingsError, match="MICROSOFT_APP_ID"):
        build_package(Settings(microsoft_app_id=app_id), tmp_path / "npsbot.zip")
    assert not (tmp_path / "npsbot.zip").exists()
