"""Four tills (four processes, as four SSH sessions on one store PC) on one SQLite file."""

from __future__ import annotations

import multiprocessing as mp
import random

from tests.fault import invariants, workload

from tui_pos.config import Config

TILLS = 4
STEPS = 100


def till(config: Config, number: int, barrier, results) -> None:
    from tui_pos.services import staff as staff_service
    from tui_pos.services.context import close_shop, open_shop

    ctx = open_shop(config)
    try:
        work = workload.Till(ctx, staff_service.login(ctx, *workload.MANAGER), random.Random(number))
        barrier.wait()
        for _ in range(STEPS):
            work.step()  # PosError is a refusal a cashier reads; anything else escapes
        results.put(("ok", dict(work.done)))
    except Exception as exc:  # e.g. 'database is locked' reaching the cashier
        results.put(("crash", repr(exc)))
    finally:
        close_shop()


def test_four_tills_selling_and_refunding_the_same_orders(tmp_path):
    from tui_pos.config import load_config
    from tui_pos.services.context import close_shop, open_shop

    config = load_config(env={"TUI_POS_HOME": str(tmp_path), "HOME": str(tmp_path)}, training=False)
    workload.seed(open_shop(config))
    close_shop()

    spawn = mp.get_context("spawn")
    barrier, results = spawn.Barrier(TILLS), spawn.Queue()
    procs = [spawn.Process(target=till, args=(config, n, barrier, results)) for n in range(TILLS)]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=300) for _ in procs]
    for p in procs:
        p.join(timeout=30)

    assert all(kind == "ok" for kind, _ in outcomes), outcomes
    done = [counts for _, counts in outcomes]
    assert not any("refused StoreBusy" in c for c in done), done  # the busy retry absorbed every wait
    assert sum(c.get("sale", 0) for c in done) > 150 and sum(c.get("refund", 0) for c in done) > 50, done
    assert invariants.violations(config.db_path) == []
