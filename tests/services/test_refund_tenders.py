"""Refund tenders and spent points by policy, on a real SQLite file: money goes back the way it
was paid (stored value onto the balance, split tenders part by part), cash for non-cash money
needs a supervisor and is flagged, and earned points the member already spent are deducted,
taken below zero or forgiven as [refund_policy] spent_points says."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui_pos.config import ConfigError, load_config
from tui_pos.domain.basket import Basket
from tui_pos.domain.errors import NeedsApproval, RefundNotAllowed
from tui_pos.domain.refund import Pick
from tui_pos.domain.tenders import TenderKind
from tui_pos.services import catalog, checkout, members, printing, refunds, reports, shifts
from tui_pos.services.refunds import RefundDraft
from tui_pos.store.models import (
    AuditRow,
    MemberRow,
    PaymentRow,
    ProductRow,
    RefundEventRow,
    RefundRow,
    RefundTenderRow,
    SaleRow,
    StoredValueMoveRow,
)

CARD = "M000001"


def sell(ctx, actor, items: dict[str, int], tenders=((TenderKind.CASH, None, ""),), member: str | None = CARD) -> int:
    """A sale paid by `tenders`: (kind, cents or None for the rest, reference)."""
    basket = Basket()
    for code, qty in items.items():
        basket.add(catalog.product_for_scan(code), qty)
    if member:
        profile = members.profile(ctx, members.find_one(member).id)
        basket.attach(profile.member, profile.discount_bp)
    plan = checkout.new_plan(ctx, basket)
    for kind, amount, reference in tenders:
        plan.add(kind, plan.remaining if amount is None else amount, reference)
    return checkout.complete_sale(ctx, actor, basket, plan).sale_id


def priced(cents: int) -> str:
    ProductRow.update(price=cents).where(ProductRow.barcode == "6903").execute()
    return "6903"


def all_of(ctx, sale_id: int, **kw) -> RefundDraft:
    lookup = refunds.load_order(ctx, sale_id)
    return RefundDraft(
        sale_id, tuple(Pick(h.sale_line_id, h.remaining) for h in lookup.history.values()), "quality", **kw
    )


def member() -> MemberRow:
    return MemberRow.get(MemberRow.card_no == CARD)


def total(sale_id: int) -> int:
    return SaleRow.get_by_id(sale_id).total


def refund_pays(refund_no: str) -> list[tuple[str, int, str]]:
    row = RefundRow.get(RefundRow.refund_no == refund_no)
    return [(p.tender, -p.amount, p.reference) for p in PaymentRow.select().where(PaymentRow.refund == row)]


def today(ctx) -> tuple[datetime, datetime]:
    start = ctx.now().replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)


def with_policy(ctx, **changes):
    policy = replace(ctx.config.refund_policy, **changes)
    return replace(ctx, config=replace(ctx.config, refund_policy=policy))


# ---- tenders ----------------------------------------------------------------------------


def test_stored_value_goes_back_to_stored_value_with_the_default_keys(ctx, cashier):
    """The bug: a ￥50 sale paid by stored value, refunded with the defaults, said 'hand over
    ￥50.00 in cash' with no approval and the balance unchanged."""
    sale_id = sell(ctx, cashier, {priced(5000): 1}, [(TenderKind.STORED_VALUE, None, "")])
    paid = total(sale_id)
    before = member().balance
    q = refunds.quote(ctx, cashier, all_of(ctx, sale_id))
    assert (q.tender, q.approver_role) == ("stored_value", None)
    assert [(p.paid_by, p.tender, p.amount) for p in q.parts] == [("stored_value", "stored_value", paid)]
    result = refunds.confirm(ctx, cashier, all_of(ctx, sale_id))
    assert [(p.tender, p.amount) for p in result.parts] == [("stored_value", paid)]
    assert refund_pays(result.refund_no) == [("stored_value", paid, "")]
    assert member().balance == before + paid
    row = RefundRow.get(RefundRow.refund_no == result.refund_no)
    assert [(m.amount, m.reason) for m in StoredValueMoveRow.select().where(StoredValueMoveRow.refund == row)] == [
        (paid, "refund")
    ]
    (credit,) = AuditRow.select().where(
        (AuditRow.entity == result.refund_no) & (AuditRow.action == "stored_value_refund")
    )
    assert str(paid) in credit.detail
    refunds.complete(ctx, cashier, result.refund_no)  # step 5: signed; no cash was handed over
    (done,) = RefundEventRow.select().where((RefundEventRow.refund == row) & (RefundEventRow.event == "completed"))
    assert done.note == "customer signed"
    # it never turns into cash, not even with a supervisor
    other = sell(ctx, cashier, {priced(5000): 1}, [(TenderKind.STORED_VALUE, None, "")])
    with pytest.raises(RefundNotAllowed, match="goes back by Stored value only"):
        refunds.quote(ctx, cashier, all_of(ctx, other, tender="cash"))
    assert refunds.tender_choices(ctx, all_of(ctx, other)) == ("original",)


def test_card_goes_back_to_the_card_with_its_reference_and_cash_needs_a_supervisor(ctx, cashier, manager):
    sale_id = sell(ctx, cashier, {priced(3000): 1}, [(TenderKind.CARD, None, "TXN 7788")], member=None)
    paid = total(sale_id)
    q = refunds.quote(ctx, cashier, all_of(ctx, sale_id))
    assert (q.tender, q.approvals) == ("card", ())
    assert refunds.tender_choices(ctx, all_of(ctx, sale_id)) == ("original", "cash")

    cash = all_of(ctx, sale_id, tender="cash")
    with pytest.raises(NeedsApproval) as asked:
        refunds.confirm(ctx, cashier, cash)
    assert "cash_for_non_cash" in asked.value.reasons and "supervisor" in asked.value.message
    assert RefundRow.select().count() == 0
    result = refunds.confirm(ctx, cashier, cash, ("002", "2222"))
    assert result.approver_code == "002" and refund_pays(result.refund_no) == [("cash", paid, "")]
    row = RefundRow.get(RefundRow.refund_no == result.refund_no)
    assert row.approval_reasons == "cash_for_non_cash"
    flags = reports.flags(ctx, manager, *today(ctx))
    assert [f.params["no"] for f in flags if f.kind == "cash_for_non_cash"] == [result.refund_no]

    by_card = sell(ctx, cashier, {priced(3000): 1}, [(TenderKind.CARD, None, "TXN 9911")], member=None)
    done = refunds.confirm(ctx, cashier, all_of(ctx, by_card))
    assert refund_pays(done.refund_no) == [("card", total(by_card), "TXN 9911")]
    paper = printing.job_ticket(ctx, done.print_job_id).preview()
    assert any(ln.startswith("Refund via") and ln.endswith("Card TXN 9911") for ln in paper.splitlines()), paper


def test_a_split_sale_is_refunded_tender_by_tender_in_the_policys_order(ctx, cashier):
    """Paid ￥30.00 by stored value and the rest in cash: stored value goes back first, and two
    partial refunds give back exactly what each tender paid."""
    sale_id = sell(ctx, cashier, {priced(5000): 2}, [(TenderKind.STORED_VALUE, 3000, ""), (TenderKind.CASH, None, "")])
    paid = total(sale_id)
    balance = member().balance
    (line,) = refunds.load_order(ctx, sale_id).history.values()
    one = RefundDraft(sale_id, (Pick(line.sale_line_id, 1),), "quality")
    first = refunds.confirm(ctx, cashier, one)
    half = paid // 2
    assert [(p.paid_by, p.tender, p.amount) for p in first.parts] == [
        ("stored_value", "stored_value", 3000),
        ("cash", "cash", half - 3000),
    ]
    second = refunds.confirm(ctx, cashier, one)
    assert [(p.tender, p.amount) for p in second.parts] == [("cash", paid - half)]
    assert member().balance == balance + 3000
    by_tender: dict[str, int] = {}
    for no in (first.refund_no, second.refund_no):
        for tender, amount, _ in refund_pays(no):
            by_tender[tender] = by_tender.get(tender, 0) + amount
    assert by_tender == {"stored_value": 3000, "cash": paid - 3000}
    assert sum(t.amount for t in RefundTenderRow.select().where(RefundTenderRow.paid_by == "cash")) == paid - 3000
    x = {t.tender: t.refunds for t in shifts.report(ctx).tenders}
    assert x["stored_value"] == 3000 and x["cash"] == paid - 3000
    paper = printing.job_ticket(ctx, first.print_job_id).preview().splitlines()
    assert sum(ln.startswith("Refund via") for ln in paper) == 4  # two parts, on both copies


def test_a_parked_split_refund_holds_its_tenders_and_pays_them_when_approved(ctx, cashier, supervisor):
    sale_id = sell(
        ctx, cashier, {priced(40000): 1}, [(TenderKind.STORED_VALUE, 10000, ""), (TenderKind.WECHAT, None, "WX 1")]
    )
    paid = total(sale_id)
    balance = member().balance
    parked = refunds.park(ctx, cashier, all_of(ctx, sale_id))
    assert PaymentRow.select().where(PaymentRow.refund.is_null(False)).count() == 0
    assert member().balance == balance
    assert sorted((t.tender, t.amount) for t in RefundTenderRow.select()) == [
        ("stored_value", 10000),
        ("wechat", paid - 10000),
    ]
    done = refunds.approve_parked(ctx, supervisor, parked.refund_no)
    assert sorted(refund_pays(done.refund_no)) == [("stored_value", 10000, ""), ("wechat", paid - 10000, "WX 1")]
    assert member().balance == balance + 10000


def test_an_upgraded_shop_keeps_what_earlier_refunds_took_of_each_tender(ctx, cashier):
    """Refunds recorded before refund_tender existed: the upgrade fills it from their payments,
    so the next refund of the order splits only what is left (not the stored value again)."""
    from tui_pos.store import db as store_db
    from tui_pos.store.models import SchemaVersionRow, database

    sale_id = sell(ctx, cashier, {priced(5000): 2}, [(TenderKind.STORED_VALUE, 3000, ""), (TenderKind.CASH, None, "")])
    (line,) = refunds.load_order(ctx, sale_id).history.values()
    first = refunds.confirm(ctx, cashier, RefundDraft(sale_id, (Pick(line.sale_line_id, 1),), "quality"))
    RefundTenderRow.delete().execute()  # as a shop on schema 7 has it
    version = next(v for v, step in store_db.MIGRATIONS.items() if step is store_db._refund_tenders)
    database.execute_sql("UPDATE schema_version SET version = ?", (version - 1,))  # and the later steps again
    store_db.close_database()
    store_db.open_database(ctx.config.db_path, create=False)
    assert max(r.version for r in SchemaVersionRow.select()) == store_db.SCHEMA_VERSION
    assert sorted((t.paid_by, t.tender, t.amount) for t in RefundTenderRow.select()) == sorted(
        (p.paid_by, p.tender, p.amount) for p in first.parts
    )
    second = refunds.confirm(ctx, cashier, RefundDraft(sale_id, (Pick(line.sale_line_id, 1),), "quality"))
    assert [(p.tender, p.amount) for p in second.parts] == [("cash", total(sale_id) - first.amount)]


def test_points_go_back_as_points_never_as_cash(ctx, cashier):
    sale_id = sell(ctx, cashier, {priced(1000): 1}, [(TenderKind.POINTS, 400, ""), (TenderKind.CASH, None, "")])
    points = member().points
    result = refunds.confirm(ctx, cashier, all_of(ctx, sale_id))
    row = RefundRow.get(RefundRow.refund_no == result.refund_no)
    assert row.points_returned == 400 and result.amount == total(sale_id) - 400
    assert [(p.tender, p.amount) for p in result.parts] == [("cash", total(sale_id) - 400)]
    assert member().points == points + 400 - row.points_reversed


def test_the_tender_policy_is_config(tmp_path):
    home = {"TUI_POS_HOME": str(tmp_path), "HOME": str(tmp_path)}
    path = tmp_path / "c.toml"
    path.write_text(
        '[refund_policy]\nspent_points = "forgive"\ntender_order = ["cash"]\n'
        '[refund_policy.tenders]\ncard = ["card"]\n',
        encoding="utf-8",
    )
    policy = load_config(path, env=home).refund_policy
    assert policy.spent_points == "forgive" and policy.tender_ways["card"] == ("card",)
    assert policy.tender_order[0] == "cash" and "stored_value" in policy.tender_order
    for bad in (
        '[refund_policy]\nspent_points = "keep"\n',
        '[refund_policy.tenders]\npoints = ["cash"]\n',
        '[refund_policy.tenders]\ncard = ["bitcoin"]\n',
    ):
        path.write_text(bad, encoding="utf-8")
        with pytest.raises(ConfigError):
            load_config(path, env=home)


# ---- spent points -----------------------------------------------------------------------


def spend_points(ctx, actor, keep: int) -> None:
    """The member spends points elsewhere (a sale paid with them), and what that sale earned too,
    until `keep` are left."""
    sell(ctx, actor, {"6902": 5}, [(TenderKind.POINTS, member().points - keep, ""), (TenderKind.CASH, None, "")])
    MemberRow.update(points=keep).where(MemberRow.card_no == CARD).execute()


def earned_then_spent(ctx, cashier) -> tuple[int, int]:
    """A ￥100 sale (gold: ￥95.00, 95 points), then all but 5 of the member's points spent."""
    sale_id = sell(ctx, cashier, {priced(10000): 1})
    earned = SaleRow.get_by_id(sale_id).points_earned
    spend_points(ctx, cashier, keep=5)
    return sale_id, earned


def test_deduct_takes_the_value_of_spent_points_off_the_money(ctx, cashier):
    sale_id, earned = earned_then_spent(ctx, cashier)
    paid, short = total(sale_id), earned - 5
    q = refunds.quote(ctx, cashier, all_of(ctx, sale_id))
    assert (q.points_reversed, q.spent.points, q.spent.deducted) == (5, short, short)
    assert q.amount == paid - short
    result = refunds.confirm(ctx, cashier, all_of(ctx, sale_id))
    row = RefundRow.get(RefundRow.refund_no == result.refund_no)
    assert (row.points_spent, row.spent_deducted, row.spent_policy, row.amount) == (
        short,
        short,
        "deduct",
        paid - short,
    )
    assert member().points == 0
    # money back + points the member keeps of this sale = what was paid, to the cent
    assert row.amount + (earned - row.points_reversed) == paid
    paper = printing.job_ticket(ctx, result.print_job_id).preview().splitlines()
    assert sum(ln.startswith("Points already spent") and ln.endswith(f"-￥0.{short:02d}") for ln in paper) == 2


def test_negative_takes_the_points_back_below_zero_and_later_earnings_pay_it(ctx, cashier):
    sale_id, earned = earned_then_spent(ctx, cashier)
    negative = with_policy(ctx, spent_points="negative")
    result = refunds.confirm(negative, cashier, all_of(negative, sale_id))
    row = RefundRow.get(RefundRow.refund_no == result.refund_no)
    assert (row.amount, row.points_reversed, row.points_spent) == (total(sale_id), earned, 0)
    assert member().points == 5 - earned
    later = sell(negative, cashier, {priced(10000): 1})
    assert member().points == 5 - earned + SaleRow.get_by_id(later).points_earned


def test_forgive_is_recorded_and_flagged(ctx, cashier, manager):
    sale_id, earned = earned_then_spent(ctx, cashier)
    forgive = with_policy(ctx, spent_points="forgive")
    result = refunds.confirm(forgive, cashier, all_of(forgive, sale_id))
    row = RefundRow.get(RefundRow.refund_no == result.refund_no)
    assert (row.amount, row.points_reversed, row.points_spent, row.spent_policy) == (
        total(sale_id),
        5,
        earned - 5,
        "forgive",
    )
    assert member().points == 0
    flags = reports.flags(forgive, manager, *today(ctx))
    assert [(f.kind, f.params["points"]) for f in flags if f.kind == "forgiven"] == [("forgiven", earned - 5)]


# ---- property ----------------------------------------------------------------------------

refund_plan = st.fixed_dictionaries(
    {
        "price": st.integers(100, 30000),
        "qty": st.integers(1, 4),
        "points_share": st.integers(0, 100),  # % of the member's points put towards the sale
        "stored_value": st.booleans(),  # else cash
        "spend": st.lists(st.integers(0, 100), min_size=1, max_size=4),  # % of points spent before each refund
        "takes": st.lists(st.integers(1, 4), min_size=1, max_size=4),  # units per partial refund
    }
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=refund_plan)
def test_with_deduct_money_back_and_points_kept_never_exceed_what_was_paid(ctx, cashier, plan):
    """Random sales (money, points, stored value), point spending elsewhere and partial refunds:
    money back + redeemed points returned + earned points the member keeps never exceed what was
    paid, and once the sale is fully refunded they are exactly what was paid, to the cent."""
    MemberRow.update(points=2000, balance=10**7).where(MemberRow.card_no == CARD).execute()
    code = priced(plan["price"])
    points = min(member().points * plan["points_share"] // 100, plan["price"] * plan["qty"] * 8 // 10)
    tenders = [(TenderKind.POINTS, points, "")] if points else []
    tenders.append((TenderKind.STORED_VALUE if plan["stored_value"] else TenderKind.CASH, None, ""))
    sale_id = sell(ctx, cashier, {code: plan["qty"]}, tenders)
    paid, earned = total(sale_id), SaleRow.get_by_id(sale_id).points_earned
    (line,) = refunds.load_order(ctx, sale_id).history.values()
    money = returned = reversed_ = units = 0
    takes = [*plan["takes"], plan["qty"]]  # the last refund takes whatever is left
    for i, take in enumerate(takes):
        take = min(take, plan["qty"] - units)
        if not take:
            break
        keep = member().points * (100 - plan["spend"][i % len(plan["spend"])]) // 100
        MemberRow.update(points=keep).where(MemberRow.card_no == CARD).execute()  # spent elsewhere
        draft = RefundDraft(sale_id, (Pick(line.sale_line_id, take),), "quality")
        q = refunds.quote(ctx, cashier, draft)
        result = refunds.confirm(ctx, cashier, draft, ("003", "3333") if q.approver_role else None)
        row = RefundRow.get(RefundRow.refund_no == result.refund_no)
        money += row.amount
        returned += row.points_returned
        reversed_ += row.points_reversed
        units += take
        assert sum(p.amount for p in result.parts) == row.amount
        assert money + returned + (earned - reversed_) <= paid
    assert units == plan["qty"]
    assert money + returned + (earned - reversed_) == paid
