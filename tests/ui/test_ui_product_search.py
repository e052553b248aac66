"""F3 by keys: the search says what it matches, and pinyin initials find a product."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tui_pos.i18n import set_language, tr
from tui_pos.ui.app import make_app
from tui_pos.ui.screens.checkout import CheckoutScreen
from tui_pos.ui.screens.product_search import ProductSearchScreen

from ui_helpers import log_in, type_text


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_pinyin_initials_then_enter_adds_the_product(ctx, language):
    set_language(language)
    app = make_app(replace(ctx.config, language=language))
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, ProductSearchScreen)
        title = str(app.screen.query_one("#search-title").content)
        assert title == tr("Find a product: part of a name, pinyin initials or barcode")
        await type_text(pilot, "kkkl")  # 可口可乐
        await pilot.pause()
        table = app.screen.query_one("#search-results")
        assert table.row_count == 1
        assert "可口可乐 330ml" in str(table.get_row_at(0)[1])
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen)
        assert [(ln.product.barcode, ln.qty) for ln in app.basket.lines] == [("6901", 1)]
        await pilot.press("f3")
        await pilot.pause()
        await type_text(pilot, "麦面")  # the middle of 全麦面包
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert [ln.product.barcode for ln in app.basket.lines] == ["6901", "6902"]
    set_language("en")
