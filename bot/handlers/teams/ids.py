"""Every Adaptive Card verb and input id npsbot uses in Teams, in one place."""

from __future__ import annotations

from enum import StrEnum


class Verb(StrEnum):
    """`Action.Execute` verbs; the `Action.Submit` fallback carries the same one under "verb"."""

    SCORE = "nps.score"
    COMMENT = "nps.comment"
    OPT_OUT = "nps.optout"
    CLAIM = "nps.callback.claim"
    RELEASE = "nps.callback.release"
    DONE = "nps.callback.done"
    GUESS = "nps.guess"  # the agent's guess; data {"survey": id, "score": n}


class Input(StrEnum):
    COMMENT = "comment"
    DRIVERS = "drivers"
    SHARE = "share"
    OUTCOME = "outcome"
    NOTES = "notes"
    LOST_TIME = "lost_time"
