"""Products and members as the rules see them; cleaning what a cashier types or scans."""

from __future__ import annotations

import pytest

from tui_pos.domain.catalog import (
    MAX_BARCODE,
    MAX_QTY,
    Product,
    clean_barcode,
    clean_text,
    mask_phone,
    parse_quantity,
)
from tui_pos.domain.errors import InvalidInput


def test_unit_price_member_only_when_lower():
    cola = Product(1, "6901", "可乐", "drinks", price=350, member_price=300)
    assert cola.unit_price(False) == 350
    assert cola.unit_price(True) == 300
    odd = Product(2, "6902", "x", "c", price=350, member_price=400)
    assert odd.unit_price(True) == 350
    plain = Product(3, "6903", "x", "c", price=350)
    assert plain.unit_price(True) == 350
    free = Product(4, "6904", "x", "c", price=350, member_price=0)
    assert free.unit_price(True) == 0


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("可乐", "可乐"),
        ("\x1b[31mred\x1b[0m", "[31mred[0m"),
        ("a\x00b", "ab"),
        ("evil\u202etxt", "eviltxt"),
        ("zero\u200bwidth", "zerowidth"),
        ("  padded  ", "padded"),
        (None, ""),
    ],
)
def test_clean_text(raw, clean):
    assert clean_text(raw) == clean


def test_clean_text_limit():
    assert clean_text("中" * 300) == "中" * 200
    assert clean_text("abcdef", 3) == "abc"


def test_clean_barcode():
    assert clean_barcode("６９０１") == "6901"
    assert clean_barcode(" 6901\n") == "6901"
    assert clean_barcode("AB-12_3.4") == "AB-12_3.4"
    with pytest.raises(InvalidInput, match="scan"):
        clean_barcode("")
    with pytest.raises(InvalidInput):
        clean_barcode("\x1b\x00")
    with pytest.raises(InvalidInput):
        clean_barcode("69 01'; DROP TABLE")
    with pytest.raises(InvalidInput):
        clean_barcode("1" * (MAX_BARCODE + 1))
    assert clean_barcode("1" * MAX_BARCODE) == "1" * MAX_BARCODE


@pytest.mark.parametrize("text, qty", [("1", 1), ("３", 3), (12, 12), (" 9999 ", MAX_QTY)])
def test_parse_quantity_ok(text, qty):
    assert parse_quantity(text) == qty


@pytest.mark.parametrize("text", ["0", "-1", "10000", "1.5", "abc", "", "1e3", "99999999999"])
def test_parse_quantity_rejected(text):
    with pytest.raises(InvalidInput):
        parse_quantity(text)


@pytest.mark.parametrize(
    "phone, masked",
    [
        ("13812341234", "138****1234"),
        ("13800001234", "138****1234"),
        ("1234567", "123****4567"),
        ("12345", "*****"),
        ("", ""),
    ],
)
def test_mask_phone(phone, masked):
    assert mask_phone(phone) == masked
