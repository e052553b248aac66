"""What the shop sells and who its members are, as the rules see them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from tui_pos.domain.errors import InvalidInput
from tui_pos.domain.money import normalize_digits
from tui_pos.domain.text import without_controls

MAX_QTY = 9999
MAX_BARCODE = 64


@dataclass(frozen=True)
class Product:
    id: int
    barcode: str
    name: str
    category: str
    price: int  # cents
    member_price: int | None = None  # cents; None = no member price
    stock: int = 0
    refund_policy: str = ""
    name_en: str = ""

    def unit_price(self, member: bool) -> int:
        if member and self.member_price is not None and self.member_price < self.price:
            return self.member_price
        return self.price


@dataclass(frozen=True)
class Member:
    id: int
    card_no: str
    name: str
    phone: str
    level: str
    points: int
    balance: int  # stored value, cents
    joined: datetime | None = None


def clean_text(text: str, limit: int = 200) -> str:
    """Drop control characters (ANSI escapes, NUL, bidi overrides) that could corrupt a screen or ticket."""
    return without_controls(text or "").strip()[:limit]


def clean_barcode(text: str) -> str:
    code = normalize_digits(clean_text(text, 1000))
    if not code:
        raise InvalidInput("Enter or scan a barcode")
    if len(code) > MAX_BARCODE or not re.fullmatch(r"[0-9A-Za-z\-_.]+", code):
        raise InvalidInput("Unknown barcode: {code}", code=code[:24])
    return code


def split_quantity(text: str) -> tuple[int, str]:
    """'3*6901' (or 3×6901, full-width ３＊6901) rings up three at once; a plain code is one."""
    text = unicodedata.normalize("NFKC", text or "").replace("×", "*")
    if "*" in text:
        qty_text, code = text.split("*", 1)
        return parse_quantity(qty_text), code
    return 1, text


def parse_quantity(text: str | int) -> int:
    raw = normalize_digits(str(text))
    if not re.fullmatch(r"-?\d{1,9}", raw):
        raise InvalidInput("Not a quantity: {text}", text=clean_text(str(text), 20))
    qty = int(raw)
    if not 1 <= qty <= MAX_QTY:
        raise InvalidInput("Quantity must be a whole number from 1 to {max}", max=MAX_QTY)
    return qty


def mask_phone(phone: str) -> str:
    """138****1234: what a ticket or a shoulder-surfer may see of a phone number."""
    if len(phone) >= 7:
        return phone[:3] + "****" + phone[-4:]
    return "*" * len(phone)
