"""Every Slack action, view and block id npsbot uses, in one place."""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import StrEnum


class SlackId(StrEnum):
    SCORE = "nps.score"  # action ids are nps.score.0 … nps.score.10, unique within their block
    COMMENT_OPEN = "nps.comment.open"
    OPT_OUT = "nps.optout"
    COMMENT_VIEW = "nps.comment"
    COMMENT_BLOCK = "comment"
    COMMENT_INPUT = "text"
    DRIVERS_BLOCK = "drivers"
    DRIVERS_INPUT = "selected"
    SHARE_BLOCK = "share"
    SHARE_INPUT = "ok"
    SCORE_BLOCK = "nps.scores"
    CALLBACK_CLAIM = "nps.callback.claim"
    CALLBACK_RELEASE = "nps.callback.release"
    CALLBACK_DONE = "nps.callback.done"
    OUTCOME_VIEW = "nps.callback.outcome"
    OUTCOME_BLOCK = "outcome"
    OUTCOME_INPUT = "choice"
    NOTES_BLOCK = "notes"
    NOTES_INPUT = "text"
    LOST_TIME_BLOCK = "lost_time"
    LOST_TIME_INPUT = "choice"
    GUESS = "nps.guess"  # the agent's guess: nps.guess.0 … nps.guess.10, value "<survey>:<n>"
    GUESS_BLOCK = "nps.guesses"
    HOME_OPT_OUT = "nps.home.optout"  # the App Home switch: acts on whoever clicks it
    HOME_OPT_IN = "nps.home.optin"


SCORE_ACTION = re.compile(r"^nps\.score\.(?:10|[0-9])$")
_SCORE_VALUE = re.compile(r"^([0-9a-f]{16}):(10|[0-9])$")


GUESS_ACTION = re.compile(r"^nps\.guess\.(?:10|[0-9])$")


def guess_action_id(score: int) -> str:
    return f"{SlackId.GUESS}.{score}"


def score_action_id(score: int) -> str:
    return f"{SlackId.SCORE}.{score}"


def score_value(survey_id: str, score: int) -> str:
    return f"{survey_id}:{score}"


def parse_score_value(value: str) -> tuple[str, int] | None:
    match = _SCORE_VALUE.match(value or "")
    return (match.group(1), int(match.group(2))) if match else None


_ID_VALUE = re.compile(r"[0-9a-f]{16}")  # survey and callback ids: secrets.token_hex(8)


def is_id_value(value: str) -> bool:
    return _ID_VALUE.fullmatch(value) is not None


def _is_score_value(value: str) -> bool:
    return parse_score_value(value) is not None


HOME_SELF = "me"  # the opt switch's value: it acts on whoever clicks it, never on someone else


def _is_self(value: str) -> bool:
    return value == HOME_SELF


# Each action npsbot registers, and what its button's value must look like: checked at the
# boundary (handlers/slack/shape.py), so no listener ever sees a value of another shape.
ACTION_VALUES: dict[str, Callable[[str], bool]] = {
    **{score_action_id(score): _is_score_value for score in range(11)},
    **{guess_action_id(score): _is_score_value for score in range(11)},
    SlackId.COMMENT_OPEN.value: is_id_value,
    SlackId.OPT_OUT.value: is_id_value,
    SlackId.CALLBACK_CLAIM.value: is_id_value,
    SlackId.CALLBACK_RELEASE.value: is_id_value,
    SlackId.CALLBACK_DONE.value: is_id_value,
    SlackId.HOME_OPT_OUT.value: _is_self,
    SlackId.HOME_OPT_IN.value: _is_self,
}
# Each modal npsbot opens, and the key its private_metadata carries.
VIEW_METADATA_KEYS = {SlackId.COMMENT_VIEW.value: "survey", SlackId.OUTCOME_VIEW.value: "callback"}
