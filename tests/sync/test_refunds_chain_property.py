"""Three stores refunding each other's orders under interleaved sales, refunds, outages and
uploads: whatever the order of events, no unit is refunded twice (at head office or at any
store), every claim is settled once its refund arrives, and nothing a store sent is lost."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.sync.chain import Shop, make_shop, sell
from tests.sync.test_chain_property import head_office, template  # noqa: F401  (a fixture)
from tests.sync.test_refunds_chain import offline

from tui_pos.central.sql import run as central_run
from tui_pos.domain.errors import PosError
from tui_pos.domain.refund import Pick
from tui_pos.services import head_office as till_line
from tui_pos.services import refunds
from tui_pos.services import staff as staff_service
from tui_pos.services.refunds import RefundDraft
from tui_pos.services.sync import sync_once
from tui_pos.store import fast, outbox
from tui_pos.store.models import SaleRow

from conftest import PINS

BARCODES = ("6901", "6902", "6903")
STEP = st.tuples(
    st.integers(0, 2),  # which store acts
    st.sampled_from(("sale", "sale", "refund", "refund", "refund", "refund", "outage", "mend", "sync", "sync")),
    st.integers(0, 999),  # what varies: item, quantity, which order, how much of it
)


def _refund(shop: Shop, order_no: str, n: int) -> None:
    """Step 1 to 4 at `shop`: part or all of what remains, if the authority allows."""
    with shop.open() as ctx:
        try:
            lookup = refunds.find_order(ctx, order_no)
            if not lookup.refundable:
                return
            picks = tuple(Pick(h.sale_line_id, 1 + n % h.remaining) for h in lookup.history.values() if h.remaining > 0)
            cashier = staff_service.login(ctx, "001", PINS["001"])
            refunds.confirm(ctx, cashier, RefundDraft(lookup.sale.id, picks, "quality"))
        except PosError:
            pass  # refused with plain words: offline, or nothing left
        finally:
            till_line.close()


def _local_over_refunds() -> list[tuple[int, int, int]]:
    return fast.run(
        "SELECT l.id, l.qty, SUM(rl.qty) + l.refunded_elsewhere FROM sale_line l"
        " JOIN refund_line rl ON rl.sale_line_id = l.id JOIN refund r ON r.id = rl.refund_id"
        " WHERE r.status IN ('pending_approval', 'paid', 'completed') GROUP BY l.id HAVING SUM(rl.qty) > l.qty"
    ).fetchall()


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(STEP, min_size=8, max_size=18))
def test_three_stores_never_refund_a_unit_twice(template, steps):  # noqa: F811
    with head_office(template) as (url, db), tempfile.TemporaryDirectory() as root:
        online = [make_shop(Path(root), f"0{n + 1}", url) for n in range(3)]
        down = [False, False, False]
        orders: list[str] = []

        def shop(n: int) -> Shop:
            return offline(online[n]) if down[n] else online[n]

        for n in range(3):
            with online[n].open() as ctx:
                sync_once(db, ctx)
        for store, kind, n in steps:
            if kind == "sale":
                with shop(store).open() as ctx:
                    sale_id = sell(ctx, {BARCODES[n % 3]: 1 + n % 3, BARCODES[(n + 1) % 3]: 1})
                    orders.append(SaleRow.get_by_id(sale_id).order_no)
            elif kind == "refund" and orders:
                _refund(shop(store), orders[n % len(orders)], n)
            elif kind == "outage":
                down[store] = True
            elif kind == "mend":
                down[store] = False
            elif kind == "sync" and not down[store]:
                with shop(store).open() as ctx:
                    sync_once(db, ctx)
            for each in online:  # no store's own view ever refunds above what was sold
                with each.open():
                    assert _local_over_refunds() == []

        sent: dict[int, int] = {}
        for each in online:
            with each.open() as ctx:
                number = sync_once(db, ctx).store_no
                assert outbox.queue_status().unsent == 0
                sent[number] = fast.run("SELECT COUNT(*) FROM outbox").fetchone()[0]
        over = central_run(
            db,
            "SELECT l.id, l.qty, SUM(rl.qty) FROM sale_line l JOIN refund_line rl ON rl.sale_line_id = l.id"
            " JOIN refund r ON r.id = rl.refund_id WHERE r.status NOT IN ('rejected', 'cancelled')"
            " GROUP BY l.id, l.qty HAVING SUM(rl.qty) > l.qty",
        ).fetchall()
        assert over == []  # never refunded above sold, whichever stores refunded
        assert central_run(db, "SELECT COUNT(*) FROM refund_claim").fetchone()[0] == 0  # every claim settled
        for number, count in sent.items():  # every change a store sent is at head office (or among conflicts)
            received = central_run(db, "SELECT COUNT(*) FROM received WHERE store_no = %s", (number,)).fetchone()[0]
            assert received == count, number
        refused = central_run(
            db, "SELECT tbl, error FROM conflict WHERE tbl IN ('refund', 'refund_line', 'payment', 'sale', 'sale_line')"
        ).fetchall()
        assert refused == []  # one authority per order: no refund head office had to refuse
