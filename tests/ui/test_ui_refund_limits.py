"""Step 4 asks the right approver (issue 19): another person's code above self_approval_max, a
supervisor once an order's refunds together pass the cashier's limit; a refund no. scanned at
checkout is named as one."""

from __future__ import annotations

from tui_pos.domain.refund import Pick
from tui_pos.domain.staff import Role
from tui_pos.services import refunds
from tui_pos.services import staff as staff_service
from tui_pos.services.refunds import RefundDraft
from tui_pos.store.models import ProductRow, RefundRow
from tui_pos.ui.screens.refund import ChooseLinesStep, ConfirmStep, PayOutStep, ReviewStep

from ui_helpers import log_in, sell, type_text


def error(app) -> str:
    return str(app.screen.query_one("#error").content)


def why(app) -> str:
    return str(app.screen.query_one("#approval-why").content)


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def approve(pilot, code: str, pin: str) -> None:
    await type_text(pilot, code)
    await pilot.press("enter")
    await type_text(pilot, pin)
    await pilot.press("enter")


async def test_a_manager_is_asked_for_a_second_managers_code_above_500(ctx, app, manager):
    """The manager's role covers a no-receipt refund, but ￥600 is above ￥500: step 4 asks for
    another manager's code and PIN, refuses the manager's own, and takes the second manager's."""
    staff_service.create_staff(ctx, manager, "004", "Manager Chen", Role.MANAGER, "4826")
    ProductRow.update(price=60000).where(ProductRow.barcode == "6903").execute()
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "003", "3333")
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("f7")  # without the receipt
        await pilot.pause()
        await type_text(pilot, "6903")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, ChooseLinesStep), error(app)
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, ReviewStep), error(app)
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmStep)
        assert app.screen.query_one("#approval").display
        assert app.screen.query_one("#approver").has_focus
        assert (
            "Above ￥500.00 nobody approves their own refund: another manager enters their code and PIN (No receipt)"
            in why(app)
        )
        assert app.screen.check_action("park", ()) is True  # F6 may park it for the other manager
        await approve(pilot, "003", "3333")  # their own code: refused, nothing written
        await pilot.pause()
        assert isinstance(app.screen, ConfirmStep) and "someone else" in error(app)
        assert RefundRow.select().count() == 0
        await pilot.press("shift+tab")
        await pilot.press("ctrl+a", "ctrl+k")
        await approve(pilot, "004", "4826")
        await settle(pilot)
        assert isinstance(app.screen, PayOutStep), error(app)
    row = RefundRow.get()
    assert (row.amount, row.no_receipt, row.staff.code, row.approver.code) == (60000, True, "003", "004")


async def test_the_third_100_of_a_split_refund_asks_a_supervisor(ctx, app, cashier):
    """Two ￥100 refunds of a ￥300 order went through; the third brings the order to ￥300, over
    the cashier's ￥200: step 4 says so with the sum and asks a supervisor."""
    ProductRow.update(price=10000).where(ProductRow.barcode == "6903").execute()
    sale = sell(ctx, {"6903": 3})
    line = next(iter(refunds.load_order(ctx, sale.sale_id).history))
    for _ in range(2):
        refunds.confirm(ctx, cashier, RefundDraft(sale.sale_id, (Pick(line, 1),), "quality"))
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("f8")
        await pilot.pause()
        await type_text(pilot, sale.order_no)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("f9", "f9")
        await pilot.pause()
        assert isinstance(app.screen, ReviewStep), error(app)
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmStep)
        assert why(app) == (
            "A supervisor must approve: Amount over your refund limit: ￥300.00 with the ￥200.00 refunded before"
        )
        await approve(pilot, "002", "2222")
        await settle(pilot)
        assert isinstance(app.screen, PayOutStep), error(app)
    row = RefundRow.select().order_by(RefundRow.id.desc()).get()
    assert (row.amount, row.approver.code, row.approval_reasons) == (10000, "002", "over_limit")


async def test_a_refund_no_scanned_at_checkout_is_named(ctx, app, cashier):
    sale = sell(ctx, {"6901": 1})
    line = next(iter(refunds.load_order(ctx, sale.sale_id).history))
    refund_no = refunds.confirm(ctx, cashier, RefundDraft(sale.sale_id, (Pick(line, 1),), "quality")).refund_no
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await type_text(pilot, refund_no)
        await pilot.press("enter")
        await pilot.pause()
        shown = str(app.screen.query_one("#scan-error").content)
        assert shown == f"{refund_no} is a refund no., not a product barcode"
        assert not app.basket.lines
