"""What the checkout shows adds up, read off the screen at 80x24: every basket row is
qty x price - discount = amount, the amounts sum to the total, the discounts to "saved", and
during an exchange the credit and what is due or given back are there before F4."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from rich.console import Console

from tui_pos.i18n import set_language, tr
from tui_pos.store.models import ProductRow
from tui_pos.ui.app import make_app
from tui_pos.ui.screens.checkout import CheckoutScreen
from tui_pos.ui.widgets.basket_table import BasketTable
from tui_pos.ui.widgets.totals import TotalsPanel

from ui_helpers import log_in, scan, sell, type_text

ROW = re.compile(r"^\s*(\d+)\s+(.+?)\s+(\d+)\s+(\d+\.\d\d)\s+(-\d+\.\d\d)?\s+(\d+\.\d\d)\s*$")


def rendered(widget) -> list[str]:
    return [strip.text for strip in widget.render_lines(widget.region.reset_offset)]


def cents(text: str | None) -> int:
    if not text:
        return 0
    sign = -1 if text.startswith("-") else 1
    whole, fen = text.lstrip("-￥").split(".")
    return sign * (int(whole) * 100 + int(fen))


def basket_rows(app) -> list[tuple[str, int, int, int, int]]:
    """(item, qty, price, discount, amount) of every row as the table draws it."""
    lines = rendered(app.screen.query_one(BasketTable))
    rows = [m.groups() for line in lines[1:] if (m := ROW.match(line))]
    assert len(rows) == len(app.basket.lines), lines
    return [(item, int(qty), cents(price), -cents(disc), cents(amount)) for _, item, qty, price, disc, amount in rows]


def panel(app) -> dict[str, int]:
    """The totals panel, label -> figure."""
    out = {}
    for line in rendered(app.screen.query_one(TotalsPanel)):
        match = re.match(r"^│ (.+?)\s+(-?￥?\d+(?:\.\d\d)?) │$", line)
        if match:
            label, figure = match.groups()
            out[label] = cents(figure) if "." in figure else int(figure)
    return out


def check_adds_up(app) -> dict[str, int]:
    rows = basket_rows(app)
    for item, qty, price, discount, amount in rows:
        assert qty * price - discount == amount, item
    shown = panel(app)
    assert shown[tr("Items")] == sum(row[1] for row in rows)
    assert shown[tr("Total")] == sum(row[4] for row in rows)
    assert shown[tr("Saved")] == sum(row[3] for row in rows)
    return shown


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_a_gold_members_lines_add_up_to_the_totals(ctx, language):
    set_language(language)
    app = make_app(replace(ctx.config, language=language))
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        for code in ("6901", "6901", "6902"):
            await scan(pilot, code)
        await pilot.press("f2")
        await pilot.pause()
        await type_text(pilot, "1234")
        await pilot.pause()
        await pilot.press("enter")  # gold: member prices and 5 % off the sale
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen) and app.basket.level_discount_bp == 500
        shown = check_adds_up(app)
        # 2 x 3.50 - 1.30 (member price 0.50 x 2 and 0.30 of the 5 %) = 5.70; 12.99 - 0.65 = 12.34
        assert [row[1:] for row in basket_rows(app)] == [(2, 350, 130, 570), (1, 1299, 65, 1234)]
        assert (shown[tr("Saved")], shown[tr("Total")], shown[tr("Total due")]) == (195, 1804, 1804)
        assert tr("Exchange credit") not in shown

        await scan(pilot, "3*6903")  # the 5 % is spread again over every line, to the fen
        shown = check_adds_up(app)
        assert shown[tr("Total due")] == shown[tr("Total")] == app.basket.totals().total
        await pilot.press("up", "f6")  # void the bread
        await pilot.pause()
        check_adds_up(app)
        await pilot.press("f5")
        await pilot.pause()
        await pilot.press("backspace")
        await type_text(pilot, "7")
        await pilot.press("enter")
        await pilot.pause()
        shown = check_adds_up(app)
        assert [(ln.product.barcode, ln.qty) for ln in app.basket.lines] == [("6901", 2), ("6903", 7)]
        assert shown[tr("Items")] == 9
        assert shown[tr("Total due")] == shown[tr("Total")] == app.basket.totals().total
    set_language("en")


async def test_an_exchange_shows_its_credit_before_pay(ctx, app):
    order_no = sell(ctx, {"6902": 1}).order_no  # 12.99 comes back as credit
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("f8")
        await pilot.pause()
        await type_text(pilot, order_no)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("f9", "f9")  # all lines, review
        await pilot.pause()
        await pilot.press("f7")  # an exchange instead of money back
        await pilot.pause()
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen)
        shown = check_adds_up(app)
        assert shown == {"Items": 0, "Saved": 0, "Total": 0, "Exchange credit": -1299, "Give back": 1299}

        await scan(pilot, "6903")  # 5.99 of new goods: 7.00 goes back
        shown = check_adds_up(app)
        assert (shown["Total"], shown["Exchange credit"], shown["Give back"]) == (599, -1299, 700)
        assert "Total due" not in shown

        await scan(pilot, "2*6902")  # 5.99 + 25.98 = 31.97: the customer pays 18.98
        shown = check_adds_up(app)
        assert (shown["Total"], shown["Exchange credit"], shown["Total due"]) == (3197, -1299, 1898)
        assert "Give back" not in shown

        await pilot.press("f4")  # the pay dialog asks for what the panel said
        await pilot.pause()
        console = Console(width=60)
        with console.capture() as summary:
            console.print(app.screen.query_one("#pay-summary").content)
        assert "￥18.98" in summary.get()


async def test_huge_figures_are_never_cut_the_name_gives_way(ctx, app):
    ProductRow.create(barcode="6909", name="金条 Gold bar 999", category="gold", price=9999999, member_price=9000000)
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        for code in ("6901", "2*6909", "6902"):
            await scan(pilot, code)
        await pilot.press("f2")
        await pilot.pause()
        await type_text(pilot, "1234")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        shown = check_adds_up(app)  # every figure read whole off the screen
        assert [row[1:] for row in basket_rows(app)][1] == (2, 9999999, 2899998, 17100000)
        assert shown["Total due"] == app.basket.totals().total == 17101519
