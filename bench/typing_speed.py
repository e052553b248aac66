"""Typing at the till: 100 different products scanned into one basket through Textual's Pilot,
each code's keys and Enter in one burst, as a scanner sends them. The CPU time the till spends
per scan (Pilot's idle waits left out) must not grow with the basket: the table updates one
row, it is never rebuilt. Scans 1-10 against scans 91-100."""

from __future__ import annotations

from common import SCANNER, Result, median, python, till_env

SCRIPT = """
import asyncio, json, sqlite3, time
from tui_pos.config import load_config
from tui_pos.store.product_search import register
from tui_pos.ui.app import make_app

SCANS = {scans}
config = load_config(training=True)
db = sqlite3.connect(config.db_path)
register(db)  # the product triggers make each new name's search key
with db:  # one basket line per scan: the demo shop gets more products if it has too few
    db.executemany("INSERT OR IGNORE INTO product (barcode, name, name_en, category, price, stock, refund_policy,"
                   " active) VALUES (?, ?, '', 'bench', 100 + ?, 100, '', 1)",
                   [(f"699{{i:010d}}", f"Bench item {{i}}", i) for i in range(SCANS)])
codes = [r[0] for r in db.execute("SELECT barcode FROM product WHERE active ORDER BY id LIMIT ?", (SCANS,))]
db.close()
app = make_app(config)

async def main():
    times = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"001", "enter", *"1111", "enter")
        await pilot.pause()
        for code in codes:
            started = time.process_time()  # the till's own work; Pilot's idle waits are not in it
            await scan(app, pilot, code)
            times.append((time.process_time() - started) * 1000)
        assert len(app.basket.lines) == len(codes), len(app.basket.lines)
    print(json.dumps({{"times": times}}))

asyncio.run(main())
"""


def run(home: str, scans: int = 100) -> list[Result]:
    env = till_env(home)
    _, out = python(SCANNER + SCRIPT.format(scans=scans), env=env)
    times = out["times"]
    tenth = max(1, len(times) // 10)
    first, last = median(times[:tenth]), median(times[-tenth:])
    ratio = last / first
    return [
        Result("typing", f"scan 1-{tenth} into the basket", round(first, 1), "ms", detail="median CPU time per scan"),
        Result(
            "typing",
            f"scan {len(times) - tenth + 1}-{len(times)}",
            round(last, 1),
            "ms",
            detail="median CPU time per scan",
        ),
        Result("typing", "late / early scan time", round(ratio, 2), "x", "<= 1.5", ratio <= 1.5),
    ]
