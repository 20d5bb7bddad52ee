"""Replies to commands and clicks: `/nps help`, a mistyped command, notices and failures."""

from __future__ import annotations

from bot.texts.plural import Plural

TEXTS: dict[str, str | Plural] = {
    # `/nps help` (Teams: `nps help`).
    "help": (
        "npsbot asks requesters how their closed IT ticket went (0–10) and closes the loop.\n"
        "Commands:\n"
        "• `/nps team eus` — a team's NPS week by week (default 8 weeks), e.g. "
        '`/nps team "End User Services" weeks 12`; in a lead channel `/nps team` is its team\n'
        "• `/nps teams` — every team side by side over the last 4 weeks, best first\n"
        "• `/nps drivers eus` — what moves a team's score most: each driver's share of it, "
        "how often it is named as good and as bad (default 12 weeks, e.g. "
        "`/nps drivers eus weeks 26`)\n"
        "• `/nps gap eus` — IT's view (the agents' guesses) beside customers' answers on the same "
        "tickets, week by week with a chart (default 12 weeks)\n"
        "• `/nps themes eus` — what the comments are about: themes found automatically, each "
        "with its count, its share of detractors and its change (default 12 weeks)\n"
        "• `/nps me` — your own score and the comments on your tickets (last 12 weeks)\n"
        "• `/nps callbacks` — open detractor callbacks of this lead channel's teams, oldest first\n"
        '• `/nps optin` — be asked about your tickets again after "Don\'t ask me again"\n'
        "• `/nps help` — this help\n"
        "NPS = % promoters (9–10) − % detractors (0–6), from −100 to +100, rounded half away "
        "from zero; 7–8 are passives. Weeks start Monday in the team's time zone; the last week "
        "shown is the current one, still open. Response rate = surveys answered / surveys "
        "delivered in the period. ± is the margin of error at 95 %."
    ),
    # A mistyped command: what was wrong, then where the rest is.
    "help.mistake": "{reason}. `/nps help` lists every command, with examples.",
    "help.too_long": "that command is longer than {max} characters",
    "help.open_quote": "a quote is not closed",
    "help.nothing_after": "`{verb}` takes nothing after it",
    "help.only_weeks": "`{verb}` takes only `weeks N` after it",
    "help.weeks": "`{verb} … weeks N` needs a whole number of weeks from 1 to {max}",
    "help.unknown": "I don't know the command '{word}'",
    # Replies to commands.
    "command.late_reply": (
        "This one takes a moment: the answer will be in your direct messages with npsbot."
    ),
    "command.failed": "Sorry, I couldn't work that out just now. Please try again in a minute.",
    "optin.welcome_back": "Welcome back: you'll be asked about your closed tickets again.",
    "optin.not_opted_out": "You are not opted out: you are asked about your closed tickets "
    "already.",
    "optin.never_surveyed": "I haven't surveyed you yet, so there is nothing to undo.",
    "callbacks.not_lead_channel": "Type `/nps callbacks` in a team's lead channel (as set in "
    "nps.toml) to see its open callbacks; admins listed in nps.toml see every team's from "
    "anywhere.",
    "me.no_email": "I couldn't read your e-mail address from your profile, so I can't find your "
    "tickets. Ask your admin to check that npsbot may read e-mail addresses.",
    "me.private": "Your own scores are private: ask me {command} in our 1:1 chat.",
    "team.none": "No teams are configured yet: your admin lists them in nps.toml.",
    "team.which": "Which team? For example `/nps team {key}`.\n{known}",
    "team.unknown": "I don't know a team called “{name}”.\n{known}",
    "team.known": "Known teams: {teams}.",
    "chart.in_dm": "The chart is in your direct messages with npsbot.",
    "chart.comment": "Chart for your {command} request: {title}",
    # Replies to clicks.
    "click.failed": "Sorry, that didn't work just now. Please try again in a minute.",
    "click.save_failed": "Sorry, your answer could not be saved just now. Please click again in "
    "a minute.",
    "click.unknown_button": "Sorry, I don't know that button. Is this an old card?",
    "click.not_a_score": "That is not a score from 0 to 10.",
    # Teams: added to a channel.
    "teams.welcome": "Hi, I'm npsbot. I post detractor alerts and weekly digests where nps.toml "
    "tells me to. To use this channel for a team, paste its id (below) as `teams_lead_channel` "
    "for that team in nps.toml. For another channel, @mention me there with `nps help`.",
    "teams.channel_id": "This channel's id (for teams_lead_channel in nps.toml): ",
}
