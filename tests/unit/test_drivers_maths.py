"""Key-driver maths: the coding, R² and the LMG shares, checked against pingouin to 1e-6."""

from __future__ import annotations

import random

import pytest

from bot.scoring.drivers import coded, key_drivers, named_counts, subset_r2

pd = pytest.importorskip("pandas")
pg = pytest.importorskip("pingouin")

Answers = list[tuple[int, list[str]]]


def _generated(seed: int, drivers: int, n: int, *, linked: bool = False) -> Answers:
    """Answers whose scores lean on the first drivers, with noise; `linked` names d1 with d0."""
    rng = random.Random(seed)
    names = [f"d{i}" for i in range(drivers)]
    answers: Answers = []
    for _ in range(n):
        named = [name for name in names if rng.random() < 0.25]
        if linked and "d0" in named:
            named.append("d1")
        effect = 2.5 * ("d0" in named) - 3 * ("d2" in named) + rng.gauss(0, 2.2)
        answers.append((min(10, max(0, round(7 + effect))), named or [rng.choice(names)]))
    return answers


def _pingouin(answers: Answers, names: list[str]) -> tuple[float, dict[str, float]]:
    rows = coded(answers, names)
    x = pd.DataFrame([row[:-1] for row in rows], columns=names)
    x = x.loc[:, x.var() > 0]
    lm = pg.linear_regression(x, [row[-1] for row in rows], relimp=True)
    shares = dict(zip(lm["names"][1:], lm["relimp_perc"][1:] / 100, strict=True))
    return float(lm["r2"][0]), shares


def test_coding_is_plus_one_at_9_10_minus_one_at_0_8_and_skips_answers_naming_none() -> None:
    answers = [(10, ["a"]), (8, ["a", "b"]), (3, ["b"]), (9, []), (6, ["c"])]
    assert coded(answers, ["a", "b"]) == [[1, 0, 10], [-1, -1, 8], [0, -1, 3]]


@pytest.mark.parametrize(("seed", "drivers"), [(1, 2), (2, 3), (3, 5), (4, 7), (5, 9)])
def test_lmg_shares_and_r2_equal_pingouin(seed: int, drivers: int) -> None:
    answers = _generated(seed, drivers, 300)
    names = [f"d{i}" for i in range(drivers)]
    fit = key_drivers(answers, names)
    r2, shares = _pingouin(answers, names)
    assert fit.n == len(coded(answers, names))
    assert fit.r2 == pytest.approx(r2, abs=1e-6)
    assert dict(zip(fit.names, fit.importance, strict=True)) == pytest.approx(shares, abs=1e-6)
    assert sum(fit.importance) == pytest.approx(1.0, abs=1e-12)


def test_thirteen_drivers_equal_pingouin() -> None:
    """Past 12 drivers the method stays exact (pingouin enumerates all 8,192 subsets too)."""
    names = [f"d{i}" for i in range(13)]
    answers = _generated(13, 13, 1000)
    fit = key_drivers(answers, names)
    r2, shares = _pingouin(answers, names)
    assert fit.r2 == pytest.approx(r2, abs=1e-6)
    assert dict(zip(fit.names, fit.importance, strict=True)) == pytest.approx(shares, abs=1e-6)


def test_a_driver_always_named_with_another_splits_the_same_r2_as_pingouin() -> None:
    """d1 is named whenever d0 is (and sometimes alone): correlated, not identical."""
    names = [f"d{i}" for i in range(4)]
    answers = _generated(7, 4, 400, linked=True)
    fit = key_drivers(answers, names)
    r2, shares = _pingouin(answers, names)
    assert fit.r2 == pytest.approx(r2, abs=1e-6)
    assert dict(zip(fit.names, fit.importance, strict=True)) == pytest.approx(shares, abs=1e-6)


def test_identical_drivers_share_equally_and_add_nothing_to_each_other() -> None:
    corr = [[1.0, 1.0], [1.0, 1.0]]
    r2 = subset_r2(corr, [0.5, 0.5])
    assert r2 == pytest.approx([0.0, 0.25, 0.25, 0.25])


def test_drivers_without_variance_are_left_out() -> None:
    answers = [(10, ["a"]), (2, ["a"]), (9, ["b"]), (4, ["a", "b"]), (10, ["a"])]
    fit = key_drivers(answers, ["a", "b", "never"])
    assert fit.names == ("a", "b")
    assert len(fit.importance) == 2


def test_every_score_the_same_explains_nothing() -> None:
    fit = key_drivers([(8, ["a"]), (8, ["b"]), (8, ["a", "b"])], ["a", "b"])
    assert (fit.n, fit.r2, fit.importance) == (3, 0.0, ())


def test_named_counts_split_by_band_with_the_detractors_naming_any_driver() -> None:
    answers = [(10, ["a"]), (9, ["a", "b"]), (7, ["a"]), (2, ["a"]), (5, ["b"]), (1, [])]
    lines, detractors = named_counts(answers, ["a", "b"])
    a, b = lines
    assert (a.good.answers, a.bad.answers, a.bad.detractors, a.bad.nps) == (2, 2, 1, -50)
    assert (b.good.answers, b.bad.answers, b.good.nps, b.bad.nps) == (1, 1, 100, -100)
    assert detractors == 2


def test_form_order_is_stable_per_survey_and_differs_between_surveys() -> None:
    from bot.model import DEFAULT_DRIVERS, form_order

    orders = {form_order(DEFAULT_DRIVERS, f"survey{i}") for i in range(20)}
    assert form_order(DEFAULT_DRIVERS, "survey1") == form_order(DEFAULT_DRIVERS, "survey1")
    assert sorted(form_order(DEFAULT_DRIVERS, "survey1")) == sorted(DEFAULT_DRIVERS)
    assert len(orders) > 5


def test_drivers_command_parses_team_and_weeks_with_12_weeks_by_default() -> None:
    from bot.commands import Help, TeamDrivers, parse

    assert parse("drivers") == TeamDrivers(None, 12)
    assert parse('nps drivers "End User Services" weeks 26') == TeamDrivers("End User Services", 26)
    assert isinstance(parse("drivers eus weeks 99"), Help)


def test_a_driver_removed_from_nps_toml_is_still_analysed_and_named() -> None:
    """History keeps it: the team's current drivers first, then the ones only answers name."""
    from bot.drivers import analyse, names_for

    answers = [(10, ("speed",)), (3, ("old_vpn", "speed"))]
    names = names_for(("speed", "courtesy"), answers)
    assert names == ("speed", "courtesy", "old_vpn")
    report = analyse(answers, names, "eus", "EUS", 12)
    assert [(d.label, d.named_bad) for d in report.drivers] == [
        ("Speed", 1),
        ("Courtesy", 0),
        ("Old vpn", 1),
    ]


def test_bar_chart_is_a_png_with_one_row_per_driver() -> None:
    import io

    from PIL import Image

    from bot.charts_bars import render_bars

    two = Image.open(io.BytesIO(render_bars("EUS — drivers", (("Communication", 0.9), ("X", 0.1)))))
    four = Image.open(io.BytesIO(render_bars("EUS", tuple((f"d{i}", 0.25) for i in range(4)))))
    assert two.format == "PNG"
    assert four.size[1] > two.size[1]


def test_help_lists_the_drivers_command() -> None:
    from bot.commands import Help, help_text

    assert "`/nps drivers eus`" in help_text(Help())
