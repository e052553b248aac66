"""The chain's conflicts (issue 23): refused changes, and claims and holds never settled, listed
with their money for a manager, resolved once, the resolution kept in the row."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from tests.central.chainday import DAY, ZONE, after, basics, store_with_sale
from tests.central.shopday import refund

from tui_pos.central.apply import apply_changes, register_store
from tui_pos.central.conflicts import conflicts, resolve_conflict
from tui_pos.central.members import debit_member, get_member
from tui_pos.central.refunds import claim_refund, find_order
from tui_pos.central.sql import one, run
from tui_pos.cli import main
from tui_pos.domain.errors import InvalidInput, NotFound


def new() -> str:
    return str(uuid.uuid4())


def age(db, table: str, hours: int = 2) -> None:
    run(db, f"UPDATE {table} SET at = now() - make_interval(hours => %s)", (hours,))


def test_a_claim_never_settled_is_a_conflict_after_an_hour_and_resolving_releases_it(central_db):
    store, _, _, sale_uid, line_uid = store_with_sale(central_db, qty=2)
    two = register_store(central_db, "02", "Two")
    claim = new()
    claim_refund(central_db, two, sale_uid, [(line_uid, 2, claim)], new())
    assert conflicts(central_db) == []  # young: the refund is on its way
    age(central_db, "refund_claim")
    [found] = conflicts(central_db, two)
    assert (found.kind, found.store_code, found.ref_no, found.amount) == ("claim", "02", "S01-20261201-0001", 700)
    assert found.change_uid == claim and "2 x Product 1 of order S01-20261201-0001" in found.error
    assert conflicts(central_db, store) == []  # store 01 sold it, store 02 claimed it
    assert conflicts(central_db)[0].id == found.id  # listed again: the same row
    done = resolve_conflict(central_db, found.id, "Manager Wang", "customer left without the refund")
    assert done.resolved_by == "Manager Wang" and done.resolution.startswith("customer left without the refund")
    assert done.resolved_at is not None
    assert find_order(central_db, "S01-20261201-0001").line(line_uid).remaining == 2
    assert conflicts(central_db) == [] and [c.id for c in conflicts(central_db, open_only=False)] == [found.id]
    with pytest.raises(InvalidInput, match="resolved already by Manager Wang"):
        resolve_conflict(central_db, found.id, "Li", "again")
    with pytest.raises(NotFound):
        resolve_conflict(central_db, found.id + 100, "Li", "no such")
    with pytest.raises(InvalidInput, match="--note"):
        resolve_conflict(central_db, found.id, "Li", "  ")


def test_a_stale_claim_whose_refund_then_arrives_is_settled_by_head_office(central_db):
    store, out, shift, sale_uid, line_uid = store_with_sale(central_db, qty=1)
    claim = new()
    claim_refund(central_db, store, sale_uid, [(line_uid, 1, claim)], new())
    age(central_db, "refund_claim")
    assert [c.kind for c in conflicts(central_db)] == ["claim"]
    more = after(out)
    more.uids[("refund_line", 1)] = claim
    refund(more, shift, DAY + timedelta(minutes=5), 1, [(1, 1, 1)], refund_no="R01-20261201-0001")
    apply_changes(central_db, store, more.changes, ZONE)
    assert conflicts(central_db) == []
    [settled] = conflicts(central_db, open_only=False)
    assert (settled.resolved_by, settled.resolution) == ("head office", "settled: the refund arrived")
    assert find_order(central_db, "S01-20261201-0001").line(line_uid).refunded == 1


def test_a_hold_never_settled_is_given_back_when_resolved(central_db):
    one_ = register_store(central_db, "01", "One")
    out, _ = basics("01", balance=1000, points=50)
    apply_changes(central_db, one_, out.changes, ZONE)
    member = out.uids[("member", 1)]
    two = register_store(central_db, "02", "Two")
    debit_member(central_db, two, member, amount=400, points=20, hold_uid=new())
    age(central_db, "member_hold")
    [found] = conflicts(central_db, two)
    assert (found.kind, found.ref_no, found.amount) == ("hold", "M000001", 400)
    assert "4.00 stored value and 20 points of member M000001" in found.error
    resolve_conflict(central_db, found.id, "Manager Wang", "till crashed before the sale; customer paid cash")
    back = get_member(central_db, member)
    assert (back.balance, back.points, back.held) == (1000, 50, 0)


def test_central_conflicts_lists_with_the_money_and_resolves_by_number(central_db, pg_url, home, capsys):
    store, out, shift, _, _ = store_with_sale(central_db, qty=1)
    more = after(out)
    refund(more, shift, DAY + timedelta(minutes=5), 1, [(1, 1, 2)], refund_no="R01-20261201-0001")  # 2 of 1 sold
    apply_changes(central_db, store, more.changes, ZONE)
    assert main(["central", "conflicts", "--url", pg_url]) == 0
    shown = capsys.readouterr().out.splitlines()
    assert shown[0] == "No.  Store  Kind  Order/refund/card no.  Amount  When  What head office said"
    number = one(central_db, "SELECT id FROM conflict")
    assert shown[1].startswith(f"{number:>4}  01  Refund refused  R01-20261201-0001  7.00  ")
    assert "2 refunded but 1 sold" in shown[1]
    assert shown[2] == "1 open; money in question 7.00; points 0"
    assert main(["central", "conflicts", "--store", "09", "--url", pg_url]) == 1
    assert "No store 09 has registered at head office" in capsys.readouterr().err
    assert main(["central", "conflicts", "resolve", str(number), "--by", "Wang", "--url", pg_url]) == 1
    assert "--note" in capsys.readouterr().err
    argv = ["central", "conflicts", "resolve", str(number), "--by", "Wang", "--note", "refunded 1 in cash, called"]
    assert main([*argv, "--url", pg_url]) == 0
    assert f"Conflict {number} resolved by Wang: refunded 1 in cash, called" in capsys.readouterr().out
    assert main(["central", "conflicts", "--url", pg_url]) == 0
    assert capsys.readouterr().out.strip() == "No open conflicts: nothing was refused"
    assert main(["central", "conflicts", "--all", "--store", "01", "--url", pg_url]) == 0
    assert "resolved by Wang at " in capsys.readouterr().out
    assert run(central_db, "SELECT resolved_by, resolution FROM conflict").fetchall() == [
        ("Wang", "refunded 1 in cash, called")
    ]
