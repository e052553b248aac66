"""The benchmark code at a tiny size, so it cannot rot: the timings themselves live in bench/."""

from __future__ import annotations

import importlib.util
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_shop_adds_up_and_reports_run(tmp_path):
    path = tmp_path / "tiny.db"
    sizes = load("generate").generate(path, scale=0.001)
    db = sqlite3.connect(path)
    assert db.execute("SELECT COUNT(*) FROM sale_line").fetchone()[0] == sizes["sale_lines"]
    # every sale's lines and payment equal its total; every refund's line equals its amount
    assert (
        db.execute("""SELECT COUNT(*) FROM sale s WHERE s.total !=
                         (SELECT SUM(paid) FROM sale_line WHERE sale_id = s.id)
                         OR s.total != (SELECT SUM(amount) FROM payment WHERE sale_id = s.id AND refund_id IS NULL)
                      """).fetchone()[0]
        == 0
    )
    assert (
        db.execute("""SELECT COUNT(*) FROM refund r WHERE r.amount !=
                         (SELECT SUM(amount) FROM refund_line WHERE refund_id = r.id)""").fetchone()[0]
        == 0
    )
    assert db.execute("SELECT COUNT(*) FROM shift WHERE status != 'closed'").fetchone()[0] == 0
    db.close()
    rows = load("reports").run(path, runs=1)
    names = [r["name"] for r in rows]
    assert "Z report, busiest day" in names and "refunds by flags, 1 year" in names
    assert all(r["median_ms"] >= 0 for r in rows)


def test_the_whole_suite_runs_at_tiny_size(tmp_path):
    """bench/run.py --quick: every benchmark runs end to end and lands in the results file."""
    out = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--quick", "--db", str(tmp_path / "shop.db"), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(out.read_text(encoding="utf-8"))
    groups = {r["group"] for r in results["results"]}
    assert groups == {"start", "memory", "lookup", "write", "report", "typing"}
    assert all(r["value"] >= 0 for r in results["results"])
    assert results["quick"] is True and results["machine"]["cores"]
    assert "cold start ratio tui-pos / bare" in done.stdout
