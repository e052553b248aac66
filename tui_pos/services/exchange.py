"""Exchange instead of refund: the returned goods' value pays for a new sale.

Step 4 of the wizard only checks the policy and the approval and hands the cashier an
`ExchangeCredit`; nothing is written until the new sale is paid. Then the refund (tender
`exchange`) and the new sale are recorded in ONE transaction and point at each other, so
a customer who walks away leaves no half exchange behind. If the credit is more than the
new sale, the rest goes back the way the cashier chose on the review step (cash by default).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tui_pos.domain.basket import Basket
from tui_pos.domain.errors import InvalidInput
from tui_pos.domain.refund import RefundQuote
from tui_pos.domain.staff import Staff, require
from tui_pos.domain.tenders import PaymentPlan, TenderKind
from tui_pos.services import checkout, refunds
from tui_pos.services.checkout import SaleResult
from tui_pos.services.context import Context
from tui_pos.services.refunds import RefundDraft, RefundResult
from tui_pos.store.models import RefundRow


@dataclass(frozen=True)
class ExchangeCredit:
    draft: RefundDraft
    quote: RefundQuote
    order_no: str  # the original order, or "" without a receipt
    member_id: int | None
    approver: Staff | None

    @property
    def amount(self) -> int:
        return self.quote.amount

    @property
    def back_tender(self) -> str:
        """How credit the new sale does not use goes back to the customer: the new sale uses the
        parts first in the policy's order, so what is left is in the last part."""
        return self.quote.parts[-1].tender if self.quote.parts else self.quote.tender


@dataclass(frozen=True)
class ExchangeResult:
    sale: SaleResult
    refund: RefundResult
    given_back: int  # credit the new sale did not use, returned by `back_tender`
    back_tender: str


def start(ctx: Context, actor: Staff, draft: RefundDraft, approver: tuple[str, str] | None = None) -> ExchangeCredit:
    """Step 4 of an exchange: the same policy and approval as a refund, nothing written yet."""
    require(actor, "refund")
    q = refunds.quote(ctx, actor, draft)
    if q.amount <= 0:
        raise InvalidInput("Nothing to exchange")
    approved_by = refunds.check_approver(ctx, actor, q, approver)
    order_no = refunds.load_order(ctx, draft.sale_id).sale.order_no if draft.sale_id is not None else ""
    member_id = refunds.member_of(ctx, draft)
    return ExchangeCredit(draft, q, order_no, member_id, approved_by)


def new_plan(ctx: Context, basket: Basket, credit: ExchangeCredit) -> PaymentPlan:
    """The new sale's payment, with the credit applied first."""
    plan = checkout.new_plan(ctx, basket, credit=credit.amount)
    if plan.due > 0:
        plan.add(TenderKind.EXCHANGE, min(credit.amount, plan.due), reference=credit.order_no)
    return plan


def complete(ctx: Context, actor: Staff, basket: Basket, plan: PaymentPlan, credit: ExchangeCredit) -> ExchangeResult:
    """Record the refund of the returned goods and the new sale together."""
    require(actor, "refund")
    used = plan.used(TenderKind.EXCHANGE)
    if used > credit.amount:
        raise InvalidInput("Exchange credit is {credit}", credit=str(credit.amount))
    given_back = credit.amount - used
    recorded: list[RefundResult] = []
    draft = refunds.with_uids(credit.draft)
    claimed = refunds.claim(ctx, draft)  # an order head office holds: its units claimed there first

    def record_refund(sale_id: int, at: datetime) -> None:
        recorded.append(
            refunds.record_exchange(ctx, actor, draft, credit.quote, credit.approver, at, sale_id, used, claimed)
        )

    sale = checkout.complete_sale(ctx, actor, basket, plan, also=record_refund)
    return ExchangeResult(sale, recorded[0], given_back, credit.back_tender)


def refund_of_sale(sale_id: int) -> str | None:
    """The exchange refund a sale was paid with, if any (the sale's side of the link)."""
    row = RefundRow.get_or_none(RefundRow.exchange_sale == sale_id)
    return row.refund_no if row else None
