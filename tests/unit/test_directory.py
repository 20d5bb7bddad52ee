"""Tests for bot.directory: loading nps.toml, matching team labels, and errors that say where."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.directory import ConfigError, TeamDirectory, load_directory

EXAMPLE = Path(__file__).resolve().parents[2] / "nps.toml.example"

TWO_TEAMS = """\
[defaults]
slack_lead_channel = "C0DEFAULT"

[[team]]
key = "eus"
name = "End User Services"
aliases = ["Service Desk", "EUS"]
slack_lead_channel = "C0LEADS"

[[team]]
key = "net"
name = "Network"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "nps.toml"
    path.write_text(text, encoding="utf-8")
    return path


def error_for(tmp_path: Path, text: str) -> str:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_directory(path, required=True)
    message = str(info.value)
    assert message.startswith(str(path))  # every error names the file
    return message


@pytest.fixture
def directory(tmp_path: Path) -> TeamDirectory:
    return load_directory(write(tmp_path, TWO_TEAMS), required=True)


def test_sample_config_loads() -> None:
    directory = load_directory(EXAMPLE, required=True)
    team = directory.match("Service Desk")
    assert team is not None
    assert team.key == "eus"
    assert team.timezone == "Europe/Paris"
    assert directory.default_lead_channel == "C0DEFAULT"
    assert directory.lead_channel("eus") == "C0LEADS"


@pytest.mark.parametrize(
    "label", ["eus", "EUS", "end user services", "  End   User\tServices ", "service desk"]
)
def test_match_ignores_case_and_spacing_over_key_name_and_aliases(
    directory: TeamDirectory, label: str
) -> None:
    team = directory.match(label)
    assert team is not None
    assert team.key == "eus"


@pytest.mark.parametrize("label", ["Facilities", "", None, "end-user services"])
def test_unknown_team_matches_nothing(directory: TeamDirectory, label: str | None) -> None:
    assert directory.match(label) is None


def test_team_name_defaults_to_its_key(directory: TeamDirectory) -> None:
    team = directory.by_key("net")
    assert team is not None
    assert team.name == "Network"
    assert team.timezone == "UTC"


def test_lead_channel_falls_back_to_defaults(directory: TeamDirectory) -> None:
    assert directory.lead_channel("eus") == "C0LEADS"
    assert directory.lead_channel("net") == "C0DEFAULT"
    assert directory.lead_channel("nobody") == "C0DEFAULT"
    assert directory.lead_channel(None) == "C0DEFAULT"


def test_team_without_key_names_its_table_and_line(tmp_path: Path) -> None:
    text = '[[team]]\nkey = "eus"\n\n# the second team\n[[team]]\nname = "Network"\n'
    message = error_for(tmp_path, text)
    assert "[[team]] #2: key is required" in message
    assert ":5:" in message  # the second [[team]] header is on line 5


def test_invalid_toml_names_the_line(tmp_path: Path) -> None:
    message = error_for(tmp_path, '[[team]]\nkey = "eus"\nname = \n')
    assert "line 3" in message


def test_unknown_team_setting_is_named(tmp_path: Path) -> None:
    message = error_for(tmp_path, '[[team]]\nkey = "eus"\nslack_channel = "C0LEADS"\n')
    assert "unknown setting 'slack_channel'" in message
    assert ":1:" in message


def test_unknown_section_is_named(tmp_path: Path) -> None:
    assert "unknown section 'teams'" in error_for(tmp_path, '[teams]\nkey = "eus"\n')


def test_alias_shared_by_two_teams_is_rejected(tmp_path: Path) -> None:
    text = (
        '[[team]]\nkey = "eus"\naliases = ["Help Desk"]\n'
        '[[team]]\nkey = "net"\naliases = ["help  desk"]\n'
    )
    message = error_for(tmp_path, text)
    assert "'help desk'" in message
    assert "'eus'" in message
    assert "'net'" in message


def test_alias_equal_to_another_teams_key_is_rejected(tmp_path: Path) -> None:
    text = '[[team]]\nkey = "eus"\n[[team]]\nkey = "net"\naliases = ["EUS"]\n'
    assert "names both team" in error_for(tmp_path, text)


@pytest.mark.parametrize("channel", ["#it-leads", "c0leads", "U0LEADS", "C"])
def test_bad_channel_id_is_rejected(tmp_path: Path, channel: str) -> None:
    message = error_for(tmp_path, f'[[team]]\nkey = "eus"\nslack_lead_channel = "{channel}"\n')
    assert "[[team]] #1: slack_lead_channel must be a Slack channel id" in message


def test_bad_timezone_is_rejected(tmp_path: Path) -> None:
    message = error_for(tmp_path, '[[team]]\nkey = "eus"\ntimezone = "Mars/Olympus"\n')
    assert "[[team]] #1: unknown timezone 'Mars/Olympus'" in message


def test_team_timezone_defaults_to_the_defaults_timezone(tmp_path: Path) -> None:
    path = write(tmp_path, '[defaults]\ntimezone = "Asia/Tokyo"\n[[team]]\nkey = "eus"\n')
    team = load_directory(path, required=True).by_key("eus")
    assert team is not None
    assert team.timezone == "Asia/Tokyo"


@pytest.mark.parametrize("key", ["EUS", "end user", "-eus", "x" * 33])
def test_key_that_is_not_a_short_lowercase_word_is_rejected(tmp_path: Path, key: str) -> None:
    assert "must be lowercase letters" in error_for(tmp_path, f'[[team]]\nkey = "{key}"\n')


def test_key_with_trailing_newline_is_rejected(tmp_path: Path) -> None:
    error_for(tmp_path, '[[team]]\nkey = "eus\\n"\n')


def test_channel_with_trailing_newline_is_rejected(tmp_path: Path) -> None:
    error_for(tmp_path, '[[team]]\nkey = "eus"\nslack_lead_channel = "C0LEADS\\n"\n')


def test_bad_defaults_timezone_names_the_line(tmp_path: Path) -> None:
    message = error_for(tmp_path, '# teams\n\n[defaults]\ntimezone = "Mars/Olympus"\n')
    assert ":3:" in message


def test_missing_optional_file_gives_an_empty_directory(tmp_path: Path) -> None:
    directory = load_directory(tmp_path / "absent.toml", required=False)
    assert directory.teams == ()
    assert directory.match("eus") is None
    assert directory.lead_channel("eus") is None


def test_missing_required_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "absent.toml"
    with pytest.raises(ConfigError, match="file not found"):
        load_directory(path, required=True)


def test_file_that_is_not_utf8_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "nps.toml"
    path.write_bytes(b'[[team]]\nkey = "\xff"\n')
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_directory(path, required=True)


PLATFORMS = """\
[defaults]
platform = "teams"
teams_lead_channel = "19:default@thread.tacv2"
digest = "fri 16:30"

[benchmark]
name = "IT support"
nps = 38

[[team]]
key = "eus"
teams_kudos_channel = "19:kudos@thread.tacv2"

[[team]]
key = "net"
platform = "slack"
slack_lead_channel = "C0NET"
digest = "off"
"""


def test_platform_digest_and_benchmark_are_inherited_or_overridden(tmp_path: Path) -> None:
    directory = load_directory(write(tmp_path, PLATFORMS), required=True)
    eus, net = directory.by_key("eus"), directory.by_key("net")
    assert eus is not None
    assert net is not None
    assert (eus.platform, net.platform) == ("teams", "slack")
    assert directory.lead_channel("eus", "teams") == "19:default@thread.tacv2"
    assert directory.lead_channel("net", "slack") == "C0NET"
    assert directory.digest_channel(eus) == "19:default@thread.tacv2"
    assert directory.kudos_channel(eus) == "19:kudos@thread.tacv2"
    assert eus.digest is not None
    assert (eus.digest.weekday, eus.digest.hour, eus.digest.minute) == (4, 16, 30)
    assert net.digest is None
    assert directory.benchmark is not None
    assert (directory.benchmark.name, directory.benchmark.nps) == ("IT support", 38)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('platform = "zoom"', 'platform must be "slack" or "teams"'),
        ('digest = "monday 9am"', 'digest must be "off" or a day and time like "mon 09:00"'),
        ('teams_lead_channel = "C0LEADS"', "teams_lead_channel must be a Teams channel id"),
    ],
)
def test_bad_platform_settings_say_what_is_wrong(tmp_path: Path, line: str, reason: str) -> None:
    assert reason in error_for(tmp_path, f'[[team]]\nkey = "eus"\n{line}\n')


def test_benchmark_must_be_a_score(tmp_path: Path) -> None:
    message = error_for(tmp_path, '[benchmark]\nname = "x"\nnps = 150\n')
    assert "[benchmark] nps must be a whole number from -100 to 100" in message


def test_min_answers_defaults_to_five_and_a_team_value_wins(tmp_path: Path) -> None:
    plain = load_directory(write(tmp_path, TWO_TEAMS), required=True)
    assert plain.default_min_answers == 5
    assert {t.key: t.min_answers for t in plain.teams} == {"eus": 5, "net": 5}
    text = TWO_TEAMS.replace("[defaults]\n", "[defaults]\nmin_answers = 3\n").replace(
        'name = "Network"\n', 'name = "Network"\nmin_answers = 10\n'
    )
    directory = load_directory(write(tmp_path, text), required=True)
    assert directory.default_min_answers == 3
    assert {t.key: t.min_answers for t in directory.teams} == {"eus": 3, "net": 10}


@pytest.mark.parametrize("value", ["0", "-1", "2.5", '"5"', "true", "1001"])
def test_min_answers_must_be_a_whole_number_from_one(tmp_path: Path, value: str) -> None:
    text = TWO_TEAMS.replace('name = "Network"\n', f'name = "Network"\nmin_answers = {value}\n')
    message = error_for(tmp_path, text)
    assert "[[team]] #2: min_answers must be a whole number from 1 to 1000" in message


def test_admins_may_be_teams_object_ids(tmp_path: Path) -> None:
    aad = "6f1c5e2a-0300-4a2b-9c3d-0123456789ab"
    text = TWO_TEAMS.replace("[defaults]\n", f'[defaults]\nadmins = ["U0ADMIN", "{aad}"]\n')
    assert load_directory(write(tmp_path, text), required=True).admins == {"U0ADMIN", aad}
    assert "admins must be" in error_for(tmp_path, text.replace(aad, "not-an-id"))


def test_drivers_default_to_the_five_and_a_team_may_set_its_own(tmp_path: Path) -> None:
    one = 'drivers = ["remote_access"]\naliases = ["Service'
    text = TWO_TEAMS.replace('aliases = ["Service', one)
    directory = load_directory(write(tmp_path, text), required=True)
    assert directory.drivers("eus") == ("remote_access",)
    assert directory.drivers("net") == (
        "communication",
        "timeliness",
        "knowledge",
        "courtesy",
        "resolution_quality",
    )
    text = text.replace("[defaults]\n", '[defaults]\ndrivers = ["speed", "courtesy"]\n')
    directory = load_directory(write(tmp_path, text), required=True)
    assert directory.drivers("net") == ("speed", "courtesy")
    assert directory.drivers(None) == ("speed", "courtesy")


@pytest.mark.parametrize(
    ("drivers", "reason"),
    [
        ("[]", "drivers must be a list of 1 to 10 driver keys"),
        ('"speed"', "drivers must be a list of 1 to 10 driver keys"),
        ('["Remote access"]', "driver 'Remote access' must be lowercase letters"),
        ('["speed", "speed"]', "drivers lists a driver twice"),
        (str([f"d{i}" for i in range(11)]).replace("'", '"'), "1 to 10 driver keys"),
    ],
)
def test_bad_drivers_are_refused_with_the_place(tmp_path: Path, drivers: str, reason: str) -> None:
    message = error_for(tmp_path, TWO_TEAMS + f"drivers = {drivers}\n")
    assert "[[team]] #2" in message
    assert reason in message


def test_two_teams_with_the_same_key_are_rejected(tmp_path: Path) -> None:
    text = '[[team]]\nkey = "eus"\nname = "A"\n\n[[team]]\nkey = "eus"\nname = "B"\n'
    assert "key 'eus' is used by two [[team]] tables" in error_for(tmp_path, text)


def test_timing_keys_per_team_win_over_defaults(tmp_path: Path) -> None:
    text = (
        "[defaults]\nescalate_after_hours = 4\nowner_reminder_days = 2\n"
        'reminder_after_hours = 24\nsurvey_every_days = 0\ndigest = "mon 09:00"\n\n'
        '[[team]]\nkey = "apac"\ntimezone = "Asia/Tokyo"\nescalate_after_hours = 2\n'
        "owner_reminder_days = 1\nreminder_after_hours = 0\nsurvey_every_days = 30\n"
        'digest = "tue 08:30"\n\n[[team]]\nkey = "eus"\n'
    )
    directory = load_directory(write(tmp_path, text), required=True)
    apac = directory.by_key("apac")
    assert apac is not None
    assert apac.digest is not None
    assert (apac.digest.weekday, apac.digest.hour) == (1, 8)
    assert directory.escalate_hours("apac") == 2
    assert directory.owner_reminder("apac") == 1
    assert directory.reminder_hours("apac") == 0
    assert directory.survey_every("apac") == 30
    for key in ("eus", None, "unknown"):
        assert directory.escalate_hours(key) == 4
        assert directory.owner_reminder(key) == 2
        assert directory.reminder_hours(key) == 24
        assert directory.survey_every(key) == 0


@pytest.mark.parametrize("line", ["escalate_after_hours = 0", "survey_every_days = -1"])
def test_bad_timing_key_in_a_team_names_the_team(tmp_path: Path, line: str) -> None:
    message = error_for(tmp_path, f'[[team]]\nkey = "eus"\n{line}\n')
    assert "[[team]] #1" in message
    assert line.split(" ")[0] in message


def test_ask_agent_keys_come_from_the_team_or_defaults(tmp_path: Path) -> None:
    text = (
        "[defaults]\nask_agent = true\nask_agent_rate = 0.25\nask_lost_time = true\n"
        '[[team]]\nkey = "eus"\n[[team]]\nkey = "net"\nask_agent = false\nask_agent_rate = 1\n'
        "ask_lost_time = false\n"
    )
    found = load_directory(write(tmp_path, text), required=True)
    assert found.asks_agent("eus") == (True, 0.25)
    assert found.asks_agent("net") == (False, 1.0)
    assert found.asks_agent(None) == (True, 0.25)  # a team nps.toml does not know
    assert (found.asks_lost_time("eus"), found.asks_lost_time("net")) == (True, False)
    assert TeamDirectory().asks_agent("x") == (False, 1.0)
    assert TeamDirectory().asks_lost_time("x") is False


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("ask_agent = 1", "ask_agent must be true or false"),
        ('ask_lost_time = "yes"', "ask_lost_time must be true or false"),
        ("ask_agent_rate = 0", "ask_agent_rate must be a share above 0 and at most 1"),
        ("ask_agent_rate = 1.5", "ask_agent_rate must be a share above 0 and at most 1"),
        ("ask_agent_rate = true", "ask_agent_rate must be a share above 0 and at most 1"),
    ],
)
def test_bad_ask_keys_name_the_table_and_reason(tmp_path: Path, line: str, reason: str) -> None:
    assert f"[[team]] #1: {reason}" in error_for(tmp_path, f'[[team]]\nkey = "eus"\n{line}\n')
    assert f"[defaults]: {reason}" in error_for(tmp_path, f"[defaults]\n{line}\n")
