"""Pure checks of how each ITSM tool authenticates: hub signatures, Zendesk's, HTTP Basic."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

from bot.handlers.signing import SignatureRejected

BASIC_USER = "npsbot"
_HEX_SIGNATURE = re.compile(r"sha256=([0-9a-fA-F]{64})")
_DELIVERY_ID = re.compile(r"[\x21-\x7e]{1,200}")  # visible ASCII: a key and a log field
_MAX_HEADER = 1024
_DIGITS = re.compile(r"[0-9]{1,12}")


def header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is None or not isinstance(value, str) or not value:
        return None
    if len(value) > _MAX_HEADER:
        raise SignatureRejected("bad_format")
    return value


def delivery_id(headers: Mapping[str, str], name: str) -> str | None:
    """The sender's delivery id when it is a usable key; None lets the ticket key decide."""
    value = header(headers, name)
    return value if value is not None and _DELIVERY_ID.fullmatch(value) else None


def check_hub_signature(
    secrets: Sequence[str], headers: Mapping[str, str], name: str, body: bytes
) -> None:
    """`sha256=<hex HMAC-SHA256 of the raw body>`, in GitHub's and Jira's headers."""
    value = header(headers, name)
    if value is None:
        raise SignatureRejected("missing_header")
    found = _HEX_SIGNATURE.fullmatch(value)
    if found is None:
        raise SignatureRejected("bad_format")
    given = bytes.fromhex(found.group(1))
    if not _any(secrets, given, lambda key: hmac.new(key, body, hashlib.sha256).digest()):
        raise SignatureRejected("mismatch")


def check_zendesk(
    secrets: Sequence[str],
    headers: Mapping[str, str],
    body: bytes,
    *,
    now: float,
    tolerance: int = 300,
) -> None:
    """base64 HMAC-SHA256 of timestamp + body, keyed with the signing secret's UTF-8 bytes."""
    signature = header(headers, "x-zendesk-webhook-signature")
    stamp = header(headers, "x-zendesk-webhook-signature-timestamp")
    if signature is None or stamp is None:
        raise SignatureRejected("missing_header")
    if not abs(now - _zendesk_time(stamp)) <= tolerance:  # "not <=": a NaN rejects
        raise SignatureRejected("stale")
    try:
        given = base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError):
        raise SignatureRejected("bad_format") from None
    signed = stamp.encode() + body
    if not _any(secrets, given, lambda key: hmac.new(key, signed, hashlib.sha256).digest()):
        raise SignatureRejected("mismatch")


def _zendesk_time(stamp: str) -> float:
    # Zendesk sends ISO 8601 ("2026-11-20T10:00:05Z"); Unix seconds are accepted too.
    if _DIGITS.fullmatch(stamp):
        return float(stamp)
    try:
        parsed = datetime.fromisoformat(stamp)
    except ValueError:
        raise SignatureRejected("bad_timestamp") from None
    if parsed.tzinfo is None:
        raise SignatureRejected("bad_timestamp")
    return parsed.timestamp()


def check_basic(secrets: Sequence[str], headers: Mapping[str, str]) -> None:
    """`Authorization: Basic` with user npsbot and a configured secret as the password."""
    value = header(headers, "authorization")
    if value is None:
        raise SignatureRejected("missing_header")
    scheme, _, encoded = value.partition(" ")
    if scheme.lower() != "basic":
        raise SignatureRejected("bad_format")
    try:
        user, colon, password = base64.b64decode(encoded.strip(), validate=True).partition(b":")
    except (binascii.Error, ValueError):
        raise SignatureRejected("bad_format") from None
    # Both compared, in constant time, whatever the first one gave.
    user_ok = hmac.compare_digest(user, BASIC_USER.encode())
    if not (_any(secrets, password, lambda key: key) and user_ok and colon):
        raise SignatureRejected("mismatch")


def has_basic(headers: Mapping[str, str]) -> bool:
    value = header(headers, "authorization")
    return value is not None and value[:6].lower() == "basic "


def _any(secrets: Sequence[str], given: bytes, make: Callable[[bytes], bytes]) -> bool:
    # Every secret is tried (no early exit), so timing does not tell which one matched.
    matches = [hmac.compare_digest(make(s.encode()), given) for s in secrets]
    return any(matches)
