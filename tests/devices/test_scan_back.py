"""Every ticket's codes scan back: the exact bytes are rendered as the paper would show them
(tests/escpos_render.py) and read by a real decoder (zxing-cpp), for every shipped profile,
both widths, a Chinese and a code-page encoding, live and training numbers.

A shop and its sale, refund, X and Z reports are made once per mode; the tickets are built
from them for each printer setting, so the whole matrix stays quick.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from types import SimpleNamespace

import pytest

from tui_pos.config import Config, PrinterConfig, load_config
from tui_pos.devices import code128, codes
from tui_pos.devices.printer import render
from tui_pos.devices.tickets import printer_test_page, receipt, refund_voucher, shift_ticket
from tui_pos.domain.basket import Basket
from tui_pos.domain.numbers import read_number, scan_payload
from tui_pos.domain.refund import Pick
from tui_pos.domain.shift import CashCount
from tui_pos.domain.tenders import TenderKind
from tui_pos.services import catalog, checkout, members, orders, refunds, shifts, staff
from tui_pos.services.context import close_shop, open_shop
from tui_pos.services.refunds import RefundDraft

from conftest import PINS, seed
from escpos_render import render as render_paper
from escpos_render import scan

# the README's profiles, the other cheap 58 mm one, and 80 mm Epsons of 512 and 576 dots
PROFILES = ["default", "POS-5890", "ZJ-5870", "NT-5890K", "simple", "TM-T88III", "TM-T20II"]
SETTINGS = [(width, encoding) for width in (32, 48) for encoding in ("gbk", "cp437")]


@dataclass(frozen=True)
class Shop:
    config: Config
    sale: object
    refund: object
    x_report: object
    z_report: object


def _make_shop(home, training: bool) -> Shop:
    config = load_config(env={"TUI_POS_HOME": str(home), "HOME": str(home)}, training=training)
    ctx = open_shop(config, clock=lambda: datetime(2026, 11, 22, 10, 30))
    try:
        seed(ctx)
        cashier = staff.login(ctx, "001", PINS["001"])
        basket = Basket()
        basket.add(catalog.product_for_scan("6901"), 3)
        profile = members.profile(ctx, members.find_one("M000001").id)
        basket.attach(profile.member, profile.discount_bp)
        plan = checkout.new_plan(ctx, basket)
        plan.add(TenderKind.CASH, plan.due)
        done = checkout.complete_sale(ctx, cashier, basket, plan)
        line = next(iter(refunds.load_order(ctx, done.sale_id).history.values()))
        refund = refunds.confirm(ctx, cashier, RefundDraft(done.sale_id, (Pick(line.sale_line_id, 1),), "quality"))
        x_report = shifts.report(ctx)
        manager = staff.login(ctx, "003", PINS["003"])
        closed = shifts.close_shift(ctx, manager, CashCount(50000))
        return Shop(
            config,
            checkout.sale_by_order_no(done.order_no),
            refunds.detail(refund.refund_no),
            x_report,
            closed.report,
        )
    finally:
        close_shop()


@pytest.fixture(scope="module", params=[False, True], ids=["live", "training"])
def shop(request, tmp_path_factory) -> Shop:
    return _make_shop(tmp_path_factory.mktemp("shop"), request.param)


def printer(shop: Shop, profile: str, width: int, encoding: str) -> SimpleNamespace:
    cfg = replace(shop.config.printer, profile=profile, width=width, encoding=encoding, backend="training")
    config = replace(shop.config, printer=cfg)
    return SimpleNamespace(config=config, cfg=cfg, dots=dots(cfg))


def dots(cfg: PrinterConfig) -> int:
    from escpos.printer import Dummy

    return codes.dots_per_line(Dummy(profile=cfg.profile).profile.profile_data, cfg.width)


def test_numbers_are_live_and_training(shop):
    number = shop.sale.order_no
    assert number.startswith("TS" if shop.config.training else "S"), number
    assert shop.refund.summary.refund_no.startswith("TR" if shop.config.training else "R")


def two_dot_code128(data: bytes, payload: str, p: SimpleNamespace) -> bool:
    """The payload as a CODE128 of 2 or 3 dots a module, printer-drawn or a picture: what the
    1D scanners of small shops read (a 1-dot bar or a QR they do not)."""
    fit = codes.plan(payload, p.cfg)
    if fit.module < 2:
        return False
    if fit.firmware:
        return codes.firmware_barcode(payload, fit.module) in data
    return codes.picture_barcode(payload, fit.module, p.dots) in data


@pytest.mark.parametrize("profile", PROFILES)
def test_receipt_and_voucher_scan_back(shop, profile):
    """The codes carry the number without its dashes and scan back to the number, on every
    printer as a CODE128 of 2 dots a module or more: 58 mm ones (384 dots) too."""
    order_no, refund_no = shop.sale.order_no, shop.refund.summary.refund_no
    for width, encoding in SETTINGS:
        p = printer(shop, profile, width, encoding)
        setting = f"{profile} {width} {encoding}"
        receipt_bytes = render(receipt(p.config, shop.sale), p.cfg)
        assert scan(receipt_bytes, p.dots) == [scan_payload(order_no)], setting
        assert two_dot_code128(receipt_bytes, scan_payload(order_no), p), setting
        assert b"\x1d(k" not in receipt_bytes, setting  # no QR in its place
        voucher = render(refund_voucher(p.config, shop.refund, shop.sale), p.cfg)
        # customer copy then store copy, each with its CODE128 and its QR
        assert scan(voucher, p.dots) == [scan_payload(refund_no)] * 4, setting
        assert two_dot_code128(voucher, scan_payload(refund_no), p), setting
    # what order lookup and refund step 1 do with what the scanner typed
    (order_code,) = scan(render(receipt(p.config, shop.sale), p.cfg), p.dots)
    assert orders.order_detail(order_code).sale.order_no == order_no
    refund_code = scan(voucher, p.dots)[0]
    assert read_number(refund_code) == refund_no
    assert refunds.detail(refund_code).summary.order_no == order_no


@pytest.mark.parametrize("profile", ["default", "POS-5890", "ZJ-5870"])
def test_58mm_receipts_print_a_two_dot_code128_again(shop, profile):
    """The three 58 mm profiles shops have: the longest numbers of this store (a training
    refund's, TR01-...) fit 384 dots at 2 dots a module with both 10-module quiet zones."""
    p = printer(shop, profile, 32, "gbk")
    assert p.dots == 384
    for kind in ("S", "R", "TS", "TR"):
        payload = scan_payload(f"{kind}01-20261122-0001")
        assert (code128.modules(payload) + 2 * code128.QUIET_MODULES) * 2 <= 384, payload
        assert codes.plan(payload, p.cfg).module == 2, payload
    data = render(receipt(p.config, shop.sale), p.cfg)
    assert two_dot_code128(data, scan_payload(shop.sale.order_no), p)
    assert b"\x1ba\x01" + shop.sale.order_no.encode() + b"\n" in data  # readable under the code


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("width", [32, 48])
def test_test_page_scans_back(shop, profile, width):
    p = printer(shop, profile, width, "gbk")
    assert scan(render(printer_test_page(p.config), p.cfg), p.dots) == ["TEST-0123"] * 2


@pytest.mark.parametrize("profile", ["default", "POS-5890"])
@pytest.mark.parametrize("encoding", ["gbk", "cp437"])
def test_x_and_z_reports_render(shop, profile, encoding):
    """They carry no code: the renderer must still read every byte, and find nothing to scan."""
    for report in (shop.x_report, shop.z_report):
        p = printer(shop, profile, 32, encoding)
        data = render(shift_ticket(p.config, report), p.cfg)
        assert scan(data, p.dots) == []
        assert render_paper(data, p.dots).y > 0


# --- the encoder and the renderer themselves ------------------------------------------------------


def test_digit_runs_go_in_code_set_c():
    assert code128.firmware_data("TS20261122-0001") == b"{BTS{C" + bytes([20, 26, 11, 22]) + b"{B-{C" + bytes([0, 1])
    assert code128.modules("TS20261122-0001") * 2 == 334  # fits 384 dots with 2 x 10 modules of quiet zone
    assert code128.firmware_data("S1") == b"{BS1"  # one digit: set B is shorter than switching


def test_set_b_training_number_is_too_wide_for_58mm():
    """The old encoding: 200 modules at 2 dots is 400 dots, more than a 58 mm line; the firmware
    drops it, and so does the renderer: the test would fail on it."""
    data = b"\x1b@\x1dw\x02\x1dh\x3c\x1dkI\x11{BTS20261122-0001"
    paper = render_paper(data, 384)
    assert paper.dropped and scan(data, 384) == []
    assert scan(data, 576) == ["TS20261122-0001"]


def test_uneven_bars_do_not_scan():
    """A picture whose modules are not whole dots (one bar a dot short) reads as nothing."""
    row = code128.bars(code128.symbols("S20261122-0001"), 2)
    good = codes.picture_barcode("S20261122-0001", 2, 384)
    assert scan(good, 384) == ["S20261122-0001"]
    first_bar_end = row.index(False)
    bad_row = row[: first_bar_end - 1] + [False] + row[first_bar_end:]
    bad = codes.raster([[False] * 20 + bad_row] * 60)
    assert scan(bad, 384) == []


def test_a_long_number_narrows_then_becomes_a_qr():
    cfg = PrinterConfig(profile="POS-5890", width=32)
    assert codes.barcode_fit("S20261122-0001", 384, firmware=False).module == 2
    long_no = "SHOP-" + "AB" * 12
    assert codes.barcode_fit(long_no, 384, firmware=False).module == 1
    too_long = "SHOP-" + "AB" * 20
    assert codes.barcode_fit(too_long, 384, firmware=True).module == 0
    from escpos.printer import Dummy

    data = codes.barcode_bytes(too_long, cfg, Dummy(profile="POS-5890").profile)
    assert scan(data, 384) == [too_long]
    assert scan(codes.barcode_bytes(long_no, cfg, Dummy(profile="POS-5890").profile), 384) == [long_no]


def test_80mm_epson_is_512_dots():
    assert dots(PrinterConfig(profile="TM-T88III", width=48)) == 512
    assert dots(PrinterConfig(profile="default", width=48)) == 576
    assert dots(PrinterConfig(profile="POS-5890", width=48)) == 384


@pytest.mark.parametrize(
    ("profile", "width", "line"),
    [
        ("POS-5890", 32, "CODE128 2 dots/module, picture"),  # TR01202611220001: 145 modules
        ("default", 48, "CODE128 3 dots/module, printer-drawn"),
        ("TM-T88III", 48, "CODE128 3 dots/module, printer-drawn"),  # 165 modules x 3 <= 512 dots
    ],
)
def test_calibration_page_says_how_the_barcode_prints(config, profile, width, line):
    cfg = replace(config.printer, profile=profile, width=width, backend="training")
    assert line in printer_test_page(replace(config, printer=cfg)).preview()
