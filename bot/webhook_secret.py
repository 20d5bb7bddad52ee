"""The webhook secret format (`whsec_` + base64), read by settings and by the verifiers.

Pure and free of HTTP, so that bot.settings can check a secret at start-up without importing
the HTTP handlers (settings sit below the handlers in the layers)."""

from __future__ import annotations

import base64

_SECRET_PREFIX = "whsec_"  # noqa: S105 - the public format marker, not a secret
# Standard Webhooks spec: "At least 24 bytes (192 bits, 512 maximum)".
_MIN_KEY_BYTES = 24
_MAX_KEY_BYTES = 64


def parse_webhook_secret(value: str) -> bytes:
    """Decode a "whsec_<base64>" secret; error messages never include the value."""
    if not isinstance(value, str) or not value.startswith(_SECRET_PREFIX):
        raise ValueError("webhook secret must start with whsec_")
    encoded = value[len(_SECRET_PREFIX) :]
    # Some senders issue unpadded base64; padding it back keeps validate=True strict otherwise.
    encoded += "=" * (-len(encoded) % 4)
    try:
        key = base64.b64decode(encoded, validate=True)
    except ValueError:  # binascii.Error subclasses it; non-ASCII input raises it directly
        # from None: the chained decoder error must not drag the secret into a traceback.
        raise ValueError("webhook secret is not valid base64") from None
    if not _MIN_KEY_BYTES <= len(key) <= _MAX_KEY_BYTES:
        raise ValueError(
            f"webhook secret key must be {_MIN_KEY_BYTES} to {_MAX_KEY_BYTES} bytes, not {len(key)}"
        )
    return key
