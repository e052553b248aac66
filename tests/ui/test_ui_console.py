"""The till on the bare Linux console (TERM=linux): English, names in their English form (or
their code), CNY for ￥, and nothing on any main screen that the console's font cannot draw
(it has ASCII, Latin-1 and the box lines of code page 437)."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
import textual.constants
from rich.console import Console

from tui_pos.i18n import console, language, resolve_console
from tui_pos.labels import drawable
from tui_pos.services import refunds, staff
from tui_pos.store.models import MemberRow, ProductRow, StaffRow
from tui_pos.ui.app import make_app
from tui_pos.ui.screens.checkout import CheckoutScreen
from tui_pos.ui.screens.help import HelpScreen
from tui_pos.ui.screens.member_profile import MemberProfileScreen
from tui_pos.ui.screens.members import MembersScreen
from tui_pos.ui.screens.pay import PayScreen
from tui_pos.ui.screens.print_queue import PrintQueueScreen
from tui_pos.ui.screens.product_search import ProductSearchScreen
from tui_pos.ui.screens.quantity import QuantityScreen
from tui_pos.ui.screens.refund import (
    ChooseLinesStep,
    ConfirmStep,
    FindOrderStep,
    NoReceiptStep,
    PayOutStep,
    ReviewStep,
)
from tui_pos.ui.screens.refund_list import RefundDetailScreen, RefundListScreen
from tui_pos.ui.screens.reports import DaySummaryScreen, RefundReportScreen
from tui_pos.ui.screens.shift import CashMoveScreen, CloseShiftScreen, ShiftScreen

from ui_helpers import log_in, scan, sell, strip_escpos, type_text


def screen_text(app) -> str:
    """What the cashier sees: the current screen over the ones under it, as plain text."""
    width, height = app.size
    out = Console(width=width, height=height, file=io.StringIO(), record=True, color_system=None)
    out.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return out.export_text()


class Screens:
    """Every screen visited; each must be drawable by the console's font."""

    def __init__(self, app) -> None:
        self.app = app
        self.texts: dict[str, str] = {}
        self.undrawable: dict[str, str] = {}

    def look(self, where: str) -> str:
        text = screen_text(self.app)
        self.texts[where] = text
        bad = sorted({ch for ch in text if not drawable(ch)})
        if bad:
            self.undrawable[f"{where} ({type(self.app.screen).__name__})"] = "".join(bad)
        return text


@pytest.fixture
def linux_console(monkeypatch):
    """What a till started on the Linux console gets: TERM=linux and 16 colours."""
    monkeypatch.setenv("TERM", "linux")
    monkeypatch.setattr(textual.constants, "COLOR_SYSTEM", "standard")


@pytest.fixture
def shop(ctx):
    """Chinese names, some with an English form: the store, staff 001, product 6901."""
    ProductRow.update(name_en="Coca-Cola 330ml").where(ProductRow.barcode == "6901").execute()
    StaffRow.update(name="收银员 小李", name_en="Xiao Li").where(StaffRow.code == "001").execute()
    StaffRow.update(name="值班主管 老赵").where(StaffRow.code == "002").execute()  # no English name
    MemberRow.update(balance=100000).execute()
    return replace(ctx.config, store_name="好邻居便利店", store_name_en="Good Neighbour Store", console_safe="auto")


def test_console_mode_is_where_the_linux_console_is():
    assert resolve_console("auto", {"TERM": "linux"}) is True
    assert resolve_console("auto", {"TERM": "xterm-256color"}) is False
    assert resolve_console("true", {"TERM": "xterm-256color"}) is True
    assert resolve_console("false", {"TERM": "linux"}) is False


async def test_every_main_screen_draws_on_the_linux_console(ctx, shop, printer, linux_console):
    sold = sell(ctx, {"6901": 2, "6902": 1}, member="M000001")
    app = make_app(replace(shop, language="auto"), printer=printer)
    app.offer_left_over = False
    seen = Screens(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert console() and language() == "en"
        login = seen.look("login")
        assert "Good Neighbour Store" in login and "好邻居" not in login
        await log_in(pilot, "001", "1111")
        for code in ("6901", "6902", "6903"):
            await scan(pilot, code)
        text = seen.look("checkout")
        assert "Coca-Cola 330ml" in text  # its English name
        assert "6902" in text  # no English name: its barcode
        assert "001 Xiao Li" in text  # the staff member's English name in the title bar
        assert "CNY " in text and "￥" not in text
        await pilot.press("f2")
        await type_text(pilot, "M000001")
        await pilot.pause()
        assert isinstance(app.screen, MembersScreen)
        seen.look("members")
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, MemberProfileScreen)
        seen.look("member profile")
        await pilot.press("escape")
        await pilot.press("enter")
        await pilot.pause()
        seen.look("checkout with a member")
        await pilot.press("f3")
        await type_text(pilot, "69")
        await pilot.pause()
        assert isinstance(app.screen, ProductSearchScreen)
        seen.look("product search")
        await pilot.press("escape")
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, QuantityScreen)
        seen.look("quantity")
        await pilot.press("escape")
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, PayScreen)
        for key in "ckv":
            await pilot.press(key)
            await pilot.pause()
            seen.look(f"pay {key}")
        await pilot.press("c")
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen)
        seen.look("sale done, training preview")

        # the refund wizard, every step, on the order sold before
        await pilot.press("f8")
        await type_text(pilot, sold.order_no)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FindOrderStep)
        assert "Coca-Cola 330ml" in seen.look("refund 1")
        await pilot.press("f2")
        await pilot.pause()
        seen.look("refund policy")
        await pilot.press("escape")
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, ChooseLinesStep)
        seen.look("refund 2")
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, ReviewStep)
        seen.look("refund 3")
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmStep)
        seen.look("refund 4")
        await pilot.press("f9")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, PayOutStep)
        seen.look("refund 5, voucher preview")
        await pilot.press("f9")
        await pilot.pause()

        # the refund list and a refund's detail
        await pilot.press("f8")
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, RefundListScreen)
        seen.look("refund list")
        await pilot.press("tab")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RefundDetailScreen)
        detail = seen.look("refund detail")
        assert "001 Xiao Li" in detail and "Coca-Cola 330ml" in detail
        await pilot.press("escape", "escape")  # back to step 1
        await pilot.pause()
        await pilot.press("f7")  # no receipt
        await scan(pilot, "6902")
        assert isinstance(app.screen, NoReceiptStep)
        assert "6902" in seen.look("no receipt")
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen)

        # the shift: X report, paid in, day summary, refund reports, close with the Z report
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, ShiftScreen)
        seen.look("X report")
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, CashMoveScreen)
        seen.look("paid in")
        await pilot.press("escape")
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, DaySummaryScreen)
        seen.look("day summary")
        await pilot.press("escape")
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, CloseShiftScreen)
        await type_text(pilot, "500")
        await pilot.pause()
        seen.look("close shift")
        await pilot.press("escape")
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, PrintQueueScreen)
        seen.look("print queue")
        await pilot.press("escape")
        await pilot.press("f10")  # a manager for the owner's reports
        await pilot.pause()
        await log_in(pilot, "003", "3333")
        await pilot.press("ctrl+o")
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, RefundReportScreen)
        for view in range(10):
            seen.look(f"refund reports {view}")
            await pilot.press("f6")
            await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        seen.look("help")

    assert not seen.undrawable, "\n".join(f"{where}: {chars!r}" for where, chars in seen.undrawable.items())


async def test_names_in_english_on_paper_and_in_reports(ctx, shop, printer, linux_console):
    """The console's tickets are laid out as its screen shows them: English names, CNY."""
    ProductRow.update(name_en="Wholemeal bread").where(ProductRow.barcode == "6902").execute()
    app = make_app(replace(shop, language="auto"), printer=printer)
    app.offer_left_over = False
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "002", "2222")
        await scan(pilot, "6902")
        await pilot.press("f4")
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = screen_text(app)
        assert "002" in text and "老赵" not in text  # no English name: the staff code alone
    paper = strip_escpos(printer.output).decode("gbk")
    assert "Wholemeal bread" in paper and "CNY12.99" in paper and "Good Neighbour" in paper, paper
    assert "￥" not in paper and "全麦面包" not in paper and "好邻居" not in paper
    assert "002" in paper and "老赵" not in paper


async def test_a_chinese_terminal_is_unchanged(ctx, shop, printer):
    """Not on the console: the zh UI shows the shop's own names and ￥."""
    app = make_app(replace(shop, language="zh", console_safe="auto"), printer=printer)
    app.offer_left_over = False
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "001", "1111")
        await scan(pilot, "6901")
        text = screen_text(app)
        assert not console()
        assert "好邻居便利店" in text and "可口可乐 330ml" in text and "收银员 小李" in text and "￥" in text


def test_a_staff_member_gets_an_english_name(ctx, manager):
    created = staff.create_staff(ctx, manager, "004", "新人 小周", manager.role, "4444", name_en="Xiao Zhou")
    assert created.name_en == "Xiao Zhou"
    assert staff.login(ctx, "004", "4444").name_en == "Xiao Zhou"


def test_a_refund_detail_names_staff_and_products_in_english(ctx, shop, cashier):
    sold = sell(ctx, {"6901": 1})
    lookup = refunds.load_order(ctx, sold.sale_id)
    assert [h.name_en for h in lookup.history.values()] == ["Coca-Cola 330ml"]
    assert lookup.sale.staff_name_en == "Xiao Li" and lookup.sale.lines[0].name_en == "Coca-Cola 330ml"


async def test_quit_dialog_and_new_member_form_on_the_console(ctx, shop, printer, linux_console):
    """The quit question reads its amounts as every screen does (CNY); the member form's boxes
    each show as a coloured line, the one being typed in another colour, its level arrow drawable;
    the title bar and key bar stand out from the screen in 16 colours."""
    from tui_pos.ui.screens.member_form import MemberFormScreen
    from tui_pos.ui.screens.quit import QuitScreen

    app = make_app(replace(shop, language="auto"), printer=printer)
    app.offer_left_over = False
    seen = Screens(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "001", "1111")
        await scan(pilot, "6901")
        till = app.screen
        header, footer = till.query_one("Header"), till.query_one("KeyFooter")
        assert till.styles.background not in (header.styles.background, footer.query_one("FooterKey").styles.background)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, QuitScreen)
        text = seen.look("quit")
        assert "total CNY 3.50" in text and "￥" not in text
        await pilot.press("escape")
        await pilot.press("f2")
        await type_text(pilot, "13912345678")
        await pilot.press("f3")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, MemberFormScreen)
        text = seen.look("new member form")
        level = next(line for line in text.splitlines() if "Regular" in line)
        assert level.split("Regular")[1].split()[0] == "v"  # the select's arrow, drawable
        dialog = form.query_one("#form-dialog").styles.background
        phone, name, card = (form.query_one(f"#form-{f}") for f in ("phone", "name", "card"))
        assert form.focused is phone
        assert all(box.region.height == 1 for box in (phone, name, card))  # a line each, not a border's top
        assert name.styles.background not in (dialog, app.screen.styles.background)  # visible unfocused
        assert phone.styles.background != name.styles.background  # the focused one stands out
    assert not seen.undrawable, seen.undrawable
