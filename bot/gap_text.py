"""The texts of issue 15 (the agent's guess, the perception gap, rank, the watermelon count,
lost time) as both platforms and the shell show them. Pure."""

from __future__ import annotations

from bot.gap_messages import GapFigure, GapReport, GapWeek, LostTime, Rank, SlaFigure
from bot.messages import AgentReport, TeamReport, WeeklyDigest
from bot.report_text import counted, percent
from bot.scoring import round_half_away, signed
from bot.scoring.gap import GapTally
from bot.texts import say


def guess_question(ticket_id: str, requester: str | None) -> str:
    """The agent's guess: "INC0012345 for Ana is closed. How do you think Ana will rate it?"."""
    return say("guess.question", ticket=ticket_id, who=requester or say("guess.the_requester"))


def guess_thanks(ticket_id: str, requester: str | None, score: int) -> str:
    who = requester or say("guess.the_requester")
    return say("guess.thanks", who=who, score=score, ticket=ticket_id)


GUESS_NOT_YOURS = "Sorry, this question was sent to the ticket's agent, so only they can answer."
GUESS_CLOSED = "This survey has closed, so the guess wasn't recorded. Thank you anyway!"
NO_GUESS = "Sorry, I can't find that question any more."


def guess_already(score: int) -> str:
    return f"Your guess was already recorded (you expected {score}). Thank you!"


def one_decimal(value: float | None) -> str:
    """7.1, 9 (not 9.0), – for nothing; half away from zero like every figure we show."""
    if value is None:
        return "–"
    tenths = round_half_away(10 * value)
    return str(tenths // 10) if tenths % 10 == 0 else f"{tenths / 10:.1f}"


def gap_too_few(pairs: int, needed: int) -> str:
    return f"too few tickets with both a guess and an answer to compare ({pairs} of {needed})"


def _gap_points(gap: int | None) -> str:
    """ "33 points", "−5 points", "1 point"; "– points" when there is nothing to compare."""
    if gap is None:
        return say("gap.no_points")
    return say("gap.points", count=abs(gap), sign="−" if gap < 0 else "")


def gap_figures(gap: GapTally) -> str:
    """One week's or period's "IT's view +45 · customers +12 · gap 33 points"."""
    guessed, answered = signed(gap.guessed.nps), signed(gap.answered.nps)
    return say("gap.figures", guessed=guessed, answered=answered, points=_gap_points(gap.gap))


def gap_line(figure: GapFigure) -> str:
    """`/nps team`'s line, over the tickets with both a guess and an answer."""
    if figure.withheld:
        return say("gap.withheld", withheld=figure.withheld)
    t = figure.tally
    tickets, diff = counted(t.pairs, "ticket"), one_decimal(t.mean_diff)
    return say("gap.line", figures=gap_figures(t), tickets=tickets, diff=diff)


def agent_gap_line(figure: GapFigure) -> str:
    """`/nps me`: an agent's own guesses against what their requesters gave, as averages."""
    if figure.withheld:
        return f"Your guesses: {figure.withheld}"
    t = figure.tally
    return (
        f"you expected {one_decimal(t.mean_guess)} on average; customers gave "
        f"{one_decimal(t.mean_score)} ({counted(t.pairs, 'ticket')} with both)"
    )


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rank_line(rank: Rank) -> str:
    """ "3rd of 11 teams (top 27 %)": ties share a place, as in a sports table."""
    top = round_half_away(100 * rank.position / rank.of)
    return say("rank.line", place=ordinal(rank.position), of=rank.of, top=top)


GAP_EXPLAINED = (
    "IT's view = the NPS of the agents' guesses; customers = the NPS of the answers on the same "
    "tickets; gap = the difference in points. Only tickets with both count."
)


def team_extras(report: TeamReport) -> list[str]:
    """The issue-15 lines of `/nps team`, plain text, in the order both platforms show them."""
    lines = []
    if report.rank is not None:
        lines.append(say("rank.label", rank=rank_line(report.rank)))
    if report.gap is not None:
        lines.append(gap_line(report.gap))
    if report.sla is not None:
        lines.append(sla_line(report.sla))
    if report.lost_time is not None:
        lines.append(lost_time_line(report.lost_time))
    return lines


def lost_too_few(answers: int, needed: int) -> str:
    return f"too few answers about lost work time to show ({answers} of {needed})"


def lost_time_line(lost: LostTime) -> str:
    """ "Work time lost: about 21 h over 6 answers (3.5 h per ticket)", at choice midpoints."""
    if lost.withheld:
        return say("lost.withheld", withheld=lost.withheld)
    hours, each = one_decimal(lost.hours), one_decimal(lost.hours / lost.answers)
    return say("lost.line", count=lost.answers, hours=hours, each=each)


def sla_too_few(with_sla: int, needed: int) -> str:
    return f"too few answered tickets with SLA data to show ({with_sla} of {needed})"


def sla_line(figure: SlaFigure) -> str:
    """ "SLA met on 92 % of answered tickets · 🍉 15 % of those were detractors"."""
    if figure.withheld:
        return say("sla.withheld", withheld=figure.withheld)
    t = figure.tally
    line = say("sla.met", share=percent(t.met_share or 0.0))
    if t.melon_share is not None:
        line += say("sla.melon", share=percent(t.melon_share))
    if t.with_sla < t.answered:
        line += say("sla.partial", with_sla=t.with_sla, answered=t.answered)
    return line


MELON_LEGEND = "🍉 = detractors among answers whose ticket met its SLA."


def melon_cell(figure: SlaFigure | None) -> str:
    """`/nps teams`' 🍉 column: detractors among answers whose SLA was met; "" without data."""
    if figure is None or figure.withheld or figure.tally.melon_share is None:
        return ""
    return f" · 🍉 {percent(figure.tally.melon_share)} %"


def digest_extras(digest: WeeklyDigest) -> list[str]:
    """The digest's one line each for the perception gap and the watermelon count."""
    lines = [gap_line(digest.gap)] if digest.gap is not None else []
    return lines + ([sla_line(digest.sla)] if digest.sla is not None else [])


def agent_extras(report: AgentReport) -> list[str]:
    return [agent_gap_line(report.gap)] if report.gap is not None else []


def gap_week(week: GapWeek, current: bool) -> str:
    """One row of `/nps gap`: the week's figures, or why they are not shown."""
    now = " (so far)" if current else ""
    f = week.figure
    if f.withheld:
        return f"{week.start.day} {week.start:%b}: {f.withheld}{now}"
    if not f.tally.pairs:
        return f"{week.start.day} {week.start:%b}: no tickets with both{now}"
    return f"{week.start.day} {week.start:%b}: {gap_figures(f.tally)} ({f.tally.pairs}){now}"


def gap_period(report: GapReport) -> str:
    p = report.period
    if p.withheld:
        return say("gap.withheld", withheld=p.withheld)
    if not p.tally.pairs:
        return "No tickets with both a guess and an answer in this period (nps.toml `ask_agent`)."
    return gap_line(p)
