"""Golden tickets: the exact bytes of a receipt, a refund voucher and the test page.

The bytes are compared with files under golden/ (regenerate with UPDATE_GOLDEN=1 after a
deliberate change, and look at the diff), then read back the way a printer would: control
sequences stripped, GBK decoded, each line no wider than the paper. The barcodes and QR
codes are decoded from the bytes and fed to the refund wizard's step-1 lookups.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from test_printer import text_lines

from tui_pos.config import Config
from tui_pos.devices.printer import render
from tui_pos.devices.tickets import Ticket, printer_test_page, receipt, refund_voucher
from tui_pos.domain.basket import Basket
from tui_pos.domain.numbers import read_number, scan_payload
from tui_pos.domain.refund import Pick
from tui_pos.domain.tenders import TenderKind
from tui_pos.services import catalog, checkout, members, refunds
from tui_pos.services.context import Context
from tui_pos.services.refunds import RefundDraft

from escpos_helpers import sequences, strip_escpos

GOLDEN = Path(__file__).parent / "golden"
SOLD = datetime(2026, 11, 22, 10, 30)
REFUNDED = datetime(2026, 11, 23, 9, 15)


def at(ctx: Context, when: datetime, width: int) -> Context:
    config = replace(ctx.config, printer=replace(ctx.config.printer, width=width))
    return Context(config, lambda: when)


def member_sale_and_refund(ctx: Context, cashier, width: int):
    sold = at(ctx, SOLD, width)
    basket = Basket()
    basket.add(catalog.product_for_scan("6901"), 3)
    basket.add(catalog.product_for_scan("6902"))
    profile = members.profile(sold, members.find_one("M000001").id)
    basket.attach(profile.member, profile.discount_bp)
    plan = checkout.new_plan(sold, basket)
    plan.add(TenderKind.CASH, plan.due)
    result = checkout.complete_sale(sold, cashier, basket, plan)
    later = at(ctx, REFUNDED, width)
    lookup = refunds.load_order(later, result.sale_id)
    line = next(h for h in lookup.history.values() if h.remaining == 3)
    refund = refunds.confirm(
        later,
        cashier,
        RefundDraft(result.sale_id, (Pick(line.sale_line_id, 2),), "quality", note="瓶盖漏气 leaking cap"),
    )
    return sold.config, checkout.sale_by_order_no(result.order_no), refunds.detail(refund.refund_no)


def check_golden(name: str, data: bytes) -> None:
    path = GOLDEN / f"{name}.bin"
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
    assert path.exists(), f"{path} missing: run once with UPDATE_GOLDEN=1 and check the bytes"
    assert data == path.read_bytes(), f"{name}: bytes differ from the golden file"


def printed_lines(data: bytes) -> list[str]:
    text = strip_escpos(data).decode("gbk")  # must decode: no stray byte, no half character
    return text.split("\n")


def check_paper(ticket: Ticket, data: bytes, config: Config) -> None:
    lines = [line for line in printed_lines(data) if line]
    assert lines == [line for line in text_lines(ticket) if line]
    for item in ticket.items:
        if item.kind != "text":
            continue
        # on Chinese firmware a GBK double-byte character prints two cells, a single byte one:
        # so the encoded length is the printed width, and it must fit the paper
        room = ticket.width // 2 if item.double else ticket.width
        assert len(item.text.encode("gbk")) <= room, item.text


def code128_text(data: bytes) -> str:
    """GS k 73 data as text: {B runs as they are, {C bytes as two digits each."""
    parts = re.split(rb"(\{[BC])", data)
    text, code_set = "", b""
    for part in parts:
        if part in (b"{B", b"{C"):
            code_set = part
        elif code_set == b"{C":
            text += "".join(f"{byte:02d}" for byte in part)
        else:
            text += part.decode("ascii")
    return text


def codes(data: bytes) -> tuple[list[str], list[str]]:
    """CODE128 contents (code sets B and C read back) and QR contents, read from the bytes."""
    barcodes, qrs = [], []
    for seq in sequences(data):
        if seq.startswith(b"\x1dkI"):
            barcodes.append(code128_text(seq[4:]))
        elif seq.startswith(b"\x1d(k") and seq[5:8] == b"1P0":  # store the symbol data
            qrs.append(seq[8:].decode("ascii"))
    return barcodes, qrs


@pytest.mark.parametrize("width", [32, 48])
def test_receipt_golden(ctx, cashier, width):
    config, sale, _ = member_sale_and_refund(ctx, cashier, width)
    ticket = receipt(config, sale)
    data = render(ticket, config.printer)
    check_golden(f"receipt_{width}", data)
    check_paper(ticket, data, config)
    barcodes, qrs = codes(data)
    # the number without its dashes (S01202611220001: 134 modules) is a printer-drawn CODE128
    # on 58 mm (384 dots) too; the readable number is printed under it
    assert (barcodes, qrs) == ([scan_payload(sale.order_no)], [])
    assert b"\x1dw\x02" in data if width == 32 else b"\x1dw\x03" in data
    assert read_number(barcodes[0]) == sale.order_no
    assert refunds.find_order(ctx, barcodes[0]).sale.order_no == sale.order_no  # scanned back in step 1


@pytest.mark.parametrize("width", [32, 48])
def test_refund_voucher_golden(ctx, cashier, width):
    config, sale, refund = member_sale_and_refund(ctx, cashier, width)
    ticket = refund_voucher(config, refund, sale)
    data = render(ticket, config.printer)
    check_golden(f"voucher_{width}", data)
    check_paper(ticket, data, config)
    text = strip_escpos(data).decode("gbk")
    assert "Customer copy" in text and "Store copy" in text and "Customer signature:" in text
    assert "瓶盖漏气 leaking cap" in text
    barcodes, qrs = codes(data)
    # both copies carry both codes, the refund no. without its dashes
    assert qrs == barcodes == [scan_payload(refund.summary.refund_no)] * 2
    assert text.count(refund.summary.refund_no) == 4  # in each body and under each barcode
    assert refunds.detail(barcodes[0]).summary.order_no == sale.order_no


@pytest.mark.parametrize("width", [32, 48])
def test_test_page_golden(config, width):
    # the page names its backend: training, as the golden files were made (a live till's default,
    # none, prints nothing at all)
    config = replace(config, printer=replace(config.printer, width=width, backend="training"))
    ticket = printer_test_page(config)
    data = render(ticket, config.printer)
    check_golden(f"test_page_{width}", data)
    check_paper(ticket, data, config)
    text = strip_escpos(data).decode("gbk")
    assert "中文：打印机测试，退款凭证。" in text and "English" in text and "￥1238.06" in text
    assert "\u00a5" not in text
    assert codes(data) == (["TEST-0123"], ["TEST-0123"])
    assert data.count(b"\x1dV") == 1  # one cut


def test_cheap_profile_draws_codes_as_pictures(config):
    """A POS-5890 has neither hardware CODE128 nor QR: both go as raster pictures, no {B."""
    config = replace(config, printer=replace(config.printer, profile="POS-5890"))
    data = render(printer_test_page(config), config.printer)
    assert codes(data) == ([], [])
    assert b"{B" not in data
    assert sum(seq.startswith(b"\x1dv0") for seq in sequences(data)) == 2
    assert "中文：打印机测试" in strip_escpos(data).decode("gbk")


def test_code_page_printer_gets_esc_t_and_no_chinese_mode(config):
    config = replace(config, printer=replace(config.printer, encoding="cp858"))
    data = render(printer_test_page(config), config.printer)
    assert data.startswith(b"\x1b@\x1c.\x1bt\x13")  # FS . once (out of Chinese mode), then ESC t 19 = cp858
    assert b"\x1c&" not in data
    lines = strip_escpos(data).decode("cp858").split("\n")
    line = next(line for line in lines if "330ml" in line)
    # 可口可乐 took 8 cells, so 8 marks; ￥ took 2, so a space and the code page's own ¥
    assert re.fullmatch(r"\?{8} 330ml +  \u00a53\.50", line)
    assert len(line) == 32
