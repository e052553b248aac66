"""Head office's schema refuses what the stores promise never to send, keeps stores apart, and
keeps the daily totals as the store does."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import peewee
import pytest
from tests.central.shopday import Outbox, busy_day, close_shift, open_shift, refund, sale, store_basics

from tui_pos.central import schema
from tui_pos.central.apply import apply_changes, register_store
from tui_pos.central.sql import one, run

ZONE = ZoneInfo("Asia/Shanghai")
DAY = datetime(2026, 12, 1, 10)


def columns(db, table: str) -> dict[str, str]:
    rows = run(
        db,
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'public' AND table_name = %s",
        (table,),
    ).fetchall()
    return dict(rows)


def day_with_one_sale(code: str = "01") -> tuple[Outbox, int, list[int]]:
    out = Outbox()
    store_basics(out)
    shift = open_shift(out, DAY)
    sale_id, lines = sale(out, shift, DAY + timedelta(minutes=1), [(1, 2), (2, 1)], order_no=f"S{code}-20261201-0001")
    return out, shift, lines


def test_every_synced_table_has_bigint_ids_timestamptz_booleans_and_its_store(central_db):
    for table in schema.TABLES:
        kinds = columns(central_db, table.name)
        assert kinds["id"] == "bigint" and kinds["store_no"] == "bigint" and kinds["uid"] == "text", table.name
    sale = columns(central_db, "sale")
    assert sale["created_at"] == "timestamp with time zone"
    assert sale["training"] == "boolean"
    assert sale["staff_id"] == "bigint" and sale["total"] == "bigint" and sale["order_no"] == "text"
    assert "pin_hash" not in columns(central_db, "staff")  # a PIN's hash never leaves the store
    assert {"print_job", "sequence", "till", "store"}.isdisjoint({t.name for t in schema.TABLES})
    assert schema.version(central_db) == schema.VERSION


def test_a_second_row_with_the_same_uid_is_refused(central_db):
    store = register_store(central_db, "01", "One")
    out, _, _ = day_with_one_sale()
    apply_changes(central_db, store, out.changes, ZONE)
    uid = one(central_db, "SELECT uid FROM product WHERE barcode = '6901'")
    with pytest.raises(peewee.IntegrityError), central_db.atomic():
        run(central_db, "UPDATE product SET uid = %s WHERE barcode = '6902'", (uid,))


def test_an_order_number_is_unique_per_store_not_across_stores(central_db):
    one_, two = register_store(central_db, "01", "One"), register_store(central_db, "02", "Two")
    out, _, _ = day_with_one_sale()
    apply_changes(central_db, one_, out.changes, ZONE)
    again, _, _ = day_with_one_sale()  # new uids, same local ids and the same order number
    apply_changes(central_db, two, again.changes, ZONE)  # another store: fine
    assert one(central_db, "SELECT count(*) FROM sale WHERE order_no = 'S01-20261201-0001'") == 2
    third = Outbox()  # the same store again with another sale of that number (a new uid)
    third.ids = {"sale": 1}
    row = dict(out.rows[("sale", 1)], id=2)
    third.upsert("sale", {k: v for k, v in row.items() if k != "uid"})
    apply_changes(central_db, one_, third.changes, ZONE)  # refused, kept as a conflict
    assert one(central_db, "SELECT count(*) FROM sale WHERE order_no = 'S01-20261201-0001'") == 2
    assert "sale_order_no_per_store" in one(central_db, "SELECT error FROM conflict WHERE tbl = 'sale'")


def test_more_refunded_than_sold_on_a_line_is_refused_at_the_commit(central_db):
    store = register_store(central_db, "01", "One")
    out, shift, lines = day_with_one_sale()
    at = DAY + timedelta(minutes=5)
    refund(out, shift, at, 1, [(lines[0], 1, 2)], refund_no="R01-20261201-0001")
    apply_changes(central_db, store, out.changes, ZONE)  # both units back: fine
    more = Outbox(uids=dict(out.uids), ids=dict(out.ids), rows=dict(out.rows))
    refund(more, shift, at, 1, [(lines[0], 1, 1)], refund_no="R01-20261201-0002")
    apply_changes(central_db, store, more.changes, ZONE)
    # the refund line is refused and kept for a manager with its money; the rest of the refund went in
    assert run(central_db, "SELECT kind, tbl, ref_no, amount FROM conflict").fetchall() == [
        ("refund", "refund_line", "R01-20261201-0002", 350)
    ]
    assert "3 refunded but 2 sold" in one(central_db, "SELECT error FROM conflict")
    assert one(central_db, "SELECT count(*) FROM refund_line") == 1
    # a rejected refund does not count: the same refund as rejected goes in
    rejected = Outbox(uids=dict(more.uids), ids=dict(more.ids), rows=dict(more.rows))
    refund(rejected, shift, at, 1, [(lines[0], 1, 1)], refund_no="R01-20261201-0003", status="rejected")
    apply_changes(central_db, store, rejected.changes, ZONE)
    assert one(central_db, "SELECT count(*) FROM refund") == 3
    assert one(central_db, "SELECT count(*) FROM conflict") == 1


def test_no_payment_goes_into_a_shift_after_its_z_whichever_comes_first(central_db):
    store = register_store(central_db, "01", "One")
    out, shift, _ = day_with_one_sale()
    close_shift(out, shift, DAY + timedelta(hours=8))
    apply_changes(central_db, store, out.changes, ZONE)  # the sale's payment was before the Z: fine
    late = Outbox(uids=dict(out.uids), ids=dict(out.ids), rows=dict(out.rows))
    sale(late, shift, DAY + timedelta(hours=9), [(1, 1)], order_no="S01-20261201-0002")
    apply_changes(central_db, store, late.changes, ZONE)  # the sale goes in, its payment is refused
    assert run(central_db, "SELECT kind, ref_no, amount FROM conflict").fetchall() == [
        ("payment", "S01-20261201-0002", 350)
    ]
    assert "closed at" in one(central_db, "SELECT error FROM conflict")
    # the other order: the late payment is there first, then the Z arrives
    other = register_store(central_db, "02", "Two")
    first = Outbox()
    store_basics(first)
    shift2 = open_shift(first, DAY)
    sale(first, shift2, DAY + timedelta(hours=9), [(1, 1)], order_no="S02-20261201-0001")
    apply_changes(central_db, other, first.changes, ZONE)
    close = Outbox(uids=dict(first.uids), ids=dict(first.ids), rows=dict(first.rows))
    close_shift(close, shift2, DAY + timedelta(hours=8))
    apply_changes(central_db, other, close.changes, ZONE)
    assert "money moved in it" in one(central_db, "SELECT error FROM conflict WHERE tbl = 'shift'")
    assert one(central_db, "SELECT status FROM shift WHERE store_no = %s", (other,)) == "open"


def test_two_stores_with_the_same_local_ids_live_side_by_side_and_each_view_shows_its_own(central_db):
    one_, two = register_store(central_db, "01", "One"), register_store(central_db, "02", "Two")
    apply_changes(central_db, one_, busy_day(3, 1, code="01").changes, ZONE)
    apply_changes(central_db, two, busy_day(5, 0, code="02").changes, ZONE)
    assert run(central_db, "SELECT store_no, count(*) FROM sale GROUP BY 1 ORDER BY 1").fetchall() == [
        (one_, 3),
        (two, 5),
    ]
    assert one(central_db, "SELECT min(id) FROM sale WHERE store_no = %s", (two,)) == two * schema.SPAN + 1
    run(central_db, f"SET search_path = {schema.store_schema(two)}")
    try:
        assert one(central_db, "SELECT count(*) FROM sale") == 5
        assert one(central_db, "SELECT count(*) FROM refund") == 0
        assert one(central_db, "SELECT count(DISTINCT store_no) FROM sale_line") == 1
        assert one(central_db, "SELECT sum(sales) FROM sale_day") == 5
    finally:
        run(central_db, "SET search_path = public")


def test_daily_totals_are_kept_per_store_day_in_the_stores_zone_and_a_void_leaves_them(central_db):
    store = register_store(central_db, "01", "One")
    out = Outbox()
    store_basics(out)
    shift = open_shift(out, DAY)
    # 00:30 in Shanghai is still the previous day in UTC: the day is the store's
    sale_id, _ = sale(out, shift, datetime(2026, 12, 2, 0, 30), [(1, 2), (3, 1)], order_no="S01-20261202-0001")
    sale(out, shift, datetime(2026, 12, 2, 9), [(1, 1)], order_no="S01-20261202-0002", member=True)
    apply_changes(central_db, store, out.changes, ZONE)
    assert run(central_db, "SELECT day, level, sales, amount FROM sale_day ORDER BY level").fetchall() == [
        ("2026-12-02", "", 1, 2 * 350 + 599),
        ("2026-12-02", "gold", 1, 350),
    ]
    assert run(central_db, "SELECT product_id % 10000000000, qty, amount FROM product_day ORDER BY 1").fetchall() == [
        (1, 3, 1050),
        (3, 1, 599),
    ]
    void = Outbox(uids=dict(out.uids), ids=dict(out.ids), rows=dict(out.rows))
    void.update("sale", sale_id, status="voided")
    apply_changes(central_db, store, void.changes, ZONE)
    assert run(central_db, "SELECT level, sales, amount FROM sale_day ORDER BY level").fetchall() == [
        ("", 0, 0),
        ("gold", 1, 350),
    ]
    assert run(central_db, "SELECT category, amount FROM category_day ORDER BY 1").fetchall() == [
        ("drinks", 350),
        ("stationery", 0),
    ]


def test_migrate_adds_a_column_a_newer_store_has_and_keeps_the_rows(central_db):
    store = register_store(central_db, "01", "One")
    apply_changes(central_db, store, busy_day(2, 0).changes, ZONE)
    with central_db.atomic():
        run(central_db, f"DROP VIEW {schema.store_schema(store)}.sale")
        run(central_db, 'ALTER TABLE sale DROP COLUMN "points_redeemed"')
    assert schema.migrate(central_db) == (schema.VERSION, schema.VERSION)
    assert "points_redeemed" in columns(central_db, "sale")
    assert one(central_db, f"SELECT count(*) FROM {schema.store_schema(store)}.sale") == 2


def test_migrate_to_version_2_keeps_members_two_stores_had_with_one_card_as_a_conflict(central_db):
    one_, two = register_store(central_db, "01", "One"), register_store(central_db, "02", "Two")
    with central_db.atomic():  # head office as version 1 had it: one card per store only
        run(central_db, "DROP TRIGGER member_duplicate ON member")
        run(central_db, "DROP INDEX member_card_chain, member_phone_chain")
        run(central_db, "ALTER TABLE member DROP COLUMN duplicate_of CASCADE")  # with the stores' views
        run(central_db, "UPDATE central_version SET version = 1")
    apply_changes(central_db, one_, busy_day(2, 0, code="01").changes, ZONE)
    apply_changes(central_db, two, busy_day(2, 0, code="02").changes, ZONE)  # the same M000001
    assert schema.migrate(central_db) == (1, schema.VERSION)
    assert run(central_db, "SELECT store_no, duplicate_of IS NOT NULL FROM member ORDER BY id").fetchall() == [
        (one_, False),
        (two, True),
    ]
    assert run(central_db, "SELECT store_no, kind, ref_no FROM conflict").fetchall() == [(two, "member", "M000001")]
    assert schema.migrate(central_db) == (schema.VERSION, schema.VERSION)  # again: nothing twice
    assert one(central_db, "SELECT count(*) FROM conflict") == 1
