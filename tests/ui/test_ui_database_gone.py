"""A till whose database is replaced (a restore behind its back) or removed stops selling and says so."""

from __future__ import annotations

import os

from tui_pos.services import maintenance, till_sessions
from tui_pos.ui.screens.database_gone import DatabaseGoneScreen

from ui_helpers import log_in, scan, screen_text


async def test_a_database_replaced_under_the_till_stops_selling(app, ctx, printer, tmp_path):
    copy = maintenance.backup(ctx.config, tmp_path / "b").path
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        assert [t.till for t in till_sessions.open_tills(ctx.config)] == ["01"]  # the till registered
        os.replace(copy, ctx.config.db_path)  # what a restore does, had it not been refused
        await scan(pilot, "6901")
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press("enter")  # cash, exact: the sale cannot be saved and is not reported OK
        await pilot.pause()
        assert app.last_sale is None
        app.heartbeat()  # what the timer does every few seconds
        await pilot.pause()
        assert isinstance(app.screen, DatabaseGoneScreen)
        shown = " ".join(screen_text(app).split())
        assert "The shop database was replaced while this" in shown and "till was open (a restore?)" in shown
        assert "This till cannot sell any more" in shown and "Restart the till" in shown
        assert "⏎ Close the till" in shown
        await pilot.press("escape", "f4")  # no way back to selling
        assert isinstance(app.screen, DatabaseGoneScreen)
        await pilot.press("enter")
        await pilot.pause()
    assert till_sessions.open_tills(ctx.config) == []  # the clean exit removed its heartbeat file
