"""Keys typed right after the key that opens a dialog belong to that dialog, however fast they
come: a scanner's burst or a fast typist's `F5 1 0 Enter` reaches the till in one read, before
the dialog is even built. `burst` puts every key in the app's queue at once, as a terminal does."""

from __future__ import annotations

from tui_pos.services import checkout
from tui_pos.ui.screens.checkout import CheckoutScreen
from tui_pos.ui.screens.refund import ChooseLinesStep, FindOrderStep

from ui_helpers import burst, log_in, scan, sell


def scan_error(app) -> str:
    return str(app.screen.query_one("#scan-error").content)


async def test_f5_then_a_quantity_at_once_sets_it(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await scan(pilot, "6901")
        await burst(pilot, "f5", "1", "0", "enter")
        assert isinstance(app.screen, CheckoutScreen)
        assert app.basket.lines[0].qty == 10
        assert scan_error(app) == ""  # no "Unknown barcode: 10" behind the dialog


async def test_login_then_scans_at_once(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await burst(pilot, *"001", "enter", *"1111", "enter", *"6901", "enter", *"6903", "enter")
        assert isinstance(app.screen, CheckoutScreen)
        assert [line.product.barcode for line in app.basket.lines] == ["6901", "6903"]


async def test_f2_then_a_phone_tail_and_enter_attaches_the_member(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await scan(pilot, "6901")
        await burst(pilot, "f2", *"1234", "enter")
        assert isinstance(app.screen, CheckoutScreen)
        assert app.basket.member is not None and app.basket.member.card_no == "M000001"
        assert scan_error(app) == ""


async def test_f3_then_a_name_and_enter_adds_the_product(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await burst(pilot, "f3", *"notebook", "enter")
        assert isinstance(app.screen, CheckoutScreen)
        assert [line.product.barcode for line in app.basket.lines] == ["6903"]


async def test_f4_then_cash_given_and_enter_pays_with_change(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await scan(pilot, "6902")  # 12.99
        await burst(pilot, "f4", *"20", "enter")
        assert isinstance(app.screen, CheckoutScreen)
        sale = checkout.sale_by_order_no(app.last_sale.order_no)
    assert [(p.tender, p.amount, p.given) for p in sale.payments] == [("cash", 1299, 2000)]


async def test_f8_then_an_order_no_and_f9_reaches_step_2(ctx, app):
    order_no = sell(ctx, {"6901": 2}).order_no
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await burst(pilot, "f8", *order_no, "enter")
        assert isinstance(app.screen, FindOrderStep)
        lookup = app.screen.state.lookup
        assert lookup is not None and lookup.sale.order_no == order_no
        await burst(pilot, "escape", "f8", *order_no, "enter", "f9")
        assert isinstance(app.screen, ChooseLinesStep)
        assert app.screen.state.lookup.sale.order_no == order_no
