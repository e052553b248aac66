"""Report timings on a generated database: the Z report of one busy day and a year of refund
analytics, through the same services the screens call.

    python bench/generate.py /tmp/big.db && python bench/reports.py /tmp/big.db
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tui_pos.config import load_config
from tui_pos.domain.staff import Role, Staff
from tui_pos.services import reports
from tui_pos.services.context import Context
from tui_pos.store import shift_queries
from tui_pos.store.db import close_database, open_database
from tui_pos.store.models import ShiftRow

OWNER = Staff(id=3, code="003", name="bench", role=Role.MANAGER)


def timed(fn, runs: int) -> tuple[float, float]:
    """(median, max) milliseconds over `runs` calls."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times)


def run(path: Path, runs: int = 5) -> list[dict]:
    open_database(path, create=False)
    try:
        ctx = Context(load_config(env={}), lambda: datetime(2026, 11, 23, 9, 0))
        busiest = max(ShiftRow.select(), key=lambda s: s.payments.count()) if runs else None
        last = ShiftRow.select().order_by(ShiftRow.opened_at.desc()).first()
        until = datetime.combine(last.opened_at.date(), datetime.min.time()) + timedelta(days=1)
        since = until - timedelta(days=365)
        cases = [("Z report, busiest day", lambda: shift_queries.build_report(busiest))]
        cases.append(("refund summary, 1 year", lambda: reports.summary(ctx, OWNER, since, until)))
        for view in reports.TABLES:
            cases.append((f"refunds by {view}, 1 year", lambda v=view: reports.table(ctx, OWNER, v, since, until)))
        out = []
        for name, fn in cases:
            median, worst = timed(fn, runs)
            out.append({"name": name, "median_ms": round(median, 1), "max_ms": round(worst, 1), "target_ms": 300})
        return out
    finally:
        close_database()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    for row in run(args.path, args.runs):
        flag = "" if row["median_ms"] <= row["target_ms"] else "  OVER TARGET"
        print(f"{row['name']:<36} {row['median_ms']:>8.1f} ms (max {row['max_ms']:.1f}){flag}")


if __name__ == "__main__":
    main()
