"""Every sentence a person reads, by key: one catalogue for Slack and Teams (and a translation).

A text has named placeholders ("{ticket}") that the caller fills, and plural forms where a number
decides ("1 answer", "2 answers"). The adapters fill placeholders with their own markup (a bold
run, a mention, an escaped link) and lay the result out; they never write the words themselves.
Emoji and markup are layout, so they stay with the adapters.
"""

from __future__ import annotations

from dataclasses import dataclass
from string import Formatter
from typing import TypeVar, assert_never

from bot.callbacks_model import (
    CallbackStatus,
    Claimed,
    ClaimOutcome,
    Closed,
    NotLeadChannel,
    NotOwner,
    OwnedByOther,
    OwnerOutcome,
    Released,
    UnknownCallback,
)
from bot.model import (
    AlreadyAnswered,
    NotRequester,
    ScoreOutcome,
    ScoreRecorded,
    SurveyExpired,
    UnknownSurvey,
)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Plural:
    """English needs two forms; `{count}` is the number that picks one."""

    one: str
    other: str


TEXTS: dict[str, str | Plural] = {
    # The survey and the requester's answer.
    "survey.summary": "How did it go with {ticket}? Rate it 0–10.",
    "survey.reminder": "A quick reminder:",
    "survey.intro": "Your ticket {ticket} was closed{by}.",
    "survey.by": " by {agent}",
    "survey.question": "How likely are you to recommend {team} to a colleague?",
    "survey.scale": "0 = not at all likely · 10 = extremely likely",
    "survey.opt_out": "Don't ask me again",
    "thanks": "Thank you! You gave {score} for {ticket}.",
    "comment.add": "Add a comment",
    "comment.edit": "Edit your comment",
    "comment.drivers": "What mattered: {drivers}",
    "form.title": "Tell us more",
    "form.summary": "Tell us more about {ticket}",
    "form.you_gave": "You gave {score} for {ticket}.",
    "form.comment": "Anything you want to add?",
    "form.sharing": "Sharing",
    "form.share": "You may share this comment with the team (without my name)",
    "form.send": "Send",
    "form.cancel": "Cancel",
    "closed.summary": "This survey about {ticket} has closed.",
    "closed": "This survey about {ticket} has closed. Thank you anyway!",
    "opted_out.summary": "You won't be asked again.",
    "opted_out": "Understood: you won't be asked about your tickets any more.",
    "opted_out.about": "(This was about {ticket}.)",
    "opted_out.slack": "Changed your mind? Type `/nps optin`.",
    "opted_out.teams": "Changed your mind? Send me **nps optin**.",
    "score.already": "Your answer was already recorded (you gave {score}). Thank you!",
    "score.expired": "This survey has closed, so the score wasn't recorded. Thank you anyway!",
    "score.no_survey": "Sorry, I can't find that survey any more.",
    "score.not_yours": "Sorry, this survey was sent to someone else, so only they can answer it. "
    "Nothing was changed.",
    # Praise for a promoter's words.
    "praise.summary": "Praise for {ticket}",
    "praise.to_agent": "A requester gave you {score}/10 for {ticket} and wrote:",
    "praise.kudos": "Kudos to {agent}!",
    "praise.to_team": "A requester gave {score}/10 for {ticket}:",
    "praise.the_agent": "the agent",
    # The leads' side: alerts, callbacks, reminders.
    "alert.title": "Detractor: {score}/10",
    "alert.title_for": "{title} for {ticket}",
    "alert.requester": "Requester",
    "alert.agent": "Agent",
    "alert.team": "Team",
    "alert.answered": "Answered",
    "alert.unknown": "unknown",
    "alert.the_requester": "the requester",
    "alert.call_back": "Call back",
    "alert.done": "Done",
    "alert.release": "Release",
    "alert.calling_back": "{owner} is calling back (since {since})",
    "alert.closed_by": "Closed by {owner}: {outcome}, {took} after the answer",
    "alert.closed": "closed",
    "alert.a_lead": "a lead",
    "outcome.title": "Callback outcome",
    "outcome.submit": "Close callback",
    "outcome.question": "How did the call about {ticket} go?",
    "outcome.label": "Outcome",
    "outcome.pick": "Pick an outcome",
    "outcome.notes": "Notes",
    "details.summary": "Requester details for {ticket}",
    "details": "You're calling back {who} about {ticket}. "
    "Click {done} on the alert when you have an outcome.",
    "reminder.reminder": "Reminder",
    "reminder.escalation": "Escalation",
    "reminder.summary": "{level}: a detractor on {ticket} waits for a callback",
    "reminder.slack": "the detractor ({score}/10, {team}) on {ticket} has waited since {since} "
    "and nobody is calling back yet.",
    "reminder.head": "a detractor waits for a callback",
    "reminder.line": "{score}/10, {team}, on {ticket}",
    "reminder.waiting": "Waiting since {since} and nobody is calling back yet.",
    "owner.summary": "Reminder: your callback about {ticket} is still open",
    "owner.took": "You took the callback about {ticket}",
    "owner.took_on": "You took the callback about {ticket} on {since}.",
    "owner.claimed": "Claimed {since}.",
    "owner.click_done": "When you have an outcome, click {done} on the alert.",
    "list.title": "Open callbacks for {scope}",
    "list.oldest_first": "(oldest first)",
    "list.summary": Plural("{count} open callback", "{count} open callbacks"),
    "list.empty.summary": "No open callbacks.",
    "list.empty": "None: every detractor has been called back.",
    "list.line": "{ticket} — {score}/10, {team}, waiting {age}, {owner}",
    "list.calling_back": "{owner} calling back",
    "list.unclaimed": "unclaimed",
    "callback.gone": "Sorry, I can't find that callback any more.",
    "callback.already_closed": "This callback is already closed.",
    "callback.taken": "{owner} is already calling back about this one.",
    "callback.another_lead": "Another lead",
    "callback.not_yours": "Only {owner} (or an admin) can do that; the callback is not yours.",
    "callback.its_owner": "its owner",
    "callback.not_lead_channel": "Sorry, a callback is taken from the team's lead channel (or by "
    "an admin). Nothing was changed.",
    # Reports.
    "answers": Plural("{count} answer", "{count} answers"),
    "report.title": "NPS — {team}",
    "report.over_weeks": "{score} over the last {weeks} weeks",
    "report.compare": "Compare: {figures}",
    "report.nps": "NPS {nps}",
    "report.summary": "{team}: {score} over the last {weeks} weeks",
    "report.legend": "{few} fewer than {min} answers: one answer moves that week's score a lot. "
    "± is the margin of error at 95 %. Weeks start Monday in the team's time zone.",
    "report.undeliverable": Plural(
        "{count} survey of this period could not be delivered.",
        "{count} surveys of this period could not be delivered.",
    ),
    "report.said": "What people said",
    "report.never_attributed": "(never attributed)",
    "report.so_far": "(so far)",
    "report.columns": "Week of|NPS|±|Prom|Pass|Detr|Rate",
    "overview.title": "NPS by team — last {weeks} weeks",
    "overview.since": "(since {day})",
    "overview.summary": "NPS by team, last {weeks} weeks",
    "overview.response": "{rate} % response",
    "overview.no_teams": "No teams are configured in nps.toml yet.",
    "overview.organisation": "Organisation {figures}",
    "overview.organisation_withheld": "Organisation: {withheld}",
    "overview.benchmark": "Benchmark: {name} {nps}",
    "overview.legend": "{change} ⭐ at least 10 points above the organisation, 🆘 negative or "
    "10 below; {few} fewer than {min} answers, so no verdict.",
    "me.title": "Your NPS — last {weeks} weeks",
    "me.on_your_tickets": "{figures} on your tickets",
    "me.comments": "Recent comments on your tickets",
    "me.comment": "{score} on {ticket} ({day})",
    "me.no_comments": "No comments on your tickets in this period.",
    "me.summary": "Your NPS: {score}",
    "digest.title": "Weekly NPS — {team}",
    "digest.week_of": "week of {day}",
    "digest.open_callbacks": "Open callbacks: {count}",
    "digest.few": "{few} fewer than {min} answers: read the score loosely.",
    "drivers.title": "What moves the score — {team}",
    "drivers.none": "No drivers are configured.",
    "drivers.summary": "{team}: {headline}",
    "themes.title": "Comment themes — {team}",
    "gap.title": "IT's view and customers' — {team}",
    # Issue 15: the agent's guess, the perception gap, rank, watermelon count and lost time.
    "guess.question": "{ticket} for {who} is closed. How do you think {who} will rate it? 0–10",
    "guess.thanks": "Thanks: you expect {who} to give {score} for {ticket}. How IT's view "
    "compares with customers' shows in `/nps me` and `/nps gap`, never ticket by ticket.",
    "guess.the_requester": "the requester",
    "gap.figures": "IT's view {guessed} · customers {answered} · gap {points}",
    "gap.points": Plural("{sign}{count} point", "{sign}{count} points"),
    "gap.no_points": "– points",
    "gap.line": "{figures} ({tickets} with both; a guess was {diff} points off on average)",
    "gap.withheld": "IT's view: {withheld}",
    "rank.line": "{place} of {of} teams (top {top} %)",
    "rank.label": "Rank: {rank}",
    "sla.met": "SLA met on {share} % of answered tickets",
    "sla.melon": " · 🍉 {share} % of those were detractors",
    "sla.partial": " (SLA data on {with_sla} of {answered} answered tickets)",
    "sla.withheld": "SLA: {withheld}",
    "lost.line": Plural(
        "Work time lost: about {hours} h over {count} answer ({each} h per ticket)",
        "Work time lost: about {hours} h over {count} answers ({each} h per ticket)",
    ),
    "lost.withheld": "Work time lost: {withheld}",
    # Replies to commands and clicks.
    "command.late_reply": (
        "This one takes a moment: the answer will be in your direct messages with npsbot."
    ),
    "command.failed": "Sorry, I couldn't work that out just now. Please try again in a minute.",
    "click.failed": "Sorry, that didn't work just now. Please try again in a minute.",
    "click.save_failed": "Sorry, your answer could not be saved just now. Please click again in "
    "a minute.",
    "click.unknown_button": "Sorry, I don't know that button. Is this an old card?",
    "click.not_a_score": "That is not a score from 0 to 10.",
    "comment.too_long": "Your comment is too long ({reason}); nothing was saved.",
    "callback.yours": "It's yours: you're calling back.",
    "callback.released": "Released: any lead can call back now.",
    "callback.closed": "Thank you: the callback is closed ({outcome}).",
    "chart.in_dm": "The chart is in your direct messages with npsbot.",
    "chart.comment": "Chart for your {command} request: {title}",
    "me.private": "Your own scores are private: ask me {command} in our 1:1 chat.",
    "teams.welcome": "Hi, I'm npsbot. I post detractor alerts and weekly digests where nps.toml "
    "tells me to. To use this channel for a team, paste its id (below) as `teams_lead_channel` "
    "for that team in nps.toml. For another channel, @mention me there with `nps help`.",
    "teams.channel_id": "This channel's id (for teams_lead_channel in nps.toml): ",
}


def _template(key: str, count: int | None) -> str:
    text = TEXTS[key]
    if isinstance(text, Plural):
        if count is None:
            raise TypeError(f"{key!r} has plural forms: say which count")
        return text.one if count == 1 else text.other
    return text


def say(key: str, /, count: int | None = None, **values: object) -> str:
    """The text of `key` with its placeholders filled; `count` picks a plural form."""
    return _template(key, count).format(count=count, **values)


def pieces(key: str, /, count: int | None = None, **values: str | T) -> list[str | T]:
    """The text of `key` cut at its placeholders, each replaced by its value as given (a Teams
    run, say), for a layout that cannot take markup inside a string. Neighbouring strings are
    joined and empty ones dropped."""
    out: list[str | T] = []
    for literal, field, _spec, _conv in Formatter().parse(_template(key, count)):
        parts: list[str | T] = [literal]
        if field is not None:
            parts.append(str(count) if field == "count" else values[field])
        for part in parts:
            if isinstance(part, str) and out and isinstance(out[-1], str):
                out[-1] += part
            elif part != "":
                out.append(part)
    return out


def score_notice(outcome: ScoreOutcome) -> str | None:
    """What the person who clicked a score is told when it was not recorded (None: it was)."""
    match outcome:
        case ScoreRecorded():
            return None
        case AlreadyAnswered():
            return say("score.already", score=outcome.score)
        case SurveyExpired():
            return say("score.expired")
        case UnknownSurvey():
            return say("score.no_survey")
        case NotRequester():
            return say("score.not_yours")
        case _:
            assert_never(outcome)


def refusal(outcome: ClaimOutcome | OwnerOutcome, owner: str | None) -> str:
    """Why a lead's click on a callback changed nothing; `owner` is how the platform names the
    callback's owner (a mention, a display name), None when it cannot."""
    match outcome:
        case UnknownCallback():
            return say("callback.gone")
        case NotLeadChannel():
            return say("callback.not_lead_channel")
        case _ if outcome.callback.status is CallbackStatus.CLOSED:
            return say("callback.already_closed")
        case OwnedByOther():
            return say("callback.taken", owner=owner or say("callback.another_lead"))
        case NotOwner() | Closed() | Released() | Claimed():
            return say("callback.not_yours", owner=owner or say("callback.its_owner"))
        case _:
            assert_never(outcome)
