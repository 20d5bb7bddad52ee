"""What `help` prints in the shell: its own commands; `/nps help` prints the chat's."""

from __future__ import annotations

SHELL_HELP = """\
You play every role; what the bot sends appears in the pane it was sent to:
[DM person] is a direct message, [#team-leads] a team's lead channel.
As the ITSM tool:
  close TICKET "Title" --team KEY --requester EMAIL [--agent EMAIL] [--url URL]
      closes a ticket, as the webhook does: its survey goes to the requester's DM
As the requester (the shell answers the survey it last showed, or TICKET's):
  score N  ·  answer TICKET N          the 0-10 score
  comment [TICKET]                     show the comment form (the drivers it offers)
  comment [TICKET] "words" [--drivers a,b] [--share]
  optout [TICKET]                      "Don't ask me again"
As a team lead (in the lead channel the alert was posted to):
  claim [TICKET]                       take the callback (the last alert, or TICKET's)
  done [TICKET] [reached|not_reached|resolved|not_resolved] [notes]
  release [TICKET]                     give the callback back
As anyone:
  /nps team eus · /nps teams · /nps me · /nps callbacks · /nps drivers eus · /nps themes eus
  /nps help
      the chat commands, answered as in Slack and Teams; charts are saved as PNG files
  as EMAIL                             be someone else (/nps me, claim, done, release)
  in TEAM | in dm                      type /nps in TEAM's lead channel, or in a DM
  whoami · help · quit (or Ctrl-D)
↑ and Ctrl-R recall earlier lines (kept in ~/.npsbot_shell_history)."""
