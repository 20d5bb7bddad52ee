"""The leads' side: detractor alerts, callbacks, their outcomes and reminders."""

from __future__ import annotations

from bot.texts.plural import Plural

TEXTS: dict[str, str | Plural] = {
    # The detractor alert in a team's lead channel.
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
    # The alert's notification line, true to where its callback stands.
    "alert.summary.open": "Detractor {score}/10 for {ticket}: call back",
    "alert.summary.claimed": "Detractor {score}/10 for {ticket}: being called back",
    "alert.summary.closed": "Detractor {score}/10 for {ticket}: closed",
    "alert.summary.closed_as": "Detractor {score}/10 for {ticket}: closed ({outcome})",
    # Closing a callback.
    "outcome.title": "Callback outcome",
    "outcome.submit": "Close callback",
    "outcome.question": "How did the call about {ticket} go?",
    "outcome.label": "Outcome",
    "outcome.pick": "Pick an outcome",
    "outcome.notes": "Notes",
    "outcome.reached": "Reached the person",
    "outcome.not_reached": "Could not reach them",
    "outcome.resolved": "Resolved the issue",
    "outcome.not_resolved": "Could not resolve the issue",
    # Told only to the lead who claimed.
    "details.summary": "Requester details for {ticket}",
    "details": "You're calling back {who} about {ticket}.",
    "details.done": "Click {done} on the alert when you have an outcome.",
    # Nobody claimed in time (a reminder, then an escalation), or the owner has not closed.
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
    # `/nps callbacks`.
    "list.title": "Open callbacks for {scope}",
    "list.oldest_first": "(oldest first)",
    "list.summary": Plural("{count} open callback", "{count} open callbacks"),
    "list.empty.summary": "No open callbacks.",
    "list.empty": "None: every detractor has been called back.",
    "list.line": "{ticket} — {score}/10, {team}, waiting {age}, {owner}",
    "list.calling_back": "{owner} calling back",
    "list.unclaimed": "unclaimed",
    "list.all_teams": "all teams",
    "list.unknown_teams": "unknown teams",
    "list.not_shown": "…and {count} more, not shown here.",
    # How long: a callback's wait ("5h", "2d 3h"), the time to close it ("3h 05m").
    "time.days_hours": "{days}d {hours}h",
    "time.hours_minutes": "{hours}h {minutes}m",
    "time.hours": "{hours}h",
    "time.minutes": "{minutes} min",
    "time.under_a_minute": "under a minute",
    # A click on a callback that changed nothing.
    "callback.gone": "Sorry, I can't find that callback any more.",
    "callback.already_closed": "This callback is already closed.",
    "callback.taken": "{owner} is already calling back about this one.",
    "callback.another_lead": "Another lead",
    "callback.not_yours": "Only {owner} (or an admin) can do that; the callback is not yours.",
    "callback.its_owner": "its owner",
    "callback.not_lead_channel": "Sorry, a callback is taken from the team's lead channel (or by "
    "an admin). Nothing was changed.",
    # A click on a callback that did something.
    "callback.yours": "It's yours: you're calling back.",
    "callback.released": "Released: any lead can call back now.",
    "callback.closed": "Thank you: the callback is closed ({outcome}).",
}
