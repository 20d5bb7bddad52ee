"""The English catalogue: every text by key, in one file per part of the product.

A translation copies this folder (bot/texts/fr/, say), keeps every key and its placeholders
("{ticket}"), and rewrites the words; plural forms are a `Plural` wherever a number decides.
"""

from __future__ import annotations

from bot.texts.en import leads, perception, replies, reports, shell, survey
from bot.texts.plural import Plural

PARTS = (survey, leads, reports, perception, replies, shell)
TEXTS: dict[str, str | Plural] = {key: text for part in PARTS for key, text in part.TEXTS.items()}
