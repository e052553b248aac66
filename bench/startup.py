"""Cold start to the login screen, whole process and headless, against a bare Textual app with
the same kinds of widgets started the same way; and whether the printer stack (python-escpos,
PIL, qrcode, barcode) was loaded by then (it must wait for the first print), or pypinyin (it
must wait for a product to be written)."""

from __future__ import annotations

import tempfile

from common import BARE_APP, Result, median, python, till_env

TILL = """
import json, sys
from tui_pos.config import load_config
from tui_pos.ui.app import make_app
from tui_pos.ui.screens.login import LoginScreen

shown = LoginScreen.on_mount
def on_mount(self):
    shown(self)
    self.call_after_refresh(self.app.exit)   # the first frame of the login screen is on screen
LoginScreen.on_mount = on_mount
make_app(load_config(training=True)).run(headless=True)
print(json.dumps({
    "printer_stack": sorted(m for m in ("escpos", "PIL", "qrcode", "barcode") if m in sys.modules),
    "pinyin": "pypinyin" in sys.modules,
}))
"""

BARE = (
    BARE_APP
    + """
import json
print(json.dumps({}))
"""
)


def run(runs: int = 7) -> list[Result]:
    home = tempfile.mkdtemp(prefix="tui-pos-bench-")
    env = till_env(home)
    python("from tui_pos.cli import main; main(['--training', 'demo'])", env=env)  # the demo shop, not timed
    python(TILL, env=env)  # warm the OS file cache for both, as on a till that was used before
    python(BARE, env=env)
    till, bare, loaded, pinyin = [], [], [], False
    for _ in range(runs):  # interleaved, so a busy moment hits both
        wall, out = python(TILL, env=env)
        till.append(wall * 1000)
        loaded = out["printer_stack"]
        pinyin = out["pinyin"]
        bare.append(python(BARE, env=env)[0] * 1000)
    ratio = median(till) / median(bare)
    return [
        Result("start", "cold start to login, tui-pos", round(median(till)), "ms", detail=f"median of {runs}"),
        Result("start", "cold start, bare Textual app", round(median(bare)), "ms", detail=f"median of {runs}"),
        Result("start", "cold start ratio tui-pos / bare", round(ratio, 2), "x", "<= 1.2", ratio <= 1.2),
        Result(
            "start",
            "printer stack loaded before the first print",
            len(loaded),
            "modules",
            "0",
            not loaded,
            ", ".join(loaded) or "none",
        ),
        Result(
            "start",
            "pypinyin loaded before a product is written",
            int(pinyin),
            "modules",
            "0",
            not pinyin,
            "pypinyin" if pinyin else "none",
        ),
    ]
