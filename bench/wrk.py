"""wrk (a C load generator) replaying a file of pre-signed requests, one per line, never reused."""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

CONNECTIONS, THREADS = 50, 2
# Each thread keeps its share of the lines (line i goes to thread i % THREADS) as ready-made
# requests and sends them in order; "wrapped" counts how often one ran out and started again.
LUA = r"""
local counter, threads = 0, {}
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end
function init(args)
  local file, target, nthreads = args[1], args[2], tonumber(args[3])
  reqs, n, wrapped = {}, 0, 0
  local i = 0
  for line in io.lines(file) do
    if i % nthreads == id then
      local fields = {}
      for f in string.gmatch(line, "[^\t]+") do fields[#fields + 1] = f end
      local headers = {}
      for k = 1, #fields - 1 do
        local name, value = string.match(fields[k], "^([^:]+): (.*)$")
        headers[name] = value
      end
      reqs[#reqs + 1] = wrk.format("POST", target, headers, fields[#fields])
    end
    i = i + 1
  end
end
function request()
  n = n + 1
  if n > #reqs then n, wrapped = 1, wrapped + 1 end
  return reqs[n]
end
function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("wrapped") end
  io.write(string.format("wrapped: %d\n", total))
end
"""
Request = tuple[dict[str, str], str]  # headers, body (no tab or newline in either)


def ensure_wrk() -> str:
    """The wrk binary; installs the Debian package `wrk` if it is missing."""
    found = shutil.which("wrk")
    if found is None:
        print("wrk not found: apt-get install -y wrk …", flush=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-q", "wrk"], check=True, stdout=subprocess.DEVNULL
        )
        found = shutil.which("wrk")
    if found is None:
        raise RuntimeError("wrk is not installed and apt-get could not install it")
    return found


def write_pool(path: Path, requests: Iterable[Request]) -> int:
    lines = 0
    with path.open("w") as out:
        for headers, body in requests:
            fields = [f"{k}: {v}" for k, v in headers.items()] + [body]
            out.write("\t".join(fields) + "\n")
            lines += 1
    return lines


async def run(url: str, pool: Path, seconds: float, workdir: Path) -> dict[str, Any]:
    """One wrk run of `seconds` on CONNECTIONS connections; its figures, parsed."""
    script = workdir / "pool.lua"
    script.write_text(LUA)
    target = "/" + url.split("/", 3)[3]
    duration = f"-d{max(1, round(seconds))}s"  # wrk takes whole seconds
    argv = [
        ensure_wrk(),
        f"-t{THREADS}",
        f"-c{CONNECTIONS}",
        duration,
        "--latency",
        "--timeout",
        "10s",
        "-s",
        str(script),
        url,
        "--",
        str(pool),
        target,
        str(THREADS),
    ]
    proc = await asyncio.create_subprocess_exec(
        *argv, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    out, _ = await proc.communicate()
    text = out.decode(errors="replace")
    if proc.returncode != 0 or "Requests/sec" not in text:
        raise RuntimeError(f"wrk failed ({proc.returncode}):\n{text}")
    return parse(text)


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def parse(text: str) -> dict[str, Any]:
    def grab(pattern: str, default: str = "0") -> str:
        found = re.search(pattern, text)
        return found.group(1) if found else default

    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text
    )
    return {
        "requests": int(grab(r"(\d+) requests in")),
        "seconds": _ms(grab(r"requests in ([\d.]+(?:us|ms|s|m))", "0s")) / 1000,
        "req_per_s": float(grab(r"Requests/sec:\s+([\d.]+)")),
        "p50_ms": _ms(grab(r"\s50%\s+([\d.]+(?:us|ms|s|m))", "0ms")),
        "p99_ms": _ms(grab(r"\s99%\s+([\d.]+(?:us|ms|s|m))", "0ms")),
        "non_2xx": int(grab(r"Non-2xx or 3xx responses: (\d+)")),
        "socket_errors": sum(map(int, errors.groups())) if errors else 0,
        "wrapped": int(grab(r"wrapped: (\d+)")),
    }
