"""Peak memory (max RSS) of a till process through a scripted shift: log in, 100 sales of 5
scans each paid in cash, 20 refunds, then the shift and refund reports. Receipts and refund
vouchers are rendered by the training printer, so the printer stack is loaded as in a shop."""

from __future__ import annotations

import shutil

from common import BARE_APP, SCANNER, Result, python, till_env

SCRIPT = """
import asyncio, json, resource, sqlite3
from datetime import datetime, timedelta
from tui_pos.config import load_config
from tui_pos.domain.refund import Pick
from tui_pos.services import refunds, reports, shifts
from tui_pos.services.refunds import RefundDraft
from tui_pos.ui.app import make_app

SALES, REFUNDS = {sales}, {refunds}
config = load_config(training=True)
codes = [r[0] for r in sqlite3.connect(config.db_path).execute(
    "SELECT barcode FROM product WHERE active ORDER BY id LIMIT 40")]
app = make_app(config)

async def main():
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"003", "enter", *"3333", "enter")
        await pilot.pause()
        for sale in range(SALES):
            for n in range(5):
                await scan(app, pilot, codes[(sale * 5 + n) % len(codes)])
            await pilot.press("f4")
            await pilot.pause()
            await pilot.press("enter")  # cash, exactly what is due
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.press("escape")  # back from the receipt preview to a new sale
            await pilot.pause()
        manager = app.staff
        sold = [r[0] for r in sqlite3.connect(config.db_path).execute(
            "SELECT id FROM sale ORDER BY id DESC LIMIT ?", (REFUNDS,))]
        for sale_id in sold:
            lookup = refunds.load_order(app.ctx, sale_id)
            line = next(iter(lookup.history.values()))
            draft = RefundDraft(sale_id, (Pick(line.sale_line_id, 1),), "quality")
            refund = refunds.confirm(app.ctx, manager, draft, expected=refunds.quote(app.ctx, manager, draft))
            app.start_print(refund.print_job_id)  # the voucher, printed as the wizard prints it
            await app.workers.wait_for_complete()
        shifts.report(app.ctx)
        until = datetime.now().replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
        for view in reports.TABLES:
            reports.table(app.ctx, manager, view, until - timedelta(days=60), until)
        db = sqlite3.connect(config.db_path)
        done = db.execute("SELECT COUNT(*) FROM sale").fetchone()[0]
        unprinted = db.execute("SELECT COUNT(*) FROM print_job WHERE status != 'printed'").fetchone()[0]
    print(json.dumps({{"max_rss_kib": peak_kib(), "sales": done, "unprinted": unprinted}}))

def peak_kib():
    # VmHWM belongs to this program's memory map; ru_maxrss would also count the parent's peak
    # from before exec (the benchmark runner after generating a million sale lines)
    try:
        with open("/proc/self/status") as status:
            return int(next(line.split()[1] for line in status if line.startswith("VmHWM:")))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

asyncio.run(main())
"""


PEAK = """
def peak_kib():
    with open("/proc/self/status") as status:
        return int(next(line.split()[1] for line in status if line.startswith("VmHWM:")))
"""

BARE = (
    PEAK
    + BARE_APP
    + """
import json
print(json.dumps({"kib": peak_kib()}))
"""
)

# what the printer stack adds (PIL, qrcode, python-barcode, the capability database), loaded
# as the till loads it (its parsed database kept from an earlier run)
ESCPOS = (
    PEAK
    + """
import json
import textual.app
import tui_pos.devices.printer
before = peak_kib()
import escpos.printer
print(json.dumps({"kib": peak_kib() - before}))
"""
)


# The same shift with the modules python-escpos imports at load but uses only to draw barcodes,
# QR codes and pictures in software (the demo printer draws them in firmware) replaced by empty
# ones: what the till would take if python-escpos loaded them when first needed.
WITHOUT_SOFTWARE_DRAWING = """
import sys, types
for name in ("PIL", "PIL.Image", "PIL.ImageOps", "qrcode", "barcode", "barcode.writer"):
    sys.modules[name] = types.ModuleType(name)
sys.modules["PIL"].Image, sys.modules["PIL"].ImageOps = sys.modules["PIL.Image"], sys.modules["PIL.ImageOps"]
sys.modules["PIL.Image"].Image = object
sys.modules["barcode.writer"].ImageWriter = object
sys.modules["barcode"].PROVIDED_BARCODES = []
"""


def _shift(home: str, sales: int, refunds: int, prelude: str = "") -> float:
    _, out = python(prelude + SCANNER + SCRIPT.format(sales=sales, refunds=refunds), env=till_env(home))
    if out["unprinted"]:  # a shift whose tickets failed never loaded the printer stack
        raise RuntimeError(f"{out['unprinted']} tickets were not printed in the memory shift")
    return out["max_rss_kib"] / 1024


def run(home: str, sales: int = 100, refunds: int = 20) -> list[Result]:
    twin = shutil.copytree(home, home + "-twin")  # the same shop for the second shift
    try:
        mib = _shift(home, sales, refunds)
        stubbed = _shift(twin, sales, refunds, WITHOUT_SOFTWARE_DRAWING)
    finally:
        shutil.rmtree(twin, ignore_errors=True)
    bare = python(BARE)[1]["kib"] / 1024
    escpos = python(ESCPOS, env=till_env(home))[1]["kib"] / 1024
    return [
        Result(
            "memory",
            "peak RSS of a scripted shift",
            round(mib, 1),
            "MiB",
            "<= 60",
            mib <= 60,
            f"{sales} sales x 5 scans, {refunds} refunds, reports",
        ),
        Result(
            "memory", "of which: bare Textual app, same widgets", round(bare, 1), "MiB", detail="Python + Textual alone"
        ),
        Result(
            "memory",
            "of which: python-escpos stack",
            round(escpos, 1),
            "MiB",
            detail="PIL, qrcode, barcode, capabilities",
        ),
        Result(
            "memory",
            "same shift, escpos without PIL, qrcode, barcode",
            round(stubbed, 1),
            "MiB",
            detail="what loading them on first use would give",
        ),
    ]
