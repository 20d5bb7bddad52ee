"""CI: compose.yaml is valid against the Compose Specification schema and keeps what deploy.md says.

There is no Docker engine in CI, so `docker compose config` is not available; the schema is the
official one (deploy/compose-spec.json, from compose-spec/compose-spec, Apache-2.0).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parents[1]


def problems(compose: dict[str, Any]) -> list[str]:
    schema = json.loads((ROOT / "deploy" / "compose-spec.json").read_text())
    validator = jsonschema.Draft7Validator(schema)
    found = [
        f"{'/'.join(map(str, e.path)) or '.'}: {e.message}" for e in validator.iter_errors(compose)
    ]
    services = compose.get("services", {})
    bot, db = services.get("npsbot", {}), services.get("postgres", {})
    if bot.get("deploy", {}).get("replicas") != 2:
        found.append("services.npsbot: deploy.replicas must be 2 (the replicas demo)")
    if "/healthz" not in json.dumps(bot.get("healthcheck", {})):
        found.append("services.npsbot: the health check must call /healthz")
    if "pg_isready" not in json.dumps(db.get("healthcheck", {})):
        found.append("services.postgres: the health check must run pg_isready")
    mounts = [str(v).split(":", 1)[0] for v in db.get("volumes", [])]
    if not set(mounts) & set(compose.get("volumes", {})):
        found.append("services.postgres: its data must live on a named volume")
    return found


def main() -> int:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    found = problems(compose)
    for problem in found:
        print(f"compose.yaml: {problem}", file=sys.stderr)  # noqa: T201 - a CI report
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
