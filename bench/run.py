"""tui-pos benchmarks: one command, one table, one results file.

    python bench/run.py                 # the full suite (~10 min on a 2-core till)
    python bench/run.py --quick         # tiny sizes: checks the benchmarks run, numbers mean nothing
    python bench/run.py --only lookups  # one group (repeat --only for more); results.json is left alone

Builds (once) a busy year's shop in /tmp/tui-pos-bench.db (200,000 members, 20,000 products,
1,000,000 sale lines, 30,000 refunds) and a demo shop for the screen benchmarks, then measures
cold start, peak memory, lookups, writes, reports and typing. Prints the table and writes
bench/results.json (figures, targets, this machine, the date).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))

import chain_reports
import generate
import lookups
import memory
import reports
import startup
import sync_upload
import typing_speed
import writes

from common import ROOT, Result, python, till_env

RESULTS = Path(__file__).resolve().parent / "results.json"


def big_shop(path: Path, scale: float) -> Path:
    """The big shop, generated again if missing or made by an older generator (a figure measured on
    old data would not mean what the table says)."""
    if generate.made_by(path) != generate.GENERATOR:
        print(f"generating {path} (scale {scale}) ...", file=sys.stderr, flush=True)
        generate.generate(path, scale=scale)
    return path


def demo_home() -> str:
    """A fresh demo shop for one screen benchmark (each leaves its own sales and tickets behind),
    on a till that has printed before (python-escpos keeps its parsed printer database)."""
    home = tempfile.mkdtemp(prefix="tui-pos-bench-home-")
    env = till_env(home)
    python("from tui_pos.cli import main; main(['--training', 'demo'])", env=env)
    python("import tui_pos.devices.printer, escpos.printer", env=env)
    return home


def report_results(path: Path, runs: int) -> list[Result]:
    return [
        Result(
            "report",
            row["name"],
            row["median_ms"],
            "ms",
            "<= 300",
            row["median_ms"] <= 300,
            f"median of {runs}, max {row['max_ms']}",
        )
        for row in reports.run(path, runs)
    ]


def chain_report_results(quick: bool, runs: int) -> list[Result]:
    """Head office's refund report over 50 stores x 1 year, on the PostgreSQL that
    `source .ci/postgres.sh` started (TUI_POS_TEST_PG_URL); nothing without one."""
    url = os.environ.get("TUI_POS_TEST_PG_URL", "")
    if not url or quick:  # at tiny size it is tests/central/test_bench_chain_reports.py's, which keeps it from rotting
        why = "tiny sizes" if quick else "no PostgreSQL (source .ci/postgres.sh first)"
        print(f"chain reports: {why}, skipped", file=sys.stderr)
        return []
    stores, days = 50, 365
    return [
        Result(
            "chain report",
            row["name"],
            row["median_ms"],
            "ms",
            f"<= {row['target_ms']}",
            row["median_ms"] <= row["target_ms"],
            f"median of {runs}, max {row['max_ms']}, {stores} stores x {days} days",
        )
        for row in chain_reports.run(url, stores, days, runs)
    ]


def chain_upload_results(quick: bool) -> list[Result]:
    """A store's busy day (2,000 sales, 100 refunds) uploaded to head office, on the PostgreSQL
    that `source .ci/postgres.sh` started (TUI_POS_TEST_PG_URL); nothing without one."""
    url = os.environ.get("TUI_POS_TEST_PG_URL", "")
    if not url or quick:  # at tiny size it is tests/sync/test_bench_upload.py's, which keeps it from rotting
        why = "tiny sizes" if quick else "no PostgreSQL (source .ci/postgres.sh first)"
        print(f"chain upload: {why}, skipped", file=sys.stderr)
        return []
    runs = 3
    return [
        Result(
            "chain upload",
            str(row["name"]),
            float(row["median_s"]),
            "s",
            f"<= {row['target_s']:g}",
            float(row["median_s"]) <= float(row["target_s"]),
            f"median of {runs}, max {row['max_s']}, {row['rows']} changes, {row['rows_per_s']} a second",
        )
        for row in sync_upload.run(url, quick, runs)
    ]


STEPS = ("cold start", "memory", "lookups", "writes", "reports", "chain reports", "chain upload", "typing")


def run_all(quick: bool, db: Path, only: list[str] | None = None) -> list[Result]:
    # compiled as an installed package would be (this machine sets PYTHONDONTWRITEBYTECODE)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "tui_pos")], check=True)
    scale = 0.002 if quick else 1.0
    wanted = set(only or STEPS)
    shop = big_shop(db, scale) if wanted & {"lookups", "writes", "reports"} else db
    out: list[Result] = []
    steps = [
        ("cold start", lambda: startup.run(runs=2 if quick else 7)),
        ("memory", lambda: memory.run(demo_home(), sales=3 if quick else 100, refunds=1 if quick else 20)),
        ("lookups", lambda: lookups.run(shop, calls=20 if quick else 1000)),
        ("writes", lambda: writes.run(shop, runs=5 if quick else 200)),
        ("reports", lambda: report_results(shop, 1 if quick else 5)),
        ("chain reports", lambda: chain_report_results(quick, 5)),
        ("chain upload", lambda: chain_upload_results(quick)),
        ("typing", lambda: typing_speed.run(demo_home(), scans=20 if quick else 100)),
    ]
    for name, step in steps:
        if name not in wanted:
            continue
        started = time.monotonic()
        print(f"{name} ...", file=sys.stderr, flush=True)
        out += step()
        print(f"{name} done in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    return out


def table(results: list[Result]) -> str:
    lines = [f"{'benchmark':<46} {'value':>10} {'unit':<8} {'target':<8} ok"]
    group = None
    for r in results:
        if r.group != group:
            group = r.group
            lines.append(f"-- {group}")
        ok = "" if r.ok is None else ("yes" if r.ok else "NO")
        lines.append(f"{r.name:<46} {r.value:>10} {r.unit:<8} {r.target:<8} {ok}")
    return "\n".join(lines)


def machine() -> dict:
    cpu = ""
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as info:
        cpu = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), "")
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(), "system": platform.platform()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="tiny sizes, to check that everything runs")
    parser.add_argument("--db", type=Path, help="the big shop database (default /tmp/tui-pos-bench[-quick].db)")
    parser.add_argument("--out", type=Path, help="results file (default bench/results.json; none with --only)")
    parser.add_argument("--only", action="append", choices=STEPS, help="run only this group (may repeat)")
    args = parser.parse_args(argv)
    db = args.db or Path(tempfile.gettempdir()) / ("tui-pos-bench-quick.db" if args.quick else "tui-pos-bench.db")
    results = run_all(args.quick, db, args.only)
    print(table(results))
    missed = [r.name for r in results if r.ok is False]
    if args.out is None and args.only:
        print(f"\n{len(results)} figures, {len(missed)} over target")
        return 0
    out = args.out or RESULTS
    out.write_text(
        json.dumps(
            {
                "date": date.today().isoformat(),
                "quick": args.quick,
                "machine": machine(),
                "results": [r.row() for r in results],
                "missed": missed,
            },
            ensure_ascii=False,
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"\n{len(results)} figures, {len(missed)} over target; written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
