"""Comment themes: their quality on the labelled set, determinism, the small cases, the texts."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.commands import TeamThemes, parse
from bot.model import Team
from bot.report_messages import ThemeLine, ThemeReport
from bot.report_text import digest_theme, theme_line
from bot.scoring.themes import MIN_THEME_COMMENTS, find_themes, purity, words
from bot.themes import analyse

LABELLED = [
    json.loads(line)
    for line in (Path(__file__).parents[1] / "data" / "comments.jsonl").read_text().splitlines()
]


def test_themes_of_the_labelled_set_reach_purity_0_7() -> None:
    """352 comments, 8 themes, en/fr/de/es, typos: the bar of issue 14."""
    found = find_themes([r["text"] for r in LABELLED])
    assert purity([r["theme"] for r in LABELLED], found.theme) >= 0.7
    assert len(found.terms) == len(found.nearest) == len(set(found.theme))
    assert [len(m) for m in found.nearest] == sorted((len(m) for m in found.nearest), reverse=True)


def test_the_same_comments_give_the_same_themes() -> None:
    texts = [r["text"] for r in LABELLED[:120]]
    assert find_themes(texts) == find_themes(texts)


def test_words_drop_case_accents_digits_and_function_words_of_four_languages() -> None:
    assert words("Ticket INC123: J'ai ATTENDU 5 jours, très long!") == ["attendu", "jours", "long"]
    assert words("Ich habe 3 Tage gewartet; el técnico fue grosero") == [
        "tage",
        "gewartet",
        "tecnico",
        "grosero",
    ]


def test_too_few_or_identical_comments_make_one_theme() -> None:
    assert set(find_themes(["slow", "very slow", "fast"]).theme) == {0}
    same = find_themes(["waited for days"] * 30)
    assert set(same.theme) == {0}
    assert same.terms == (("days", "waited"),)


def test_purity_counts_each_theme_by_its_most_common_label() -> None:
    assert purity(["a", "a", "b", "b"], [0, 0, 0, 1]) == 0.75


TEAM = Team(key="eus", name="End User Services", min_answers=5)
MIDDLE = datetime(2026, 3, 2, tzinfo=UTC)


def _comments(theme: str, n: int, score: int, at: datetime) -> list[tuple[int, str, datetime]]:
    """The first `n` English comments of a theme, then those of the other languages."""
    ordered = sorted((r for r in LABELLED if r["theme"] == theme), key=lambda r: r["lang"] != "en")
    texts = [r["text"] for r in ordered][:n]
    return [(score, t, at) for t in texts]


def test_analyse_counts_each_theme_now_and_before_with_two_quotes_of_now() -> None:
    before, now = MIDDLE - timedelta(days=3), MIDDLE + timedelta(days=3)
    # Oldest first, as the store gives them.
    rows = _comments("waiting", 14, 2, before)[12:]
    rows += _comments("waiting", 14, 2, now)[:12] + _comments("great_fast", 18, 10, now)[:8]
    report = analyse(rows, MIDDLE, (True, 20), TEAM, 12)
    assert report.comments == 20
    assert report.withheld is None
    (waiting,) = [t for t in report.themes if t.detractors]
    assert (waiting.comments, waiting.detractors, waiting.previous) == (12, 12, 2)
    assert len(waiting.quotes) == 2
    assert set(waiting.quotes) <= {text for _s, text, _at in rows[2:14]}
    hidden = analyse(rows, MIDDLE, (False, 20), TEAM, 12)
    assert all(t.previous is None for t in hidden.themes)


def test_a_comment_given_twice_is_quoted_once() -> None:
    rows = [(2, "Waited a week.", MIDDLE)] * 3 + [(2, "waited  a WEEK.", MIDDLE)]
    rows += [(2, "Waited two weeks for the VPN.", MIDDLE)] * 20
    (theme,) = analyse(rows, MIDDLE, (True, 24), TEAM, 12).themes
    assert theme.quotes == ("Waited a week.", "Waited two weeks for the VPN.")


def test_analyse_withholds_below_min_answers_then_below_20_comments() -> None:
    rows = _comments("waiting", 30, 2, MIDDLE)
    few = analyse(rows, MIDDLE, (True, 4), TEAM, 12)
    assert (few.themes, few.withheld) == ((), "too few answers to show themes (4 of 5)")
    short = analyse(rows[: MIN_THEME_COMMENTS - 1], MIDDLE, (True, 40), TEAM, 12)
    assert (short.themes, short.withheld) == ((), "not enough comments yet (19 of 20)")


def test_theme_line_and_the_digest_pick_the_theme_that_grew_most() -> None:
    grew = ThemeLine(("waited", "days"), 12, 9, 2, ())
    bigger = ThemeLine(("fast", "great"), 30, 0, 25, ())
    assert theme_line(grew, 12) == "12 comments (+10 on the 12 weeks before) · 75 % from detractors"
    report = ThemeReport("eus", "EUS", 12, 42, (bigger, grew))
    assert digest_theme(report) == (
        "Fastest-growing theme (last 12 weeks): waited · days, 12 comments "
        "(+10 on the 12 weeks before)"
    )
    shrinking = ThemeLine(("fast",), 3, 0, 5, ())
    assert digest_theme(ThemeReport("eus", "EUS", 12, 3, (shrinking,))) is None


def test_themes_command_takes_a_team_and_weeks() -> None:
    assert parse("themes") == TeamThemes(None, 12)
    assert parse('nps themes "End User Services" weeks 26') == TeamThemes("End User Services", 26)


def _many_themes() -> ThemeReport:
    lines = tuple(
        ThemeLine((f"word{i}",), 20 - i, 1, None, ("<@U1> *bold* & co", "second quote"))
        for i in range(12)
    )
    return ThemeReport("eus", "End User Services", 12, sum(t.comments for t in lines), lines)


def test_slack_shows_the_ten_largest_themes_with_quotes_escaped_and_the_legend() -> None:
    from bot.handlers.slack.render_reports import theme_report

    text, blocks = theme_report(_many_themes())
    body = json.dumps(blocks, ensure_ascii=False)
    assert text == "End User Services: 174 comments in 12 themes, last 12 weeks"
    assert "word9" in body
    assert "word10" not in body
    assert "The 10 largest of 12 themes." in body
    assert "&lt;@U1&gt;" in body
    assert "<@U1>" not in body
    assert "no earlier figure to compare" in body


def test_teams_shows_the_ten_largest_themes_with_quotes_only_in_text_runs() -> None:
    from bot.handlers.teams.render_drivers_themes import theme_report

    _text, card = theme_report(_many_themes())
    body = json.dumps(card, ensure_ascii=False)
    assert "word9" in body
    assert "word10" not in body
    assert "The 10 largest of 12 themes." in body
    runs = [i["text"] for b in card["body"] if b["type"] == "RichTextBlock" for i in b["inlines"]]
    assert "“<@U1> *bold* & co”" in runs  # verbatim, never parsed as Markdown


def test_a_withheld_theme_report_says_why_on_both_platforms() -> None:
    from bot.handlers.slack import render_reports as slack
    from bot.handlers.teams import render_drivers_themes as teams

    report = ThemeReport("eus", "EUS", 12, 3, (), "too few answers to show themes (3 of 5)")
    assert "Too few answers to show themes (3 of 5)." in json.dumps(slack.theme_report(report))
    assert "Too few answers to show themes (3 of 5)." in json.dumps(teams.theme_report(report))
