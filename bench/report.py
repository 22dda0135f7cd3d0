"""What every benchmark prints: min/median/max over runs, ratios, the machine, and a JSON copy.

The machine is shared and has 2 cores, so a single number means little: each benchmark runs its
competitors side by side in every round and reports the spread.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import statistics
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "out" / "results"


def spread(values: Sequence[float]) -> dict[str, float]:
    return {"min": min(values), "median": statistics.median(values), "max": max(values)}


def fmt(value: float, digits: int = 1) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def spread_cell(values: Sequence[float], digits: int = 1) -> str:
    """`median (min–max)` for a table cell."""
    s = spread(values)
    return f"{fmt(s['median'], digits)} ({fmt(s['min'], digits)}–{fmt(s['max'], digits)})"


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = 0
    with contextlib.suppress(ValueError, OSError):
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(memory / 2**30, 1),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "load_avg": os.getloadavg(),
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def save(name: str, data: dict[str, Any]) -> Path:
    """Write the raw numbers to bench/out/results/NAME-<UTC time>.json (the tables are printed);
    one file per run, so a rerun never overwrites the numbers a table was written from."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = f"{name}-{datetime.now(UTC):%Y%m%dT%H%M%SZ}"
    path = RESULTS / f"{stamp}.json"
    number = 1
    while path.exists():  # two runs within one second
        number += 1
        path = RESULTS / f"{stamp}-{number}.json"
    path.write_text(json.dumps({"machine": machine(), **data}, ensure_ascii=False, indent=2), encoding="utf-8")
    return path
