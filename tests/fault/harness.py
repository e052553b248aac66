"""Crash harness: kill a till with SIGKILL at random moments, then check the shop.

    python tests/fault/harness.py --kills 1000 [--seed N] [--keep DIR]
    python tests/fault/harness.py --seconds 600          # as many kills as fit; progress every 25

A parent process sets the shop up once, then for each kill forks a child that rings up a
random stream of sales, refunds and payouts (tests/fault/workload.py) against the SQLite
file, sleeps a random few milliseconds, and SIGKILLs it: no atexit, no rollback, no flush
of Python buffers, the way a power cut or `kill -9` ends a till. After every kill a fresh
sqlite3 connection checks every invariant on the rows written since the last check
(tests/fault/invariants.py), and once at the end integrity and every invariant on the whole shop.
Forking (rather than starting Python afresh) keeps a kill to ~0.1 s, so CI affords 200.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.fault import invariants, workload

from tui_pos.config import load_config
from tui_pos.services import staff as staff_service
from tui_pos.services.context import close_shop, open_shop
from tui_pos.store.models import RefundRow, SaleRow

CHILD_FAILED = 3
PROGRESS_EVERY = 25


def child(config, actor, seed: int) -> None:
    """Never returns: works until killed; a real error exits with CHILD_FAILED."""
    try:
        ctx = open_shop(config)
        till = workload.Till(ctx, actor, random.Random(seed))
        while True:
            till.step()
    except BaseException as exc:
        print(f"till {seed} failed: {exc!r}", file=sys.stderr, flush=True)
        os._exit(CHILD_FAILED)


def run(
    kills: int, seed: int, folder: Path, max_delay: float = 0.25, *, seconds: float | None = None, progress: bool = True
) -> dict:
    """Kill up to `kills` times or for `seconds`, whichever ends first; each check after a kill
    looks only at rows written since the one before (a mark of each table's highest id), so a
    long run does not slow down as the shop grows; the whole shop is checked at the end."""
    config = load_config(env={"TUI_POS_HOME": str(folder), "HOME": str(folder)}, training=False)
    ctx = open_shop(config)
    workload.seed(ctx)
    actor = staff_service.login(ctx, *workload.MANAGER)  # logged in once: scrypt per fork would cost 50 ms
    close_shop()
    rng = random.Random(seed)
    started = time.monotonic()
    since = invariants.mark(config.db_path)
    kill = 0
    while kill < kills and (seconds is None or time.monotonic() - started < seconds):
        pid = os.fork()
        if pid == 0:
            child(config, actor, seed * 100_000 + kill)
        time.sleep(rng.uniform(0.005, max_delay))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        if not os.WIFSIGNALED(status):
            raise SystemExit(f"kill {kill}: the till stopped by itself (status {status}), see above")
        broken = invariants.violations(config.db_path, since)  # only what the killed till wrote
        if broken:
            raise SystemExit(
                f"kill {kill} (seed {seed}) left the shop inconsistent in {config.db_path}:\n" + "\n".join(broken)
            )
        since = invariants.mark(config.db_path)
        kill += 1
        if progress and (kill % PROGRESS_EVERY == 0):
            print(f"{kill} kills, {since['sale']} sales, {round(time.monotonic() - started)} s", flush=True)
    broken = invariants.violations(config.db_path)  # the whole shop, once, at the end
    if broken:
        raise SystemExit(f"after {kill} kills (seed {seed}) {config.db_path} is inconsistent:\n" + "\n".join(broken))
    ctx = open_shop(config)  # the shop still opens and works after all that
    totals = {
        "kills": kill,
        "sales": SaleRow.select().count(),
        "refunds": RefundRow.select().count(),
        "seconds": round(time.monotonic() - started, 1),
    }
    close_shop()
    return totals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, help="stop after this many kills (200 without --seconds)")
    parser.add_argument("--seconds", type=float, help="stop after this long (with --kills, whichever comes first)")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    parser.add_argument("--seed", type=int, default=int(time.time()) % 100_000)
    parser.add_argument("--keep", type=Path, help="leave the database in this folder")
    args = parser.parse_args(argv)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="tui-pos-crash-"))
    folder.mkdir(parents=True, exist_ok=True)
    kills = args.kills if args.kills is not None else 200 if args.seconds is None else 10**9
    totals = run(kills, args.seed, folder, seconds=args.seconds, progress=not args.quiet)
    print(
        f"seed {args.seed}: {totals['kills']} kills, {totals['sales']} sales, {totals['refunds']} refunds, "
        f"every invariant held after each ({totals['seconds']} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
