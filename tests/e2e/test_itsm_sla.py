"""Each tool's SLA outcome, posted signed to its own endpoint, is stored with the survey."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.harness import NPS_TOML, running_bot
from tests.itsm import ITSM_ENV, encode, fresh_close, sign

# Where each tool's body says it (ServiceNow's made_sla; the others' template key sla_met;
# JSM's Time to resolution field); GitHub sends no SLA.
PLACES: dict[str, Any] = {
    "servicenow": lambda b: b.__setitem__("made_sla", "false"),
    "zendesk": lambda b: b["ticket"].__setitem__("sla_met", "false"),
    "freshservice": lambda b: b["freshservice_webhook"].__setitem__("sla_met", "false"),
    "jira": lambda b: b["issue"]["fields"].__setitem__(
        "customfield_10031", {"name": "Time to resolution", "completedCycles": [{"breached": True}]}
    ),
}


@pytest.mark.parametrize("tool", sorted(PLACES))
async def test_a_tools_sla_outcome_is_stored(db_url: str, tmp_path: Path, tool: str) -> None:
    people = '\n[people]\n"5b10ac8d82e05b22cc7d4ef5" = "ana@example.com"\n'
    async with running_bot(db_url, tmp_path, env=ITSM_ENV, toml=NPS_TOML + people) as bot:
        body = fresh_close(tool)
        PLACES[tool](body)
        raw = encode(body)
        status, reply = await bot.post_raw(
            f"/webhooks/{tool}", raw, sign(tool, raw, bot.clock.now())
        )
        assert status == 202, reply
        assert await bot.scalar("SELECT count(*) FROM survey WHERE sla_met IS NOT NULL") == 1
        assert not await bot.scalar("SELECT sla_met FROM survey")
