"""The outbox on a real SQLite file: every business write leaves its changes in its own
transaction, nothing private leaves the store, and an upgraded shop queues its history."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from tui_pos.domain.basket import Basket
from tui_pos.domain.errors import AuthError
from tui_pos.domain.refund import Pick
from tui_pos.domain.shift import CashCount
from tui_pos.domain.tenders import TenderKind
from tui_pos.services import catalog, checkout, members, printing, refunds, shifts
from tui_pos.services import staff as staff_service
from tui_pos.services.context import close_shop, open_shop
from tui_pos.services.refunds import RefundDraft
from tui_pos.store import db as store_db
from tui_pos.store import fast, models, outbox
from tui_pos.store.db import write
from tui_pos.store.models import ALL_TABLES, MemberRow, SaleRow

from conftest import PINS, seed


def sell(ctx, actor, items: dict[str, int], member: str | None = None) -> int:
    basket = Basket()
    for code, qty in items.items():
        basket.add(catalog.product_for_scan(code), qty)
    if member:
        profile = members.profile(ctx, members.find_one(member).id)
        basket.attach(profile.member, profile.discount_bp)
    plan = checkout.new_plan(ctx, basket)
    plan.add(TenderKind.CASH, plan.due)
    return checkout.complete_sale(ctx, actor, basket, plan).sale_id


def mark() -> int:
    return fast.run("SELECT COALESCE(MAX(id), 0) FROM outbox").fetchone()[0]


def since(start: int) -> list[tuple[str, str, dict]]:
    rows = fast.run("SELECT tbl, op, data FROM outbox WHERE id > ? ORDER BY id", (start,)).fetchall()
    return [(tbl, op, json.loads(data)) for tbl, op, data in rows]


def tables(start: int) -> set[str]:
    return {tbl for tbl, _, _ in since(start)}


def test_a_sale_and_a_refund_queue_every_row_they_write(ctx, cashier):
    start = mark()
    sale_id = sell(ctx, cashier, {"6901": 2}, member="M000001")
    sale = SaleRow.get_by_id(sale_id)
    assert tables(start) >= {"sale", "sale_line", "stock_move", "payment", "points_move", "product", "member"}
    assert "print_job" not in tables(start) and "sequence" not in tables(start)  # they stay in the store
    (queued,) = [data for tbl, op, data in since(start) if tbl == "sale"]
    assert queued["uid"] == sale.uid and queued["order_no"] == sale.order_no and queued["total"] == sale.total
    assert queued["created_at"] == str(sale.created_at)  # SQLite's own text, as written

    start = mark()
    lookup = refunds.load_order(ctx, sale_id)
    picks = tuple(Pick(h.sale_line_id, h.remaining) for h in lookup.history.values())
    refunds.confirm(ctx, cashier, RefundDraft(sale_id, picks, "quality"))
    assert tables(start) >= {"refund", "refund_line", "refund_tender", "refund_event", "payment", "stock_move"}
    assert tables(start) >= {"points_move", "product", "member", "audit_log"}


def test_shift_open_close_cash_move_member_and_price_changes_are_queued(ctx, manager):
    start = mark()
    shifts.cash_move(ctx, manager, "paid_in", 1000, "change from the bank")
    assert [(t, op) for t, op, _ in since(start) if t != "audit_log"] == [("cash_move", "upsert")]

    start = mark()
    shifts.close_shift(ctx, manager, CashCount(51000))
    closed = [data for t, _, data in since(start) if t == "shift"]
    assert closed and closed[-1]["status"] == "closed" and closed[-1]["z_report"]

    start = mark()
    shifts.open_shift(ctx, manager, CashCount(50000))
    assert [data["status"] for t, _, data in since(start) if t == "shift"] == ["open"]

    start = mark()
    member = members.create(ctx, manager, "M000777", "13900007777", "李四")
    queued = [data for t, op, data in since(start) if t == "member"]
    assert [d["card_no"] for d in queued] == ["M000777"] and queued[0]["uid"] == MemberRow.get_by_id(member.id).uid

    start = mark()
    catalog.change_price(ctx, manager, "6902", "11.50")
    products = [data for t, _, data in since(start) if t == "product"]
    assert [(p["barcode"], p["price"]) for p in products] == [("6902", 1150)]
    assert "audit_log" in tables(start)


def test_a_failed_write_leaves_no_change_behind(ctx, cashier, monkeypatch):
    start = mark()

    def half_a_member() -> None:
        fast.insert(MemberRow, card_no="M000999", phone="13900009999", phone_tail="9999", name="王五")
        raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        write(half_a_member)
    assert since(start) == [] and MemberRow.get_or_none(MemberRow.card_no == "M000999") is None

    def boom(*args, **kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr(printing, "queue_receipt", boom)  # the sale's last write
    with pytest.raises(RuntimeError):
        sell(ctx, cashier, {"6901": 1})
    assert since(start) == []
    monkeypatch.undo()
    sale_id = sell(ctx, cashier, {"6901": 1})
    start = mark()
    monkeypatch.setattr(printing, "queue_voucher", boom)  # the refund's last write
    lookup = refunds.load_order(ctx, sale_id)
    picks = tuple(Pick(h.sale_line_id, h.remaining) for h in lookup.history.values())
    with pytest.raises(RuntimeError):
        refunds.confirm(ctx, cashier, RefundDraft(sale_id, picks, "quality"))
    assert since(start) == []


def test_every_row_has_its_own_uid_and_every_change_its_own(ctx, cashier):
    for _ in range(3):
        sell(ctx, cashier, {"6901": 1, "6902": 1}, member="M000001")
    for model in ALL_TABLES:
        table = model._meta.table_name
        uids = [row[0] for row in fast.run(f'SELECT uid FROM "{table}"')]
        assert None not in uids and len(set(uids)) == len(uids), table
    every = [row[0] for row in fast.run("SELECT uid FROM outbox")]
    assert len(every) > 30 and len(set(every)) == len(every)
    row_uids = {row[0] for row in fast.run("SELECT row_uid FROM outbox WHERE tbl = 'sale_line'")}
    assert row_uids == {row[0] for row in fast.run("SELECT uid FROM sale_line")}


def test_staff_pins_and_lockouts_never_leave_the_store(ctx, manager):
    start = mark()
    for _ in range(6):  # past the lockout
        with pytest.raises(AuthError):
            staff_service.login(ctx, "001", "0000")
    assert "staff" not in tables(start)  # the failures are audited, the counters are not changes
    staff_service.reset_pin(ctx, manager, "002", "4826")
    staff_service.rename_staff(ctx, manager, "002", "Supervisor Zhou", "Zhou")
    renamed = [data for t, _, data in since(start) if t == "staff"]
    assert renamed and renamed[-1]["name"] == "Supervisor Zhou"
    for data in (json.loads(row[0]) for row in fast.run("SELECT data FROM outbox WHERE tbl = 'staff'")):
        assert data.keys().isdisjoint({"pin_hash", "failed_pins", "locked_until", "must_change_pin"})
        assert "code" in data and "role" in data
    text = " ".join(row[0] for row in fast.run("SELECT data FROM outbox"))
    for (pin_hash,) in fast.run("SELECT pin_hash FROM staff"):
        assert pin_hash not in text


def test_the_queue_api(ctx, cashier):
    start = mark()
    sell(ctx, cashier, {"6901": 1})
    first = outbox.pending(5)
    assert [c.seq for c in first] == sorted(c.seq for c in first) and len(first) == 5
    assert first[0].seq == min(row[0] for row in fast.run("SELECT id FROM outbox"))
    status = outbox.queue_status()
    assert status.unsent == mark() and status.attempted_unsent == 0 and status.oldest_at is not None
    outbox.mark_attempted([c.seq for c in first])
    assert outbox.queue_status().attempted_unsent == 5
    outbox.mark_sent([c.seq for c in first])
    assert outbox.queue_status().unsent == status.unsent - 5
    assert outbox.pending(1)[0].seq > first[-1].seq
    assert outbox.prune(datetime.now() - timedelta(hours=1)) == 0  # sent just now: kept for a while
    assert outbox.prune(datetime.now() + timedelta(seconds=1)) == 5
    assert outbox.queue_status().unsent == status.unsent - 5  # unsent changes are never pruned
    assert start >= 0 and outbox.state_get("pulled_seq") is None
    outbox.state_set("pulled_seq", "12")
    outbox.state_set("pulled_seq", "13")
    assert outbox.state_get("pulled_seq") == "13"


def _as_schema_8(path) -> None:
    """The database as the release before the chain left it: no uids, no outbox."""
    old = sqlite3.connect(path)
    with old:
        for (name,) in old.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'outbox_%'"):
            old.execute(f'DROP TRIGGER "{name}"')
        for table in ("outbox", "sync_state", "hq_setting"):
            old.execute(f"DROP TABLE {table}")
        for model in ALL_TABLES:
            table = model._meta.table_name
            old.execute(f'DROP INDEX "{model._meta.name}_uid"')
            old.execute(f'ALTER TABLE "{table}" DROP COLUMN uid')
        old.execute("UPDATE schema_version SET version = 8")
    old.close()


def test_the_upgrade_gives_every_row_its_own_uid_and_queues_the_history(ctx, cashier, manager):
    sale_id = sell(ctx, cashier, {"6901": 2}, member="M000001")
    lookup = refunds.load_order(ctx, sale_id)
    picks = tuple(Pick(h.sale_line_id, 1) for h in lookup.history.values())
    refunds.confirm(ctx, cashier, RefundDraft(sale_id, picks, "quality"))
    shifts.close_shift(ctx, manager, CashCount(50000))  # a closed shift is frozen: it gets its uid all the same
    path = ctx.config.db_path
    close_shop()
    _as_schema_8(path)

    shop = open_shop(ctx.config)
    try:
        assert store_db._version(models.database) == store_db.SCHEMA_VERSION
        counts = {}
        for model in ALL_TABLES:
            table = model._meta.table_name
            uids = [row[0] for row in fast.run(f'SELECT uid FROM "{table}"')]
            assert None not in uids and len(set(uids)) == len(uids), table
            counts[table] = len(uids)
            on_uid = [
                name
                for _, name, unique, *_ in fast.run(f'PRAGMA index_list("{table}")')
                if unique and [c[2] for c in fast.run(f'PRAGMA index_info("{name}")')] == ["uid"]
            ]
            assert on_uid == [f"{model._meta.name}_uid"], table  # the one a new shop has, not two
        queued = fast.run("SELECT tbl, op, row_uid, data FROM outbox ORDER BY id").fetchall()
        order = [outbox.table_name(m) for m in outbox.SYNCED]
        assert [order.index(t) for t, _, _, _ in queued] == sorted(order.index(t) for t, _, _, _ in queued)
        assert {op for _, op, _, _ in queued} == {"upsert"}
        for model in outbox.SYNCED:
            table = outbox.table_name(model)
            mine = [(json.loads(data)["id"], uid) for t, _, uid, data in queued if t == table]
            assert mine == sorted(fast.run(f'SELECT id, uid FROM "{table}"').fetchall()), table
        assert "pin_hash" not in " ".join(d for _, _, _, d in queued)
        assert counts["shift"] == 1 and "sale" in {t for t, *_ in queued}
        # and the upgraded shop sells on, its changes queued behind its history
        shifts.open_shift(shop, staff_service.login(shop, "003", PINS["003"]), CashCount(50000))
        start = mark()
        sell(shop, staff_service.login(shop, "001", PINS["001"]), {"6901": 1})
        assert "sale" in tables(start)
    finally:
        close_shop()


def test_an_upgrade_on_a_big_shop_takes_no_time_to_speak_of(config):
    """100,000 rows of a shop from before the chain: uids row by row with executemany, the history
    queued by one INSERT ... SELECT per table (about a second here, with the copy kept first)."""
    seed(open_shop(config))
    close_shop()
    _as_schema_8(config.db_path)
    old = sqlite3.connect(config.db_path)
    with old:
        old.executemany(
            "INSERT INTO stock_move (product_id, qty, reason, at) VALUES (1, 1, 'adjust', ?)",
            ((f"2026-11-01 10:{n % 60:02d}:00",) for n in range(100_000)),
        )
    old.close()
    open_shop(config)
    try:
        assert fast.run("SELECT COUNT(DISTINCT uid) FROM stock_move").fetchone()[0] == 100_000
        assert fast.run("SELECT COUNT(*) FROM outbox WHERE tbl = 'stock_move'").fetchone()[0] == 100_000
    finally:
        close_shop()


def test_two_stores_on_the_same_day_never_share_a_number(tmp_path, config):
    numbers = {}
    for code in ("01", "02"):
        shop_config = replace(config, store_code=code, db_path=tmp_path / f"store{code}.db")
        shop = open_shop(shop_config)
        try:
            seed(shop)
            cashier = staff_service.login(shop, "001", PINS["001"])
            sale_id = sell(shop, cashier, {"6901": 2})
            lookup = refunds.load_order(shop, sale_id)
            picks = tuple(Pick(h.sale_line_id, 1) for h in lookup.history.values())
            refund_no = refunds.confirm(shop, cashier, RefundDraft(sale_id, picks, "quality")).refund_no
            numbers[code] = (SaleRow.get_by_id(sale_id).order_no, refund_no)
        finally:
            close_shop()
    day = datetime.now().strftime("%Y%m%d")
    assert numbers == {
        "01": (f"S01-{day}-0001", f"R01-{day}-0001"),
        "02": (f"S02-{day}-0001", f"R02-{day}-0001"),
    }
