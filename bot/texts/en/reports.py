"""The reports: `/nps team`, `/nps teams`, `/nps me`, `/nps drivers`, `/nps themes`, the weekly
digest and the charts. Figures come in as placeholders, already written ("+12", "40 %")."""

from __future__ import annotations

from bot.texts.plural import Plural

TEXTS: dict[str, str | Plural] = {
    "answers": Plural("{count} answer", "{count} answers"),
    "comments": Plural("{count} comment", "{count} comments"),
    "themes": Plural("{count} theme", "{count} themes"),
    "tickets": Plural("{count} ticket", "{count} tickets"),
    # Dates: "16 Nov", and "16 Nov 2026" in a digest's chart title.
    "months": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",
    "day.short": "{day} {month}",
    "day.long": "{day} {month} {year}",
    # `/nps team`.
    "report.title": "NPS — {team}",
    "report.over_weeks": "{score} over the last {weeks} weeks",
    "report.compare": "Compare: {figures}",
    "report.organisation": "organisation {nps}",
    "report.nps": "NPS {nps}",
    "report.summary": "{team}: {score} over the last {weeks} weeks",
    "report.no_earlier": "no earlier figure to compare",
    "report.delta": "{arrow} {change} on the period before ({previous})",
    "report.delta_week": "{arrow} {change} on the week before ({previous})",
    "report.rate": "response rate {rate} % ({answered} of {delivered})",
    "report.no_surveys": "no surveys delivered",
    "report.mix": "promoters {promoters} ({promoters_share} %) · passives {passives} "
    "({passives_share} %) · detractors {detractors} ({detractors_share} %)",
    "report.legend": "{few} fewer than {min} answers: one answer moves that week's score a lot. "
    "± is the margin of error at 95 %. Weeks start Monday in the team's time zone.",
    "report.undeliverable": Plural(
        "{count} survey of this period could not be delivered.",
        "{count} surveys of this period could not be delivered.",
    ),
    "report.said": "What people said",
    "report.never_attributed": "(never attributed)",
    "report.no_quotes": "Comments are quoted once enough people answered that none can be "
    "picked out.",
    "report.so_far": "(so far)",
    "report.columns": "Week of|NPS|±|Prom|Pass|Detr|Rate",
    "report.table_cut": "The table shows the latest {shown} of the {total} weeks; the figures "
    "above count all.",
    # Instead of a figure that would tell who said what (nps.toml `min_answers`).
    "report.too_few": "too few answers to show a score ({answers} of {needed})",
    "report.hidden": Plural(
        "hidden ({count} answer) so that the smaller figures can't be worked out",
        "hidden ({count} answers) so that the smaller figures can't be worked out",
    ),
    # The report's chart: the gauge covers `weeks`, the trend `trend`.
    "chart.title": "{team} — last {weeks} weeks",
    "chart.title_trend": "{team} — score over {weeks} weeks, trend over {trend}",
    "chart.open_week": "this week so far",
    "chart.no_answers": "no answers",
    "chart.no_answers_yet": "no answers yet",
    "chart.needs_work": "needs work",
    "chart.good": "good",
    "chart.excellent": "excellent",
    # `/nps teams`.
    "overview.title": "NPS by team — last {weeks} weeks",
    "overview.since": "(since {day})",
    "overview.summary": "NPS by team, last {weeks} weeks",
    "overview.response": "{rate} % response",
    "overview.no_teams": "No teams are configured in nps.toml yet.",
    "overview.organisation": "Organisation {figures}",
    "overview.organisation_withheld": "Organisation: {withheld}",
    "overview.benchmark": "Benchmark: {name} {nps}",
    "overview.change": "Best first; (+N) is the change on the {weeks} weeks before, ± the margin "
    "of error.",
    "overview.legend": "{change} ⭐ at least 10 points above the organisation, 🆘 negative or "
    "10 below; {few} fewer than {min} answers, so no verdict.",
    # `/nps me`.
    "me.title": "Your NPS — last {weeks} weeks",
    "me.on_your_tickets": "{figures} on your tickets",
    "me.comments": "Recent comments on your tickets",
    "me.comment": "{score} on {ticket} ({day})",
    "me.no_comments": "No comments on your tickets in this period.",
    "me.summary": "Your NPS: {score}",
    # The weekly digest.
    "digest.title": "Weekly NPS — {team}",
    "digest.week_of": "week of {day}",
    "digest.chart": "{team} — week of {day}",
    "digest.open_callbacks": "Open callbacks: {count}",
    "digest.few": "{few} fewer than {min} answers: read the score loosely.",
    # `/nps drivers`: the key-driver analysis.
    "drivers.title": "What moves the score — {team}",
    "drivers.none": "No drivers are configured.",
    "drivers.summary": "{team}: {headline}",
    "drivers.chart": "{team} - what moves the score, last {weeks} weeks",
    "drivers.not_enough": "not enough answers yet ({answers} of {needed})",
    "drivers.no_variance": Plural(
        "the scores do not vary with the drivers named ({count} answer)",
        "the scores do not vary with the drivers named ({count} answers)",
    ),
    "drivers.headline": "{driver} explains {share} % of what moves your score",
    "drivers.headline_blamed": "{driver} explains {share} % of what moves your score; it is "
    "named as what went wrong in {blamed} % of detractors",
    "drivers.line": "named as good {good} (NPS {nps_good}) · as bad {bad} (NPS {nps_bad})",
    "drivers.line_share": "{share} % · named as good {good} (NPS {nps_good}) · as bad {bad} "
    "(NPS {nps_bad})",
    "drivers.footer": Plural(
        "{fit}{count} answer naming a driver, last {weeks} weeks. Share of what moves the score "
        "= the driver's LMG share of the explained variance (+1 named at 9–10, −1 named at 0–8).",
        "{fit}{count} answers naming a driver, last {weeks} weeks. Share of what moves the score "
        "= the driver's LMG share of the explained variance (+1 named at 9–10, −1 named at 0–8).",
    ),
    "drivers.digest": "What moves the score most (last {weeks} weeks): {driver}, {share} % of it",
    # `/nps themes`: themes found in the comments.
    "themes.title": "Comment themes — {team}",
    "themes.withheld": "too few answers to show themes ({answers} of {needed})",
    "themes.not_enough": "not enough comments yet ({comments} of {needed})",
    "themes.no_words": "(no words in common)",
    "themes.change": "{change} on the {weeks} weeks before",
    "themes.line": "{comments} ({change}) · {share} % from detractors",
    "themes.headline": "{comments} in {themes}, last {weeks} weeks",
    "themes.largest": "The {shown} largest of {total} themes.",
    "themes.legend": "Themes are found automatically in the comments, in any language, and named "
    "by their most telling words. From detractors = share of the theme's comments given with a "
    "score of 0–6. Quotes are never attributed.",
    "themes.digest": "Fastest-growing theme (last {weeks} weeks): {theme}, {comments} ({change})",
}
