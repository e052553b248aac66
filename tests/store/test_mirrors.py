"""Migration 10: mirrors of other stores' rows stay out of the outbox (head office has the
originals) but leave an 'alias' row each; head office's conflicts get a table of their own."""

from __future__ import annotations

import json
import sqlite3

from tests.store.test_outbox import mark, sell, since

from tui_pos.store import db as store_db
from tui_pos.store import fast, models, outbox
from tui_pos.store.db import write
from tui_pos.store.models import MemberRow, PaymentRow, ProductRow, SaleLineRow, SaleRow, StaffRow


def _columns(table: str) -> set[str]:
    return {row[1] for row in fast.run(f"PRAGMA table_info({table})")}


def test_a_new_shop_has_the_chain_columns_and_the_conflict_table(ctx):
    assert "origin_store" in _columns("sale") and "origin_store" in _columns("member")
    assert "refunded_elsewhere" in _columns("sale_line")
    assert {"uid", "kind", "ref_no", "detail", "amount", "at", "resolved_at", "resolved_by", "resolution"} <= _columns(
        "conflict"
    )


def test_schema_9_is_upgraded(ctx, cashier):
    sell(ctx, cashier, {"6901": 1})
    path = ctx.config.db_path
    store_db.close_database()
    old = sqlite3.connect(path)
    with old:
        for (name,) in old.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'outbox_%'"):
            old.execute(f'DROP TRIGGER "{name}"')
        old.execute("DROP TABLE conflict")
        old.execute("ALTER TABLE sale DROP COLUMN origin_store")
        old.execute("ALTER TABLE sale_line DROP COLUMN refunded_elsewhere")
        old.execute("ALTER TABLE member DROP COLUMN origin_store")
        old.execute("UPDATE schema_version SET version = 9")
    old.close()
    store_db.open_database(path)
    assert store_db._version(models.database) == 10
    assert "origin_store" in _columns("sale") and "refunded_elsewhere" in _columns("sale_line")
    assert "origin_store" in _columns("member") and "resolution" in _columns("conflict")
    assert SaleRow.select().where(SaleRow.origin_store == "").count() == 1
    start = mark()
    sell(ctx, cashier, {"6901": 1})  # the triggers made again carry the new columns
    sale = [data for tbl, _, data in since(start) if tbl == "sale"][0]
    assert sale["origin_store"] == ""


def _mirror(ctx) -> tuple[SaleRow, SaleLineRow]:
    """Another store's order as the refund look-up copies it: status 'elsewhere', central uids."""

    def make() -> tuple[SaleRow, SaleLineRow]:
        staff = StaffRow.get()
        product = ProductRow.get()
        sale = SaleRow.create(
            uid="c0ffee00000000000000000000000001",
            order_no="S02-20261201-0001",
            till_code="",
            staff=staff,
            status="elsewhere",
            origin_store="02",
            subtotal=500,
            discount=0,
            total=500,
        )
        line = SaleLineRow.create(
            uid="c0ffee00000000000000000000000002",
            sale=sale,
            line_no=1,
            product=product,
            barcode=product.barcode,
            name=product.name,
            category=product.category,
            qty=1,
            list_price=500,
            unit_price=500,
            discount=0,
            paid=500,
        )
        PaymentRow.create(uid="c0ffee00000000000000000000000003", sale=sale, tender="cash", amount=500)
        MemberRow.create(card_no="M9", phone="139", name="Far", origin_store="02")
        outbox.alias("sale", sale.uid, sale.id)
        outbox.alias("sale_line", line.uid, line.id)
        return sale, line

    return write(make)


def test_mirrors_stay_out_of_the_outbox_but_leave_their_aliases(ctx, cashier):
    sell(ctx, cashier, {"6901": 1})
    start = mark()
    sale, line = _mirror(ctx)
    changes = since(start)
    assert [(tbl, op) for tbl, op, _ in changes] == [("sale", "alias"), ("sale_line", "alias")]
    assert [data for _, _, data in changes] == [{"id": sale.id}, {"id": line.id}]
    rows = fast.run("SELECT row_uid FROM outbox WHERE id > ? ORDER BY id", (start,)).fetchall()
    assert [r[0] for r in rows] == [sale.uid, line.uid]
    assert not outbox.local_authority(sale.uid)  # an alias is no authority: head office holds the order
    start = mark()
    write(lambda: SaleLineRow.update(refunded_elsewhere=1).where(SaleLineRow.id == line.id).execute())
    write(lambda: SaleRow.update(total=400).where(SaleRow.id == sale.id).execute())
    assert since(start) == []
    # the store's own sale line: a change of refunded_elsewhere alone is no change to upload
    own = SaleLineRow.get(SaleLineRow.sale != sale.id)
    write(lambda: SaleLineRow.update(refunded_elsewhere=1).where(SaleLineRow.id == own.id).execute())
    assert since(start) == []
    write(lambda: SaleLineRow.update(name="x").where(SaleLineRow.id == own.id).execute())
    assert [tbl for tbl, _, _ in since(start)] == ["sale_line"]
    assert json.dumps(since(start)[0][2]).count("refunded_elsewhere") == 1


def test_a_refund_payment_against_a_mirror_goes_up(ctx, cashier):
    sale, _ = _mirror(ctx)
    start = mark()

    def pay() -> None:
        row = models.RefundRow.create(
            refund_no="R01-1",
            sale=sale,
            staff=StaffRow.get(),
            reason="q",
            tender="cash",
            allowed=500,
            amount=500,
            status="paid",
        )
        PaymentRow.create(refund=row, sale=sale, tender="cash", amount=-500)

    write(pay)
    assert [tbl for tbl, _, _ in since(start)] == ["refund", "payment"]
