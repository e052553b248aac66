"""Roles are enforced in the services, whatever a screen shows; sensitive events are in the
hash-chained audit trail; price changes and 'no sale' drawer openings are recorded."""

from __future__ import annotations

from datetime import datetime

import pytest

from tui_pos.devices.printer import PrinterError, TrainingPrinter
from tui_pos.domain.basket import Basket
from tui_pos.domain.errors import AuthError, InsufficientPermission, InvalidInput, NotFound
from tui_pos.domain.refund import Pick
from tui_pos.domain.shift import CashCount
from tui_pos.domain.staff import PERMISSIONS, Role
from tui_pos.domain.tenders import TenderKind
from tui_pos.services import catalog, checkout, conflicts, export, imports, printing, refunds, reports, shifts
from tui_pos.services import staff as staff_service
from tui_pos.services.refunds import RefundDraft
from tui_pos.store import audit
from tui_pos.store.models import AuditRow, ProductRow, StaffRow

SINCE, UNTIL = datetime(2026, 1, 1), datetime(2026, 12, 31)

# privileged action -> a call of each service that performs it, made by `actor`
CALLS = {
    "approve_refund": [lambda ctx, actor: refunds.approve_parked(ctx, actor, "R01-20261123-0001")],
    "reject_refund": [lambda ctx, actor: refunds.reject(ctx, actor, "R01-20261123-0001", "no")],
    "manage_staff": [lambda ctx, actor: staff_service.create_staff(ctx, actor, "009", "New", Role.MANAGER, "9999")],
    "import_products": [lambda ctx, actor: imports.import_products(ctx, actor, b"barcode,name,price\n6999,X,1.00\n")],
    "import_members": [
        lambda ctx, actor: imports.import_members(ctx, actor, b"card_no,phone,name\nM9999,13900000000,Y\n")
    ],
    "import_balances": [
        lambda ctx, actor: imports.import_members(
            ctx, actor, b"card_no,phone,name,points,balance\nM9999,13900000000,Y,0,99999.00\n"
        )
    ],
    "reports": [
        lambda ctx, actor: reports.summary(ctx, actor, SINCE, UNTIL),
        lambda ctx, actor: reports.breakdown(ctx, actor, "product", SINCE, UNTIL),
        lambda ctx, actor: reports.cashiers(ctx, actor, SINCE, UNTIL),
        lambda ctx, actor: reports.approvers(ctx, actor, SINCE, UNTIL),
        lambda ctx, actor: reports.flags(ctx, actor, SINCE, UNTIL),
        lambda ctx, actor: reports.table(ctx, actor, "reason", SINCE, UNTIL),
    ],
    "discard_ticket": [lambda ctx, actor: printing.discard(ctx, actor, 1)],
    "day_summary": [lambda ctx, actor: shifts.day_summary(ctx, actor)],
    "change_price": [lambda ctx, actor: catalog.change_price(ctx, actor, "6901", "0.01")],
    "resolve_conflict": [lambda ctx, actor: conflicts.resolve(ctx, actor, 1, "merged")],
}


# whole-file actions: the command signs the staff member in and checks the role before it touches
# the file (tests/test_cli_auth.py)
FILE_ACTIONS = {"backup", "restore"}


def test_every_privileged_action_has_its_calls_listed():
    privileged = {action for action, role in PERMISSIONS.items() if role > Role.CASHIER} - FILE_ACTIONS
    assert privileged == set(CALLS)


@pytest.mark.parametrize(
    "action,call", [(a, c) for a, calls in CALLS.items() for c in calls], ids=lambda v: v if isinstance(v, str) else ""
)
def test_too_low_a_role_is_refused_by_the_service_and_nothing_is_written(ctx, cashier, supervisor, action, call):
    before = (
        AuditRow.select().count(),
        ProductRow.select().count(),
        StaffRow.select().count(),
        ProductRow.get(ProductRow.barcode == "6901").price,
    )
    for actor in (cashier, supervisor):
        if actor.role >= PERMISSIONS[action]:
            continue
        with pytest.raises(InsufficientPermission):
            call(ctx, actor)
    after = (
        AuditRow.select().count(),
        ProductRow.select().count(),
        StaffRow.select().count(),
        ProductRow.get(ProductRow.barcode == "6901").price,
    )
    assert after == before


def test_price_change_is_validated_and_audited(ctx, supervisor):
    product = catalog.change_price(ctx, supervisor, "6901", "3.20", "2.90")
    assert (product.price, product.member_price) == (320, 290)
    entry = AuditRow.select().where(AuditRow.action == "price_change").get()
    assert entry.staff_code == "002" and '"before": {"member_price": 300, "price": 350}' in entry.detail
    for price, member in (("-1", None), ("0", None), ("abc", None), ("999999999", None), ("2.00", "3.00")):
        with pytest.raises(InvalidInput):
            catalog.change_price(ctx, supervisor, "6901", price, member)
    with pytest.raises(NotFound):
        catalog.change_price(ctx, supervisor, "0000", "1.00")
    assert ProductRow.get(ProductRow.barcode == "6901").price == 320
    assert AuditRow.select().where(AuditRow.action == "price_change").count() == 1


class JammedDrawer(TrainingPrinter):
    def kick_drawer(self) -> None:
        raise PrinterError("Printer offline: unplugged")


def test_no_sale_drawer_opening_is_recorded_even_when_the_drawer_fails(ctx, cashier):
    printer = TrainingPrinter()
    assert printing.open_drawer(ctx, cashier, "change for till 02", printer=printer) == ""
    assert b"\x1bp" in printer.output  # ESC p: the drawer pulse
    assert "unplugged" in printing.open_drawer(ctx, cashier, "count", printer=JammedDrawer())
    reasons = [e.detail for e in AuditRow.select().where(AuditRow.action == "drawer_open").order_by(AuditRow.id)]
    assert reasons == ['{"reason": "change for till 02"}', '{"reason": "count"}']
    with pytest.raises(InvalidInput):
        printing.open_drawer(ctx, cashier, " \x1b\x00\u202e ", printer=printer)


def test_a_day_of_sensitive_events_is_all_in_the_chained_trail(ctx, cashier, supervisor, manager, tmp_path):
    with pytest.raises(AuthError):
        staff_service.login(ctx, "001", "7391")  # failed PIN
    basket = Basket()
    basket.add(catalog.product_for_scan("6902"), 3)
    plan = checkout.new_plan(ctx, basket)
    plan.add(TenderKind.CASH, plan.due)
    sale = checkout.complete_sale(ctx, cashier, basket, plan)
    checkout.void_basket(ctx, cashier, _one_line())
    lookup = refunds.load_order(ctx, sale.sale_id)
    line = next(iter(lookup.history.values()))
    draft = RefundDraft(sale.sale_id, (Pick(line.sale_line_id, 3),), "quality", amount=3000)  # lowered: override
    refunds.confirm(ctx, cashier, draft, approver=("002", "2222"))
    catalog.change_price(ctx, supervisor, "6901", "3.60")
    printing.open_drawer(ctx, cashier, "change", printer=TrainingPrinter())
    printing.reprint(ctx, cashier, sale.order_no)
    export.write_csv(manager, tmp_path / "x.csv", "refunds", ("a",), [("1",)])
    shifts.close_shift(ctx, manager, CashCount(shifts.report(ctx).expected_cash))
    shifts.open_shift(ctx, cashier, CashCount(10000))

    actions = {row.action for row in AuditRow.select()}
    for needed in (
        "login",
        "login_failed",
        "sale",
        "void",
        "refund",
        "approve_refund",
        "price_change",
        "drawer_open",
        "reprint",
        "export",
        "shift_open",
        "shift_close",
    ):
        assert needed in actions, needed
    assert any("override" in e.detail for e in AuditRow.select().where(AuditRow.action.startswith("refund")))
    assert audit.verify() is None
    assert "7391" not in "".join(r.detail + r.entity for r in AuditRow.select())  # a PIN is never written down


def _one_line() -> Basket:
    basket = Basket()
    basket.add(catalog.product_for_scan("6903"))
    return basket
