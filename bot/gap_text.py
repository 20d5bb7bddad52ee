"""The lines of issue 15 (the agent's guess, the perception gap, rank, the watermelon count,
lost time) as both platforms and the shell show them, in the catalogue's words. Pure."""

from __future__ import annotations

from bot.gap_messages import GapFigure, GapReport, GapWeek, LostTime, Rank, SlaFigure
from bot.report_messages import AgentReport, TeamReport, WeeklyDigest
from bot.report_text import change_legend, percent
from bot.scoring import MIN_MEANINGFUL_ANSWERS, round_half_away, signed
from bot.scoring.gap import GapTally
from bot.texts import say, short_day


def guess_question(ticket_id: str, requester: str | None) -> str:
    """The agent's guess: "INC0012345 for Ana is closed. How do you think Ana will rate it?"."""
    return say("guess.question", ticket=ticket_id, who=requester or say("guess.the_requester"))


def guess_thanks(ticket_id: str, requester: str | None, score: int) -> str:
    who = requester or say("guess.the_requester")
    return say("guess.thanks", who=who, score=score, ticket=ticket_id)


def one_decimal(value: float | None) -> str:
    """7.1, 9 (not 9.0), – for nothing; half away from zero like every figure we show."""
    if value is None:
        return "–"
    tenths = round_half_away(10 * value)
    return str(tenths // 10) if tenths % 10 == 0 else f"{tenths / 10:.1f}"


def gap_too_few(pairs: int, needed: int) -> str:
    return say("gap.too_few", pairs=pairs, needed=needed)


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
    tickets, diff = say("tickets", count=t.pairs), one_decimal(t.mean_diff)
    return say("gap.line", figures=gap_figures(t), tickets=tickets, diff=diff)


def agent_gap_line(figure: GapFigure) -> str:
    """`/nps me`: an agent's own guesses against what their requesters gave, as averages."""
    if figure.withheld:
        return say("gap.agent_withheld", withheld=figure.withheld)
    t = figure.tally
    guess, score = one_decimal(t.mean_guess), one_decimal(t.mean_score)
    return say("gap.agent", guess=guess, score=score, tickets=say("tickets", count=t.pairs))


# English ordinals by their CLDR category: 1st, 2nd, 3rd, and 11th–13th among the others.
_ORDINALS = {1: "ordinal.one", 2: "ordinal.two", 3: "ordinal.few"}


def ordinal(n: int) -> str:
    key = "ordinal.other" if 10 <= n % 100 <= 20 else _ORDINALS.get(n % 10, "ordinal.other")
    return say(key, n=n)


def rank_line(rank: Rank) -> str:
    """ "3rd of 11 teams (top 27 %)": ties share a place, as in a sports table."""
    top = round_half_away(100 * rank.position / rank.of)
    return say("rank.line", place=ordinal(rank.position), of=rank.of, top=top)


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
    return say("lost.too_few", answers=answers, needed=needed)


def lost_time_line(lost: LostTime) -> str:
    """ "Work time lost: about 21 h over 6 answers (3.5 h per ticket)", at choice midpoints."""
    if lost.withheld:
        return say("lost.withheld", withheld=lost.withheld)
    hours, each = one_decimal(lost.hours), one_decimal(lost.hours / lost.answers)
    return say("lost.line", count=lost.answers, hours=hours, each=each)


def sla_too_few(with_sla: int, needed: int) -> str:
    return say("sla.too_few", with_sla=with_sla, needed=needed)


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


def overview_legend(weeks: int, few: str) -> str:
    """Under `/nps teams`: the change, the watermelon, the standings and `few`, the mark of a
    team with too few answers for a verdict."""
    change = f"{change_legend(weeks)} {say('sla.legend')}"
    return say("overview.legend", change=change, few=few, min=MIN_MEANINGFUL_ANSWERS)


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
    now = f" {say('report.so_far')}" if current else ""
    f = week.figure
    if f.withheld:
        shown = f.withheld
    elif not f.tally.pairs:
        shown = say("gap.week_none")
    else:
        shown = f"{gap_figures(f.tally)} ({f.tally.pairs})"
    return f"{short_day(week.start)}: {shown}{now}"


def gap_period(report: GapReport) -> str:
    p = report.period
    if p.withheld:
        return say("gap.withheld", withheld=p.withheld)
    if not p.tally.pairs:
        return say("gap.period_none")
    return gap_line(p)
