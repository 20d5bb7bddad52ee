"""Tests for bot.handlers.signing: known answers, replay window, rotation and garbage input."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from slack_sdk.signature import SignatureVerifier

from bot.handlers.signing import (
    SignatureRejected,
    parse_webhook_secret,
    precheck_slack_request,
    sign_standard_webhook,
    verify_standard_webhook,
)

PAYLOADS = Path(__file__).resolve().parents[1] / "payloads"
SECRET = "whsec_bnBzYm90LXRlc3Qta2V5LTAxMjM0NTY3ODlhYmNkZWY="
KEY = parse_webhook_secret(SECRET)
OTHER_KEY = b"another-test-key-24bytes-long!!!"
MSG_ID = "msg_2Q4x7Yc1nPsB0t"
TS = 1763632800
SIGNATURE = "v1,ecSiH5kpSO9hXAaumOii8xF4ab+ctw7RRaZT3g8nPpI="
BODY = (PAYLOADS / "generic_ticket_closed.json").read_bytes()
REASONS = {"missing_header", "bad_timestamp", "stale", "bad_format", "mismatch", "bad_body"}


def good_headers() -> dict[str, str]:
    return {"webhook-id": MSG_ID, "webhook-timestamp": str(TS), "webhook-signature": SIGNATURE}


def test_known_answer_vector_verifies_and_signs() -> None:
    assert verify_standard_webhook([KEY], good_headers(), BODY, now=TS) == MSG_ID
    assert sign_standard_webhook(KEY, MSG_ID, TS, BODY) == SIGNATURE


def test_spec_known_answer_vector() -> None:
    # The vector published with the standardwebhooks reference library.
    key = parse_webhook_secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
    body = b'{"test": 2432232314}'
    expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    assert sign_standard_webhook(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body) == expected


def test_headers_are_case_insensitive() -> None:
    headers = {name.upper(): value for name, value in good_headers().items()}
    assert verify_standard_webhook([KEY], headers, BODY, now=TS) == MSG_ID


def test_headers_from_a_multidict() -> None:
    # aiohttp hands over a CIMultiDictProxy; multidict ships with aiohttp.
    multidict = pytest.importorskip("multidict")
    headers = multidict.CIMultiDict({k.title(): v for k, v in good_headers().items()})
    assert verify_standard_webhook([KEY], headers, BODY, now=TS) == MSG_ID


@pytest.mark.parametrize("skew", [-299, 0, 299, -300, 300])
def test_window_accepts_inside_tolerance(skew: int) -> None:
    assert verify_standard_webhook([KEY], good_headers(), BODY, now=TS + skew) == MSG_ID


@pytest.mark.parametrize("skew", [-301, 301, -(10**9)])
def test_window_rejects_too_old_and_too_new(skew: int) -> None:
    with pytest.raises(SignatureRejected) as err:
        verify_standard_webhook([KEY], good_headers(), BODY, now=TS + skew)
    assert err.value.reason == "stale"


def test_nan_clock_rejects() -> None:
    with pytest.raises(SignatureRejected):
        verify_standard_webhook([KEY], good_headers(), BODY, now=float("nan"))


def test_rotation_second_key_matches() -> None:
    assert verify_standard_webhook([OTHER_KEY, KEY], good_headers(), BODY, now=TS) == MSG_ID


def test_rotation_one_of_several_entries_matches() -> None:
    other = sign_standard_webhook(OTHER_KEY, MSG_ID, TS, BODY)
    headers = good_headers()
    headers["webhook-signature"] = f"v1a,AAAA {other} garbage {SIGNATURE} v2,xyz"
    assert verify_standard_webhook([KEY], headers, BODY, now=TS) == MSG_ID


def test_non_utf8_body_is_signed_as_bytes() -> None:
    # Authentication is over raw bytes; rejecting non-JSON is the parser's job (400).
    body = b"\xff\xfe not utf-8"
    headers = _with("webhook-signature", sign_standard_webhook(KEY, MSG_ID, TS, body))
    assert verify_standard_webhook([KEY], headers, body, now=TS) == MSG_ID


def test_no_keys_rejects() -> None:
    with pytest.raises(SignatureRejected) as err:
        verify_standard_webhook([], good_headers(), BODY, now=TS)
    assert err.value.reason == "mismatch"


def _without(name: str) -> dict[str, str]:
    headers = good_headers()
    del headers[name]
    return headers


def _with(name: str, value: str) -> dict[str, str]:
    return {**good_headers(), name: value}


GARBAGE: list[tuple[str, dict[str, str], bytes, str | None]] = [
    ("no id", _without("webhook-id"), BODY, "missing_header"),
    ("no timestamp", _without("webhook-timestamp"), BODY, "missing_header"),
    ("no signature", _without("webhook-signature"), BODY, "missing_header"),
    ("no headers", {}, BODY, "missing_header"),
    ("empty id", _with("webhook-id", ""), BODY, "missing_header"),
    ("empty timestamp", _with("webhook-timestamp", ""), BODY, "missing_header"),
    ("empty signature", _with("webhook-signature", ""), BODY, "missing_header"),
    ("ts abc", _with("webhook-timestamp", "abc"), BODY, "bad_timestamp"),
    ("ts nan", _with("webhook-timestamp", "nan"), BODY, "bad_timestamp"),
    ("ts 1e30", _with("webhook-timestamp", "1e30"), BODY, "bad_timestamp"),
    ("ts -1", _with("webhook-timestamp", "-1"), BODY, "bad_timestamp"),
    ("ts 20 digits", _with("webhook-timestamp", "1" * 20), BODY, "bad_timestamp"),
    ("ts leading space", _with("webhook-timestamp", f" {TS}"), BODY, "bad_timestamp"),
    ("ts trailing newline", _with("webhook-timestamp", f"{TS}\n"), BODY, "bad_timestamp"),
    ("ts non-ASCII digits", _with("webhook-timestamp", "١٢٣"), BODY, "bad_timestamp"),
    ("id with space", _with("webhook-id", "msg 1"), BODY, "bad_format"),
    ("id non-ASCII", _with("webhook-id", "msg_é"), BODY, "bad_format"),
    ("id too long", _with("webhook-id", "m" * 256), BODY, "bad_format"),
    ("sig non-ASCII", _with("webhook-signature", "v1,é"), BODY, "bad_format"),
    ("sig no comma", _with("webhook-signature", "v1" + SIGNATURE[3:]), BODY, "bad_format"),
    ("sig two commas", _with("webhook-signature", SIGNATURE + ",x"), BODY, "bad_format"),
    ("sig v2 only", _with("webhook-signature", "v2" + SIGNATURE[2:]), BODY, "bad_format"),
    ("sig v1 empty", _with("webhook-signature", "v1,"), BODY, "bad_format"),
    ("sig not base64", _with("webhook-signature", "v1,!!!notbase64!!!"), BODY, "bad_format"),
    ("sig bad padding", _with("webhook-signature", "v1,abc"), BODY, "bad_format"),
    ("sig huge", _with("webhook-signature", f"{SIGNATURE} " * 10_000), BODY, "bad_format"),
    ("sig wrong digest", _with("webhook-signature", "v1," + "A" * 43 + "="), BODY, "mismatch"),
    ("sig for other id", _with("webhook-id", "msg_other"), BODY, "mismatch"),
    ("body one byte off", good_headers(), BODY[:-2] + b"X" + BODY[-1:], "mismatch"),
    ("body invalid UTF-8", good_headers(), b"\xff\xfe" + BODY, "mismatch"),
    ("body empty", good_headers(), b"", "mismatch"),
]


@pytest.mark.parametrize(
    ("headers", "body", "reason"),
    [pytest.param(h, b, r, id=name) for name, h, b, r in GARBAGE],
)
def test_garbage_is_rejected_with_signature_rejected(
    headers: dict[str, str], body: bytes, reason: str
) -> None:
    with pytest.raises(SignatureRejected) as err:
        verify_standard_webhook([KEY], headers, body, now=TS)
    assert err.value.reason == reason


def test_wrong_secret_is_mismatch() -> None:
    with pytest.raises(SignatureRejected) as err:
        verify_standard_webhook([OTHER_KEY], good_headers(), BODY, now=TS)
    assert err.value.reason == "mismatch"


def test_reason_never_echoes_header_values() -> None:
    with pytest.raises(SignatureRejected) as err:
        verify_standard_webhook([KEY], _with("webhook-timestamp", "evil-ts"), BODY, now=TS)
    assert "evil" not in str(err.value)
    assert err.value.reason in REASONS


ids = st.text(
    alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=255
)
timestamps = st.integers(min_value=0, max_value=10**12 - 1)
keys = st.binary(min_size=32, max_size=32)


@settings(max_examples=300, deadline=None)
@given(body=st.binary(max_size=2048), msg_id=ids, ts=timestamps, key=keys, data=st.data())
def test_sign_verify_roundtrip_and_tamper(
    body: bytes, msg_id: str, ts: int, key: bytes, data: st.DataObject
) -> None:
    headers = {
        "webhook-id": msg_id,
        "webhook-timestamp": str(ts),
        "webhook-signature": sign_standard_webhook(key, msg_id, ts, body),
    }
    assert verify_standard_webhook([key], headers, body, now=ts) == msg_id
    if body:
        index = data.draw(st.integers(min_value=0, max_value=len(body) - 1))
        flip = data.draw(st.integers(min_value=1, max_value=255))
        mutated = bytearray(body)
        mutated[index] ^= flip
        with pytest.raises(SignatureRejected):
            verify_standard_webhook([key], headers, bytes(mutated), now=ts)
    # Same-length keys: HMAC zero-pads short keys, so b"k" and b"k\0" would collide.
    other = data.draw(keys)
    assume(other != key)
    with pytest.raises(SignatureRejected):
        verify_standard_webhook([other], headers, body, now=ts)


def _entries() -> st.SearchStrategy[str]:
    entry = st.tuples(st.sampled_from(["v1", "v2", "", "v1a"]), st.text(max_size=60)).map(
        lambda parts: ",".join(parts)
    )
    return st.one_of(st.text(), st.lists(entry, max_size=5).map(" ".join))


header_names = st.sampled_from(
    ["webhook-id", "Webhook-Id", "webhook-timestamp", "WEBHOOK-TIMESTAMP"]
)


@settings(max_examples=300, deadline=None)
@given(
    msg_id=st.one_of(st.text(), ids),
    ts=st.one_of(st.text(), st.just(str(TS))),
    signature=_entries(),
    extra=st.dictionaries(st.one_of(header_names, st.text()), st.text(), max_size=3),
    body=st.binary(max_size=256),
)
def test_arbitrary_headers_only_raise_signature_rejected(
    msg_id: str, ts: str, signature: str, extra: dict[str, str], body: bytes
) -> None:
    headers = {"webhook-id": msg_id, "webhook-timestamp": ts, "webhook-signature": signature}
    headers.update(extra)
    try:
        verify_standard_webhook([KEY, OTHER_KEY], headers, body, now=TS)
    except SignatureRejected as err:
        reason: str | None = err.reason
    else:
        reason = None
    assert reason is None or reason in REASONS


def test_parse_webhook_secret_good_value() -> None:
    assert KEY == b"npsbot-test-key-0123456789abcdef"


def test_parse_webhook_secret_accepts_unpadded_base64() -> None:
    assert parse_webhook_secret(SECRET.rstrip("=")) == KEY


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param(SECRET.removeprefix("whsec_"), "must start with whsec_", id="no-prefix"),
        pytest.param("WHSEC_" + SECRET[6:], "must start with whsec_", id="wrong-case-prefix"),
        pytest.param("whsec_not*base64*at~all!", "not valid base64", id="bad-base64"),
        pytest.param("whsec_bnBzYm90LcOpw6k=é", "not valid base64", id="non-ascii"),
        pytest.param("whsec_c2hvcnQta2V5", "24 to 64 bytes", id="too-short"),
        pytest.param("whsec_" + "QUFB" * 22, "24 to 64 bytes", id="too-long"),
        pytest.param("whsec_", "24 to 64 bytes", id="empty-key"),
    ],
)
def test_parse_webhook_secret_errors_never_echo_value(value: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as err:
        parse_webhook_secret(value)
    text = str(err.value)
    assert value not in text
    secret_part = value.removeprefix("whsec_")
    assert not secret_part or secret_part not in text
    assert err.value.__cause__ is None
    assert err.value.__suppress_context__ or err.value.__context__ is None


SLACK_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
SLACK_BODY = (PAYLOADS / "slack_slash_command.form").read_bytes()
SLACK_TS = "1763632800"


def slack_headers() -> dict[str, str]:
    signature = SignatureVerifier(SLACK_SECRET).generate_signature(
        timestamp=SLACK_TS, body=SLACK_BODY
    )
    assert signature is not None
    return {"X-Slack-Request-Timestamp": SLACK_TS, "X-Slack-Signature": signature}


def test_slack_precheck_passes_valid_request() -> None:
    headers = slack_headers()
    expected = "v0=97b9d3ff24a3dc554434e2ec4c3633ead2b59f26207589e3a4b122bcc13058fa"
    assert headers["X-Slack-Signature"] == expected
    precheck_slack_request(headers, SLACK_BODY)
    precheck_slack_request({k.lower(): v for k, v in headers.items()}, SLACK_BODY)


def test_slack_precheck_does_not_check_the_hmac() -> None:
    precheck_slack_request({**slack_headers(), "X-Slack-Signature": "v0=" + "0" * 64}, SLACK_BODY)


@pytest.mark.parametrize(
    ("change", "body", "reason"),
    [
        pytest.param(
            {"X-Slack-Request-Timestamp": "abc"}, SLACK_BODY, "bad_timestamp", id="ts-abc"
        ),
        pytest.param(
            {"X-Slack-Request-Timestamp": " 1"}, SLACK_BODY, "bad_timestamp", id="ts-space"
        ),
        pytest.param({"X-Slack-Signature": "v0=é"}, SLACK_BODY, "bad_format", id="sig-non-ascii"),
        pytest.param({"X-Slack-Signature": "v0=" + "A" * 64}, SLACK_BODY, "bad_format", id="upper"),
        pytest.param({"X-Slack-Signature": "v1=" + "a" * 64}, SLACK_BODY, "bad_format", id="v1"),
        pytest.param({"X-Slack-Signature": ""}, SLACK_BODY, "missing_header", id="sig-empty"),
        pytest.param({}, b"\xff\xfe" + SLACK_BODY, "bad_body", id="invalid-utf8"),
    ],
)
def test_slack_precheck_rejects_garbage(change: dict[str, str], body: bytes, reason: str) -> None:
    with pytest.raises(SignatureRejected) as err:
        precheck_slack_request({**slack_headers(), **change}, body)
    assert err.value.reason == reason


@pytest.mark.parametrize("missing", ["X-Slack-Request-Timestamp", "X-Slack-Signature"])
def test_slack_precheck_rejects_missing_header(missing: str) -> None:
    headers = slack_headers()
    del headers[missing]
    with pytest.raises(SignatureRejected) as err:
        precheck_slack_request(headers, SLACK_BODY)
    assert err.value.reason == "missing_header"
