"""Survey ids."""

from __future__ import annotations

import secrets
import time


def new_survey_id() -> str:
    # Unguessable, because it travels in button values and names the survey in every click: 40
    # random bits. The first 6 hex digits count milliseconds (wrapping every 4.6 hours), so the
    # ids of a batch sit side by side in each index that holds them.
    return f"{time.time_ns() // 1_000_000 & 0xFFFFFF:06x}{secrets.token_hex(5)}"
