"""Members across the chain at head office (issue 23): one card and phone chain-wide, balance and
points kept by the ledger, online debits that never take a balance below zero."""

from __future__ import annotations

import threading
import uuid
from datetime import datetime, timedelta

import pytest
from tests.central.chainday import DAY, ZONE, after, alias, basics
from tests.central.shopday import sale, text

from tui_pos.central.apply import apply_changes, register_store
from tui_pos.central.connect import open_central
from tui_pos.central.errors import ChainRefused
from tui_pos.central.members import debit_member, find_members, get_member, member_history
from tui_pos.central.sql import one, run


def new() -> str:
    return str(uuid.uuid4())


def member_store(db, code: str = "01", *, balance: int = 1000, points: int = 500):
    store = register_store(db, code, f"Store {code}")
    out, shift = basics(code, balance=balance, points=points)
    apply_changes(db, store, out.changes, ZONE)
    return store, out, shift, out.uids[("member", 1)]


def move(out, table: str, member_id: int, value: int, *, uid: str | None = None, reason: str = "sale") -> None:
    key = (table, out.ids.get(table, 0) + 1)
    if uid:
        out.uids[key] = uid
    column = "amount" if table == "stored_value_move" else "points"
    out.insert(table, member_id=member_id, **{column: value}, reason=reason, sale_id=None, refund_id=None, at=text(DAY))


def test_two_stores_debit_at_once_a_balance_that_covers_one_one_wins(central_db, pg_url):
    _, _, _, member = member_store(central_db, balance=1000)
    stores = [register_store(central_db, code, code) for code in ("02", "03")]
    start = threading.Barrier(2)
    outcome: dict[int, object] = {}

    def pay(store_no: int) -> None:
        db = open_central(pg_url)
        try:
            start.wait()
            outcome[store_no] = debit_member(db, store_no, member, amount=800, points=0, hold_uid=new())
        except ChainRefused as exc:
            outcome[store_no] = exc
        finally:
            db.close()

    threads = [threading.Thread(target=pay, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    refused = [o for o in outcome.values() if isinstance(o, ChainRefused)]
    paid = [o for o in outcome.values() if not isinstance(o, ChainRefused)]
    assert len(refused) == 1 and len(paid) == 1
    assert refused[0].remaining == {"balance": 200, "points": 500}
    assert "stored value is 2.00 at head office: not enough for 8.00" in refused[0].message
    assert paid[0].balance == 200 and paid[0].held == 800
    assert one(central_db, "SELECT balance FROM member") == 200


def test_a_move_arriving_after_its_hold_changes_the_balance_once(central_db):
    one_, out, _, member = member_store(central_db, balance=1000, points=500)
    two = register_store(central_db, "02", "Two")
    hold, points_hold = new(), new()
    for _ in range(2):  # a retry after a crash: the same hold, once
        debit_member(central_db, two, member, amount=300, points=0, hold_uid=hold)
    debit_member(central_db, two, member, amount=0, points=200, hold_uid=points_hold)
    assert (one(central_db, "SELECT balance FROM member"), one(central_db, "SELECT points FROM member")) == (700, 300)
    # store 02's sale arrives: its moves carry the holds' uids, on its copy of the member
    there, _ = basics("02")
    mirror = alias(there, "member", member)
    move(there, "stored_value_move", mirror, -300, uid=hold)
    move(there, "points_move", mirror, -200, uid=points_hold)
    apply_changes(central_db, two, there.changes, ZONE)
    assert one(central_db, "SELECT count(*) FROM member_hold") == 0
    assert get_member(central_db, member).balance == 700 and get_member(central_db, member).points == 300
    # a top-up and points earned at the member's own store are ledger rows that apply as they sync
    more = after(out)
    move(more, "stored_value_move", 1, 5000, reason="topup")
    move(more, "points_move", 1, 12, reason="earn")
    more.update("member", 1, balance=99999, points=99999, name="张三丰")  # the store's copy never sets them
    apply_changes(central_db, one_, more.changes, ZONE)
    found = get_member(central_db, member)
    assert (found.balance, found.points, found.name, found.held) == (5700, 312, "张三丰", 0)


def test_a_stored_value_payment_the_balance_does_not_cover_lands_in_conflict(central_db):
    store, out, shift, _ = member_store(central_db, balance=100)
    more = after(out)
    sale(more, shift, DAY + timedelta(minutes=3), [(1, 1)], order_no="S01-20261201-0001")
    move(more, "stored_value_move", 1, -350)  # paid offline by an old till: 3.50 of a 1.00 balance
    apply_changes(central_db, store, more.changes, ZONE)
    assert one(central_db, "SELECT count(*) FROM sale") == 1  # the rest went in
    assert one(central_db, "SELECT balance FROM member") == 100
    kind, ref_no, amount, error = run(central_db, "SELECT kind, ref_no, amount, error FROM conflict").fetchone()
    assert (kind, ref_no, amount) == ("stored_value", "M000001", -350)
    assert "member_balance_not_negative" in error


def test_a_card_or_phone_is_one_member_across_the_chain(central_db):
    member_store(central_db, "01")
    two = register_store(central_db, "02", "Two")
    out, _ = basics("02")
    taken = next(c for c in out.changes if c.table == "member")
    taken.data.update(card_no="M000099", phone="13800001000")  # store 01's member's phone, offline
    apply_changes(central_db, two, out.changes, ZONE)
    assert one(central_db, "SELECT count(*) FROM member") == 2  # kept: its sales refer to it
    kind, store_no, error = run(central_db, "SELECT kind, store_no, error FROM conflict").fetchone()
    assert (kind, store_no) == ("member", two)
    assert error == (
        "member M000099 (phone 13800001000) has the card or phone of member Member of 01 "
        "(card M000001, phone 13800001000) of store 01"
    )
    assert [m.card_no for m in find_members(central_db, "13800001000")] == ["M000001"]
    assert [m.store_code for m in find_members(central_db, "M000001")] == ["01"]
    assert [m.card_no for m in find_members(central_db, "1000")] == ["M000001"]  # the phone's last four
    assert [m.card_no for m in find_members(central_db, "of 0")] == ["M000001"]
    assert find_members(central_db, "%") == [] and find_members(central_db, "  ") == []


def test_member_history_lists_purchases_and_refunds_of_every_store(central_db):
    one_, out, shift, member = member_store(central_db, "01")
    more = after(out)
    sale(more, shift, DAY + timedelta(minutes=1), [(1, 1)], order_no="S01-20261201-0001", member=True)
    apply_changes(central_db, one_, more.changes, ZONE)
    two = register_store(central_db, "02", "Two")
    there, shift2 = basics("02")
    mirror = alias(there, "member", member)
    sale_id, _ = sale(there, shift2, DAY + timedelta(hours=2), [(2, 1)], order_no="S02-20261201-0001")
    there.update("sale", sale_id, member_id=mirror)
    apply_changes(central_db, two, there.changes, ZONE)
    sales, refunds = member_history(central_db, member, zone=ZONE)
    assert [(s.store_code, s.order_no, s.total) for s in sales] == [
        ("02", "S02-20261201-0001", 1299),
        ("01", "S01-20261201-0001", 350),
    ]
    assert sales[0].created_at == datetime(2026, 12, 1, 12)
    assert refunds == []
    with pytest.raises(ChainRefused, match="no such member"):
        debit_member(central_db, two, new(), amount=1, points=0, hold_uid=new())


def test_an_imported_balance_counts_once_though_its_move_follows_the_member(central_db):
    """`import members` writes the member with the balance and a move saying so: the member's
    first row already holds it."""
    store = register_store(central_db, "01", "One")
    out, _ = basics("01", balance=2500, points=80)
    move(out, "stored_value_move", 1, 2500, reason="import")
    move(out, "points_move", 1, 80, reason="import")
    move(out, "stored_value_move", 1, -500)  # then a payment, which counts
    apply_changes(central_db, store, out.changes, ZONE)
    assert run(central_db, "SELECT balance, points FROM member").fetchone() == (2000, 80)
