"""The five-step cash refund by keyboard, from checkout's F8 to 'cash handed over, signed'."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from rich.console import Console

from tui_pos.devices import code128
from tui_pos.devices.printer import Printer, PrinterError, TrainingPrinter
from tui_pos.domain.numbers import scan_payload
from tui_pos.services import printing
from tui_pos.services import staff as staff_service
from tui_pos.store.models import (
    MemberRow,
    PaymentRow,
    ProductRow,
    RefundEventRow,
    RefundLineRow,
    RefundRow,
    StockMoveRow,
)
from tui_pos.ui.screens.checkout import CheckoutScreen
from tui_pos.ui.screens.refund import (
    ChooseLinesStep,
    ConfirmStep,
    FindOrderStep,
    PayOutStep,
    ReviewStep,
)

from ui_helpers import log_in, sell, strip_escpos, type_text


def error(app) -> str:
    return str(app.screen.query_one("#error").content)


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def approve(pilot, code: str, pin: str) -> None:
    """A supervisor or manager types their staff code and PIN on step 4."""
    await type_text(pilot, code)
    await pilot.press("enter")
    await type_text(pilot, pin)
    await pilot.press("enter")


async def open_order(pilot, order_no: str) -> None:
    await pilot.press("f8")
    await pilot.pause()
    assert isinstance(pilot.app.screen, FindOrderStep)
    await type_text(pilot, order_no)  # what a scanner does with the receipt barcode
    await pilot.press("enter")
    await pilot.pause()


async def test_full_cash_refund_by_scanning_the_order(ctx, app, printer):
    order_no = sell(ctx, {"6901": 2, "6902": 1}).order_no  # 3.50 * 2 + 12.99 = 19.99
    stock_before = ProductRow.get(ProductRow.barcode == "6901").stock
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await open_order(pilot, scan_payload(order_no))  # the receipt's code: S01202611220001
        info = str(app.screen.query_one("#order-info").content)
        assert order_no in info and "Refundable" in info
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, ChooseLinesStep)
        assert app.screen.state.qty and all(q for q in app.screen.state.qty.values())  # all by default
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, ReviewStep)
        assert "￥19.99" in str(app.screen.query_one("#quote").content)
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmStep)
        assert not app.screen.query_one("#approval").display  # ￥19.99 is within a cashier's limit
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, PayOutStep)
        refund_no = app.screen.state.result.refund_no
        payout = str(app.screen.query_one("#payout").content)
        assert "Hand over ￥19.99 in cash" in payout
        assert "Voucher printed" in str(app.screen.query_one("#printer-status").content)
        assert printer.drawer_kicks == 1
        row = RefundRow.get(RefundRow.refund_no == refund_no)
        assert row.status == "paid"
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen)

    row = RefundRow.get(RefundRow.refund_no == refund_no)
    assert (row.status, row.amount, row.tender, row.approver_id) == ("completed", 1999, "cash", None)
    assert sorted((ln.qty, ln.amount) for ln in RefundLineRow.select().where(RefundLineRow.refund == row)) == [
        (1, 1299),
        (2, 700),
    ]
    (pay,) = PaymentRow.select().where(PaymentRow.refund == row)
    assert (pay.tender, pay.amount) == ("cash", -1999)
    assert ProductRow.get(ProductRow.barcode == "6901").stock == stock_before + 2
    assert StockMoveRow.select().where(StockMoveRow.refund == row).count() == 2
    events = [e.event for e in RefundEventRow.select().where(RefundEventRow.refund == row).order_by(RefundEventRow.id)]
    assert events == ["created", "paid", "completed"]
    text = strip_escpos(printer.output).decode("gbk")
    assert refund_no in text and order_no in text and "￥19.99" in text
    assert text.count(refund_no) >= 2  # customer copy and store copy
    # the refund no. without its dashes as a 2-dot CODE128 and a QR on both copies, on this 58 mm
    # printer (384 dots) too; the readable number printed under the barcode
    code = code128.firmware_data(scan_payload(refund_no))  # R in code set B, the digits in set C
    assert printer.output.count(b"\x1dw\x02\x1df\x00\x1dH\x00\x1dkI" + bytes([len(code)]) + code) == 2
    assert printer.output.count(b"1P0" + scan_payload(refund_no).encode()) == 2
    assert printer.output.count(b"\x1ba\x01" + refund_no.encode() + b"\n") == 2


async def test_partial_refund_over_the_limit_needs_a_supervisor(ctx, app, printer):
    ProductRow.update(price=15000).where(ProductRow.barcode == "6903").execute()
    order_no = sell(ctx, {"6903": 3, "6901": 1}).order_no  # 3 x 150.00 + 3.50
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await open_order(pilot, order_no)
        await pilot.press("f9")
        await pilot.pause()
        # lines: the notebooks first; take 2 of 3 and nothing of the cola, goods damaged
        await pilot.press("minus")
        await pilot.press("d")
        await pilot.press("down", "0")
        await pilot.press("r", "r")  # quality -> wrong item -> changed mind
        await pilot.pause()
        assert "Changed mind" in str(app.screen.query_one("#choice").content)
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, ReviewStep), error(app)
        assert "￥300.00" in str(app.screen.query_one("#quote").content)
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmStep)
        assert app.screen.query_one("#approval").display
        assert "Amount over your refund limit" in str(app.screen.query_one("#approval-why").content)
        await approve(pilot, "002", "9999")  # wrong PIN: stays, says so, nothing written
        await pilot.pause()
        assert isinstance(app.screen, ConfirmStep)
        assert "PIN" in error(app)
        assert RefundRow.select().count() == 0
        await type_text(pilot, "2222")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PayOutStep), error(app)
        refund_no = app.screen.state.result.refund_no
        await pilot.press("f9")
        await pilot.pause()

    row = RefundRow.get(RefundRow.refund_no == refund_no)
    assert (row.status, row.amount, row.reason) == ("completed", 30000, "changed_mind")
    assert row.approver.code == "002" and "over_limit" in row.approval_reasons
    (line,) = RefundLineRow.select().where(RefundLineRow.refund == row)
    assert (line.qty, line.amount, line.disposition) == (2, 30000, "damaged")
    assert ProductRow.get(ProductRow.barcode == "6903").stock == 20 - 3  # damaged goods do not go back
    text = strip_escpos(printer.output).decode("gbk")
    assert "002" in text and "￥300.00" in text


async def test_refund_outside_the_window_is_refused_with_the_reason(ctx, app):
    ctx_live = replace(ctx.config.refund_policy, approval_outside_window=False)
    app.config = replace(app.config, refund_policy=ctx_live)
    order_no = sell(ctx, {"6901": 1}, ago=timedelta(days=10)).order_no
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await open_order(pilot, order_no)
        info = str(app.screen.query_one("#order-info").content)
        assert "Not refundable" in info and "Outside the refund window" in info
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, FindOrderStep)
        assert "Outside the refund window" in error(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen)
    assert RefundRow.select().count() == 0


async def test_late_refund_needs_a_supervisor_when_policy_allows_it(ctx, app):
    order_no = sell(ctx, {"6901": 1}, ago=timedelta(days=10)).order_no  # default policy: late only with approval
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await open_order(pilot, order_no)
        assert "supervisor must approve" in str(app.screen.query_one("#order-info").content)
        await pilot.press("f9", "f9")
        await pilot.pause()
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmStep)
        assert "Outside the refund window" in str(app.screen.query_one("#approval-why").content)


class UnpluggedPrinter(Printer):
    def send(self, data: bytes) -> None:
        raise PrinterError("Printer offline: no answer - check cable, power and paper")


async def test_printer_failure_keeps_the_refund_and_f8_reprints(ctx, app):
    order_no = sell(ctx, {"6902": 1}).order_no
    app.printer = UnpluggedPrinter()
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await open_order(pilot, order_no)
        await pilot.press("f9")
        await pilot.pause()
        await pilot.press("f9")
        await pilot.pause()
        await pilot.press("f9")
        await pilot.pause()
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, PayOutStep)
        refund_no = app.screen.state.result.refund_no
        status = str(app.screen.query_one("#printer-status").content)
        assert "Printer offline" in status and "F8" in status
        row = RefundRow.get(RefundRow.refund_no == refund_no)
        assert (row.status, row.amount) == ("paid", 1299)  # recorded, money accounted
        assert printing.queued_job(refund_no) is not None
        app.printer = fixed = TrainingPrinter()
        await pilot.press("f8")
        await settle(pilot)
        assert "Voucher printed" in str(app.screen.query_one("#printer-status").content)
        assert printing.queued_job(refund_no) is None
        assert refund_no.encode() in fixed.output
        assert RefundEventRow.select().where(RefundEventRow.event == "reprint").count() == 0  # same voucher
        await pilot.press("f9")
        await pilot.pause()
    assert RefundRow.get(RefundRow.refund_no == refund_no).status == "completed"


async def test_escape_goes_back_one_step_and_keeps_the_choices(ctx, app):
    order_no = sell(ctx, {"6901": 3}).order_no
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await open_order(pilot, order_no)
        await pilot.press("f9")
        await pilot.pause()
        await pilot.press("minus")
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, ReviewStep)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ChooseLinesStep)
        assert list(app.screen.state.qty.values()) == [2]
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen)
    assert RefundRow.select().count() == 0


async def test_unknown_order_and_member_orders(ctx, app):
    order_no = sell(ctx, {"6901": 1}, member="M000001").order_no
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await open_order(pilot, "S19990101-0001")
        assert "No order" in error(app)
        await type_text(pilot, "M000001")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one("#orders").row_count == 1
        await pilot.press("enter")
        await pilot.pause()
        assert order_no in str(app.screen.query_one("#order-info").content)
        assert app.screen.state.lookup.sale.order_no == order_no


async def test_lowering_the_amount_needs_approval_and_raising_is_refused(ctx, app):
    order_no = sell(ctx, {"6902": 1}).order_no
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await open_order(pilot, order_no)
        await pilot.press("f9", "f9")
        await pilot.pause()
        assert isinstance(app.screen, ReviewStep)
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "20")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewStep) and "cannot be more than" in error(app)
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "10")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmStep)
        assert "lowered" in str(app.screen.query_one("#approval-why").content)
        await approve(pilot, "002", "2222")
        await settle(pilot)
        assert isinstance(app.screen, PayOutStep)
    row = RefundRow.get()
    assert (row.amount, row.allowed, row.override) == (1000, 1299, True)
    assert MemberRow.select().count() == 1


async def test_no_receipt_refund_needs_a_manager_and_is_flagged(ctx, app, printer):
    stock_before = ProductRow.get(ProductRow.barcode == "6903").stock
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("f7")
        await pilot.pause()
        await type_text(pilot, "2*6903")
        await pilot.press("enter")
        await type_text(pilot, "999999")
        await pilot.press("enter")
        await pilot.pause()
        assert "999999" in error(app)
        await pilot.press("ctrl+a", "ctrl+k")  # the refused code was kept; clear it
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, ChooseLinesStep)
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, ReviewStep)
        assert "￥11.98" in str(app.screen.query_one("#quote").content)
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmStep)
        assert "No receipt" in str(app.screen.query_one("#approval-why").content)
        await approve(pilot, "002", "2222")  # a supervisor is not enough without a receipt
        await pilot.pause()
        assert isinstance(app.screen, ConfirmStep) and RefundRow.select().count() == 0
        await pilot.press("shift+tab")
        await pilot.press("ctrl+a", "ctrl+k")
        await approve(pilot, "003", "3333")
        await settle(pilot)
        assert isinstance(app.screen, PayOutStep), error(app)
        await pilot.press("f9")
        await pilot.pause()
    row = RefundRow.get()
    assert (row.no_receipt, row.sale_id, row.amount, row.status) == (True, None, 1198, "completed")
    assert row.approver.code == "003" and "no_receipt" in row.approval_reasons
    assert ProductRow.get(ProductRow.barcode == "6903").stock == stock_before + 2
    (pay,) = PaymentRow.select().where(PaymentRow.refund == row)
    assert (pay.tender, pay.amount, pay.sale_id) == ("cash", -1198, None)


async def test_exchange_pays_for_new_goods_and_gives_the_rest_back(ctx, app, printer):
    order_no = sell(ctx, {"6902": 1}).order_no  # 12.99
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await open_order(pilot, order_no)
        await pilot.press("f9", "f9")
        await pilot.pause()
        assert isinstance(app.screen, ReviewStep)
        await pilot.press("f7")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmStep)
        assert "credit towards new goods" in str(app.screen.query_one("#summary").content)
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen)
        assert "credit ￥12.99" in str(app.screen.query_one("#status").content)
        assert RefundRow.select().count() == 0  # nothing written until the new sale is paid
        await type_text(pilot, "6903")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("f4")
        await pilot.pause()
        console = Console(width=60)
        with console.capture() as shown:
            console.print(app.screen.query_one("#pay-summary").content)
        assert "Give back (Cash)" in shown.get() and "￥7.00" in shown.get()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CheckoutScreen)
        status = str(app.screen.query_one("#status").content)
        assert app.exchange_credit is None
    row = RefundRow.get()
    new_sale = row.exchange_sale
    assert (row.status, row.tender, row.amount) == ("completed", "exchange", 1299)
    assert new_sale.order_no != order_no and new_sale.total == 599
    assert {p.tender: p.amount for p in PaymentRow.select().where(PaymentRow.refund == row)} == {
        "exchange": -599,
        "cash": -700,
    }
    text = strip_escpos(printer.output).decode("gbk")
    assert new_sale.order_no in text and row.refund_no in text
    assert printer.drawer_kicks == 1  # ￥7.00 goes back in cash
    assert status  # the last message is about printing


async def test_parked_refund_is_approved_from_the_list_by_a_manager(ctx, app, printer):
    ProductRow.update(price=150000).where(ProductRow.barcode == "6903").execute()
    order_no = sell(ctx, {"6903": 1}).order_no  # ￥1500.00: over a supervisor's limit too
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await open_order(pilot, order_no)
        await pilot.press("f9", "f9")
        await pilot.pause()
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmStep)
        await pilot.press("f6")  # no manager around: park it
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen)
        parked = RefundRow.get()
        assert parked.status == "pending_approval"
        assert PaymentRow.select().where(PaymentRow.refund == parked).count() == 0  # no money moved yet

        await pilot.press("f10")
        await log_in(pilot, "003", "3333")
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("f4")
        await pilot.pause()
        await type_text(pilot, parked.refund_no)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")  # open the found refund
        await pilot.pause()
        detail = str(app.screen.query_one("#detail").content)
        assert parked.refund_no in detail and "awaiting approval" in detail  # the status in words, not its code
        await pilot.press("f9")  # 'handed over' is not offered before approval
        await pilot.pause()
        assert RefundRow.get().status == "pending_approval"
        await pilot.press("f5")
        await settle(pilot)
        assert RefundRow.get().status == "paid"
        await pilot.press("f9")
        await pilot.pause()
        detail = str(app.screen.query_one("#detail").content)
        assert "completed" in detail and "003" in detail
    row = RefundRow.get()
    assert (row.status, row.approver.code, row.amount) == ("completed", "003", 150000)
    (pay,) = PaymentRow.select().where(PaymentRow.refund == row)
    assert pay.amount == -150000
    assert row.refund_no in strip_escpos(printer.output).decode("gbk")


async def test_member_profile_shows_refunds_and_rate(ctx, app):
    from tui_pos.domain.refund import Pick
    from tui_pos.services import refunds
    from tui_pos.services.refunds import RefundDraft

    order_no = sell(ctx, {"6902": 1, "6903": 1}, member="M000001").order_no
    lookup = refunds.find_order(ctx, order_no)
    bread = next(h for h in lookup.history.values() if h.name == "全麦面包")
    actor = staff_service.login(ctx, "001", "1111")
    done = refunds.confirm(ctx, actor, RefundDraft(lookup.sale.id, (Pick(bread.sale_line_id, 1),), "quality"))
    rate = done.amount * 10000 // lookup.sale.total
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("f2")
        await type_text(pilot, "M000001")
        await pilot.pause()
        console = Console(width=40)
        with console.capture() as shown:
            console.print(app.screen.query_one("#member-profile").content)
        text = shown.get()
    assert f"1 / ￥{done.amount / 100:.2f} ({rate / 100:.1f}%)" in text
    assert done.refund_no in text
