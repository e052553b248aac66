"""Refunds across the chain on the real PostgreSQL: one authority per order. A store refunds its
own orders alone until their upload starts; head office holds them from then on, for every store,
and with the link down such an order is refused in plain words."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from dataclasses import replace

import pytest
from tests.sync.chain import Shop, closed_port, make_shop, refund_all, sell, url_at

from tui_pos.central.sql import run as central_run
from tui_pos.domain.errors import RefundNotAllowed
from tui_pos.domain.refund import Pick
from tui_pos.services import head_office, refunds, sync
from tui_pos.services import staff as staff_service
from tui_pos.services.refunds import RefundDraft
from tui_pos.services.sync import sync_once
from tui_pos.store import fast, outbox
from tui_pos.store.models import RefundLineRow, RefundRow, SaleLineRow, SaleRow, ShiftRow
from tui_pos.store.shift_queries import build_report

from conftest import PINS

HELD = "This order is held by head office; the link is down: refund it when the link is back"


def offline(shop: Shop) -> Shop:
    """The same shop with its link to head office down (its URL at a port nothing listens on)."""
    url = url_at(shop.config.central.url, "127.0.0.1", closed_port())
    return Shop(shop.code, replace(shop.config, central=replace(shop.config.central, url=url)), shop.seeded)


@pytest.fixture(autouse=True)
def _till_line():
    yield
    head_office.close()


class Crash(Exception):
    pass


def test_link_down_own_unsent_refundable_uploaded_refused(central, tmp_path):
    shop = make_shop(tmp_path, "01", central.url)
    with shop.open() as ctx:
        uploaded = sell(ctx, {"6901": 2})
        sync_once(central.db, ctx)
        unsent = sell(ctx, {"6903": 1})
        order_no = SaleRow.get_by_id(uploaded).order_no
    down = offline(shop)
    with down.open() as ctx:
        assert refund_all(ctx, unsent)  # its upload has not started: the store's own to refund
        with pytest.raises(RefundNotAllowed) as refused:
            refunds.find_order(ctx, order_no)
        assert refused.value.message == HELD
        with pytest.raises(RefundNotAllowed) as refused:  # the record step asks again, under the lock
            refund_all(ctx, uploaded)
        assert refused.value.message == HELD
        assert RefundRow.select().count() == 1
    with shop.open() as ctx:  # the link is back: head office's refund, claimed there first
        lookup = refunds.find_order(ctx, order_no)
        assert [h.remaining for h in lookup.history.values()] == [2]
        refund_all(ctx, uploaded)
        sync_once(central.db, ctx)
        lookup = refunds.find_order(ctx, order_no)
        assert lookup.refusal == "This order is fully refunded"
        assert [h.remaining for h in lookup.history.values()] == [0]  # never counted twice here
    refunded = central_run(
        central.db,
        "SELECT l.qty, COALESCE(SUM(rl.qty), 0) FROM sale_line l LEFT JOIN refund_line rl ON rl.sale_line_id = l.id"
        " GROUP BY l.id ORDER BY l.id",
    ).fetchall()
    assert [(int(a), int(b)) for a, b in refunded] == [(2, 2), (1, 1)]
    assert central_run(central.db, "SELECT COUNT(*) FROM refund_claim").fetchone()[0] == 0  # settled


def test_upload_committed_but_acknowledgement_lost_is_refused_offline(central, tmp_path):
    shop = make_shop(tmp_path, "01", central.url)
    with shop.open() as ctx:
        sale_id = sell(ctx, {"6901": 1})

        def crash(changes: object) -> None:
            raise Crash("killed after head office's commit")

        sync.after_central_commit = crash
        try:
            with pytest.raises(Crash):
                sync_once(central.db, ctx)
        finally:
            sync.after_central_commit = None
        assert outbox.queue_status().attempted_unsent > 0
        order_no = SaleRow.get_by_id(sale_id).order_no
    with offline(shop).open() as ctx:
        with pytest.raises(RefundNotAllowed) as refused:
            refunds.find_order(ctx, order_no)
        assert refused.value.message == HELD
        assert not outbox.local_authority(SaleRow.get_by_id(sale_id).uid)


def test_a_refund_racing_an_upload_rides_in_its_batch_or_goes_to_head_office(central, tmp_path):
    """The refund's authority is read again inside its write: either it committed before the
    batch was taken (and rides in it), or it finds the batch attempted and is refused offline."""
    shop = make_shop(tmp_path, "01", central.url)
    with shop.open() as ctx:
        sale_id = sell(ctx, {"6901": 1})
        lookup = refunds.load_order(ctx, sale_id)
    with offline(shop).open() as ctx:
        draft = RefundDraft(sale_id, tuple(Pick(h.sale_line_id, 1) for h in lookup.history.values()), "quality")
        cashier = staff_service.login(ctx, "001", PINS["001"])
        batch = outbox.take_batch(10_000)  # the upload takes its batch between step 1 and the record step
        with pytest.raises(RefundNotAllowed):
            refunds.confirm(ctx, cashier, draft)
        assert RefundRow.select().count() == 0
        assert {c.table for c in batch} >= {"sale", "sale_line"}
    with shop.open() as ctx:
        fast.run("UPDATE outbox SET attempted_at = NULL")
        refund_all(ctx, sale_id)  # committed first: its rows are in the next batch
        batch = outbox.take_batch(10_000)
        refund = RefundRow.get()
        assert refund.uid in {c.row_uid for c in batch}
        assert not outbox.local_authority(SaleRow.get_by_id(sale_id).uid)


def _figures(shift: ShiftRow) -> tuple[int, int, int]:
    report = build_report(shift)
    cash = [t for t in report.tenders if t.tender == "cash"]
    return report.sales_count, report.refund_count, cash[0].refunds if cash else 0


def test_store_b_refunds_store_a_order(central, tmp_path):
    a = make_shop(tmp_path, "01", central.url)
    b = make_shop(tmp_path, "02", central.url)
    with a.open() as ctx:
        sale_id = sell(ctx, {"6901": 2, "6903": 1})
        order_no = SaleRow.get_by_id(sale_id).order_no
        sync_once(central.db, ctx)
        a_store = int(outbox.state_get("store_no") or 0)
    with b.open() as ctx:
        sync_once(central.db, ctx)
        shift = ShiftRow.get()
        before = _figures(shift)
        lookup = refunds.find_order(ctx, order_no)
        mirror = SaleRow.get_by_id(lookup.sale.id)
        assert (mirror.status, mirror.origin_store) == ("elsewhere", "01")
        line = next(h for h in lookup.history.values() if h.barcode == "6901")
        draft = RefundDraft(lookup.sale.id, (Pick(line.sale_line_id, 1),), "quality")
        result = refunds.confirm(ctx, staff_service.login(ctx, "001", PINS["001"]), draft)
        after = _figures(ShiftRow.get_by_id(shift.id))
        assert after == (before[0], before[1] + 1, before[2] + result.amount)  # B's drawer paid it
        assert RefundLineRow.get().uid in {
            str(r[0]) for r in central_run(central.db, "SELECT uid::text FROM refund_claim").fetchall()
        }
        sync_once(central.db, ctx)
        b_store = int(outbox.state_get("store_no") or 0)
    rows = central_run(
        central.db,
        "SELECT r.store_no, s.store_no, s.order_no, rl.qty FROM refund r JOIN sale s ON s.id = r.sale_id"
        " JOIN refund_line rl ON rl.refund_id = r.id",
    ).fetchall()
    assert [tuple(r) for r in rows] == [(b_store, a_store, order_no, 1)]  # against A's sale, paid by B
    assert central_run(central.db, "SELECT COUNT(*) FROM refund_claim").fetchone()[0] == 0
    assert central_run(central.db, "SELECT COUNT(*) FROM sale WHERE order_no = %s", (order_no,)).fetchone()[0] == 1
    with a.open() as ctx:  # A's own order is head office's now: the remaining units are the chain's
        lookup = refunds.find_order(ctx, order_no)
        left = {h.barcode: h.remaining for h in lookup.history.values()}
        assert left == {"6901": 1, "6903": 1}
        assert SaleLineRow.get(SaleLineRow.barcode == "6901").refunded_elsewhere == 1


RACER = textwrap.dedent(
    """
    import json, sys, time
    from dataclasses import replace
    from pathlib import Path
    from tui_pos.config import load_config
    from tui_pos.domain.refund import Pick
    from tui_pos.services import refunds, staff as staff_service
    from tui_pos.services.context import close_shop, open_shop
    from tui_pos.services.refunds import RefundDraft

    home, code, url, order_no, go = sys.argv[1:6]
    config = load_config(env={"TUI_POS_HOME": home, "HOME": home})
    config = replace(config, store_code=code, store_name="Store " + code, db_path=Path(home) / "shop.db",
                     central=replace(config.central, url=url, timezone="Asia/Shanghai"))
    ctx = open_shop(config)
    try:
        lookup = refunds.find_order(ctx, order_no)
        picks = tuple(Pick(h.sale_line_id, 1) for h in lookup.history.values())
        cashier = staff_service.login(ctx, "001", "1111")
        while not Path(go).exists():
            time.sleep(0.01)
        try:
            result = refunds.confirm(ctx, cashier, RefundDraft(lookup.sale.id, picks, "quality"))
            print(json.dumps({"won": result.refund_no}))
        except Exception as exc:
            said = type(exc).__name__ + ": " + getattr(exc, "message", str(exc))
            print(json.dumps({"refused": said, "remaining": getattr(exc, "remaining", None)}))
    finally:
        close_shop()
    """
)


def test_eight_refunds_of_one_unit_from_four_stores_one_wins(central, tmp_path):
    shops = [make_shop(tmp_path, f"0{n}", central.url) for n in range(1, 5)]
    with shops[0].open() as ctx:
        sale_id = sell(ctx, {"6903": 1})
        order_no = SaleRow.get_by_id(sale_id).order_no
        sync_once(central.db, ctx)
    for shop in shops[1:]:
        with shop.open() as ctx:  # seeded (staff, products, an open shift) and known at head office
            sync_once(central.db, ctx)
    go = tmp_path / "go"
    racers = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                RACER,
                str(tmp_path / f"store{shop.code}"),
                shop.code,
                central.url,
                order_no,
                str(go),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=os.getcwd(),
        )
        for shop in shops
        for _ in range(2)
    ]
    go.touch()
    outcomes = []
    for racer in racers:
        out, err = racer.communicate(timeout=180)
        assert racer.returncode == 0, err
        outcomes.append(json.loads(out.strip().splitlines()[-1]))
    won = [o for o in outcomes if "won" in o]
    refused = [o for o in outcomes if "refused" in o]
    assert len(won) == 1 and len(refused) == 7, outcomes
    for o in refused:  # each told what remains: nothing (by head office, or here once the winner's refund is)
        if o["remaining"] is None:
            assert o["refused"] == "RefundNotAllowed: This order is fully refunded", outcomes
        else:
            assert set(o["remaining"].values()) == {0} and o["refused"].startswith("ChainRefused: Only 0 of"), outcomes
    claims = central_run(central.db, "SELECT COALESCE(SUM(qty), 0) FROM refund_claim").fetchone()[0]
    assert int(claims) == 1


async def test_store_b_refunds_store_a_order_by_keys(central, tmp_path):
    """At store 02, F8, store 01's order no., Enter: found at head office; the wizard goes on as
    for the store's own order; the cash comes out of store 02's drawer, and head office shows
    the refund against store 01's sale once store 02 has synced."""
    from tui_pos.devices.printer import TrainingPrinter
    from tui_pos.services.context import close_shop
    from tui_pos.ui.app import make_app
    from tui_pos.ui.screens.checkout import CheckoutScreen
    from tui_pos.ui.screens.refund import ChooseLinesStep, ConfirmStep, FindOrderStep, PayOutStep, ReviewStep

    from ui_helpers import log_in, type_text

    a = make_shop(tmp_path, "01", central.url)
    b = make_shop(tmp_path, "02", central.url)
    with a.open() as ctx:
        sale_id = sell(ctx, {"6901": 2, "6903": 1})  # 7.00 + 5.99
        order_no = SaleRow.get_by_id(sale_id).order_no
        sync_once(central.db, ctx)
    with b.open() as ctx:
        sync_once(central.db, ctx)
        shift_id = ShiftRow.get().id
        before = _figures(ShiftRow.get_by_id(shift_id))

    app = make_app(replace(b.config, language="en"), printer=TrainingPrinter())
    app.offer_left_over = False
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await log_in(pilot)
            await pilot.press("f8")
            await pilot.pause()
            assert isinstance(app.screen, FindOrderStep)
            await type_text(pilot, order_no)
            await pilot.press("enter")
            await pilot.pause()
            info = str(app.screen.query_one("#order-info").content)
            assert order_no in info and "Refundable" in info, info
            await pilot.press("f9")
            await pilot.pause()
            assert isinstance(app.screen, ChooseLinesStep)
            await pilot.press("f9")  # every line, all units
            await pilot.pause()
            assert isinstance(app.screen, ReviewStep)
            assert "￥12.99" in str(app.screen.query_one("#quote").content)
            await pilot.press("f9")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmStep)
            await pilot.press("f9")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, PayOutStep), str(app.screen.query_one("#error").content)
            refund_no = app.screen.state.result.refund_no
            assert "Hand over ￥12.99 in cash" in str(app.screen.query_one("#payout").content)
            await pilot.press("f9")
            await pilot.pause()
            assert isinstance(app.screen, CheckoutScreen)
        assert not app.unexpected, app.unexpected
    finally:
        close_shop()
        head_office.close()

    with b.open() as ctx:
        after = _figures(ShiftRow.get_by_id(shift_id))
        assert after == (before[0], before[1] + 1, before[2] + 1299)  # store 02's X/Z: the cash out
        assert RefundRow.get(RefundRow.refund_no == refund_no).status == "completed"
        sync_once(central.db, ctx)
        b_store = int(outbox.state_get("store_no") or 0)
    rows = central_run(
        central.db,
        "SELECT r.refund_no, r.store_no, s.store_no, s.order_no, SUM(rl.qty), r.amount FROM refund r"
        " JOIN sale s ON s.id = r.sale_id JOIN refund_line rl ON rl.refund_id = r.id"
        " GROUP BY r.refund_no, r.store_no, s.store_no, s.order_no, r.amount",
    ).fetchall()
    a_store = int(central_run(central.db, "SELECT no FROM chain_store WHERE code = '01'").fetchone()[0])
    assert [tuple(r) for r in rows] == [(refund_no, b_store, a_store, order_no, 3, 1299)]
    assert central_run(central.db, "SELECT COUNT(*) FROM refund_claim").fetchone()[0] == 0


def test_a_crash_between_the_claim_and_the_local_write_is_retried_with_the_same_uids(central, tmp_path, monkeypatch):
    """Head office's claim first, then the local write: a till that dies in between confirms
    again with the draft's uids; head office counts the units once, and the upload settles it."""
    a = make_shop(tmp_path, "01", central.url)
    b = make_shop(tmp_path, "02", central.url)
    with a.open() as ctx:
        sale_id = sell(ctx, {"6901": 2})
        order_no = SaleRow.get_by_id(sale_id).order_no
        sync_once(central.db, ctx)
    with b.open() as ctx:
        sync_once(central.db, ctx)
        lookup = refunds.find_order(ctx, order_no)
        (line,) = lookup.history.values()
        draft = refunds.with_uids(RefundDraft(lookup.sale.id, (Pick(line.sale_line_id, 1),), "quality"))
        cashier = staff_service.login(ctx, "001", PINS["001"])
        real = refunds._record

        def dies(*args, **kwargs):
            raise Crash("the till died after head office's claim")

        monkeypatch.setattr(refunds, "_record", dies)
        with pytest.raises(Crash):
            refunds.confirm(ctx, cashier, draft)
        assert RefundRow.select().count() == 0
        monkeypatch.setattr(refunds, "_record", real)
        result = refunds.confirm(ctx, cashier, draft)  # the same draft: the same claim
        claims = central_run(central.db, "SELECT uid::text, qty FROM refund_claim").fetchall()
        assert [(str(u), int(q)) for u, q in claims] == [(dict(draft.line_uids)[line.sale_line_id], 1)]
        assert RefundLineRow.get().uid == claims[0][0]
        other = refunds.find_order(ctx, order_no)  # one unit left, as head office counts it
        assert [h.remaining for h in other.history.values()] == [1]
        sync_once(central.db, ctx)
        assert result.amount == 350
    assert central_run(central.db, "SELECT COUNT(*) FROM refund_claim").fetchone()[0] == 0
    qty = central_run(central.db, "SELECT SUM(qty) FROM refund_line").fetchone()[0]
    assert int(qty) == 1


def test_a_second_store_is_told_what_remains_before_the_first_has_synced(central, tmp_path):
    """Store 02 refunds the unit of store 01's order; store 03, before 02 has uploaded anything,
    finds the order still showing the unit (head office's claim counts it: no unit left) and is
    refused by head office naming what remains."""
    from tui_pos.central.errors import ChainRefused

    a, b, c = (make_shop(tmp_path, code, central.url) for code in ("01", "02", "03"))
    with a.open() as ctx:
        sale_id = sell(ctx, {"6903": 1})
        order_no = SaleRow.get_by_id(sale_id).order_no
        sync_once(central.db, ctx)
    with c.open() as ctx:
        early = refunds.find_order(ctx, order_no)  # looked at before store 02's refund
        assert [h.remaining for h in early.history.values()] == [1]
    with b.open() as ctx:
        refund_all(ctx, refunds.find_order(ctx, order_no).sale.id)
    with c.open() as ctx:
        (line,) = early.history.values()
        draft = RefundDraft(early.sale.id, (Pick(line.sale_line_id, 1),), "quality")
        with pytest.raises(ChainRefused) as refused:
            refunds.confirm(ctx, staff_service.login(ctx, "001", PINS["001"]), draft)
        assert set(refused.value.remaining.values()) == {0}
        assert "Only 0 of Notebook A5" in refused.value.message
        assert RefundRow.select().count() == 0
        again = refunds.find_order(ctx, order_no)  # the copy now says what head office says
        assert again.refusal == "This order is fully refunded"
