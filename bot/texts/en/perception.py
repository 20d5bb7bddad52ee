"""Issue 15: the agent's guess, the perception gap, rank, the watermelon count and lost time."""

from __future__ import annotations

from bot.texts.plural import Plural

TEXTS: dict[str, str | Plural] = {
    # The agent is asked to guess the requester's score.
    "guess.question": "{ticket} for {who} is closed. How do you think {who} will rate it? 0–10",
    "guess.thanks": "Thanks: you expect {who} to give {score} for {ticket}. How IT's view "
    "compares with customers' shows in `/nps me` and `/nps gap`, never ticket by ticket.",
    "guess.the_requester": "the requester",
    "guess.already": "Your guess was already recorded (you expected {score}). Thank you!",
    "guess.closed": "This survey has closed, so the guess wasn't recorded. Thank you anyway!",
    "guess.gone": "Sorry, I can't find that question any more.",
    "guess.not_yours": "Sorry, this question was sent to the ticket's agent, so only they can "
    "answer.",
    # The perception gap: the NPS of the guesses beside the NPS of the answers, same tickets.
    "gap.title": "IT's view and customers' — {team}",
    "gap.figures": "IT's view {guessed} · customers {answered} · gap {points}",
    "gap.points": Plural("{sign}{count} point", "{sign}{count} points"),
    "gap.no_points": "– points",
    "gap.line": "{figures} ({tickets} with both; a guess was {diff} points off on average)",
    "gap.withheld": "IT's view: {withheld}",
    "gap.too_few": "too few tickets with both a guess and an answer to compare "
    "({pairs} of {needed})",
    "gap.agent": "you expected {guess} on average; customers gave {score} ({tickets} with both)",
    "gap.agent_withheld": "Your guesses: {withheld}",
    "gap.week_none": "no tickets with both",
    "gap.period_none": "No tickets with both a guess and an answer in this period "
    "(nps.toml `ask_agent`).",
    "gap.explained": "IT's view = the NPS of the agents' guesses; customers = the NPS of the "
    "answers on the same tickets; gap = the difference in points. Only tickets with both count.",
    "gap.chart": "{team} - IT's view and customers, last {weeks} weeks",
    "gap.it_view": "IT's view",
    "gap.customers": "Customers",
    # Rank among the teams: "3rd of 11 teams (top 27 %)". English ordinals by CLDR category.
    "rank.line": "{place} of {of} teams (top {top} %)",
    "rank.label": "Rank: {rank}",
    "ordinal.one": "{n}st",
    "ordinal.two": "{n}nd",
    "ordinal.few": "{n}rd",
    "ordinal.other": "{n}th",
    # The watermelon count: detractors although the ticket met its SLA.
    "sla.met": "SLA met on {share} % of answered tickets",
    "sla.melon": " · 🍉 {share} % of those were detractors",
    "sla.partial": " (SLA data on {with_sla} of {answered} answered tickets)",
    "sla.withheld": "SLA: {withheld}",
    "sla.too_few": "too few answered tickets with SLA data to show ({with_sla} of {needed})",
    "sla.legend": "🍉 = detractors among answers whose ticket met its SLA.",
    # Work time lost, at each choice's midpoint.
    "lost.line": Plural(
        "Work time lost: about {hours} h over {count} answer ({each} h per ticket)",
        "Work time lost: about {hours} h over {count} answers ({each} h per ticket)",
    ),
    "lost.withheld": "Work time lost: {withheld}",
    "lost.too_few": "too few answers about lost work time to show ({answers} of {needed})",
}
