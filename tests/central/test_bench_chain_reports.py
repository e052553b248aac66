"""bench/chain_reports.py at a tiny size (2 stores x 3 days), so the benchmark cannot rot: its
figures are the full run's (50 stores x 1 year)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"


def test_the_chain_report_benchmark_runs(pg_url):
    spec = importlib.util.spec_from_file_location("bench_chain_reports", BENCH / "chain_reports.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    server = pg_url.rsplit("/", 1)[0] + "/postgres"
    rows = module.run(server, stores=2, days=3, runs=1)
    names = [row["name"] for row in rows]
    assert names[0] == "chain refund report (summary, reason, by store)"
    assert "chain refunds by flags" in names and names[-1] == "store 02 refund report (summary, reason)"
    assert all(row["median_ms"] >= 0 for row in rows)
