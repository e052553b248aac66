"""Training mode: the banner on every screen, and the receipt shown on screen instead of paper."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tui_pos.config import load_config
from tui_pos.services.context import close_shop, open_shop
from tui_pos.ui.app import make_app
from tui_pos.ui.screens.checkout import CheckoutScreen
from tui_pos.ui.screens.login import LoginScreen
from tui_pos.ui.widgets.ticket_preview import TicketPreview
from tui_pos.ui.widgets.training_banner import TrainingBanner

from conftest import seed
from ui_helpers import log_in, scan, type_text


@pytest.fixture
def training_app(tmp_path):
    config = load_config(env={"TUI_POS_HOME": str(tmp_path), "HOME": str(tmp_path)}, training=True)
    assert config.db_path.name == "training.db"
    seed(open_shop(config))
    yield make_app(replace(config, language="en"))  # the configured (training) printer
    close_shop()


def banner_visible(app) -> bool:
    banners = app.screen.query(TrainingBanner)
    return bool(banners) and all(b.display and b.region.height == 1 for b in banners)


async def test_banner_everywhere_and_receipt_preview(training_app):
    app = training_app
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen) and banner_visible(app)
        await log_in(pilot)
        assert isinstance(app.screen, CheckoutScreen) and banner_visible(app)
        assert "TRAINING" in app.sub_title
        await scan(pilot, "6901")
        await pilot.press("f4")
        await pilot.pause()
        assert banner_visible(app)  # on the payment dialog too
        await type_text(pilot, "10")
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        preview = app.screen.query_one(TicketPreview)
        assert preview.display and preview.region.height > 5
        assert "TRAINING" in preview.text
        assert app.last_sale.order_no.startswith("TS") and app.last_sale.order_no in preview.text
        assert "Ticket printed" in str(app.screen.query_one("#status").content)
        # the next scan puts the basket back in view
        await scan(pilot, "6902")
        assert not preview.display
