"""At 80x24, in both languages: the figure a cashier must read stays in its place (expected cash
and variance, the refund to hand over, change due), and every long view scrolls to its end by
keys shown in the footer. Read from the rendered screen, driven by keys only."""

from __future__ import annotations

from dataclasses import replace

import pytest
from textual.widgets._footer import FooterKey

from tui_pos.config import load_config
from tui_pos.i18n import set_language, tr
from tui_pos.services import shifts
from tui_pos.services.context import close_shop, open_shop
from tui_pos.store.models import ProductRow
from tui_pos.ui.app import make_app
from tui_pos.ui.screens.help import HelpScreen
from tui_pos.ui.screens.order_detail import OrderDetailScreen
from tui_pos.ui.screens.refund import PayOutStep
from tui_pos.ui.screens.refund_list import PolicyScreen, RefundDetailScreen
from tui_pos.ui.widgets.money import show_money
from tui_pos.ui.widgets.ticket_preview import TicketPreview

from conftest import seed
from ui_helpers import log_in, scan, screen_text, sell, type_text

SIZE = (80, 24)


@pytest.fixture(params=["en", "zh"])
def language(request):
    yield request.param
    set_language("en")


def till(config, language):
    app = make_app(replace(config, language=language))
    app.offer_left_over = False  # the sales were recorded through the services, never printed
    return app


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def footer_fits(app) -> list[str]:
    """Every key of the footer drawn whole inside 80x24; returns the keys it shows."""
    keys = list(app.screen.query(FooterKey))
    for key in keys:
        region = app.screen.find_widget(key).region
        assert region.right <= SIZE[0] and region.bottom <= SIZE[1] and region.height > 0, key.key
    return [key.key for key in keys]


def last_line(text: str) -> str:
    """The last printed line of a ticket that it prints once (not the cut mark, not the training
    mark that also heads it)."""
    lines = [line.strip() for line in text.splitlines() if line.strip() and "✂" not in line]
    return [line for line in lines if lines.count(line) == 1][-1]


async def page_down_until(pilot, words: str, presses: int = 8) -> bool:
    for _ in range(presses):
        if words in screen_text(pilot.app):
            return True
        await pilot.press("pagedown")
        await pilot.pause()
    return words in screen_text(pilot.app)


def drawer(expected: int) -> str:
    return tr("Expected in the drawer: {amount}", amount=show_money(expected))


async def test_x_report_keeps_expected_cash_and_scrolls_to_its_end(ctx, language):
    for code in ("6901", "6902", "6903"):
        sell(ctx, {code: 1})
    expected = shifts.report(ctx).expected_cash
    app = till(ctx.config, language)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert {"pagedown", "pageup"} <= set(footer_fits(app))
        figure = drawer(expected)
        report = app.screen.query_one(TicketPreview).text
        last, first = last_line(report), report.splitlines()[1].strip()
        assert figure in screen_text(app) and last not in screen_text(app)
        assert await page_down_until(pilot, last)
        assert figure in screen_text(app)  # never scrolled away
        await pilot.press("home")
        await pilot.pause()
        assert first in screen_text(app) and last not in screen_text(app)
        await pilot.press("end")
        await pilot.pause()
        assert last in screen_text(app) and figure in screen_text(app)


async def test_close_shows_the_variance_and_the_z_report_scrolls_to_the_signature(ctx, language):
    sell(ctx, {"6902": 2})
    expected = shifts.report(ctx).expected_cash
    app = till(ctx.config, language)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot)
        await pilot.press("ctrl+o", "f9")
        await pilot.pause()
        await type_text(pilot, "100")
        await pilot.pause()
        short = tr("Counted {counted}, variance {diff}", counted=show_money(10000), diff=show_money(10000 - expected))
        assert drawer(expected) in screen_text(app) and short in screen_text(app)
        assert {"enter", "ctrl+k", "pagedown"} <= set(footer_fits(app))  # Close shift shows while typing
        await pilot.press("backspace", "backspace", "backspace", *show_money(expected, ""), "enter")
        await settle(pilot)
        exact = tr("Counted {counted}, variance {diff}", counted=show_money(expected), diff=show_money(0))
        text = screen_text(app)
        assert drawer(expected) in text and exact in text
        assert "ctrl+k" not in footer_fits(app)  # nothing left to carry over
        signature = "_" * 30
        assert signature not in text
        assert await page_down_until(pilot, signature)  # the Z report's last line
        text = screen_text(app)
        assert drawer(expected) in text and exact in text


@pytest.fixture
def training(tmp_path):
    config = load_config(env={"TUI_POS_HOME": str(tmp_path), "HOME": str(tmp_path)}, training=True)
    context = open_shop(config)
    seed(context)
    yield context
    close_shop()


async def test_refund_keeps_the_amount_in_place_and_the_voucher_scrolls_to_the_store_copy(training, language):
    ctx = training
    order_no = sell(ctx, {"6901": 2, "6902": 1, "6903": 1}).order_no  # 7.00 + 12.99 + 5.99
    app = till(ctx.config, language)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot)
        await pilot.press("f8")
        await type_text(pilot, order_no)
        await pilot.press("enter", "f9", "f9")  # step 3: review the amount
        await pilot.pause()
        hand_over = tr("Hand over {amount} in cash", amount="￥25.98")
        assert hand_over in screen_text(app)
        footer_fits(app)
        await pilot.press("f9")  # step 4
        await pilot.pause()
        assert hand_over in screen_text(app)
        footer_fits(app)
        await pilot.press("f9")  # recorded: step 5, the voucher printed on screen
        await settle(pilot)
        assert isinstance(app.screen, PayOutStep)
        assert {"pagedown", "pageup", "end", "home", "f9"} <= set(footer_fits(app))
        text = screen_text(app)
        store_copy, signature = tr("Store copy"), tr("Customer signature:")
        assert hand_over in text and signature not in text
        assert await page_down_until(pilot, store_copy)
        assert await page_down_until(pilot, signature)
        assert hand_over in screen_text(app)
        await pilot.press("end")
        await pilot.pause()
        voucher = app.screen.query_one(TicketPreview).text
        assert last_line(voucher) in screen_text(app) and hand_over in screen_text(app)


async def test_receipt_preview_scrolls_by_footer_keys_and_change_stays(training, language):
    app = till(training.config, language)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot)
        for code in ("6901", "6902", "6903", "2*6901"):
            await scan(pilot, code)
        assert "pagedown" not in footer_fits(app)  # no preview yet, no preview keys
        await pilot.press("f4")
        await pilot.pause()
        await type_text(pilot, "50")
        await pilot.press("enter")
        await settle(pilot)
        change = show_money(5000 - app.last_sale.total)
        assert {"pagedown", "pageup"} <= set(footer_fits(app))
        receipt = app.screen.query_one(TicketPreview).text
        last = last_line(receipt)
        assert change in screen_text(app) and last not in screen_text(app)
        assert await page_down_until(pilot, last)
        assert change in screen_text(app)


async def test_help_and_policy_pages_scroll_to_their_last_words(ctx, language):
    app = till(ctx.config, language)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot)
        await scan(pilot, "6902")
        await pilot.press("f4", "f1")  # the payment dialog's help: longer than 80x24 in both languages
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert {"pagedown", "pageup", "end", "home", "down", "up"} <= set(footer_fits(app))
        note = app.screen.query_one("#help-note").content
        tail = str(note).split()[-1][-6:]  # the last words, whatever the wrap
        assert tail not in "".join(screen_text(app).split())
        await pilot.press("end")
        await pilot.pause()
        assert tail in "".join(screen_text(app).split())
        await pilot.press("escape", "escape", "f8", "f2")  # the refund policy
        await pilot.pause()
        assert isinstance(app.screen, PolicyScreen)
        assert {"pagedown", "end"} <= set(footer_fits(app))
        rules = str(app.screen.query_one("#policy").content).splitlines()
        await pilot.press("end")
        await pilot.pause()
        assert "".join(rules[-1].split())[-8:] in "".join(screen_text(app).split())


async def test_order_and_refund_detail_scroll_to_their_last_lines(ctx, language):
    for n in range(16):
        ProductRow.create(barcode=f"77{n:02d}", name=f"Item {n:02d}", category="food", price=100 + n, stock=10)
    sale = sell(ctx, {f"77{n:02d}": 1 for n in range(16)}, member="M000001")
    app = till(ctx.config, language)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot)
        await pilot.press("f2", *"1234", "f4", "enter")  # member, profile, the order
        await pilot.pause()
        assert isinstance(app.screen, OrderDetailScreen)
        assert {"pagedown", "pageup"} <= set(footer_fits(app))
        assert "Item 15" not in screen_text(app)
        assert await page_down_until(pilot, "Item 15")
        await pilot.press("escape", "escape", "escape")
        await pilot.pause()
        # refund all 16 lines: step 3 lists them under the amount, which stays
        await pilot.press("f8", *sale.order_no, "enter", "f9", "f9")
        await pilot.pause()
        hand_over = tr("Hand over {amount} in cash", amount=show_money(app.screen.state.quote.amount))
        assert "Item 15" not in screen_text(app)
        assert await page_down_until(pilot, "Item 15")
        assert hand_over in screen_text(app)
        await pilot.press("f9", "f9")
        await settle(pilot)
        refund_no = app.screen.state.result.refund_no
        await pilot.press("f9")  # handed over: back in checkout
        await settle(pilot)
        await pilot.press("f8", *refund_no, "enter")  # the refund's own page
        await pilot.pause()
        assert isinstance(app.screen, RefundDetailScreen)
        assert {"pagedown", "pageup"} <= set(footer_fits(app))
        history = str(app.screen.query_one("#detail").content).splitlines()[-1].strip()
        assert history not in screen_text(app)
        assert await page_down_until(pilot, history)


async def test_j_and_k_scroll_like_down_and_up_unless_a_box_takes_them(ctx):
    for code in ("6901", "6902", "6903"):
        sell(ctx, {code: 1})
    app = till(ctx.config, "en")
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot)
        await pilot.press("ctrl+o")  # the X report: longer than the screen
        await pilot.pause()
        report = app.screen.query_one(TicketPreview)
        assert report.scroll_y == 0
        await pilot.press("j", "j", "j")
        await pilot.pause()
        assert report.scroll_y == 3
        await pilot.press("k")
        await pilot.pause()
        assert report.scroll_y == 2
        assert "j" not in footer_fits(app) and "k" not in footer_fits(app)  # Down/Up say it
        await pilot.press("f9")  # closing: the count box has the focus and takes letters as typed
        await pilot.pause()
        await pilot.press("j", "k")
        await pilot.pause()
        assert app.screen.query_one("#counted").value == "jk"
