"""A till whose head office is unreachable, driven by keys: it sells as ever, the uploader on its
own thread fails quietly, and the title bar says the link is down and how much waits. A till
with no [central] url shows nothing about head office (its snapshots stay as they were)."""

from __future__ import annotations

import re
from dataclasses import replace

from tests.sync.chain import closed_port
from textual.pilot import Pilot

from tui_pos.devices.printer import TrainingPrinter
from tui_pos.i18n import set_language
from tui_pos.services.sync import LinkStatus, link_words
from tui_pos.store.models import SaleRow
from tui_pos.ui.app import PosApp, make_app
from tui_pos.ui.screens.checkout import CheckoutScreen

from ui_helpers import log_in, scan, screen_text, type_text


async def after_round(pilot: Pilot, app: PosApp, rounds: int) -> None:
    """Until the uploader has finished more than `rounds` rounds (it runs on its own thread)."""
    agent = app._sync
    assert agent is not None
    agent.poke()
    for _ in range(400):
        if agent.rounds > rounds:
            break
        await pilot.pause(0.05)
    assert agent.rounds > rounds, "the uploader never finished a round"
    app.show_link()
    await pilot.pause()


async def test_a_till_with_head_office_down_sells_and_says_so(ctx):
    url = f"postgresql://store01@127.0.0.1:{closed_port()}/chain"
    config = replace(ctx.config, language="en", central=replace(ctx.config.central, url=url))
    app = make_app(config, printer=TrainingPrinter())
    app.offer_left_over = False
    async with app.run_test(size=(80, 24)) as pilot:
        await after_round(pilot, app, 0)
        agent = app._sync
        first = agent.status
        assert first.state == "down" and "connection refused" in first.error
        assert app.sub_title.endswith(f"HQ down: {first.unsent} to send, oldest 1 min")  # nobody logged in: room

        await log_in(pilot)
        assert isinstance(app.screen, CheckoutScreen)
        for _ in range(2):
            await scan(pilot, "6901")
            await pilot.press("f4")
            await pilot.pause()
            await type_text(pilot, "50")
            await pilot.press("enter")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen)
        assert SaleRow.select().count() == 2  # sold as ever

        await after_round(pilot, app, agent.rounds)
        grown = agent.status
        assert grown.state == "down" and grown.unsent > first.unsent
        # with a cashier's name beside it, 80 columns have room for the link and the queue only
        assert app.sub_title.endswith(f"HQ down: {grown.unsent} to send")
        assert screen_text(app).splitlines()[0].rstrip().endswith(f"HQ down: {grown.unsent} to send")
    assert agent.stop.is_set() and not app._sync_thread.is_alive()  # stopped with the till
    assert not app.unexpected, app.unexpected


async def test_no_head_office_no_words_and_no_thread(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app._sync is None and "HQ" not in app.sub_title


def test_the_title_bar_words_in_chinese():
    set_language("zh")
    assert link_words(LinkStatus("up")) == "总部已连接"
    assert link_words(LinkStatus("up", unsent=3)) == "总部已连接：待上传 3 条"
    assert link_words(LinkStatus("down", 37, 12 * 60 + 30)) == "总部断开：待上传 37 条，最早 12 分钟前"
    assert link_words(LinkStatus("down", 37, 12 * 60 + 30), short=True) == "总部断开：待上传 37 条"
    assert (
        link_words(LinkStatus("down", 37, 3 * 3600, clock_skew_s=-400))
        == "总部断开：待上传 37 条，最早 3 小时前，时钟相差 6 分钟"
    )
    assert link_words(LinkStatus("off")) == ""
    set_language("en")
    assert link_words(LinkStatus("down", 37, 3 * 86400)) == "HQ down: 37 to send, oldest 3 days"


async def test_a_crowded_title_bar_keeps_the_printer_and_head_office_in_few_cells(ctx):
    """80 columns, Chinese, a long staff name, no printer with tickets waiting and head office
    down: both states stay on the bar in their shortest words; nothing is cut off its end."""
    set_language("zh")
    url = f"postgresql://store01@127.0.0.1:{closed_port()}/chain"
    config = replace(ctx.config, language="zh", central=replace(ctx.config.central, url=url))
    app = make_app(config, printer=None)
    app.offer_left_over = False
    async with app.run_test(size=(80, 24)) as pilot:
        await after_round(pilot, app, 0)
        await log_in(pilot)
        app._printer_state(False, 2, "")
        await pilot.pause()
        # the count is the uploader's (its own thread may have counted a new change since)
        assert re.search(r"无打印机：2 张 · 总部断开 \d+$", app.sub_title), app.sub_title
        top = screen_text(app).splitlines()[0].rstrip()
        assert re.search(r"无打印机：2 张 · 总部断开 \d+", top), top
