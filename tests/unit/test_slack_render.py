"""Tests for bot.handlers.slack.render: valid Block Kit, and no user text that Slack would parse."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.handlers.slack.block_kit import escape, unescape
from bot.handlers.slack.ids import SCORE_ACTION, parse_score_value
from bot.handlers.slack.render import notice, survey_closed
from bot.handlers.slack.render_survey import comment_modal, score_thanks, survey_prompt
from bot.messages import CommentForm, Notice, ScoreThanks, SurveyClosed, SurveyPrompt
from bot.model import MAX_COMMENT_CHARS, Driver

SURVEY = "0123456789abcdef"
HOSTILE = "Fix <!channel> for <@U123> & see <https://evil|ok> > now"
ENTITY = re.compile(r"&(?:amp|lt|gt);")


def prompt(**changes: Any) -> SurveyPrompt:
    fields: dict[str, Any] = {
        "survey_id": SURVEY,
        "ticket_id": "INC0012345",
        "title": "VPN keeps disconnecting",
        "url": None,
        "agent_name": "Carol",
        "team_label": "End User Services",
    }
    return SurveyPrompt(**{**fields, **changes})


def mrkdwn_texts(node: object) -> Iterator[str]:
    """Every mrkdwn text object anywhere in a block list or view."""
    if isinstance(node, dict):
        if node.get("type") == "mrkdwn":
            yield node["text"]
        for value in node.values():
            yield from mrkdwn_texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from mrkdwn_texts(item)


def assert_no_control_characters(text: str) -> None:
    """No '<' or '>' at all, and every '&' starts one of Slack's three entities."""
    assert "<" not in text
    assert ">" not in text.replace("\n> ", "\n").removeprefix("> ")  # a quote's own marker
    assert "&" not in ENTITY.sub("", text)


def assert_valid_blocks(blocks: list[dict[str, Any]]) -> None:
    for raw in blocks:
        block = Block.parse(raw)
        assert block is not None, raw
        block.validate_json()


def every_message(text: str) -> list[list[dict[str, Any]]]:
    """Blocks of every message, with `text` wherever a user's words can appear."""
    return [
        survey_prompt(prompt(title=text, agent_name=text, team_label=text, ticket_id=text))[1],
        score_thanks(ScoreThanks(SURVEY, text, text, 7, comment=text))[1],
        survey_closed(SurveyClosed(text, text))[1],
        notice(Notice(text))[1],
        comment_modal(CommentForm(SURVEY, text, 7, comment=text))["blocks"],
    ]


@given(st.text())
@settings(max_examples=300, deadline=None)
def test_unescape_reverses_escape(text: str) -> None:
    assert unescape(escape(text)) == text


@given(st.text())
@settings(max_examples=300, deadline=None)
def test_escaped_text_has_no_angle_brackets(text: str) -> None:
    escaped = escape(text)
    assert "<" not in escaped
    assert ">" not in escaped
    assert "&" not in ENTITY.sub("", escaped)


def test_escape_of_a_mention_and_a_link() -> None:
    assert escape("<!channel> & <https://evil|ok>") == (
        "&lt;!channel&gt; &amp; &lt;https://evil|ok&gt;"
    )


def test_survey_prompt_has_eleven_score_buttons_labelled_0_to_10() -> None:
    _, blocks = survey_prompt(prompt())
    actions = [b for b in blocks if b["type"] == "actions"]
    assert len(actions) == 2  # the scores, then "Don't ask me again" apart from them
    assert [b["action_id"] for b in actions[1]["elements"]] == ["nps.optout"]
    buttons = actions[0]["elements"]
    assert [b["text"]["text"] for b in buttons] == [str(n) for n in range(11)]
    assert [b["value"] for b in buttons] == [f"{SURVEY}:{n}" for n in range(11)]
    assert [parse_score_value(b["value"]) for b in buttons] == [(SURVEY, n) for n in range(11)]
    action_ids = [b["action_id"] for b in buttons]
    assert len(set(action_ids)) == 11
    assert all(SCORE_ACTION.match(a) for a in action_ids)


def test_survey_prompt_links_the_ticket_when_it_has_an_http_url() -> None:
    _, blocks = survey_prompt(prompt(url="https://itsm.example.com/INC0012345"))
    intro = blocks[0]["text"]["text"]
    assert "<https://itsm.example.com/INC0012345|INC0012345 VPN keeps disconnecting>" in intro


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "https://x.example/a|<!channel>", "https://x.example/>"]
)
def test_survey_prompt_does_not_link_an_unsafe_url(url: str) -> None:
    _, blocks = survey_prompt(prompt(url=url))
    intro = blocks[0]["text"]["text"]
    assert "<" not in intro
    assert "*INC0012345 VPN keeps disconnecting*" in intro


@pytest.mark.parametrize(
    "blocks",
    [
        survey_prompt(prompt())[1],
        survey_prompt(prompt(url="https://itsm.example.com/1", agent_name=None))[1],
        score_thanks(ScoreThanks(SURVEY, "INC1", "VPN", 9))[1],
        score_thanks(
            ScoreThanks(SURVEY, "INC1", "VPN", 3, comment="Slow.\nBut kind.", drivers=tuple(Driver))
        )[1],
        score_thanks(ScoreThanks(SURVEY, "INC1", "VPN", 9, can_comment=False))[1],
        survey_closed(SurveyClosed("INC1", "VPN"))[1],
        notice(Notice("That survey has already closed."))[1],
    ],
)
def test_every_message_is_valid_block_kit(blocks: list[dict[str, Any]]) -> None:
    assert blocks
    assert_valid_blocks(blocks)


@pytest.mark.parametrize(
    "form",
    [
        CommentForm(SURVEY, "INC1", 7),
        CommentForm(SURVEY, "INC1", 2, comment="c" * MAX_COMMENT_CHARS, drivers=tuple(Driver)),
    ],
)
def test_comment_modal_is_a_valid_view(form: CommentForm) -> None:
    view = comment_modal(form)
    View(**view).validate_json()
    assert len(view["title"]["text"]) <= 24
    inputs = [b["element"] for b in view["blocks"] if b["type"] == "input"]
    text_input = next(e for e in inputs if e["type"] == "plain_text_input")
    assert text_input["max_length"] == 3000
    assert text_input.get("initial_value") == form.comment


def test_comment_modal_preselects_the_chosen_drivers() -> None:
    view = comment_modal(CommentForm(SURVEY, "INC1", 7, drivers=(Driver.TIMELINESS,)))
    boxes = next(
        b["element"] for b in view["blocks"] if b.get("element", {}).get("type") == "checkboxes"
    )
    assert [o["value"] for o in boxes["initial_options"]] == ["timeliness"]
    assert len(boxes["options"]) == len(Driver)


def test_score_thanks_offers_to_edit_once_there_is_a_comment() -> None:
    def button_label(msg: ScoreThanks) -> str | None:
        actions = [b for b in score_thanks(msg)[1] if b["type"] == "actions"]
        return actions[0]["elements"][0]["text"]["text"] if actions else None

    assert button_label(ScoreThanks(SURVEY, "INC1", "t", 8)) == "Add a comment"
    assert button_label(ScoreThanks(SURVEY, "INC1", "t", 8, comment="ok")) == "Edit your comment"
    assert button_label(ScoreThanks(SURVEY, "INC1", "t", 8, can_comment=False)) is None


@pytest.mark.parametrize("blocks", every_message(HOSTILE))
def test_hostile_user_text_is_escaped_in_every_mrkdwn_text(blocks: list[dict[str, Any]]) -> None:
    texts = list(mrkdwn_texts(blocks))
    assert texts
    joined = "\n".join(texts)
    for raw in ("<!channel>", "<@U123>", "<https://evil|ok>", " & "):
        assert raw not in joined
    for text in texts:
        assert_no_control_characters(text)


@given(st.text(max_size=200))
@settings(max_examples=200, deadline=None)
def test_short_user_text_never_forms_slack_markup(text: str) -> None:
    for blocks in every_message(text):
        for mrkdwn in mrkdwn_texts(blocks):
            assert_no_control_characters(mrkdwn)


def test_longest_comment_fits_in_one_section() -> None:
    comment = "x" * MAX_COMMENT_CHARS
    _, blocks = score_thanks(ScoreThanks(SURVEY, "INC1", "VPN", 6, comment=comment))
    assert_valid_blocks(blocks)
    assert all(len(text) <= 3000 for text in mrkdwn_texts(blocks))
    assert "…" in blocks[1]["text"]["text"]


def test_long_title_of_ampersands_is_not_cut_inside_an_entity() -> None:
    _, blocks = survey_prompt(prompt(ticket_id="T1", title="&" * 1000))
    assert "&" not in ENTITY.sub("", blocks[0]["text"]["text"])


def test_longest_comment_of_ampersands_is_not_cut_inside_an_entity() -> None:
    comment = "&" * MAX_COMMENT_CHARS
    _, blocks = score_thanks(ScoreThanks(SURVEY, "INC1", "VPN", 6, comment=comment))
    for text in mrkdwn_texts(blocks):
        assert len(text) <= 3000
        assert "&" not in ENTITY.sub("", text)
