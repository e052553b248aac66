"""The till's day in figures: counting the drawer and what a shift report adds up to.

Pure rules, no storage: the store layer sums payments in SQL and hands the sums here; the
figures on an X or Z report are computed in exactly one place (`ShiftReport`).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime

from tui_pos.domain.catalog import clean_text
from tui_pos.domain.errors import InvalidInput
from tui_pos.domain.money import MAX_CENTS, format_money, normalize_digits, parse_money

# Chinese yuan notes and coins, in fen: what a cashier counts the drawer in.
DENOMINATIONS = (10000, 5000, 2000, 1000, 500, 100, 50, 10)
_PART = re.compile(r"^(\d{1,6}(?:\.\d{1,2})?)[*x×](\d{1,5})$")


@dataclass(frozen=True)
class CashCount:
    total: int  # cents
    pieces: tuple[tuple[int, int], ...] = ()  # (denomination in cents, how many); empty = counted as a total

    def describe(self) -> str:
        return " ".join(f"{format_money(d)}x{n}" for d, n in self.pieces)


def parse_cash_count(text: str) -> CashCount:
    """'500' or '500.00' is a total; '100x3 50x2 1x12' (or 100*3) counts by denomination."""
    words = clean_text(text, 200).replace("，", " ").replace(",", " ").split()
    parts = [normalize_digits(word).lower() for word in words]
    if not parts:
        raise InvalidInput("Enter the cash counted: a total like 500, or pieces like 100x3 50x2")
    for part in parts:
        if "-" in part:
            raise InvalidInput("Counted cash cannot be negative: {part}", part=part[:20])
    if len(parts) == 1 and not _PART.match(parts[0]):
        try:
            return CashCount(parse_money(parts[0]))
        except InvalidInput as exc:
            raise InvalidInput("Not a cash count: {text}", text=parts[0][:20]) from exc
    pieces: dict[int, int] = {}
    for part in parts:
        match = _PART.match(part)
        if not match:
            raise InvalidInput("Not a cash count: {text} (write 100x3 for three 100-yuan notes)", text=part[:20])
        value = parse_money(match.group(1), allow_zero=False)
        if value not in DENOMINATIONS:
            raise InvalidInput("{value} is not a note or coin", value=format_money(value))
        pieces[value] = pieces.get(value, 0) + int(match.group(2))
    total = sum(d * n for d, n in pieces.items())
    if total > MAX_CENTS:
        raise InvalidInput("Amount too large (max {max})", max=format_money(MAX_CENTS))
    return CashCount(total, tuple(sorted(pieces.items(), reverse=True)))


@dataclass(frozen=True)
class TenderTotals:
    tender: str
    sales: int  # cents taken
    refunds: int  # cents given back (positive)

    @property
    def net(self) -> int:
        return self.sales - self.refunds


@dataclass(frozen=True)
class ShiftReport:
    """An X report (shift still open) or a Z report (closed: counted, variance, note)."""

    shift_id: int
    till_code: str
    opened_by: str
    opened_at: datetime
    closed_at: datetime | None
    opening_float: int
    tenders: tuple[TenderTotals, ...]
    sales_count: int
    refund_count: int
    voids: int
    discounts: int
    points_issued: int
    points_taken_back: int
    points_returned: int
    paid_in: int
    paid_out: int
    late_refunds: int = 0  # refunds here of orders sold in an earlier shift
    late_refund_amount: int = 0
    pending_refunds: tuple[str, ...] = ()  # still waiting for approval (carried over at close)
    counted: int | None = None
    note: str = ""
    closed_by: str = ""
    cash_moves: tuple[tuple[str, int, str], ...] = field(default=())  # (kind, amount, reason)
    audit_anchor: str = ""  # the audit trail's head as printed ("count:hash"): a cut or rewrite shows against it

    def tender(self, name: str) -> TenderTotals:
        for t in self.tenders:
            if t.tender == name:
                return t
        return TenderTotals(name, 0, 0)

    @property
    def sales_total(self) -> int:
        return sum(t.sales for t in self.tenders)

    @property
    def refunds_total(self) -> int:
        return sum(t.refunds for t in self.tenders)

    @property
    def net_total(self) -> int:
        return self.sales_total - self.refunds_total

    @property
    def expected_cash(self) -> int:
        """float + cash sales - cash refunds + paid-in - paid-out."""
        cash = self.tender("cash")
        return self.opening_float + cash.sales - cash.refunds + self.paid_in - self.paid_out

    @property
    def variance(self) -> int | None:
        return None if self.counted is None else self.counted - self.expected_cash

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def to_json(self) -> str:
        data = asdict(self)
        for key in ("opened_at", "closed_at"):
            data[key] = data[key].isoformat() if data[key] else None
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ShiftReport:
        data = json.loads(text)
        for key in ("opened_at", "closed_at"):
            data[key] = datetime.fromisoformat(data[key]) if data[key] else None
        data["tenders"] = tuple(TenderTotals(**t) for t in data["tenders"])
        data["pending_refunds"] = tuple(data["pending_refunds"])
        data["cash_moves"] = tuple(tuple(m) for m in data["cash_moves"])
        return cls(**data)


def check_close(expected: int, counted: int, note: str, note_over: int) -> str:
    """The note a close needs: required when the drawer is off by more than `note_over` cents."""
    note = clean_text(note, 200)
    if abs(counted - expected) > note_over and not note:
        raise InvalidInput(
            "The drawer is {diff} off: write a note saying why before closing", diff=format_money(counted - expected)
        )
    return note


def check_cash_move(kind: str, amount: int, reason: str, cash_in_drawer: int) -> str:
    if kind not in ("paid_in", "paid_out"):
        raise InvalidInput("Unknown cash movement {kind}", kind=kind)
    if amount <= 0:
        raise InvalidInput("The amount must be more than zero")
    reason = clean_text(reason, 100)
    if not reason:
        raise InvalidInput("Say what the cash is for (e.g. change from the bank, delivery paid)")
    if kind == "paid_out" and amount > cash_in_drawer:
        raise InvalidInput("Only {cash} in the drawer", cash=format_money(cash_in_drawer))
    return reason
