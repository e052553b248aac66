"""Money as integer cents (fen): parsing what a cashier types, formatting, exact proration."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from tui_pos.domain.errors import InvalidInput

# Largest amount a single field accepts: ￥1,000,000.00. Far above any till sale, far below
# anything that could overflow SQLite's 64-bit integers when summed over years of sales.
MAX_CENTS = 100_000_000

_AMOUNT = re.compile(r"^(\d{1,9})(?:\.(\d{0,2}))?$")
_GROUPED = re.compile(r"^-?\d{1,3}(?:,\d{3})+(?:\.\d*)?$")  # 1,234.50 / 12,345,678


def normalize_digits(text: str) -> str:
    """Full-width digits, points and commas (１２３，５０ / 12，3) become ASCII; spaces go."""
    text = unicodedata.normalize("NFKC", text)
    return text.replace("，", ",").replace("。", ".").replace(" ", "").strip()


def parse_money(text: str, *, allow_zero: bool = True, maximum: int = MAX_CENTS) -> int:
    """'12.5' -> 1250. Rejects negatives, more than 2 decimals, NaN, letters and huge amounts."""
    cleaned = normalize_digits(text or "")
    for symbol in ("￥", "¥", "$"):
        cleaned = cleaned.replace(symbol, "")
    if "," in cleaned and not _GROUPED.match(cleaned):
        # "12,5" or ",5" is a slip for 12.5 / 0.5, not 125.00 / 5.00: only thousands groups may use commas
        raise InvalidInput("Not an amount: {text}", text=text.strip()[:20])
    cleaned = cleaned.replace(",", "")
    if not cleaned:
        raise InvalidInput("Enter an amount")
    if cleaned.startswith("-"):
        raise InvalidInput("The amount cannot be negative")
    match = _AMOUNT.match(cleaned)
    if not match:
        if re.match(r"^\d+\.\d{3,}$", cleaned):
            raise InvalidInput("At most two decimals (fen)")
        raise InvalidInput("Not an amount: {text}", text=text.strip()[:20])
    yuan, fen = match.group(1), (match.group(2) or "").ljust(2, "0")
    cents = int(yuan) * 100 + int(fen)
    if cents > maximum:
        raise InvalidInput("Amount too large (max {max})", max=format_money(maximum))
    if cents == 0 and not allow_zero:
        raise InvalidInput("The amount must be more than zero")
    return cents


def format_money(cents: int, symbol: str = "") -> str:
    sign = "-" if cents < 0 else ""
    whole, fen = divmod(abs(cents), 100)
    return f"{sign}{symbol}{whole}.{fen:02d}"


def apply_bp(cents: int, basis_points: int) -> int:
    """cents * bp / 10000 rounded half up (basis points: 100 = 1 %)."""
    if cents < 0:
        return -apply_bp(-cents, basis_points)
    return (cents * basis_points + 5000) // 10000


def prorate(total: int, weights: Sequence[int]) -> list[int]:
    """Split `total` in proportion to `weights` so that the parts sum to `total` exactly.

    Largest-remainder method; ties go to the earlier weight, so the result is stable.
    """
    if not weights:
        if total:
            raise ValueError("cannot spread a non-zero total over nothing")
        return []
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    weight_sum = sum(weights)
    if weight_sum == 0:
        parts = [0] * len(weights)
        parts[0] = total
        return parts
    sign = -1 if total < 0 else 1
    magnitude = abs(total)
    parts = [magnitude * w // weight_sum for w in weights]
    remainders = sorted(range(len(weights)), key=lambda i: (-(magnitude * weights[i] % weight_sum), i))
    for i in remainders[: magnitude - sum(parts)]:
        parts[i] += 1
    return [sign * p for p in parts]


def share_of(total: int, part_units: int, whole_units: int, already: int = 0, already_units: int = 0) -> int:
    """Cents for `part_units` of `whole_units` units that together cost `total`.

    `already`/`already_units` are what earlier partial takes got; the last take gets the
    exact remainder, so any sequence of takes sums to `total` and never more.
    """
    if not 0 < part_units <= whole_units - already_units:
        raise ValueError("part_units out of range")
    if already_units + part_units == whole_units:
        return total - already
    cumulative = total * (already_units + part_units) // whole_units
    return max(0, min(cumulative - already, total - already))
