"""The teams of `nps.toml`: who they are, what the ITSM tool calls them, where their leads are."""

from bot.directory.nps_toml import load_directory, parse_directory
from bot.directory.teams import TeamDirectory
from bot.directory.values import ConfigError

__all__ = ["ConfigError", "TeamDirectory", "load_directory", "parse_directory"]
