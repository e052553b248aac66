"""bench/sync_upload.py at a tiny size, so the benchmark cannot rot (its figure is the full run's)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"


def test_the_upload_benchmark_runs(pg_url, monkeypatch, tmp_path):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))  # its day is made here, not in /tmp
    spec = importlib.util.spec_from_file_location("bench_sync_upload", BENCH / "sync_upload.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    server = pg_url.rsplit("/", 1)[0] + "/postgres"
    [row] = module.run(server, quick=True, sizes=(12, 2))
    assert row["name"] == "a day's upload (12 sales, 2 refunds)"
    assert row["rows"] > 12 * 5 and 0 < row["median_s"] < row["target_s"]
