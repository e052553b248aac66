"""Refund limits with no holes (issue 19) on a real SQLite file: limits count every refund of an
order (and, if configured, of a person's shift), above self_approval_max nobody approves their own
refund, and the reports show runs of refunds, refunds just under a person's limit and every
self-approval. Also: a refund no. typed where an order no. goes, and the exchange's tender."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from tui_pos.config import ConfigError, load_config
from tui_pos.domain.basket import Basket
from tui_pos.domain.errors import InsufficientPermission, InvalidInput, NeedsApproval, NotFound
from tui_pos.domain.refund import Pick
from tui_pos.domain.shift import CashCount
from tui_pos.domain.staff import Role
from tui_pos.domain.tenders import TenderKind
from tui_pos.services import catalog, checkout, exchange, orders, refunds, reports, shifts
from tui_pos.services import staff as staff_service
from tui_pos.services.context import Context
from tui_pos.services.refunds import RefundDraft
from tui_pos.store.models import AuditRow, ProductRow, RefundRow, SaleRow, StaffRow

from conftest import PINS

SINCE, UNTIL = datetime(2000, 1, 1), datetime(2100, 1, 1)


def sell(ctx, actor, barcode: str, qty: int, price: int) -> int:
    ProductRow.update(price=price, stock=100).where(ProductRow.barcode == barcode).execute()
    basket = Basket()
    basket.add(catalog.product_for_scan(barcode), qty)
    plan = checkout.new_plan(ctx, basket)
    plan.add(TenderKind.CASH, plan.due)
    return checkout.complete_sale(ctx, actor, basket, plan).sale_id


def one(ctx, sale_id: int, qty: int = 1, **kw) -> RefundDraft:
    """`qty` units of the order's first line."""
    line = next(iter(refunds.load_order(ctx, sale_id).history.values()))
    return RefundDraft(sale_id, (Pick(line.sale_line_id, qty),), kw.pop("reason", "quality"), **kw)


def no_receipt(ctx, price: int) -> RefundDraft:
    ProductRow.update(price=price).where(ProductRow.barcode == "6903").execute()
    product = ProductRow.get(ProductRow.barcode == "6903")
    return RefundDraft(None, (Pick(product.id, 1),), "quality")


def audited(refund_no: str) -> dict:
    row = AuditRow.select().where(AuditRow.entity == refund_no).order_by(AuditRow.id.desc()).get()
    return json.loads(row.detail)


@pytest.fixture
def manager2(ctx, manager):
    staff_service.create_staff(ctx, manager, "004", "Manager Chen", Role.MANAGER, "4826")
    return staff_service.login(ctx, "004", "4826")


# ---- limits are cumulative ------------------------------------------------------------


def test_a_split_refund_needs_approval_once_the_order_passes_the_limit(ctx, cashier):
    """The cashier's ￥200: a ￥500 order refunded as 5 x ￥100 needs a supervisor from the third."""
    sale = sell(ctx, cashier, "6903", 5, 10000)
    for _ in range(2):
        q = refunds.quote(ctx, cashier, one(ctx, sale))
        assert q.approvals == () and q.approver_role is None
        assert refunds.confirm(ctx, cashier, one(ctx, sale)).approver_code == ""
    q = refunds.quote(ctx, cashier, one(ctx, sale))
    assert (q.amount, q.limit_base, q.counted) == (10000, 20000, 30000)
    assert q.approvals == ("over_limit",) and q.approver_role is Role.SUPERVISOR
    assert "￥300.00 with the ￥200.00 refunded before" in refunds.approval_text(q)[0]
    with pytest.raises(NeedsApproval, match="A supervisor must approve"):
        refunds.confirm(ctx, cashier, one(ctx, sale))
    result = refunds.confirm(ctx, cashier, one(ctx, sale), ("002", PINS["002"]))
    assert result.approver_code == "002"
    row = RefundRow.get(RefundRow.refund_no == result.refund_no)
    assert row.approval_reasons == "over_limit" and row.approver.code == "002"
    detail = audited(result.refund_no)
    assert (detail["approver"], detail["limit_base"], detail["self_approved"]) == ("002", 20000, False)


def test_a_supervisor_splitting_past_their_limit_needs_a_manager(ctx, supervisor, manager):
    """￥1,200 as 2 x ￥600 by a supervisor (limit ￥1,000): the first, above what one person may
    refund alone (￥500), wants a second supervisor; the second, past the limit, a manager."""
    staff_service.create_staff(ctx, manager, "005", "Supervisor Sun", Role.SUPERVISOR, "5826")
    sale = sell(ctx, supervisor, "6903", 2, 60000)
    first = refunds.quote(ctx, supervisor, one(ctx, sale))
    assert first.approvals == ("second_person",) and first.approver_role is Role.SUPERVISOR
    with pytest.raises(NeedsApproval, match="nobody approves their own refund"):
        refunds.confirm(ctx, supervisor, one(ctx, sale))
    assert refunds.confirm(ctx, supervisor, one(ctx, sale), ("005", "5826")).approver_code == "005"
    q = refunds.quote(ctx, supervisor, one(ctx, sale))
    assert q.approvals == ("over_limit", "second_person") and q.approver_role is Role.MANAGER
    with pytest.raises(NeedsApproval, match="A manager must approve"):
        refunds.confirm(ctx, supervisor, one(ctx, sale))
    with pytest.raises(InvalidInput, match="someone else"):
        refunds.confirm(ctx, supervisor, one(ctx, sale), ("002", PINS["002"]))
    with pytest.raises(InsufficientPermission):  # another supervisor does not do
        refunds.confirm(ctx, supervisor, one(ctx, sale), ("005", "5826"))
    assert refunds.confirm(ctx, supervisor, one(ctx, sale), ("003", PINS["003"])).approver_code == "003"


def test_a_parked_refund_counts_and_its_approval_counts_what_came_before(ctx, cashier, supervisor):
    sale = sell(ctx, cashier, "6903", 3, 10000)
    first = refunds.confirm(ctx, cashier, one(ctx, sale, 2))  # ￥200: at the limit, no approval
    assert first.approver_code == ""
    parked = refunds.park(ctx, cashier, one(ctx, sale))  # ￥300 in all: waits for a supervisor
    assert RefundRow.get(RefundRow.refund_no == parked.refund_no).approval_reasons == "over_limit"
    # the parked ￥100 holds its place: a refund of another order is not affected, this order's is
    other = sell(ctx, cashier, "6902", 1, 15000)
    assert refunds.quote(ctx, cashier, one(ctx, other)).approvals == ()
    approved = refunds.approve_parked(ctx, supervisor, parked.refund_no)
    assert approved.status == "paid" and approved.approver_code == "002"
    detail = audited(parked.refund_no)
    assert (detail["limit_base"], detail["self_approved"]) == (20000, False)


def test_a_parked_refund_over_the_supervisor_limit_in_all_needs_a_manager(ctx, cashier, supervisor, manager):
    sale = sell(ctx, cashier, "6903", 2, 60000)
    refunds.confirm(ctx, cashier, one(ctx, sale), ("002", PINS["002"]))  # ￥600: a supervisor's
    parked = refunds.park(ctx, cashier, one(ctx, sale))  # ￥1,200 in all: a manager's
    with pytest.raises(NeedsApproval, match="A manager must approve"):
        refunds.approve_parked(ctx, supervisor, parked.refund_no)
    assert refunds.approve_parked(ctx, manager, parked.refund_no).approver_code == "003"


def test_a_personal_limit_is_cumulative_too(ctx, cashier, manager):
    staff_service.set_refund_limit(ctx, manager, "001", 5000)
    cashier = staff_service.login(ctx, "001", PINS["001"])
    sale = sell(ctx, cashier, "6903", 2, 4000)
    assert refunds.quote(ctx, cashier, one(ctx, sale)).approvals == ()
    refunds.confirm(ctx, cashier, one(ctx, sale))
    q = refunds.quote(ctx, cashier, one(ctx, sale))
    assert q.approvals == ("over_limit",) and q.approver_role is Role.SUPERVISOR


def test_per_shift_limits_are_off_by_default_and_count_the_shift_when_on(ctx, cashier):
    first, second = sell(ctx, cashier, "6903", 1, 15000), sell(ctx, cashier, "6902", 1, 15000)
    assert ctx.config.refund_policy.limit_per_shift is False
    refunds.confirm(ctx, cashier, one(ctx, first))
    assert refunds.quote(ctx, cashier, one(ctx, second)).approvals == ()  # another order: its own limit
    strict = Context(replace(ctx.config, refund_policy=replace(ctx.config.refund_policy, limit_per_shift=True)))
    q = refunds.quote(strict, cashier, one(strict, second))
    assert (q.approvals, q.limit_base, q.approver_role) == (("over_limit",), 15000, Role.SUPERVISOR)
    # the supervisor's own refunds of the shift are theirs, not the cashier's
    supervisor = staff_service.login(strict, "002", PINS["002"])
    assert refunds.quote(strict, supervisor, one(strict, second)).approvals == ()
    # a new shift starts again
    manager = staff_service.login(strict, "003", PINS["003"])
    shifts.close_shift(strict, manager, CashCount(shifts.report(strict).expected_cash))
    shifts.open_shift(strict, manager, CashCount(50000))
    assert refunds.quote(strict, cashier, one(strict, second)).approvals == ()


def test_the_config_reads_per_shift_and_self_approval_max(tmp_path):
    env = {"TUI_POS_HOME": str(tmp_path), "HOME": str(tmp_path)}
    default = load_config(env=env)
    assert (default.refund_policy.limit_per_shift, default.refund_policy.self_approval_max) == (False, 50000)
    assert default.security.lockout_minutes == 30
    assert set(default.refund_limits) == {"cashier", "supervisor", "manager"}
    path = tmp_path / "config.toml"
    path.write_text("[refund_limits]\nper_shift = true\nself_approval_max = 20000\ncashier = 10000\n")
    config = load_config(path, env=env)
    assert (config.refund_policy.limit_per_shift, config.refund_policy.self_approval_max) == (True, 20000)
    assert config.refund_policy.limit(Role.CASHIER) == 10000
    words = config.refund_policy.plain_words()
    assert any("each person's refunds of a shift" in w for w in words)
    assert any("Above ￥200.00 nobody approves their own refund" in w for w in words)
    for bad in ('per_shift = "yes"', "self_approval_max = -1"):
        path.write_text(f"[refund_limits]\n{bad}\n")
        with pytest.raises(ConfigError, match="refund_limits"):
            load_config(path, env=env)


# ---- dual control ---------------------------------------------------------------------


def test_a_manager_does_not_approve_their_own_big_refund(ctx, manager, supervisor, manager2):
    """The ￥30,000 no-receipt cash refund: the manager's role covers it, yet a second manager
    must enter their code and PIN."""
    draft = no_receipt(ctx, 3000000)
    q = refunds.quote(ctx, manager, draft)
    assert q.approver_role is Role.MANAGER and "no_receipt" in q.approvals
    assert refunds.second_person_needed(ctx, q)
    wanted = refunds.approval_wanted(ctx, manager, q)
    assert "Above ￥500.00 nobody approves their own refund: another manager" in wanted
    with pytest.raises(NeedsApproval, match="nobody approves their own refund"):
        refunds.confirm(ctx, manager, draft)
    with pytest.raises(InvalidInput, match="someone else"):
        refunds.confirm(ctx, manager, draft, ("003", PINS["003"]))
    with pytest.raises(InsufficientPermission):
        refunds.confirm(ctx, manager, draft, ("002", PINS["002"]))  # a supervisor may not approve no-receipt
    assert not RefundRow.select().exists()
    result = refunds.confirm(ctx, manager, draft, ("004", "4826"))
    assert result.approver_code == "004"
    assert RefundRow.get(RefundRow.refund_no == result.refund_no).approver.code == "004"
    detail = audited(result.refund_no)
    assert (detail["approver"], detail["self_approved"]) == ("004", False)
    assert AuditRow.select().where((AuditRow.action == "approve_refund") & (AuditRow.staff_code == "004")).exists()


def test_below_self_approval_max_a_manager_approves_their_own_and_it_is_listed(ctx, manager):
    draft = no_receipt(ctx, 30000)
    q = refunds.quote(ctx, manager, draft)
    assert q.approver_role is Role.MANAGER and not refunds.second_person_needed(ctx, q)
    assert refunds.approval_wanted(ctx, manager, q) == ""
    result = refunds.confirm(ctx, manager, draft)
    assert result.approver_code == "003"
    assert audited(result.refund_no)["self_approved"] is True
    table = reports.table(ctx, manager, "approvers", SINCE, UNTIL)
    assert table.headers[-1] == "Own refund"
    assert ("003", "Manager Wang", "1", "300.00", "0", result.refund_no) in table.rows


def test_a_supervisor_lowering_a_big_refund_needs_someone_else(ctx, supervisor, manager):
    """Override (a lowered amount) wants a supervisor: the supervisor's role covers it, but not
    above ￥500 on their own."""
    sale = sell(ctx, supervisor, "6903", 1, 70000)
    draft = one(ctx, sale, amount=60000)
    q = refunds.quote(ctx, supervisor, draft)
    assert q.approvals == ("override", "second_person") and q.approver_role is Role.SUPERVISOR
    with pytest.raises(NeedsApproval, match="another supervisor"):
        refunds.confirm(ctx, supervisor, draft)
    assert refunds.confirm(ctx, supervisor, draft, ("003", PINS["003"])).approver_code == "003"
    # ￥400 lowered: theirs to approve
    small = one(ctx, sell(ctx, supervisor, "6903", 1, 50000), amount=40000)
    assert refunds.confirm(ctx, supervisor, small).approver_code == "002"


def test_dual_control_counts_the_order_as_a_whole(ctx, manager, manager2):
    """Two ￥400 no-window refunds of one order by a manager: the second comes to ￥800."""
    sale = sell(ctx, manager, "6903", 2, 40000)
    SaleRow.update(created_at=ctx.now() - timedelta(days=40)).where(SaleRow.id == sale).execute()
    assert refunds.confirm(ctx, manager, one(ctx, sale)).approver_code == "003"  # outside the window: own
    q = refunds.quote(ctx, manager, one(ctx, sale))
    assert q.counted == 80000 and refunds.second_person_needed(ctx, q)
    with pytest.raises(NeedsApproval, match="nobody approves their own"):
        refunds.confirm(ctx, manager, one(ctx, sale))
    assert refunds.confirm(ctx, manager, one(ctx, sale), ("004", "4826")).approver_code == "004"


def test_a_parked_big_refund_is_not_approved_by_its_refunder(ctx, manager, manager2):
    draft = no_receipt(ctx, 3000000)
    parked = refunds.park(ctx, manager, draft)
    with pytest.raises(NeedsApproval, match="nobody approves their own refund"):
        refunds.approve_parked(ctx, manager, parked.refund_no)
    assert RefundRow.get(RefundRow.refund_no == parked.refund_no).status == "pending_approval"
    assert refunds.approve_parked(ctx, manager2, parked.refund_no).approver_code == "004"


def test_a_cashier_cannot_park_what_needs_no_one(ctx, cashier):
    with pytest.raises(InvalidInput):
        refunds.park(ctx, cashier, one(ctx, sell(ctx, cashier, "6903", 1, 1000)))


# ---- flags ----------------------------------------------------------------------------


def test_flags_show_runs_of_refunds_on_one_order(ctx, cashier, manager):
    sale = sell(ctx, cashier, "6903", 3, 5000)
    for _ in range(3):
        refunds.confirm(ctx, cashier, one(ctx, sale))
    single = sell(ctx, cashier, "6902", 1, 5000)
    refunds.confirm(ctx, cashier, one(ctx, single))
    runs = [f for f in reports.flags(ctx, manager, SINCE, UNTIL) if f.kind == "order_run"]
    order_no = SaleRow.get_by_id(sale).order_no
    assert [(f.who, f.params["no"], f.params["count"], f.params["amount"]) for f in runs] == [
        ("001", order_no, 3, "150.00")
    ]
    table = reports.table(ctx, manager, "flags", SINCE, UNTIL)
    assert ("One order, several refunds", "001", f"3 refunds of order {order_no} by 001, 150.00 in all") in table.rows


def test_just_under_uses_the_persons_own_limit(ctx, cashier, manager):
    flags_cfg = replace(ctx.config.refund_flags, just_under_count=2)
    fctx = Context(replace(ctx.config, refund_flags=flags_cfg))
    staff_service.set_refund_limit(fctx, manager, "001", 5000)
    cashier = staff_service.login(fctx, "001", PINS["001"])
    for _ in range(2):  # ￥45 each: under the role's ￥200 by far, just under their own ￥50
        refunds.confirm(fctx, cashier, one(fctx, sell(fctx, cashier, "6903", 1, 4500)))
    found = [f for f in reports.flags(fctx, manager, SINCE, UNTIL) if f.kind == "just_under"]
    assert [(f.who, f.params["count"], f.params["limit"]) for f in found] == [("001", 2, "50.00")]
    # back on the role's limit, ￥45 is far under it
    StaffRow.update(refund_limit=None).where(StaffRow.code == "001").execute()
    assert not [f for f in reports.flags(fctx, manager, SINCE, UNTIL) if f.kind == "just_under"]


# ---- a refund no. where an order no. goes; the exchange's tender -----------------------------


def test_a_refund_no_typed_as_an_order_no_says_so(ctx, cashier):
    refund_no = refunds.confirm(ctx, cashier, one(ctx, sell(ctx, cashier, "6903", 1, 1000))).refund_no
    for typed in (refund_no, refund_no.lower()):
        with pytest.raises(NotFound, match="is a refund no., not an order no."):
            refunds.find_order(ctx, typed)
        with pytest.raises(NotFound, match="is a refund no., not an order no."):
            orders.order_detail(typed)
    with pytest.raises(NotFound, match="is a refund no., not a product barcode"):
        catalog.product_for_scan(refund_no)
    with pytest.raises(NotFound, match="No order"):
        refunds.find_order(ctx, "S20000101-0001")
    with pytest.raises(NotFound, match="Unknown barcode"):
        catalog.product_for_scan("R1234")


def test_the_exchange_result_says_exchange_as_the_database_does(ctx, cashier):
    old = sell(ctx, cashier, "6902", 1, 1299)
    credit = exchange.start(ctx, cashier, one(ctx, old))
    basket = Basket()
    basket.add(catalog.product_for_scan("6903"), 1)
    plan = exchange.new_plan(ctx, basket, credit)
    result = exchange.complete(ctx, cashier, basket, plan, credit)
    row = RefundRow.get(RefundRow.refund_no == result.refund.refund_no)
    assert result.refund.tender == row.tender == "exchange"


# ---- report shift: a cashier's own only ---------------------------------------------------


def test_a_cashier_sees_only_their_own_shift(ctx, cashier, supervisor, manager):
    opened_by_manager = shifts.current_id(ctx)
    with pytest.raises(InsufficientPermission, match="not yours"):
        shifts.report_for(ctx, cashier)
    with pytest.raises(InsufficientPermission, match="not yours"):
        shifts.report_for(ctx, cashier, opened_by_manager)
    assert shifts.report_for(ctx, supervisor).shift_id == opened_by_manager
    shifts.close_shift(ctx, manager, CashCount(shifts.report(ctx).expected_cash))
    own = shifts.open_shift(ctx, cashier, CashCount(20000))
    assert shifts.report_for(ctx, cashier).shift_id == own
    assert shifts.report_for(ctx, manager, opened_by_manager).shift_id == opened_by_manager
    with pytest.raises(InsufficientPermission):
        shifts.report_for(ctx, cashier, opened_by_manager)
