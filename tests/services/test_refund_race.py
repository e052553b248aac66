"""Two tills refunding the same order at the same moment: exactly one wins."""

from __future__ import annotations

import multiprocessing as mp

from tui_pos.config import Config
from tui_pos.domain.basket import Basket
from tui_pos.domain.refund import Pick
from tui_pos.domain.tenders import TenderKind
from tui_pos.services import catalog, checkout, refunds
from tui_pos.services import staff as staff_service
from tui_pos.store.models import PaymentRow, RefundRow

TILLS = 4


def till(config: Config, sale_id: int, barrier, results) -> None:
    """One till process: its own connection to the same file, then all refund at once."""
    from tui_pos.domain.errors import PosError
    from tui_pos.services.context import close_shop, open_shop
    from tui_pos.services.refunds import RefundDraft

    ctx = open_shop(config)
    actor = staff_service.login(ctx, "003", "3333")  # a manager: no approval in the way
    lookup = refunds.load_order(ctx, sale_id)
    draft = RefundDraft(sale_id, tuple(Pick(h.sale_line_id, h.remaining) for h in lookup.history.values()), "quality")
    expected = refunds.quote(ctx, actor, draft)
    barrier.wait()
    try:
        results.put(("ok", refunds.confirm(ctx, actor, draft, expected=expected).amount))
    except PosError as exc:
        results.put(("refused", type(exc).__name__ + ": " + exc.message))
    except Exception as exc:  # anything else (e.g. 'database is locked') is a failure of the test
        results.put(("crash", repr(exc)))
    finally:
        close_shop()


def test_only_one_till_wins(ctx, cashier):
    basket = Basket()
    basket.add(catalog.product_for_scan("6902"), 2)
    basket.add(catalog.product_for_scan("6901"), 3)
    plan = checkout.new_plan(ctx, basket)
    plan.add(TenderKind.CASH, plan.due)
    sale = checkout.complete_sale(ctx, cashier, basket, plan)

    spawn = mp.get_context("spawn")
    barrier, results = spawn.Barrier(TILLS), spawn.Queue()
    procs = [spawn.Process(target=till, args=(ctx.config, sale.sale_id, barrier, results)) for _ in range(TILLS)]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(timeout=30)

    wins = [o for o in outcomes if o[0] == "ok"]
    assert not [o for o in outcomes if o[0] == "crash"], outcomes
    assert len(wins) == 1 and wins[0][1] == sale.total, outcomes
    assert all("Refund" in o[1] or "refunded" in o[1] for o in outcomes if o[0] == "refused"), outcomes
    assert RefundRow.select().count() == 1
    refunded = -sum(p.amount for p in PaymentRow.select().where(PaymentRow.refund.is_null(False)))
    assert refunded == sale.total
