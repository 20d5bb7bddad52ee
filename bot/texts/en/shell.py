"""`npsbot shell`: the lines that stand where Slack and Teams draw buttons, naming the command
that clicks them. The commands (`score`, `comment`, `--drivers`, `claim`, `done`, `release`) are
the shell's syntax, the same in every language: translate only the words around them."""

from __future__ import annotations

from bot.texts.plural import Plural

TEXTS: dict[str, str | Plural] = {
    "shell.score": "→ score 0-10 (or `answer {ticket} N`) · optout: {opt_out}",
    "shell.comment": '→ {label}: comment "your words" --drivers {first},… [--share]',
    "shell.form.comment": '{question} → comment "your words"',
    "shell.form.drivers": "{question} → --drivers a,b from: {offered}",
    "shell.form.share": "{share} → --share",
    "shell.claim": "→ claim {ticket} ({call_back})",
    "shell.done_or_release": "→ done {ticket} [{outcomes}] [notes] · release {ticket}",
    "shell.done": "→ done {ticket}",
    "shell.done_when": "→ done {ticket} when you have an outcome",
}
