"""Sentences of the surveys, alerts and replies, in plain words: an adapter lays them out.

The report figures' phrases are in bot.report_text; these are the words around them. They carry
no markup, so a renderer escapes what it interpolates for its own platform.
"""

from __future__ import annotations

from bot.texts import say

SCALE = "0 = not at all likely · 10 = extremely likely"
REMINDER = "A quick reminder: "
OPT_OUT = "Don't ask me again"
ADD_COMMENT = "Add a comment"
EDIT_COMMENT = "Edit your comment"
ANYTHING_TO_ADD = "Anything you want to add?"
SHARE = "You may share this comment with the team (without my name)"
NO_SURVEY = "Sorry, I can't find that survey any more."
NO_CALLBACK = "Sorry, I can't find that callback any more."
CALLBACK_CLOSED = "This callback is already closed."
NO_COMMENTS_OF_YOURS = "No comments on your tickets in this period."
NO_TEAMS = "No teams are configured in nps.toml yet."
NO_DRIVERS = "No drivers are configured."
QUOTES_HEAD = "What people said (never attributed)"
YOUR_COMMENTS_HEAD = "Recent comments on your tickets"
NOBODY_WAITS = "None: every detractor has been called back."


def closed(ticket: str, agent: str | None) -> str:
    return f"Your ticket {ticket} was closed{f' by {agent}' if agent else ''}."


def question(team: str) -> str:
    return f"How likely are you to recommend {team} to a colleague?"


def thanks(score: int, ticket: str) -> str:
    return f"Thank you! You gave {score} for {ticket}."


def what_mattered(labels: str) -> str:
    return f"What mattered: {labels}"


def survey_closed(ticket: str) -> str:
    return f"This survey about {ticket} has closed. Thank you anyway!"


def opted_out(ticket: str) -> str:
    return (
        f"Understood: you won't be asked about your tickets any more. (This was about {ticket}.) "
        "Changed your mind? Type `/nps optin`."
    )


def already_answered(score: int) -> str:
    return f"Your answer was already recorded (you gave {score}). Thank you!"


EXPIRED = "This survey has closed, so the score wasn't recorded. Thank you anyway!"


def you_gave(score: int, ticket: str) -> str:
    return f"You gave {score} for {ticket}."


def detractor(score: int, ticket: str) -> str:
    return f"Detractor: {score}/10 for {ticket}"


def calling_back(owner: str, since: str) -> str:
    return f"{owner} is calling back (since {since})"


def closed_by(owner: str, outcome: str, took: str) -> str:
    return f"Closed by {owner}: {outcome}, {took} after the answer"


def already_calling(owner: str) -> str:
    return f"{owner} is already calling back about this one."


def not_yours(owner: str | None) -> str:
    return f"Only {owner or 'its owner'} (or an admin) can do that; the callback is not yours."


def calling_whom(person: str, email: str, ticket: str) -> str:
    return f"You're calling back {person} ({email}) about {ticket}."


def waits(level: int, score: int, team: str, ticket: str, since: str) -> str:
    who = "Escalation" if level > 1 else "Reminder"
    return (
        f"{who}: the detractor ({score}/10, {team}) on {ticket} has waited since {since} and "
        "nobody is calling back yet."
    )


def still_open(ticket: str, claimed: str) -> str:
    return f"You took the callback about {ticket} on {claimed}."


def praise_head(score: int, ticket: str, agent: str, for_team: bool) -> str:
    if for_team:
        return f"Kudos to {agent}! A requester gave {score}/10 for {ticket}:"
    return f"A requester gave you {score}/10 for {ticket} and wrote:"


def open_callbacks_head(scope: str) -> str:
    return f"Open callbacks for {scope} (oldest first)"


def callback_line(ticket: str, title: str, score: int, team: str, waited: str, owner: str) -> str:
    return f"{ticket} {title} — {score}/10, {team}, waiting {waited}, {owner}"


def team_head(team: str) -> str:
    return f"NPS — {team}"


def over_weeks(figure: str, weeks: int) -> str:
    return f"{figure} over the last {weeks} weeks"


def few_legend(needed: int) -> str:
    return (
        f"fewer than {needed} answers: one answer moves that week's score a lot. ± is the margin "
        "of error at 95 %. Weeks start Monday in the team's time zone."
    )


def undelivered(n: int) -> str:
    return say("report.undeliverable", count=n)


def overview_head(weeks: int, since: str) -> str:
    return f"NPS by team — last {weeks} weeks (since {since})"


def standing_legend(needed: int) -> str:
    return (
        "⭐ at least 10 points above the organisation, 🆘 negative or 10 below; "
        f"⚠ fewer than {needed} answers, so no verdict."
    )


def agent_head(weeks: int) -> str:
    return f"Your NPS — last {weeks} weeks"


def drivers_head(team: str) -> str:
    return f"What moves the score — {team}"


def digest_head(team: str, week: str) -> str:
    return f"Weekly NPS — {team}, week of {week}"


def loose(needed: int) -> str:
    return f"⚠ fewer than {needed} answers: read the score loosely."
