"""Refunds across the chain at head office (issue 23): a unit is refunded once, whichever stores
ask at once, however often a store retries, and whether it arrives as a claim or a refund line."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest
from tests.central.chainday import DAY, ZONE, after, alias, basics, store_with_sale
from tests.central.shopday import refund

from tui_pos.central.apply import apply_changes, register_store
from tui_pos.central.connect import open_central
from tui_pos.central.errors import ChainRefused
from tui_pos.central.refunds import claim_refund, find_order, release_claims
from tui_pos.central.sql import one, run


def new() -> str:
    return str(uuid.uuid4())


def test_eight_claims_at_once_from_four_stores_on_a_one_unit_line_one_wins(central_db, pg_url):
    _, _, _, sale_uid, line_uid = store_with_sale(central_db, qty=1)
    stores = [register_store(central_db, f"0{n}", f"Store {n}") for n in (1, 2, 3, 4)]
    start = threading.Barrier(8)
    won: list[int] = []
    refused: list[ChainRefused] = []
    failed: list[BaseException] = []
    lock = threading.Lock()

    def claim(store_no: int) -> None:
        db = open_central(pg_url)  # each till its own connection
        try:
            start.wait()
            claim_refund(db, store_no, sale_uid, [(line_uid, 1, new())], new())
            with lock:
                won.append(store_no)
        except ChainRefused as exc:
            with lock:
                refused.append(exc)
        except BaseException as exc:
            with lock:
                failed.append(exc)
        finally:
            db.close()

    threads = [threading.Thread(target=claim, args=(stores[n % 4],)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failed == []
    assert len(won) == 1 and len(refused) == 7
    for exc in refused:
        assert exc.remaining == {line_uid: 0}
        assert "Only 0 of Product 1 in order S01-20261201-0001 can still be refunded" in exc.message
    assert one(central_db, "SELECT count(*), sum(qty) FROM refund_claim") == 1
    order = find_order(central_db, "S01-20261201-0001", zone=ZONE)
    assert order is not None and order.line(line_uid).refunded == 1 and order.line(line_uid).remaining == 0


def test_a_claim_then_its_refund_line_with_the_same_uid_counts_once(central_db):
    store, out, shift, sale_uid, line_uid = store_with_sale(central_db, qty=2)
    claim = new()
    claim_refund(central_db, store, sale_uid, [(line_uid, 1, claim)], new())
    assert find_order(central_db, "S01-20261201-0001").line(line_uid).refunded == 1
    # the store writes its refund with the claim's uid on the line, and uploads it
    more = after(out)
    more.uids[("refund_line", more.ids.get("refund_line", 0) + 1)] = claim
    refund(more, shift, DAY + timedelta(minutes=5), 1, [(1, 1, 1)], refund_no="R01-20261201-0001")
    apply_changes(central_db, store, more.changes, ZONE)
    assert one(central_db, "SELECT count(*) FROM refund_claim") == 0  # settled by the line
    order = find_order(central_db, "S01-20261201-0001")
    assert order.line(line_uid).refunded == 1
    assert [(r.refund_no, r.store_code, r.amount) for r in order.refunds] == [("R01-20261201-0001", "01", 350)]
    # the unit left is still there to claim, once
    claim_refund(central_db, store, sale_uid, [(line_uid, 1, new())], new())
    with pytest.raises(ChainRefused) as refused:
        claim_refund(central_db, store, sale_uid, [(line_uid, 1, new())], new())
    assert refused.value.remaining == {line_uid: 0}
    # a claim retried after its refund line settled it changes nothing
    claim_refund(central_db, store, sale_uid, [(line_uid, 1, claim)], new())
    assert one(central_db, "SELECT count(*) FROM conflict") == 0


def test_a_claim_retried_is_taken_once_and_a_release_gives_the_units_back(central_db):
    store, _, _, sale_uid, line_uid = store_with_sale(central_db, qty=3)
    claim, refund_uid = new(), new()
    for _ in range(3):  # the till crashed after head office's commit, and tries again
        claim_refund(central_db, store, sale_uid, [(line_uid, 2, claim)], refund_uid)
    assert run(central_db, "SELECT count(*), sum(qty) FROM refund_claim").fetchone() == (1, 2)
    assert find_order(central_db, "S01-20261201-0001").line(line_uid).remaining == 1
    with pytest.raises(ChainRefused) as refused:
        claim_refund(central_db, store, sale_uid, [(line_uid, 2, new())], new())
    assert refused.value.remaining == {line_uid: 1}
    assert release_claims(central_db, [claim], "manager Wang") == 1
    assert find_order(central_db, "S01-20261201-0001").line(line_uid).remaining == 3
    assert run(central_db, "SELECT kind, resolved_by, resolution FROM conflict").fetchall() == [
        ("claim", "manager Wang", "released")
    ]


def test_a_refund_at_another_store_of_its_mirror_points_at_the_selling_stores_sale(central_db):
    one_, _, _, sale_uid, line_uid = store_with_sale(central_db, qty=2)
    two = register_store(central_db, "02", "Two")
    order = find_order(central_db, "S01-20261201-0001", zone=ZONE)
    assert order.store_code == "01" and order.uid == sale_uid and order.created_at == DAY + timedelta(minutes=1)
    # store 02 copies the order (local ids of its own), claims one unit, refunds it and uploads
    out, shift = basics("02")
    mirror_sale = alias(out, "sale", sale_uid)
    mirror_line = alias(out, "sale_line", line_uid)
    claim = new()
    claim_refund(central_db, two, sale_uid, [(line_uid, 1, claim)], new())
    out.uids[("refund_line", 1)] = claim
    refund(out, shift, DAY + timedelta(hours=1), mirror_sale, [(mirror_line, 1, 1)], refund_no="R02-20261201-0001")
    apply_changes(central_db, two, out.changes, ZONE)
    assert one(central_db, "SELECT count(*) FROM conflict") == 0
    sale_id = one(central_db, "SELECT id FROM sale WHERE uid = %s", (sale_uid,))
    line_id = one(central_db, "SELECT id FROM sale_line WHERE uid = %s", (line_uid,))
    assert sale_id // 10**10 == one_
    assert run(central_db, "SELECT store_no, sale_id FROM refund").fetchall() == [(two, sale_id)]
    assert one(central_db, "SELECT sale_line_id FROM refund_line") == line_id
    assert one(central_db, "SELECT count(*) FROM refund_claim") == 0
    order = find_order(central_db, "S01-20261201-0001")
    assert order.line(line_uid).refunded == 1
    assert [(r.refund_no, r.store_code) for r in order.refunds] == [("R02-20261201-0001", "02")]
    # the refund's payment is store 02's money, in its own shift
    assert one(central_db, "SELECT store_no FROM payment WHERE refund_id IS NOT NULL") == two


def test_an_alias_of_a_row_head_office_never_had_is_a_conflict(central_db):
    two = register_store(central_db, "02", "Two")
    out, _ = basics("02")
    ghost = new()
    alias(out, "sale", ghost)
    assert apply_changes(central_db, two, out.changes, ZONE) == len(out.changes)
    assert one(central_db, "SELECT count(*) FROM id_alias") == 0
    kind, error = run(central_db, "SELECT kind, error FROM conflict").fetchone()
    assert kind == "alias" and ghost in error


def test_an_order_not_at_head_office_is_none_and_cannot_be_claimed(central_db):
    store, _, _, sale_uid, line_uid = store_with_sale(central_db)
    assert find_order(central_db, "S01-20261201-0099") is None
    with pytest.raises(ChainRefused, match="no such order"):
        claim_refund(central_db, store, new(), [(line_uid, 1, new())], new())
    with pytest.raises(ChainRefused, match="not in order"):
        claim_refund(central_db, store, sale_uid, [(new(), 1, new())], new())


def test_an_upload_refunding_the_last_unit_and_a_claim_of_it_at_once_one_gets_it(central_db, pg_url):
    """Store 01 uploads its own refund of the last unit while store 02 claims it: the refund
    check locks the line as the claim does, so one gets the unit and the other is refused (the
    upload's line then lands in conflict), never both."""
    one_, out, shift, sale_uid, line_uid = store_with_sale(central_db, qty=1)
    two = register_store(central_db, "02", "Two")
    more = after(out)
    refund(more, shift, DAY + timedelta(minutes=5), 1, [(1, 1, 1)], refund_no="R01-20261201-0001")
    start = threading.Barrier(2)
    claimed: list[bool] = []

    def upload() -> None:
        db = open_central(pg_url)
        try:
            start.wait()
            apply_changes(db, one_, more.changes, ZONE)
        finally:
            db.close()

    def claim() -> None:
        db = open_central(pg_url)
        try:
            start.wait()
            claim_refund(db, two, sale_uid, [(line_uid, 1, new())], new())
            claimed.append(True)
        except ChainRefused:
            claimed.append(False)
        finally:
            db.close()

    threads = [threading.Thread(target=upload), threading.Thread(target=claim)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    lines = one(central_db, "SELECT count(*) FROM refund_line")
    claims = one(central_db, "SELECT count(*) FROM refund_claim")
    conflicts = one(central_db, "SELECT count(*) FROM conflict WHERE tbl = 'refund_line'")
    assert lines + claims == 1 and claims == int(claimed[0])
    assert conflicts == claims  # the upload's line, refused when the claim came first
    assert find_order(central_db, "S01-20261201-0001").line(line_uid).refunded == 1
