"""The requester's side: the survey, the answer, the comment form, praise and the Home tab."""

from __future__ import annotations

from bot.texts.plural import Plural

TEXTS: dict[str, str | Plural] = {
    # The survey, sent when a ticket is closed.
    "survey.summary": "How did it go with {ticket}? Rate it 0–10.",
    "survey.reminder": "A quick reminder:",
    "survey.intro": "Your ticket {ticket} was closed{by}.",
    "survey.by": " by {agent}",
    "survey.question": "How likely are you to recommend {team} to a colleague?",
    "survey.scale": "0 = not at all likely · 10 = extremely likely",
    "survey.opt_out": "Don't ask me again",
    # The thanks that replaces the survey, and the comment form it opens.
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
    # The form's drivers question fits the score: 9–10, 7–8, 0–6.
    "form.went_well": "What went well?",
    "form.make_it_a_10": "What would have made it a 10?",
    "form.went_wrong": "What went wrong?",
    # nps.toml `ask_lost_time`: the question and its choices.
    "lost_time.question": "How much work time did this issue cost you?",
    "lost_time.none": "None",
    "lost_time.under_1h": "Under 1 hour",
    "lost_time.1_4h": "1–4 hours",
    "lost_time.day": "About a day",
    "lost_time.over_day": "More than a day",
    # A form sent back with something wrong: "Sorry, {reason}; nothing was saved.".
    "form.refused": "Sorry, {reason}; nothing was saved.",
    "comment.too_long": "Your comment is too long ({reason}); nothing was saved.",
    "comment.at_most": "at most {max} characters",
    "lost_time.not_offered": "the work time lost is one of the choices offered",
    # What replaces the survey when it can no longer be answered.
    "closed.summary": "This survey about {ticket} has closed.",
    "closed": "This survey about {ticket} has closed. Thank you anyway!",
    "opted_out.summary": "You won't be asked again.",
    "opted_out": "Understood: you won't be asked about your tickets any more.",
    "opted_out.about": "(This was about {ticket}.)",
    "opted_out.slack": "Changed your mind? Type `/nps optin`.",
    "opted_out.teams": "Changed your mind? Send me **nps optin**.",
    # A score click that changed nothing.
    "score.already": "Your answer was already recorded (you gave {score}). Thank you!",
    "score.expired": "This survey has closed, so the score wasn't recorded. Thank you anyway!",
    "score.no_survey": "Sorry, I can't find that survey any more.",
    "score.not_yours": "Sorry, this survey was sent to someone else, so only they can answer it. "
    "Nothing was changed.",
    # Where an alert was, after `npsbot forget`.
    "removed": "This message was removed at the requester's request.",
    # Praise for a promoter's words.
    "praise.summary": "Praise for {ticket}",
    "praise.to_agent": "A requester gave you {score}/10 for {ticket} and wrote:",
    "praise.kudos": "Kudos to {agent}!",
    "praise.to_team": "A requester gave {score}/10 for {ticket}:",
    "praise.the_agent": "the agent",
    # Slack's Home tab: the surveys waiting, the opt-out switch, a lead's callbacks.
    "home.surveys": "Your surveys",
    "home.no_surveys": "No survey is waiting for your answer.",
    "home.opted_in": "You are asked how it went when one of your tickets is closed.",
    "home.opted_out": "You asked not to be surveyed about your tickets.",
    "home.unknown_person": "I can't read your e-mail address, so I can't find your tickets.",
    "home.opt_in": "Ask me again",
    "home.callbacks": "Callbacks",
    "home.no_callbacks": "No open callbacks for you.",
    "home.more_callbacks": "…and {count} more: type `/nps callbacks` in a team's lead channel "
    "for the full list.",
    "home.call": "Call {email}",
}
