"""What the refund wizard has gathered so far; nothing is stored until step 4.

Every step shares one `WizardState`, so Escape back to an earlier step keeps what was typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from tui_pos.domain.refund import LineHistory, Pick, RefundQuote
from tui_pos.domain.refund_tenders import ORIGINAL
from tui_pos.i18n import tr
from tui_pos.services.refunds import OrderLookup, RefundDraft, RefundResult, new_refund_uid


@dataclass
class WizardState:
    # when the wizard was opened, by the till's clock (ctx.now(): fixed or training clocks too)
    opened_at: datetime
    lookup: OrderLookup | None = None
    qty: dict[int, int] = field(default_factory=dict)  # sale line id -> units to refund
    disposition: dict[int, str] = field(default_factory=dict)  # sale line id -> what happens to the goods
    reason: str = "quality"
    note: str = ""
    tender: str = ORIGINAL  # each part back the way it was paid; Ctrl+T on step 3 picks one tender
    reference: str = ""
    amount: int | None = None
    quote: RefundQuote | None = None
    result: RefundResult | None = None
    # without a receipt: the products brought back (product id -> units) and the customer
    no_receipt: bool = False
    exchange: bool = False  # step 4 hands the amount to checkout as credit instead of paying out
    history: dict[int, LineHistory] = field(default_factory=dict)
    member_id: int | None = None
    # the uids a head office claim is made with, kept so that confirming again claims nothing twice
    refund_uid: str = field(default_factory=new_refund_uid)
    line_uids: dict[int, str] = field(default_factory=dict)  # sale line id -> its refund line's uid

    @property
    def lines(self) -> dict[int, LineHistory]:
        return self.lookup.history if self.lookup is not None else self.history

    @property
    def order_no(self) -> str:
        return self.lookup.sale.order_no if self.lookup is not None else tr("No receipt")

    @property
    def has_member(self) -> bool:
        return (self.lookup.sale.member_id if self.lookup is not None else self.member_id) is not None

    def draft(self) -> RefundDraft:
        picks = tuple(
            Pick(line_id, qty, self.disposition.get(line_id, "restock")) for line_id, qty in self.qty.items() if qty
        )
        sale_id = self.lookup.sale.id if self.lookup is not None else None
        return RefundDraft(
            sale_id,
            picks,
            self.reason,
            self.note,
            self.tender,
            self.reference,
            self.amount,
            self.opened_at,
            self.member_id,
            self.refund_uid,
            tuple((p.sale_line_id, self.line_uids.setdefault(p.sale_line_id, new_refund_uid())) for p in picks),
        )
