"""What the benchmarks share: a result row, percentiles, and running a Python snippet as a
fresh process (startup and memory are measured on whole processes, as a till starts)."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# A bare Textual app with the kinds of widgets the till has, shown once and closed: what Python
# and Textual take by themselves (startup.py times it, memory.py measures it).
BARE_APP = """
from textual.app import App
from textual.widgets import DataTable, Footer, Header, Input

class Bare(App):
    def compose(self):
        yield Header()
        yield Input()
        yield DataTable()
        yield Footer()
    def on_mount(self):
        self.query_one(DataTable).add_columns("a", "b")
        self.call_after_refresh(self.exit)
Bare().run(headless=True)
"""

# For scripts that drive the till with Pilot: a scan as a scanner sends it, the whole code and
# Enter in one burst, then wait until handled (Pilot's press() idles after every key).
SCANNER = """
from textual import events

async def scan(app, pilot, code):
    for ch in code:
        app._driver.send_message(events.Key(ch, ch))
    app._driver.send_message(events.Key("enter", "\\r"))
    await pilot.pause()
"""


@dataclass
class Result:
    group: str
    name: str
    value: float
    unit: str
    target: str = ""  # e.g. "<= 5 ms", "<= 1.2x"; "" = context, no target
    ok: bool | None = None
    detail: str = ""

    def row(self) -> dict:
        return asdict(self)


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def time_calls(fn: Callable[[], object], runs: int) -> list[float]:
    """Milliseconds of each of `runs` calls."""
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def median(values: list[float]) -> float:
    return statistics.median(values)


def till_env(home: str) -> dict[str, str]:
    """A till process on the demo shop in `home`, in English (the benchmarks read its screens)."""
    return {"TUI_POS_HOME": home, "HOME": home, "TUI_POS_LANGUAGE": "en"}


def python(code: str, *, env: dict[str, str] | None = None, timeout: float = 600) -> tuple[float, dict]:
    """Run `code` in a fresh interpreter; (wall seconds, the JSON it printed last)."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=timeout,
    )
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"benchmark process failed ({done.returncode}):\n{done.stderr[-3000:]}")
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    return wall, json.loads(lines[-1]) if lines else {}
