"""Refund services on a real SQLite file: transitions, approvals, one transaction, tracking."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tui_pos.domain.basket import Basket
from tui_pos.domain.errors import (
    AuthError,
    InsufficientPermission,
    InvalidInput,
    NeedsApproval,
    NotFound,
    RefundNotAllowed,
)
from tui_pos.domain.refund import Pick
from tui_pos.domain.tenders import TenderKind
from tui_pos.services import catalog, checkout, members, printing, refunds
from tui_pos.services.refunds import RefundDraft
from tui_pos.store.models import (
    AuditRow,
    MemberRow,
    PaymentRow,
    PointsMoveRow,
    PrintJobRow,
    ProductRow,
    RefundEventRow,
    RefundLineRow,
    RefundRow,
    SaleRow,
    StockMoveRow,
)


def sell(ctx, actor, items: dict[str, int], member: str | None = None, tender=TenderKind.CASH) -> int:
    basket = Basket()
    for code, qty in items.items():
        basket.add(catalog.product_for_scan(code), qty)
    if member:
        profile = members.profile(ctx, members.find_one(member).id)
        basket.attach(profile.member, profile.discount_bp)
    plan = checkout.new_plan(ctx, basket)
    plan.add(tender, plan.due)
    return checkout.complete_sale(ctx, actor, basket, plan).sale_id


def all_of(ctx, sale_id: int, **kw) -> RefundDraft:
    lookup = refunds.load_order(ctx, sale_id)
    picks = tuple(Pick(h.sale_line_id, h.remaining) for h in lookup.history.values())
    return RefundDraft(sale_id, picks, kw.pop("reason", "quality"), **kw)


def events(refund_no: str) -> list[tuple[str, str]]:
    row = RefundRow.get(RefundRow.refund_no == refund_no)
    return [
        (e.event, e.staff_code)
        for e in RefundEventRow.select().where(RefundEventRow.refund == row).order_by(RefundEventRow.id)
    ]


# ---- step 1 ---------------------------------------------------------------------------


def test_find_order_forgives_how_it_was_typed(ctx, cashier):
    sale_id = sell(ctx, cashier, {"6901": 1})
    order_no = SaleRow.get_by_id(sale_id).order_no
    fullwidth = order_no.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    for typed in (order_no, order_no.lower(), f"  {order_no} ", fullwidth):
        assert refunds.find_order(ctx, typed).sale.id == sale_id
    with pytest.raises(NotFound):
        refunds.find_order(ctx, "S20000101-0001")
    with pytest.raises(InvalidInput):
        refunds.find_order(ctx, "   ")


def test_refusals_voided_and_fully_refunded_and_training(ctx, cashier):
    sale_id = sell(ctx, cashier, {"6901": 1})
    refunds.confirm(ctx, cashier, all_of(ctx, sale_id))
    assert "fully refunded" in refunds.load_order(ctx, sale_id).refusal
    line_id = refunds.load_order(ctx, sale_id).sale.lines[0].id
    with pytest.raises(RefundNotAllowed):
        refunds.quote(ctx, cashier, RefundDraft(sale_id, (Pick(line_id, 1),), "quality"))
    other = sell(ctx, cashier, {"6901": 1})
    SaleRow.update(status="voided").where(SaleRow.id == other).execute()
    assert "voided" in refunds.load_order(ctx, other).refusal
    training = replace(ctx, config=replace(ctx.config, training=True))
    third = sell(ctx, cashier, {"6901": 1})
    assert "live order" in refunds.load_order(training, third).refusal


# ---- transitions ----------------------------------------------------------------------


def test_confirm_then_complete(ctx, cashier):
    sale_id = sell(ctx, cashier, {"6901": 2, "6902": 1})
    result = refunds.confirm(ctx, cashier, all_of(ctx, sale_id))
    assert (result.status, result.amount, result.approver_code) == ("paid", 700 + 1299, "")
    assert printing.get_job(result.print_job_id).status == "queued"
    refunds.complete(ctx, cashier, result.refund_no)
    assert RefundRow.get(RefundRow.refund_no == result.refund_no).status == "completed"
    assert events(result.refund_no) == [("created", "001"), ("paid", "001"), ("completed", "001")]
    with pytest.raises(InvalidInput):
        refunds.complete(ctx, cashier, result.refund_no)  # twice
    with pytest.raises(InvalidInput):
        refunds.reject(ctx, refunds_staff(ctx, "002"), result.refund_no, "late")  # not waiting


def refunds_staff(ctx, code):
    from tests.conftest import PINS

    from tui_pos.services import staff

    return staff.login(ctx, code, PINS[code])


def big_sale(ctx, cashier, cents=150000, tender=TenderKind.CASH) -> int:
    ProductRow.update(price=cents).where(ProductRow.barcode == "6903").execute()
    return sell(ctx, cashier, {"6903": 1}, tender=tender)


def test_park_approve_by_manager(ctx, cashier, supervisor, manager):
    sale_id = big_sale(ctx, cashier)
    parked = refunds.park(ctx, cashier, all_of(ctx, sale_id))
    assert parked.status == "pending_approval"
    assert PaymentRow.select().where(PaymentRow.refund.is_null(False)).count() == 0
    assert refunds.load_order(ctx, sale_id).history  # the parked units are held:
    assert all(h.remaining == 0 for h in refunds.load_order(ctx, sale_id).history.values())
    with pytest.raises(InsufficientPermission):
        refunds.approve_parked(ctx, cashier, parked.refund_no)
    with pytest.raises(NeedsApproval):
        refunds.approve_parked(ctx, supervisor, parked.refund_no)  # ￥1500 is over a supervisor's limit
    with pytest.raises(InvalidInput):
        refunds.complete(ctx, cashier, parked.refund_no)
    done = refunds.approve_parked(ctx, manager, parked.refund_no)
    assert (done.status, done.approver_code) == ("paid", "003")
    (pay,) = PaymentRow.select().where(PaymentRow.refund.is_null(False))
    assert pay.amount == -150000
    with pytest.raises(InvalidInput):
        refunds.approve_parked(ctx, manager, parked.refund_no)  # twice


def test_park_reject_needs_a_reason_and_cancel(ctx, cashier, supervisor):
    first = refunds.park(ctx, cashier, all_of(ctx, big_sale(ctx, cashier, 30000)))
    with pytest.raises(InsufficientPermission):
        refunds.reject(ctx, cashier, first.refund_no, "no")
    with pytest.raises(InvalidInput):
        refunds.reject(ctx, supervisor, first.refund_no, "  ")
    refunds.reject(ctx, supervisor, first.refund_no, "used goods")
    row = RefundRow.get(RefundRow.refund_no == first.refund_no)
    assert (row.status, row.reject_reason) == ("rejected", "used goods")
    second = refunds.park(ctx, cashier, all_of(ctx, row.sale_id))  # rejected units are free again
    refunds.cancel(ctx, cashier, second.refund_no)
    assert RefundRow.get(RefundRow.refund_no == second.refund_no).status == "cancelled"
    assert PaymentRow.select().where(PaymentRow.refund.is_null(False)).count() == 0


# ---- approvals ------------------------------------------------------------------------


def test_approval_exactly_when_policy_says(ctx, cashier):
    ProductRow.update(price=20000).where(ProductRow.barcode == "6903").execute()
    at_limit = sell(ctx, cashier, {"6903": 1})
    assert refunds.confirm(ctx, cashier, all_of(ctx, at_limit)).approver_code == ""  # ￥200.00 exactly
    over = big_sale(ctx, cashier, 20001)
    with pytest.raises(NeedsApproval):
        refunds.confirm(ctx, cashier, all_of(ctx, over))
    with pytest.raises(AuthError):
        refunds.confirm(ctx, cashier, all_of(ctx, over), ("002", "0000"))
    with pytest.raises(InvalidInput):
        refunds.confirm(ctx, cashier, all_of(ctx, over), ("001", "1111"))  # not yourself
    refunds.staff_service.create_staff(ctx, refunds_staff(ctx, "003"), "004", "Cashier Two", cashier.role, "4444")
    with pytest.raises(InsufficientPermission):
        refunds.confirm(ctx, cashier, all_of(ctx, over), ("004", "4444"))  # a cashier cannot approve
    assert RefundRow.select().where(RefundRow.sale == over).count() == 0
    assert AuditRow.select().where(AuditRow.action.contains("fail")).count() >= 1  # the wrong PIN counted
    result = refunds.confirm(ctx, cashier, all_of(ctx, over), ("002", "2222"))
    assert result.approver_code == "002"
    assert events(result.refund_no)[1] == ("approved", "002")


# ---- one transaction ------------------------------------------------------------------


def test_confirm_writes_everything_for_a_member_sale(ctx, cashier):
    sale_id = sell(ctx, cashier, {"6901": 2, "6902": 1}, member="M000001")
    member_before = MemberRow.get(MemberRow.card_no == "M000001")
    stock_before = {p.barcode: p.stock for p in ProductRow.select()}
    lookup = refunds.load_order(ctx, sale_id)
    lines = {h.name: h for h in lookup.history.values()}
    cola, bread = lines["可口可乐 330ml"], lines["全麦面包"]
    draft = RefundDraft(
        sale_id,
        (Pick(cola.sale_line_id, 1, "restock"), Pick(bread.sale_line_id, 1, "scrap")),
        "quality",
        tender="stored_value",
    )
    result = refunds.confirm(ctx, cashier, draft)
    expected = cola.paid // 2 + bread.paid
    row = RefundRow.get(RefundRow.refund_no == result.refund_no)
    assert row.amount == expected == result.amount
    assert sorted(
        (ln.qty, ln.amount, ln.disposition) for ln in RefundLineRow.select().where(RefundLineRow.refund == row)
    ) == sorted([(1, cola.paid // 2, "restock"), (1, bread.paid, "scrap")])
    assert [(p.tender, p.amount) for p in PaymentRow.select().where(PaymentRow.refund == row)] == [
        ("stored_value", -expected)
    ]
    stock = {p.barcode: p.stock for p in ProductRow.select()}
    assert stock["6901"] == stock_before["6901"] + 1 and stock["6902"] == stock_before["6902"]
    assert sorted((m.qty, m.reason) for m in StockMoveRow.select().where(StockMoveRow.refund == row)) == sorted(
        [(1, "refund"), (1, "refund"), (-1, "scrap")]
    )
    member = MemberRow.get_by_id(member_before.id)
    assert member.balance == member_before.balance + expected
    reversed_ = sum(-m.points for m in PointsMoveRow.select().where(PointsMoveRow.refund == row))
    assert reversed_ == row.points_reversed > 0
    assert member.points == member_before.points - reversed_
    (entry,) = AuditRow.select().where((AuditRow.entity == row.refund_no) & (AuditRow.action == "refund"))
    assert entry.staff_code == "001" and str(expected) in entry.detail


def test_a_voucher_job_names_its_refund_and_prints_the_refund_as_stored(ctx, cashier):
    """confirm queues the voucher as the refund's number only (laid out when it prints, outside
    the write lock): the paper must still carry every figure of the refund, also once the
    customer has signed and the refund is completed."""
    from tui_pos.devices.tickets import money

    member_sale = sell(ctx, cashier, {"6901": 2, "6902": 1}, member="M000001")
    drafts = [
        (
            all_of(ctx, member_sale, note="盒子压坏了", tender="stored_value"),
            None,
            [("盒子压坏了", ""), ("Member", "M000001")],
        ),
        (
            all_of(ctx, big_sale(ctx, cashier, 20001, TenderKind.CARD), tender="card", reference="RRN 0042"),
            ("002", "2222"),
            [("Refund via", "RRN 0042"), ("Approved by", "002")],
        ),
        (
            RefundDraft(
                None,
                (Pick(catalog.product_for_scan("6902").id, 2),),
                "changed_mind",
                member_id=members.find_one("M000001").id,
            ),
            ("003", "3333"),
            [("Approved by", "003"), ("Member", "M000001")],
        ),
    ]
    for draft, approver, shown in drafts:
        result = refunds.confirm(ctx, cashier, draft, approver)
        job = PrintJobRow.get_by_id(result.print_job_id)
        assert (job.kind, job.ref_no, job.layout, job.status) == ("refund", result.refund_no, "", "queued")
        refunds.complete(ctx, cashier, result.refund_no)
        paper = printing.job_ticket(ctx, result.print_job_id).preview()
        assert paper.count("Refund voucher") == 2 and "Customer signature" in paper
        lines = paper.splitlines()
        for label, value in [("Refund no.", result.refund_no), ("Refund amount", money(result.amount)), *shown]:
            assert sum(ln.startswith(label) and ln.endswith(value) for ln in lines) == 2, (label, paper)


def test_a_crash_inside_confirm_leaves_nothing(ctx, cashier, monkeypatch):
    sale_id = sell(ctx, cashier, {"6901": 2}, member="M000001")
    before = (
        ProductRow.get(ProductRow.barcode == "6901").stock,
        MemberRow.get(MemberRow.card_no == "M000001").points,
        PaymentRow.select().count(),
        StockMoveRow.select().count(),
        PointsMoveRow.select().count(),
    )

    def boom(*args, **kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr(printing, "queue_voucher", boom)  # the very last write of confirm
    with pytest.raises(RuntimeError):
        refunds.confirm(ctx, cashier, all_of(ctx, sale_id))
    assert RefundRow.select().count() == 0 and RefundLineRow.select().count() == 0
    assert RefundEventRow.select().count() == 0
    after = (
        ProductRow.get(ProductRow.barcode == "6901").stock,
        MemberRow.get(MemberRow.card_no == "M000001").points,
        PaymentRow.select().count(),
        StockMoveRow.select().count(),
        PointsMoveRow.select().count(),
    )
    assert after == before


def test_repeated_partial_refunds_sum_to_the_sale(ctx, cashier):
    ProductRow.update(price=1000).where(ProductRow.barcode == "6903").execute()
    sale_id = sell(ctx, cashier, {"6903": 3})
    (line,) = refunds.load_order(ctx, sale_id).history.values()
    amounts = [
        refunds.confirm(ctx, cashier, RefundDraft(sale_id, (Pick(line.sale_line_id, 1),), "quality")).amount
        for _ in range(3)
    ]
    assert amounts == [1000, 1000, 1000]
    ProductRow.update(price=333).where(ProductRow.barcode == "6903").execute()
    odd = sell(ctx, cashier, {"6903": 3, "6901": 1}, member="M000001")  # gold discount: odd cents
    paid = SaleRow.get_by_id(odd).total
    history = refunds.load_order(ctx, odd).history
    total = 0
    for h in history.values():
        for _ in range(h.qty):
            total += refunds.confirm(ctx, cashier, RefundDraft(odd, (Pick(h.sale_line_id, 1),), "quality")).amount
    assert total == paid
    assert (
        sum(-p.amount for p in PaymentRow.select().where(PaymentRow.sale == odd, PaymentRow.refund.is_null(False)))
        == paid
    )


def test_a_stale_quote_is_a_conflict(ctx, cashier):
    sale_id = sell(ctx, cashier, {"6901": 2})
    draft = RefundDraft(sale_id, (Pick(refunds.load_order(ctx, sale_id).sale.lines[0].id, 1),), "quality")
    stale = refunds.quote(ctx, cashier, draft)
    refunds.confirm(ctx, cashier, draft)  # another till took one meanwhile
    refunds.confirm(ctx, cashier, draft, expected=stale)  # same amount for the second unit: fine
    with pytest.raises(RefundNotAllowed):
        refunds.confirm(ctx, cashier, draft, expected=stale)  # nothing left


def test_tracking_search_detail_reprint_and_member_stats(ctx, cashier):
    sale_id = sell(ctx, cashier, {"6902": 1}, member="M000001")
    result = refunds.confirm(ctx, cashier, all_of(ctx, sale_id))
    order_no = SaleRow.get_by_id(sale_id).order_no
    assert [r.refund_no for r in refunds.search(result.refund_no)] == [result.refund_no]
    assert [r.refund_no for r in refunds.search(order_no)] == [result.refund_no]
    assert [r.refund_no for r in refunds.search("", "paid")] == [result.refund_no]
    assert refunds.search("", "completed") == []
    job = refunds.reprint_voucher(ctx, cashier, result.refund_no)
    assert job != result.print_job_id
    assert ("reprint", "001") in events(result.refund_no)
    detail = refunds.detail(result.refund_no)
    assert detail.summary.order_no == order_no and [e.event for e in detail.events][-1] == "reprint"
    stats = refunds.member_stats(MemberRow.get(MemberRow.card_no == "M000001").id)
    assert stats.count == 1 and stats.amount == result.amount and stats.sales_total == SaleRow.get_by_id(sale_id).total
    assert stats.rate_bp == 10000


def test_points_come_back_in_full_across_partial_refunds(ctx, cashier):
    """The order's tenders must not include refunds paid out against it, or the second
    partial refund would prorate the redeemed points over a shrunken base."""
    basket = Basket()
    basket.add(catalog.product_for_scan("6902"), 2)
    profile = members.profile(ctx, members.find_one("M000001").id)
    basket.attach(profile.member, profile.discount_bp)
    plan = checkout.new_plan(ctx, basket)
    plan.add(TenderKind.POINTS, 300)  # 300 points (1 fen each)
    plan.add(TenderKind.CASH, plan.remaining)
    sale = checkout.complete_sale(ctx, cashier, basket, plan)
    (line,) = refunds.load_order(ctx, sale.sale_id).history.values()
    draft = RefundDraft(sale.sale_id, (Pick(line.sale_line_id, 1),), "quality")
    first = refunds.confirm(ctx, cashier, draft)
    assert [p.tender for p in refunds.load_order(ctx, sale.sale_id).sale.payments] == ["points", "cash"]
    second = refunds.confirm(ctx, cashier, draft)
    returned = [RefundRow.get(RefundRow.refund_no == r.refund_no).points_returned for r in (first, second)]
    assert returned == [150, 150]
    assert first.amount + second.amount + 300 == sale.total
