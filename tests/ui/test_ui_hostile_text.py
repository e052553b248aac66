"""Shop data is text, never markup (issue 17, item 1).

Product names come from suppliers' CSV files and names, notes and reasons from people typing:
`Cable [/w plug] 3m` must show as `Cable [/w plug] 3m`, not crash the till with a MarkupError
(a closing tag that closes nothing) nor turn `[red]Red[/red] cola` into a red "Red cola" or
`[new] cola` into " cola"; an escape sequence must never reach the terminal. Here every text
field of the shop holds such strings, and every screen is driven by keys at 80x24: the `app`
fixture fails any test after which the till showed an error dialog, and each step reads the
screen to find the text exactly as it was typed.
"""

from __future__ import annotations

import ast
import io
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import TypeGuard

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text
from textual.pilot import Pilot
from textual.widget import Widget

import tui_pos.ui
from tui_pos import labels
from tui_pos.config import MemberLevel
from tui_pos.devices.printer import Printer, PrinterError
from tui_pos.domain.refund import Pick
from tui_pos.domain.shift import CashCount
from tui_pos.i18n import set_language
from tui_pos.services import catalog, refunds, shifts
from tui_pos.services import staff as staff_service
from tui_pos.services.refunds import RefundDraft
from tui_pos.store.models import MemberRow, ProductRow, StaffRow
from tui_pos.ui.app import PosApp, make_app
from tui_pos.ui.screens.checkout import CheckoutScreen
from tui_pos.ui.screens.error import ErrorScreen, describe
from tui_pos.ui.screens.login import LoginScreen
from tui_pos.ui.widgets.plain import plain, visible
from tui_pos.ui.widgets.text_table import literal

from ui_helpers import log_in, scan, sell, type_text

STORE = "[b]好邻居[/] {name} %s"
STAFF = {"001": "[/b]Li {name}", "002": "[red]Zhao[/red] %s", "003": "[new]Wang $var"}
# barcode: name, English name, category; each name fits the basket's item column at 80x24
# (with the English UI a product goes by its English name where it has one: `named`)
CABLE, RED = "Cable [/w plug]", "[red]Red[/red]"
PRODUCTS = {
    "7001": (CABLE, "", "[/cat]"),
    "7002": (RED, "", "[b]drinks"),
    "7003": ("[new] cola", "{name} cola %s", "【促销】"),
    "7004": ("【促销】[/]\x1b[31m", "[link=x]Tea $var", "[i]{0}\x1b[31m"),
}
MEMBER = "[/b]张[b]三"  # the seeded member M000001, phone 13800001234
LEVELS = (
    MemberLevel("regular", "[dim]普通 {x}", 0),
    MemberLevel("silver", "[/]银卡", 200),
    MemberLevel("gold", "[/gold]金卡 %s", 500),
)
NOTE = "box [/b] torn {name}"
PAID_OUT = "[/]milk $var"
REFERENCE = "[/ref] %s"
NEW_MEMBER = "{name}[/]新"
ESCAPE = "\x1b"


def shown(text: str) -> str:
    """What a screen may show of `text`: every character but the ones a terminal obeys."""
    return text.replace(ESCAPE, "")


def named(barcode: str) -> str:
    """A product as the till names it in the language it runs in."""
    name, name_en, _ = PRODUCTS[barcode]
    return labels.product(name, name_en, barcode)


def screen_text(app: PosApp) -> str:
    """The current screen as the cashier sees it: its drawn lines, joined."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def assert_shows(app: PosApp, *texts: str) -> str:
    """Each text is on screen exactly as typed, and no escape character reached the screen."""
    screen = screen_text(app)
    assert ESCAPE not in screen
    for text in texts:
        assert shown(text) in screen, f"{text!r} is not on screen:\n{screen}"
    return screen


def run(app: PosApp):
    """The till at its design size, with its notices (a test run leaves them out by default)."""
    return app.run_test(size=(80, 24), notifications=True)


async def settle(pilot: Pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def seed_hostile_shop() -> None:
    for code, name in STAFF.items():
        StaffRow.update(name=name).where(StaffRow.code == code).execute()
    for barcode, (name, name_en, category) in PRODUCTS.items():
        ProductRow.create(barcode=barcode, name=name, name_en=name_en, category=category, price=500, stock=50)
    MemberRow.update(name=MEMBER).where(MemberRow.card_no == "M000001").execute()


@pytest.fixture(params=["en", "zh"])
def language(request) -> Iterator[str]:
    yield request.param
    set_language("en")


@pytest.fixture
def shop(ctx):
    seed_hostile_shop()
    return ctx


@pytest.fixture
def app(shop, printer) -> Iterator[PosApp]:
    """The till of a shop whose every name is markup-like; like ui_helpers' `app`, it fails a
    test after which the till caught a bug and showed it."""
    config = replace(shop.config, language="en", store_name=STORE, member_levels=LEVELS)
    till = make_app(config, printer=printer)
    till.offer_left_over = False
    yield till
    assert not till.unexpected, till.unexpected


def manager(ctx):
    return staff_service.login(ctx, "003", "3333")


def hostile_sale(ctx, **kwargs):
    return sell(ctx, {"7001": 1, "7002": 2, "7003": 1, "7004": 1}, **kwargs)


def refund_everything_once(ctx, order_no: str) -> str:
    """One of each line back, for the reason 'other' with NOTE, confirmed by the manager."""
    lookup = refunds.find_order(ctx, order_no)
    picks = tuple(Pick(line_id, 1, "restock") for line_id in lookup.history)
    return refunds.confirm(ctx, manager(ctx), RefundDraft(lookup.sale.id, picks, "other", NOTE)).refund_no


# -- checkout, member, search, pay -----------------------------------------------------------


async def test_checkout_member_search_and_pay(app, language):
    app.config = replace(app.config, language=language)
    async with run(app) as pilot:
        await log_in(pilot)
        assert isinstance(app.screen, CheckoutScreen)
        assert_shows(app, STORE, STAFF["001"])  # the title bar
        for barcode in PRODUCTS:
            await scan(pilot, barcode)
        assert_shows(app, *(named(barcode) for barcode in PRODUCTS))

        await pilot.press("up")  # the line before the last: [new] cola
        await pilot.press("f5")
        await pilot.pause()
        assert_shows(app, named("7003"))  # "Quantity for [new] cola"
        await pilot.press("backspace")
        await type_text(pilot, "2")
        await pilot.press("enter")
        await pilot.pause()
        assert app.basket.lines[2].qty == 2
        await pilot.press("f6")
        await pilot.pause()
        assert_shows(app, named("7003") + " x 2")  # "Line voided: [new] cola x 2"
        await scan(pilot, "7003")

        await pilot.press("f1")  # help over the checkout
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")

        # F2: find the member by the last four digits of the phone, open the profile, come back
        await pilot.press("f2")
        await pilot.pause()
        await type_text(pilot, "1234")
        await pilot.pause()
        assert_shows(app, MEMBER, LEVELS[2].name)
        await pilot.press("f4")
        await pilot.pause()
        assert_shows(app, MEMBER, LEVELS[2].name)
        await pilot.press("escape")
        await pilot.pause()

        # F3 there: a new member, named like markup, at a level named like markup
        await pilot.press("f3")
        await pilot.pause()
        assert_shows(app, LEVELS[0].name)
        await type_text(pilot, "13912345678")
        await pilot.press("tab")
        await type_text(pilot, NEW_MEMBER)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert_shows(app, NEW_MEMBER, LEVELS[0].name)
        await pilot.press("enter")  # attach the new member
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen)
        assert_shows(app, NEW_MEMBER, LEVELS[0].name)  # the member panel

        # F3: product search by name, and a search that echoes what was typed
        await pilot.press("f3")
        await pilot.pause()
        await type_text(pilot, "[")
        await pilot.pause()
        assert_shows(app, CABLE, RED, named("7003"), named("7004"))
        await pilot.press("backspace")
        await type_text(pilot, "[/zz]")
        await pilot.pause()
        assert_shows(app, "[/zz]")
        await pilot.press("escape")
        await pilot.pause()

        # F4: part by card with a reference, the rest in cash
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press("k")
        await pilot.press("ctrl+a")
        await type_text(pilot, "1")
        await pilot.press("tab")
        await type_text(pilot, REFERENCE)
        await pilot.press("enter")
        await pilot.pause()
        assert_shows(app, REFERENCE)  # the tenders taken so far
        await pilot.press("c")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CheckoutScreen) and app.last_sale is not None
        assert_shows(app, STORE, STAFF["001"])


# -- printing: the queue, its preview, an error worded like markup -----------------------------


class JammedPrinter(Printer):
    def send(self, data: bytes) -> None:
        raise PrinterError("Printer [/paper] jammed [b]{x}")


async def test_print_queue_and_ticket_preview(app):
    app.printer = JammedPrinter()
    async with run(app) as pilot:
        await log_in(pilot)
        await scan(pilot, "7001")
        await scan(pilot, "7002")
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert_shows(app, "[/paper] jammed [b]{x}")  # the status line
        await pilot.press("ctrl+p")
        await settle(pilot)
        preview = app.screen.query_one("#job-preview").text
        # the ticket as it will print, its heading in double width over two lines
        assert "[b]好邻居[/]" in preview and "{name} %s" in preview and CABLE in preview
        assert_shows(app, "[b]好邻居[/]", CABLE, "[/paper] jammed")  # preview and the error column
        await pilot.press("enter")  # still jammed
        await settle(pilot)
        assert_shows(app, "[/paper] jammed [b]{x}")
        await pilot.press("escape")
        await pilot.pause()


# -- the refund wizard, the refund list and one refund -----------------------------------------


async def test_refund_wizard_with_a_receipt(shop, app, language):
    order_no = hostile_sale(shop, member="M000001").order_no
    app.config = replace(app.config, language=language)
    async with run(app) as pilot:
        await log_in(pilot, "003", "3333")
        await pilot.press("f8")
        await pilot.pause()
        # step 1 by the member's phone: their orders, then the order itself
        await type_text(pilot, "13800001234")
        await pilot.press("enter")
        await pilot.pause()
        assert_shows(app, MEMBER)  # "Orders of [/b]张[b]三"
        await pilot.press("enter")
        await pilot.pause()
        assert_shows(app, MEMBER, order_no, CABLE, RED, named("7003"), named("7004"))

        await pilot.press("f9")  # step 2
        await pilot.pause()
        assert_shows(app, CABLE, RED, named("7003"), named("7004"))
        for _ in range(5):  # quality -> ... -> other, which needs a note
            await pilot.press("r")
        await pilot.press("n")
        await type_text(pilot, NOTE)
        await pilot.press("enter")
        await pilot.pause()
        assert_shows(app, NOTE)
        await pilot.press("f9")  # step 3
        await pilot.pause()
        assert_shows(app, CABLE, RED, named("7003"), named("7004"))
        await pilot.press("f9")  # step 4
        await pilot.pause()
        assert_shows(app, NOTE, order_no)
        await pilot.press("f9")  # recorded; step 5
        await settle(pilot)
        refund_no = app.screen.state.result.refund_no
        assert_shows(app, refund_no)
        await pilot.press("escape")  # pay out later
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen)

        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("f4")  # the refund list
        await pilot.pause()
        assert_shows(app, refund_no, order_no)
        await pilot.press("tab")
        await pilot.press("enter")  # the refund itself
        await pilot.pause()
        assert_shows(app, refund_no, NOTE, STAFF["003"], CABLE, RED, named("7003"))
        await pilot.press("f9")  # handed over and signed
        await pilot.pause()
        assert_shows(app, NOTE)
        await pilot.press("escape", "escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen)


async def test_refund_without_a_receipt(app):
    async with run(app) as pilot:
        await log_in(pilot)
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("f7")
        await pilot.pause()
        await scan(pilot, "7002")
        await scan(pilot, "7004")
        assert_shows(app, RED, named("7004"))
        await pilot.press("tab")
        await type_text(pilot, "1234")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("f9")
        await pilot.pause()
        assert_shows(app, RED, named("7004"))
        await pilot.press("escape", "escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen)


def park_no_receipt_refund(ctx) -> str:
    product = catalog.product_for_scan("7001")
    draft = RefundDraft(None, (Pick(product.id, 1, "restock"),), "other", NOTE)
    return refunds.park(ctx, staff_service.login(ctx, "001", "1111"), draft).refund_no


async def test_rejecting_a_parked_refund(shop, app):
    refund_no = park_no_receipt_refund(shop)
    async with run(app) as pilot:
        await log_in(pilot, "003", "3333")
        await pilot.press("f8")
        await pilot.pause()
        await type_text(pilot, refund_no)  # a refund no. opens that refund
        await pilot.press("enter")
        await pilot.pause()
        assert_shows(app, refund_no, NOTE, STAFF["001"], CABLE)
        await pilot.press("f6")
        await type_text(pilot, "[/b] fake {receipt}")
        await pilot.press("enter")
        await pilot.pause()
        assert_shows(app, "[/b] fake {receipt}", NOTE)
        await pilot.press("escape", "escape")
        await pilot.pause()


# -- order detail and the member's history -------------------------------------------------------


async def test_member_profile_and_order_detail(shop, app):
    order_no = hostile_sale(shop, member="M000001", ago=timedelta(hours=2)).order_no
    refund_everything_once(shop, order_no)
    async with run(app) as pilot:
        await log_in(pilot)
        await pilot.press("f2")
        await pilot.pause()
        await type_text(pilot, "1234")
        await pilot.pause()
        await pilot.press("f4")
        await pilot.pause()
        assert_shows(app, MEMBER, order_no)
        await pilot.press("enter")  # the order
        await pilot.pause()
        assert_shows(app, order_no, MEMBER, STAFF["001"], CABLE, RED, named("7003"))
        await pilot.press("tab")
        await pilot.press("enter")  # the refund made from it
        await pilot.pause()
        assert_shows(app, NOTE, STAFF["003"])
        await pilot.press("escape", "escape", "escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen)


# -- the shift: X report, cash in and out, the day, refund reports, close with a Z report ---------


async def test_shift_reports_and_close(shop, app):
    order_no = hostile_sale(shop, member="M000001", ago=timedelta(hours=1)).order_no
    refund_everything_once(shop, order_no)
    async with run(app) as pilot:
        await log_in(pilot, "003", "3333")
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert_shows(app, STORE)  # the X report's heading
        await pilot.press("f7")  # paid out, for a reason worded like markup
        await pilot.pause()
        await type_text(pilot, "5")
        await pilot.press("enter")
        await type_text(pilot, PAID_OUT)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("f6")  # paid in
        await pilot.pause()
        await type_text(pilot, "5")
        await pilot.press("enter")
        await type_text(pilot, PAID_OUT)
        await pilot.press("enter")
        await pilot.pause()

        await pilot.press("f3")  # day summary
        await pilot.pause()
        assert_shows(app, "01")
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("f4")  # refund reports, every view
        await pilot.pause()
        seen = ""
        for _ in range(10):
            seen += assert_shows(app)
            await pilot.press("f6")
            await pilot.pause()
        for text in (CABLE, RED, "[/cat]", "[b]drinks", MEMBER, STAFF["003"]):
            assert text in seen, text
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("f9")  # close: 500 float + the sale - the refund +/- 5
        await pilot.pause()
        await type_text(pilot, "1")
        await pilot.press("tab")
        await type_text(pilot, NOTE)
        await pilot.press("enter")
        await settle(pilot)
        assert_shows(app, STORE)  # the Z report
        assert shifts.current(app.ctx) is None
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)


async def test_open_shift_and_log_in_screens(shop, app):
    shifts.close_shift(shop, manager(shop), CashCount(50000))
    async with run(app) as pilot:
        assert_shows(app, STORE)
        await log_in(pilot, "002", "2222")
        # the staff name is in the title bar only: as it is, or (the tickets waiting to print need
        # the room at 80 columns) its start as it is, ending in '…'
        assert_shows(app, STORE, "002 [red]Zhao")  # open the shift first
        assert STAFF["002"] in app.sub_title
        await type_text(pilot, "500")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen)
        assert_shows(app, STORE, "002 [red]Zhao")


# -- the error dialog ----------------------------------------------------------------------------


class Unprintable(Exception):
    def __str__(self) -> str:
        raise ValueError("no words for this")


def raising(exc: BaseException):
    def boom(*args, **kwargs):
        raise exc

    return boom


async def see_error_then_continue(pilot: Pilot, app: PosApp, *texts: str) -> None:
    await pilot.pause()
    assert isinstance(app.screen, ErrorScreen), app.screen
    assert app.screen.query_one("#error-summary").parent is app.screen.query_one("#confirm-dialog")
    assert_shows(app, *texts)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, CheckoutScreen)
    assert len(app.unexpected) == 1, app.unexpected
    app.unexpected.clear()  # seen on purpose


@pytest.mark.parametrize(
    ("exc", "texts"),
    [
        (
            RuntimeError("closing tag '[/w plug]' [b]{name} %s"),
            ["Details: closing tag '[/w plug]' [b]{name}"],
        ),
        (RuntimeError("red \x1b[31mRED\x1b[0m [/]"), ["Details: red [31mRED[0m [/]"]),
        (Unprintable(), ["The till hit a fault it did not expect."]),  # no words of its own
    ],
)
async def test_error_dialog_shows_any_error_as_text(app, monkeypatch, exc, texts):
    async with run(app) as pilot:
        await log_in(pilot)
        await scan(pilot, "7001")
        monkeypatch.setattr(CheckoutScreen, "action_pay", raising(exc))
        await pilot.press("f4")
        await see_error_then_continue(pilot, app, *texts)
        assert [line.product.barcode for line in app.basket.lines] == ["7001"]


class Broken(Widget):
    """Fails every time it is drawn, as a table cell with bad markup did."""

    def render(self) -> Text:
        raise RuntimeError("cannot draw [/w plug]")


async def test_a_screen_that_cannot_be_drawn_gives_one_dialog_then_a_fresh_checkout(app):
    async with run(app) as pilot:
        await log_in(pilot)
        await scan(pilot, "7001")
        await app.screen.mount(Broken())
        await pilot.pause()
        await pilot.pause()
        assert sum(isinstance(screen, ErrorScreen) for screen in app.screen_stack) == 1
        assert isinstance(app.screen, ErrorScreen)
        assert_shows(app, "Details: cannot draw [/w plug]")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen) and not app.screen.query(Broken)
        assert [line.product.barcode for line in app.basket.lines] == ["7001"]
        app.unexpected.clear()
        await scan(pilot, "7002")
        assert len(app.basket.lines) == 2
        assert_shows(app, CABLE, RED)


async def test_when_the_error_dialog_itself_fails_the_till_carries_on(app, monkeypatch):
    async with run(app) as pilot:
        await log_in(pilot)
        await scan(pilot, "7001")
        monkeypatch.setattr(ErrorScreen, "dialog", raising(RuntimeError("the dialog [/b] broke")))
        monkeypatch.setattr(CheckoutScreen, "action_pay", raising(RuntimeError("first [/w plug]")))
        await pilot.press("f4")
        await pilot.pause()
        await pilot.pause()
        assert app.is_running
        assert not any(isinstance(screen, ErrorScreen) for screen in app.screen_stack)
        assert isinstance(app.screen, CheckoutScreen)
        assert any("first [/w plug]" in fault for fault in app.unexpected)
        assert_shows(app, "first [/w plug]")  # said in a notice instead
        monkeypatch.undo()
        app.unexpected.clear()
        await scan(pilot, "7002")  # the same basket, still selling
        assert [line.product.barcode for line in app.basket.lines] == ["7001", "7002"]
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert app.last_sale is not None and not app.basket.lines


async def test_an_error_dialog_that_cannot_be_built_is_a_notice(app, monkeypatch):
    async with run(app) as pilot:
        await log_in(pilot)
        await scan(pilot, "7001")
        monkeypatch.setattr(ErrorScreen, "__init__", raising(RuntimeError("no dialog")))
        monkeypatch.setattr(CheckoutScreen, "action_pay", raising(RuntimeError("second [/w plug]")))
        await pilot.press("f4")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, CheckoutScreen)
        assert_shows(app, "second [/w plug]")
        monkeypatch.undo()
        app.unexpected.clear()
        await scan(pilot, "7002")
        assert len(app.basket.lines) == 2


# -- the command line ----------------------------------------------------------------------------


def test_cli_report_prints_names_as_they_are(shop, monkeypatch, capsys):
    from tui_pos.cli import main

    order_no = hostile_sale(shop, member="M000001", ago=timedelta(hours=1)).order_no
    refund_everything_once(shop, order_no)
    monkeypatch.setenv("TUI_POS_HOME", str(shop.config.data_dir))
    monkeypatch.setenv("TUI_POS_LANGUAGE", "en")
    out = ""
    for by in ("product", "category", "member", "cashier"):
        assert main(["report", "refunds", "--staff", "003", "--pin", "3333", "--by", by]) == 0
        out += capsys.readouterr().out
    monkeypatch.setenv("TUI_POS_STORE_NAME", STORE + ESCAPE + "[31m")
    assert main(["report", "shift", "--staff", "003", "--pin", "3333"]) == 0  # the X report, as printed
    out += capsys.readouterr().out
    for text in (CABLE, RED, "[/cat]", "[b]drinks", MEMBER, STAFF["003"], "[b]好邻居[/]", "{name} %s[31m"):
        assert text in out, text
    assert ESCAPE not in out


# -- any text, generated ------------------------------------------------------------------------

PIECES = [
    "[",
    "]",
    "/",
    "[/]",
    "[b]",
    "[/b]",
    "[red]",
    "[link=x]",
    "[@click=quit]",
    "\\",
    "\x1b",
    "\x1b[31m",
    "\n",
    "\t",
    "\x00",
    "\u202e",
    "{name}",
    "%s",
    "$var",
    "【",
    "】",
    "促销",
    "a",
    " ",
    "=",
    "#",
]
MARKUP_LIKE = st.lists(st.sampled_from(PIECES), max_size=12).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=MARKUP_LIKE)
def test_any_text_reads_as_it_is(text: str):
    """What `Plain`, `TextTable`, `say` and the error dialog show of a string is that string, less
    the characters a terminal would obey; and saying it never raises."""
    console = Console(width=500, color_system=None, file=io.StringIO(), legacy_windows=False)
    console.print(plain(text), end="", soft_wrap=True)
    assert console.file.getvalue() == visible(text)
    assert ESCAPE not in visible(text) and "\x00" not in visible(text)
    cell = literal(text)
    assert isinstance(cell, Text) and cell.plain == visible(text)
    assert visible(text.replace("\n", " ")) in describe(RuntimeError(text)) or len(text) > 250


# -- the rule, kept ------------------------------------------------------------------------------

MARKUP_TAG = re.compile(r"\[/?(b|bold|i|italic|u|underline|reverse|dim|red|green|yellow|blue|link)\b[^\]]*\]")


def is_text(node: ast.AST) -> TypeGuard[ast.Constant]:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def test_screens_show_text_through_plain_widgets():
    """A bare Static or DataTable reads its strings as markup: the till's screens build `Plain`
    and `TextTable` (tui_pos/ui/widgets) instead, and write no markup of their own."""
    ui = Path(tui_pos.ui.__file__).parent
    found = []
    for path in sorted(ui.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        for node in ast.walk(tree):
            where = f"{path.relative_to(ui)}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.Call):
                called = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
                if called in ("Static", "DataTable"):
                    found.append(f"{where} builds a {called}")
            elif is_text(node) and id(node) not in docstrings and MARKUP_TAG.search(node.value):
                found.append(f"{where} writes markup {node.value!r}")
    assert not found, found
