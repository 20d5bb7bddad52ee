"""Pure request-signature checks: Standard Webhooks HMAC and a Slack format pre-check."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Mapping, Sequence

# Re-exported: the endpoints that verify a signature read their secrets with it.
from bot.webhook_secret import parse_webhook_secret as parse_webhook_secret

WEBHOOK_ID = "webhook-id"
WEBHOOK_TIMESTAMP = "webhook-timestamp"
WEBHOOK_SIGNATURE = "webhook-signature"
SLACK_TIMESTAMP = "x-slack-request-timestamp"
SLACK_SIGNATURE = "x-slack-signature"

# Rotation needs a handful of entries; the cap bounds the work a forged header can cause.
_MAX_SIGNATURE_HEADER = 4096

# [0-9], not \d: \d also matches non-ASCII digits, which int() would happily parse.
_TIMESTAMP_RE = re.compile(r"[0-9]{1,12}")
# Visible ASCII only: the id becomes an idempotency key and a log field.
_WEBHOOK_ID_RE = re.compile(r"[\x21-\x7e]{1,255}")
_SLACK_SIGNATURE_RE = re.compile(r"v0=[0-9a-f]{64}")


class SignatureRejected(Exception):
    """Raised for every way a request can fail authentication.

    `reason` is a short category for logs and metrics ("missing_header", "bad_timestamp",
    "stale", "bad_format", "mismatch", "bad_body") and never contains header values.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _mac(key: bytes, msg_id: str, timestamp: str, body: bytes) -> bytes:
    signed = f"{msg_id}.{timestamp}.".encode() + body
    return hmac.new(key, signed, hashlib.sha256).digest()


def sign_standard_webhook(key: bytes, msg_id: str, timestamp: int, body: bytes) -> str:
    """Return the "v1,<base64>" signature a Standard Webhooks sender puts in webhook-signature."""
    digest = _mac(key, msg_id, str(timestamp), body)
    return "v1," + base64.b64encode(digest).decode("ascii")


def _header(headers: Mapping[str, str], name: str) -> str:
    """Case-insensitive lookup that works for plain dicts and multidicts alike."""
    value = headers.get(name)
    if value is None:
        for key, candidate in headers.items():
            if isinstance(key, str) and key.lower() == name:
                value = candidate
                break
    if value is None or value == "":
        raise SignatureRejected("missing_header")
    if not isinstance(value, str):
        raise SignatureRejected("bad_format")
    return value


def _check_timestamp(value: str) -> int:
    # fullmatch, not match with "$": "$" also matches before a trailing newline.
    if _TIMESTAMP_RE.fullmatch(value) is None:
        raise SignatureRejected("bad_timestamp")
    return int(value)


def _check_window(timestamp: int, now: float, tolerance: int) -> None:
    # Written as "not <=" so a NaN clock rejects instead of slipping through.
    if not abs(now - timestamp) <= tolerance:
        raise SignatureRejected("stale")


def _v1_signatures(header: str) -> list[bytes]:
    """Decoded v1 entries; other versions and malformed entries are skipped."""
    if len(header) > _MAX_SIGNATURE_HEADER:
        raise SignatureRejected("bad_format")
    found: list[bytes] = []
    for entry in header.split(" "):
        version, comma, encoded = entry.partition(",")
        if not comma or version != "v1" or not encoded:
            continue
        try:
            found.append(base64.b64decode(encoded, validate=True))
        except ValueError:  # binascii.Error for bad base64, plain ValueError for non-ASCII
            continue
    if not found:
        raise SignatureRejected("bad_format")
    return found


def _any_match(keys: Sequence[bytes], msg_id: str, ts: str, body: bytes, sigs: list[bytes]) -> bool:
    for key in keys:
        expected = _mac(key, msg_id, ts, body)
        # Bytes on both sides: compare_digest raises TypeError on non-ASCII str.
        if any(hmac.compare_digest(expected, sig) for sig in sigs):
            return True
    return False


def verify_standard_webhook(
    keys: Sequence[bytes],
    headers: Mapping[str, str],
    body: bytes,
    *,
    now: float,
    tolerance: int = 300,
) -> str:
    """Return the webhook-id if any key signed this request; raise SignatureRejected otherwise."""
    if not isinstance(body, bytes):
        raise SignatureRejected("bad_body")
    msg_id = _header(headers, WEBHOOK_ID)
    raw_ts = _header(headers, WEBHOOK_TIMESTAMP)
    signature_header = _header(headers, WEBHOOK_SIGNATURE)
    _check_window(_check_timestamp(raw_ts), now, tolerance)
    if _WEBHOOK_ID_RE.fullmatch(msg_id) is None:
        raise SignatureRejected("bad_format")
    sigs = _v1_signatures(signature_header)
    # The raw header is signed, not int(raw_ts): the sender signed exactly the string it sent.
    if not _any_match(keys, msg_id, raw_ts, body, sigs):
        raise SignatureRejected("mismatch")
    return msg_id


def precheck_slack_request(headers: Mapping[str, str], body: bytes) -> None:
    """Reject what would make slack-bolt answer 500 instead of 401; bolt checks the HMAC next."""
    timestamp = _header(headers, SLACK_TIMESTAMP)
    signature = _header(headers, SLACK_SIGNATURE)
    if _TIMESTAMP_RE.fullmatch(timestamp) is None:
        raise SignatureRejected("bad_timestamp")
    if _SLACK_SIGNATURE_RE.fullmatch(signature) is None:
        raise SignatureRejected("bad_format")
    if not isinstance(body, bytes):
        raise SignatureRejected("bad_body")
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        raise SignatureRejected("bad_body") from None


def verify_slack_request(
    secret: bytes, headers: Mapping[str, str], body: bytes, *, now: float, tolerance: int = 300
) -> None:
    """Slack's v0 HMAC over the raw bytes, in constant time, within the replay window.

    Ours, before anything parses the body: Bolt parses first and verifies after, so a forged
    body could reach its parser (and a forged `ssl_check=1` its early 200).
    """
    precheck_slack_request(headers, body)
    if not secret:
        raise SignatureRejected("mismatch")  # no secret configured: nothing can be signed
    raw_ts = _header(headers, SLACK_TIMESTAMP)
    _check_window(int(raw_ts), now, tolerance)
    signed = b"v0:" + raw_ts.encode("ascii") + b":" + body
    expected = b"v0=" + hmac.new(secret, signed, hashlib.sha256).hexdigest().encode("ascii")
    given = _header(headers, SLACK_SIGNATURE).encode("ascii")  # ASCII: precheck matched v0=hex
    if not hmac.compare_digest(expected, given):
        raise SignatureRejected("mismatch")
