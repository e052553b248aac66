"""A store's own database role (README: one per store): it uploads and pulls, and with row-level
security it cannot write or read another store's rows."""

from __future__ import annotations

import uuid
from zoneinfo import ZoneInfo

import peewee
import pytest
from tests.central.shopday import busy_day

from tui_pos.central import schema
from tui_pos.central.apply import apply_changes, register_store, server_now, store_seen
from tui_pos.central.connect import open_central
from tui_pos.central.hq import changes_since, record_change
from tui_pos.central.sql import one, run

ZONE = ZoneInfo("Asia/Shanghai")


def test_a_store_role_uploads_its_own_rows_and_nobody_elses(central_db, pg_url):
    one_, two = register_store(central_db, "01", "One"), register_store(central_db, "02", "Two")
    apply_changes(central_db, two, busy_day(2, 0, code="02").changes, ZONE)
    record_change(central_db, "product", "6901", {"price": 400}, "boss")
    role = f"store01_{uuid.uuid4().hex[:8]}"
    run(central_db, f'CREATE ROLE "{role}" LOGIN')
    schema.grant_store(central_db, role, one_)
    store = open_central(pg_url.replace("postgres@", f"{role}@", 1))
    try:
        assert register_store(store, "01", "One") == one_  # its first sync: the number head office gave it
        store_seen(store, one_, 3)
        server_now(store)
        assert apply_changes(store, one_, busy_day(3, 1).changes, ZONE) > 0
        assert one(store, "SELECT count(*) FROM sale") == 3  # store 02's two sales are not shown to it
        assert [c.key for c in changes_since(store, 0)] == ["6901"]
        with pytest.raises(peewee.DatabaseError, match="row-level security"):
            apply_changes(store, two, busy_day(1, 0, code="02").changes, ZONE)  # under store 02's number
    finally:
        store.close()
    assert run(central_db, "SELECT store_no, count(*) FROM sale GROUP BY 1 ORDER BY 1").fetchall() == [
        (one_, 3),
        (two, 2),
    ]
    assert one(central_db, "SELECT sum(sales) FROM sale_day WHERE store_no = %s", (one_,)) == 3


def test_a_store_role_refunds_and_debits_across_the_chain_through_head_offices_functions(central_db, pg_url):
    """Store 02's own role: it cannot read store 01's tables, but finds store 01's order and
    member, claims, debits, uploads its refund of its copy, and fetches its own conflicts."""
    from datetime import timedelta

    from tests.central.chainday import DAY, alias, basics, store_with_sale
    from tests.central.shopday import refund

    from tui_pos.central.conflicts import conflicts
    from tui_pos.central.members import debit_member, find_members, get_member, member_history
    from tui_pos.central.refunds import claim_refund, find_order, release_claims

    one_, out, _, sale_uid, line_uid = store_with_sale(central_db, qty=2)
    member = out.uids[("member", 1)]
    run(central_db, "UPDATE member SET balance = 1000")
    two = register_store(central_db, "02", "Two")
    role = f"store02_{uuid.uuid4().hex[:8]}"
    run(central_db, f'CREATE ROLE "{role}" LOGIN')
    schema.grant_store(central_db, role, two)
    store = open_central(pg_url.replace("postgres@", f"{role}@", 1))
    try:
        assert one(store, "SELECT count(*) FROM sale") == 0  # store 01's rows stay hidden
        order = find_order(store, "S01-20261201-0001")
        assert order.store_code == "01" and order.line(line_uid).remaining == 2
        claim, spare = str(uuid.uuid4()), str(uuid.uuid4())
        claim_refund(store, two, sale_uid, [(line_uid, 1, claim)], str(uuid.uuid4()))
        claim_refund(store, two, sale_uid, [(line_uid, 1, spare)], str(uuid.uuid4()))
        assert release_claims(store, [spare], "cashier 001") == 1
        there, shift = basics("02")
        mirror_sale, mirror_line = alias(there, "sale", sale_uid), alias(there, "sale_line", line_uid)
        there.uids[("refund_line", 1)] = claim
        refund(
            there, shift, DAY + timedelta(hours=1), mirror_sale, [(mirror_line, 1, 1)], refund_no="R02-20261201-0001"
        )
        apply_changes(store, two, there.changes, ZONE)
        assert find_order(store, "S01-20261201-0001").line(line_uid).refunded == 1
        paid = debit_member(store, two, member, amount=600, points=0, hold_uid=str(uuid.uuid4()))
        assert paid.balance == 400 and paid.store_code == "01"
        assert [m.card_no for m in find_members(store, "M000001")] == ["M000001"]
        assert get_member(store, member).held == 600
        assert member_history(store, member)[0] == []
        assert conflicts(store, two) == []
    finally:
        store.close()
    assert one(central_db, "SELECT sale_id FROM refund") == one(
        central_db, "SELECT id FROM sale WHERE uid = %s", (sale_uid,)
    )
    assert one(central_db, "SELECT count(*) FROM conflict WHERE resolved_at IS NULL") == 0
