"""Survey ids."""

from __future__ import annotations

import secrets


def new_survey_id() -> str:
    # Unguessable, because it travels in button values and names the survey in every click.
    return secrets.token_hex(8)
