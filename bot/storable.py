"""What text a database can hold: the rule every place that stores free text shares."""

from __future__ import annotations

import re

# JSON can spell both ("\u0000", "\ud800"); neither can be stored: PostgreSQL refuses NUL in
# text and a lone surrogate has no UTF-8 form, so either one became a storage error downstream.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(text: str) -> str:
    """A person's words as a database can keep them: an unstorable character becomes U+FFFD
    rather than losing the rest of what they wrote (SQLite and PostgreSQL then agree)."""
    return UNSTORABLE.sub("\ufffd", text)
