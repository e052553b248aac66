"""A till runs all day: a screen that closes (the payment screen, once per sale) must take
what it drew with it, or memory grows with every customer."""

from __future__ import annotations

import gc
import weakref

from ui_helpers import log_in, scan


async def test_a_closed_payment_screen_leaves_nothing_it_drew_behind(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await scan(pilot, "6901")
        await pilot.press("f4")
        await pilot.pause()
        pay = app.screen
        assert type(pay).__name__ == "PayScreen"
        drawn = [weakref.ref(w._styles_cache) for w in pay.walk_children(with_self=True) if w._styles_cache._cache]
        assert len(drawn) > 5  # the screen and its widgets have drawn their lines
        del pay

        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "CheckoutScreen"
        for _ in range(20):  # the input's cursor-blink timer lets go once its task has ended
            await pilot.pause()
            gc.collect()
            if all(ref() is None for ref in drawn):
                break
        assert [ref for ref in drawn if ref() is not None] == []
