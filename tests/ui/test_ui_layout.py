"""At 80x24, in both languages, nothing a cashier needs is cut off or hidden."""

from __future__ import annotations

from dataclasses import replace

import pytest
from textual.widgets._footer import FooterKey

from tui_pos.devices.layout import cells
from tui_pos.devices.printer import TrainingPrinter
from tui_pos.domain.refund import Pick
from tui_pos.domain.shift import CashCount
from tui_pos.i18n import set_language, tr
from tui_pos.services import refunds, shifts
from tui_pos.services import staff as staff_service
from tui_pos.services.refunds import RefundDraft
from tui_pos.store.models import ProductRow
from tui_pos.ui.app import make_app
from tui_pos.ui.widgets.member_panel import MemberPanel
from tui_pos.ui.widgets.totals import TotalsPanel

from ui_helpers import log_in, scan, sell, type_text

SIZE = (80, 24)


def fully_visible(app, widget) -> bool:
    geometry = app.screen.find_widget(widget)
    region = geometry.region
    return (
        region.width > 0
        and region.height > 0
        and region.intersection(geometry.clip) == region
        and region.right <= SIZE[0]
        and region.bottom <= SIZE[1]
    )


def rendered(widget) -> str:
    return "\n".join(strip.text for strip in widget.render_lines(widget.region.reset_offset))


def assert_keys_visible(app) -> None:
    keys = list(app.screen.query(FooterKey))
    assert keys, "no key bar"
    for key in keys:
        assert fully_visible(app, key), f"key {key.key} is off screen"
        assert key.description in rendered(key)


@pytest.fixture(params=["en", "zh"])
def language(request):
    yield request.param
    set_language("en")


@pytest.mark.parametrize("training", [False, True])
async def test_checkout_fits_80x24(ctx, language, training):
    config = replace(ctx.config, language=language, training=training)
    app = make_app(config)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert_keys_visible(app)
        await log_in(pilot)
        for code in ("6901", "6902", "6903"):
            await scan(pilot, code)
        await pilot.press("f2")
        await pilot.pause()
        assert_keys_visible(app)
        await type_text(pilot, "1234")
        await pilot.pause()
        profile = app.screen.query_one("#member-profile")
        assert fully_visible(app, profile) and "500" in rendered(profile)
        await pilot.press("enter")
        await pilot.pause()

        screen = app.screen
        member, totals = screen.query_one(MemberPanel), screen.query_one(TotalsPanel)
        scan_box, status = screen.query_one("#scan"), screen.query_one("#status")
        for widget in (member, totals, scan_box, status, screen.query_one("#scan-error")):
            assert fully_visible(app, widget), widget
        assert totals.region.bottom <= scan_box.region.y
        member_text, totals_text = rendered(member), rendered(totals)
        assert "M000001" in member_text and "100.00" in member_text and "500" in member_text
        total = app.basket.totals().total
        assert f"{total // 100}.{total % 100:02d}" in totals_text
        assert_keys_visible(app)  # with the member attached: the most keys

        await pilot.press("f4")
        await pilot.pause()
        dialog = app.screen.query_one("#pay-dialog")
        assert fully_visible(app, dialog)
        assert fully_visible(app, app.screen.query_one("#pay-amount"))
        assert_keys_visible(app)
        await pilot.press("k")
        await pilot.pause()
        assert fully_visible(app, app.screen.query_one("#pay-reference"))
        assert fully_visible(app, dialog)


async def test_date_boxes_show_the_whole_date(ctx, language):
    """From/To of the refund reports and the day of the day summary, with the cursor in them too."""
    app = make_app(replace(ctx.config, language=language), printer=TrainingPrinter())  # set up: no notice
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "003", "3333")
        await pilot.press("ctrl+o", "f4")
        await pilot.pause()
        since, until = app.screen.query_one("#since"), app.screen.query_one("#until")
        await pilot.press("f7")  # the cursor goes into From, at the end of the date
        await pilot.pause()
        await pilot.press("tab")  # and on into To; From keeps what it showed
        await pilot.pause()
        for box in (since, until):
            assert len(box.value) == 10 and box.value in rendered(box), rendered(box)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f3")  # the day summary: its date box has the cursor from the start
        await pilot.pause()
        day = app.screen.query_one("#day")
        assert app.screen.focused is day
        assert len(day.value) == 10 and day.value in rendered(day), rendered(day)


async def test_day_summary_shows_every_figure_at_80_columns(ctx, language):
    """A busy shift (five-figure sums, a big shortfall) closed, and the next one still open."""
    manager = staff_service.login(ctx, "003", "3333")
    sell(ctx, {"6902": 999})  # 12977.01 in cash: the drawer should hold 13477.01
    shifts.close_shift(ctx, manager, CashCount(1_224_245), "counted twice, short")  # 12242.45: -1234.56
    shifts.open_shift(ctx, manager, CashCount(50000))
    sell(ctx, {"6901": 3})
    app = make_app(replace(ctx.config, language=language), printer=TrainingPrinter())  # set up: no notice
    app.offer_left_over = False  # the sales above were recorded, never printed
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "003", "3333")
        await pilot.press("ctrl+o", "f3")
        await pilot.pause()
        table = app.screen.query_one("#rows")
        assert table.row_count == 2
        assert table.virtual_size.width <= table.scrollable_content_region.width  # nothing off to the right
        shown = rendered(table)
        for figure in ("12977.01", "13477.01", "12242.45", "-1234.56", "10.50", "510.50", tr("open")):
            assert figure in shown, (figure, shown)
        summary = rendered(app.screen.query_one("#summary"))
        assert "12987.51" in summary and "cash" not in summary.replace("Cash", "")  # tenders in words


async def test_refund_report_chart_labels_fit_and_keep_the_figures(ctx, language):
    """Chart labels as long as the width allows, cut with ".." (not "…") past that; every
    figure whole at the right; laid out again when the terminal is resized."""
    long_name = "德芙 丝滑牛奶巧克力 43g 家庭分享装 [b]超值[/b]"  # 46 cells; the brackets stay text
    ProductRow.create(barcode="6909", name=long_name, category="food", price=1000, stock=10)
    manager = staff_service.login(ctx, "003", "3333")
    sale = sell(ctx, {"6909": 2, "6901": 1})
    lines = refunds.load_order(ctx, sale.sale_id).history.values()
    draft = RefundDraft(sale.sale_id, tuple(Pick(line.sale_line_id, 1) for line in lines), "quality")
    refunds.confirm(ctx, manager, draft, ("003", "3333"))
    app = make_app(replace(ctx.config, language=language), printer=TrainingPrinter())  # set up: no notice
    app.offer_left_over = False  # the sale above was recorded, never printed
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "003", "3333")
        await pilot.press("ctrl+o", "f4")  # refund reports, by product
        await pilot.pause()
        chart = app.screen.query_one("#chart")
        drawn = [line.rstrip() for line in rendered(chart).splitlines() if line.strip()]
        assert len(drawn) == 2, drawn
        for line in drawn:
            assert cells(line) <= chart.content_region.right and "…" not in line
        assert drawn[0].endswith(" 10.00") and drawn[1].endswith(" 3.50")  # the figures, whole
        assert "德芙 丝滑牛奶巧克力 43g" in drawn[0] and long_name not in drawn[0] and ".." in drawn[0]  # cut
        assert "可口可乐 330ml" in drawn[1]
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        drawn = [line.rstrip() for line in rendered(chart).splitlines() if line.strip()]
        assert long_name in drawn[0] and drawn[0].endswith(" 10.00")  # room enough: the whole name
        assert len(drawn[0]) > 80  # the bars use the new width
