"""The cash refund: find the order, quote what policy allows, confirm (with approval where
needed), pay out, and track every refund by its number.

Nothing is written before `confirm` (or `park`). `confirm` re-reads what each line already
gave back inside one IMMEDIATE transaction, so two tills refunding the same order at the
same moment can never give back more than was paid.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, TypedDict

from tui_pos.domain.catalog import clean_text
from tui_pos.domain.chain import CentralOrder
from tui_pos.domain.errors import Conflict, InvalidInput, NeedsApproval, NotFound, RefundNotAllowed
from tui_pos.domain.money import format_money, normalize_digits
from tui_pos.domain.numbers import read_number
from tui_pos.domain.refund import LineHistory, Pick, RefundQuote, SaleFacts, quote_refund
from tui_pos.domain.refund_tenders import ORIGINAL, TenderPart, ways
from tui_pos.domain.sales import SaleDetail, SaleSummary, is_refund_no
from tui_pos.domain.staff import Role, Staff, require
from tui_pos.domain.tenders import TenderKind
from tui_pos.i18n import tr
from tui_pos.labels import approvals, role, status
from tui_pos.services import printing, reports, shifts
from tui_pos.services import staff as staff_service
from tui_pos.services.context import Context
from tui_pos.store import audit, fast, order_mirror, outbox, queries, refund_queries
from tui_pos.store.db import write
from tui_pos.store.models import (
    MemberRow,
    PaymentRow,
    PointsMoveRow,
    ProductRow,
    RefundEventRow,
    RefundLineRow,
    RefundRow,
    RefundTenderRow,
    StockMoveRow,
    StoredValueMoveRow,
    new_uid,
)
from tui_pos.store.refund_queries import OrderToRefund, RefundDetail, RefundSummary
from tui_pos.store.sequences import next_number


@dataclass(frozen=True)
class OrderLookup:
    sale: SaleDetail
    history: dict[int, LineHistory]
    facts: SaleFacts
    refunds: tuple[RefundSummary, ...]
    refusal: str  # why nothing can be refunded; empty when something can
    warnings: tuple[str, ...]  # e.g. outside the window: needs a supervisor

    @property
    def refundable(self) -> bool:
        return not self.refusal


@dataclass(frozen=True)
class RefundDraft:
    """What the cashier chose in steps 1-3; nothing of it is stored until confirm/park.

    Without a receipt `sale_id` is None, each pick names a product id instead of a sale
    line, and `member_id` may name the customer (for member prices and stored value)."""

    sale_id: int | None
    picks: tuple[Pick, ...]
    reason: str
    note: str = ""
    tender: str = ORIGINAL  # each part back the way it was paid (refund_tenders); or one tender for all
    reference: str = ""
    amount: int | None = None  # lowered by the cashier; None = what policy allows
    opened_at: datetime | None = None
    member_id: int | None = None
    # chosen before a head office claim and kept by the wizard, so a retry claims the same units:
    # the refund's uid and (sale line id, refund line uid) per pick; made at confirm when empty
    refund_uid: str = ""
    line_uids: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class RefundResult:
    refund_no: str
    status: str
    amount: int
    tender: str
    approver_code: str
    print_job_id: int | None
    parts: tuple[TenderPart, ...] = ()  # the money per tender


# ---- step 1 ---------------------------------------------------------------------------


def _refusal(ctx: Context, order: OrderToRefund) -> tuple[str, list[str]]:
    """Why nothing of the order can be refunded ("" when something can), and what the cashier
    should know about the rest (outside the window: a supervisor must approve)."""
    policy = ctx.config.refund_policy
    if order.training != ctx.config.training:
        return (
            tr("This is a training order: it cannot be refunded in live mode")
            if order.training
            else tr("This is a live order: it cannot be refunded in training mode")
        ), []
    if order.status not in ("completed", order_mirror.MIRROR_STATUS):
        return tr("This order was voided"), []
    if all(h.remaining == 0 for h in order.history.values()):
        return tr("This order is fully refunded"), []
    rules = [policy.rule_for(h.policy_code, h.category) for h in order.history.values() if h.remaining]
    if all(not r.refundable for r in rules):
        return rules[0].text(), []
    late = [r for r in rules if ctx.now() - order.facts.sold_at > policy.window(r, order.facts.member_level)]
    if late and len(late) == len(rules) and not policy.approval_outside_window:
        return tr("Outside the refund window: {rule}", rule=late[0].text()), []
    return "", [tr("Outside the refund window: a supervisor must approve")] if late else []


def _load(ctx: Context, sale: SaleDetail) -> OrderLookup:
    """The order as step 1 shows it: with what was refunded of it, and why it may not be."""
    order = refund_queries.order_to_refund(sale.id)
    assert order is not None  # the sale was just read, and sales are never deleted
    refusal, warnings = _refusal(ctx, order)
    flag = reports.member_flag(ctx, sale.member_id)
    if flag is not None:
        warnings.append(tr("Worth a look: this member made {text}", text=tr(flag.text, **flag.params)))
    return OrderLookup(
        sale, order.history, order.facts, tuple(refund_queries.refunds_of_sale(sale.id)), refusal, tuple(warnings)
    )


def find_order(ctx: Context, text: str) -> OrderLookup:
    """Step 1: what a scanned receipt barcode (the number without dashes) or a typed order
    number finds."""
    order_no = read_number(normalize_digits(clean_text(text, 40)).upper())
    if not order_no:
        raise InvalidInput("Scan the receipt or type the order no.")
    sale = queries.sale_detail(order_no=order_no)
    if _chain(ctx) and (sale is None or not _held_here(sale.id)):
        found = _from_head_office(ctx, order_no, sale)
        if found is not None:
            return _load(ctx, found)
    if sale is None:
        if order_no.startswith("T") != ctx.config.training and order_no.lstrip("T").startswith("S"):
            raise RefundNotAllowed(
                "This is a training order: it cannot be refunded in live mode"
                if order_no.startswith("T")
                else "This is a live order: it cannot be refunded in training mode"
            )
        if is_refund_no(order_no):
            raise NotFound("{no} is a refund no., not an order no.: find it in the refund list", no=order_no)
        raise NotFound("No order {no}", no=order_no)
    return _load(ctx, sale)


def load_order(ctx: Context, sale_id: int) -> OrderLookup:
    sale = queries.sale_detail(sale_id=sale_id)
    if sale is None:
        raise NotFound("No order {no}", no=str(sale_id))
    return _load(ctx, sale)


def member_orders(ctx: Context, text: str, limit: int = 20) -> tuple[int, str, list[SaleSummary]]:
    """Step 1 without a receipt number: a member's card no. or phone, then pick an order."""
    from tui_pos.services.members import find_one

    member = find_one(text)
    return member.id, member.name, queries.recent_sales(member.id, limit)


# ---- the chain: one authority per order -------------------------------------------------
# An order is refunded by its own store until its upload has started, by head office from then
# on (for every store, its own included): see store/outbox.local_authority.

HELD_OFFLINE = "This order is held by head office; the link is down: refund it when the link is back"
FOREIGN_OFFLINE = "This order is from store {code}; the link to head office is down"
UPLOADING = "Uploading this order to head office: try again in a moment"


def _chain(ctx: Context) -> bool:
    """A chain's live till: head office holds the orders it has received (training never syncs)."""
    return bool(ctx.config.central.url) and not ctx.config.training


def chain_rules(ctx: Context) -> list[str]:
    """The policy page's sentences on who refunds what in a chain (none for a store on its own)."""
    if not _chain(ctx):
        return []
    return [
        tr(
            "An order of any store of the chain can be refunded here: orders of other stores, and this "
            "store's orders once uploaded, through head office"
        ),
        tr(
            "With the link to head office down only this store's orders not uploaded yet can be refunded; "
            "the others wait until the link is back"
        ),
    ]


def _sale_uid(sale_id: int) -> tuple[str, str]:
    row = fast.run("SELECT uid, status FROM sale WHERE id = ?", (sale_id,)).fetchone()
    return (str(row[0]), str(row[1])) if row is not None else ("", "")


def _held_here(sale_id: int) -> bool:
    """This store alone may refund the sale: its own, and none of its changes attempted yet."""
    uid, status = _sale_uid(sale_id)
    return status != order_mirror.MIRROR_STATUS and outbox.local_authority(uid)


def _store_of(order_no: str) -> str:
    """The store code in an order no. (S02-20261201-0001 -> 02); "" for a number without one."""
    head = order_no.lstrip("T")
    if not head.startswith("S") or "-" not in head:
        return ""
    code = head[1:].split("-", 1)[0]
    return code if not code.isdigit() or len(code) < 8 else ""


def _from_head_office(ctx: Context, order_no: str, sale: SaleDetail | None) -> SaleDetail | None:
    """The order as head office holds it, kept here (a mirror of another store's, or this
    store's own with what others refunded of it): the local sale to go on with. None when head
    office does not know a number this store does not know either. Refused with plain words
    when the link is down or this store's upload of the order is still on its way."""
    from tui_pos.central.errors import CentralDown

    try:
        central = head_office_order(ctx, order_no)
    except CentralDown:
        mine = sale is not None and _sale_uid(sale.id)[1] != order_mirror.MIRROR_STATUS
        code = _store_of(order_no)
        if sale is None and (not code or code == ctx.config.store_code.upper()):
            return None  # not this store's and no other store's number: "No order" as always
        if mine or not code:
            raise RefundNotAllowed(HELD_OFFLINE) from None
        raise RefundNotAllowed(FOREIGN_OFFLINE, code=code) from None
    if central is None:
        if sale is not None and _sale_uid(sale.id)[1] != order_mirror.MIRROR_STATUS:
            raise RefundNotAllowed(UPLOADING)  # attempted, not at head office yet
        return None
    sale_id = write(lambda: order_mirror.keep(central))
    return queries.sale_detail(sale_id=sale_id)


def head_office_order(ctx: Context, order_no: str) -> CentralOrder | None:
    """head office's look-up over the till's own line (services/head_office)."""
    from tui_pos.central import refunds as central_refunds
    from tui_pos.config import shop_zone
    from tui_pos.services import head_office

    zone = shop_zone(ctx.config)
    return head_office.call(ctx, lambda db: central_refunds.find_order(db, order_no, zone=zone))


def new_refund_uid() -> str:
    """A uid for a refund or refund line chosen before it is written (see RefundDraft)."""
    return new_uid()


def with_uids(draft: RefundDraft) -> RefundDraft:
    """The draft with its refund uid and a refund line uid per pick (kept ones stay)."""
    kept = dict(draft.line_uids)
    uids = tuple((p.sale_line_id, kept.get(p.sale_line_id) or new_uid()) for p in draft.picks)
    return replace(draft, refund_uid=draft.refund_uid or new_uid(), line_uids=uids)


def claim(ctx: Context, draft: RefundDraft) -> bool:
    """Before the local write of a refund of an order head office holds: its units claimed there
    with the draft's uids (a retry claims nothing twice). False when this store holds the order.
    Refused (ChainRefused, naming what remains; the mirror refreshed) or, the link down, refused
    with the plain words; nothing is written here then."""
    if draft.sale_id is None or not _chain(ctx) or _held_here(draft.sale_id):
        return False
    from tui_pos.central import refunds as central_refunds
    from tui_pos.central.errors import CentralDown, ChainRefused
    from tui_pos.services import head_office

    sale_uid, status = _sale_uid(draft.sale_id)
    uid_of_line = dict(fast.run("SELECT id, uid FROM sale_line WHERE sale_id = ?", (draft.sale_id,)).fetchall())
    line_uids = dict(draft.line_uids)
    picks = [(str(uid_of_line[p.sale_line_id]), p.qty, line_uids[p.sale_line_id]) for p in draft.picks if p.qty]

    def claim(db: Any) -> None:
        number = head_office.store_no(ctx, db)
        central_refunds.claim_refund(db, number, sale_uid, picks, draft.refund_uid)

    order_no = queries.order_no_of(draft.sale_id)
    try:
        head_office.call(ctx, claim)
    except CentralDown:
        if status == order_mirror.MIRROR_STATUS:
            origin = fast.run("SELECT origin_store FROM sale WHERE id = ?", (draft.sale_id,)).fetchone()
            raise RefundNotAllowed(FOREIGN_OFFLINE, code=str(origin[0]) if origin else "?") from None
        raise RefundNotAllowed(HELD_OFFLINE) from None
    except ChainRefused:
        try:  # what remains, shown when the order is looked at again
            central = head_office_order(ctx, order_no)
            if central is not None:
                write(lambda: order_mirror.keep(central))
        except CentralDown:
            pass
        raise
    return True


# ---- step 3 ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Basis:
    """What a refund is measured against: the order's lines, or for a no-receipt refund the
    products at today's price. Keys are sale line ids, or product ids without a receipt."""

    sale_id: int | None
    order_no: str | None
    history: dict[int, LineHistory]
    facts: SaleFacts
    refusal: str
    member_id: int | None
    member_card: str
    product_of: dict[int, int]

    @property
    def no_receipt(self) -> bool:
        return self.sale_id is None


def _basis(ctx: Context, draft: RefundDraft) -> _Basis:
    if draft.sale_id is not None:
        order = refund_queries.order_to_refund(draft.sale_id)
        if order is None:
            raise NotFound("No order {no}", no=str(draft.sale_id))
        return _Basis(
            order.sale_id,
            order.order_no,
            order.history,
            order.facts,
            _refusal(ctx, order)[0],
            order.member_id,
            order.member_card,
            order.product_of,
        )
    member = queries.member_by_id(draft.member_id) if draft.member_id else None
    history: dict[int, LineHistory] = {}
    for pick in draft.picks:
        product = queries.product_by_id(pick.sale_line_id)
        if product is None:
            raise NotFound("No product {code}", code=str(pick.sale_line_id))
        unit = product.member_price if member is not None and product.member_price else product.price
        history[product.id] = LineHistory(
            product.id,
            product.name,
            product.category,
            product.refund_policy,
            pick.qty,
            unit * pick.qty,
            name_en=product.name_en,
            barcode=product.barcode,
        )
    facts = SaleFacts(
        sold_at=ctx.now(),
        total=sum(h.paid for h in history.values()),
        points_cents=0,
        points_earned=0,
        member_level=member.level if member else None,
        member_points=member.points if member else 0,
    )
    return _Basis(
        None,
        None,
        history,
        facts,
        "",
        member.id if member else None,
        member.card_no if member else "",
        {h: h for h in history},
    )


def lines_without_receipt(
    ctx: Context, scanned: dict[int, int], member_id: int | None = None
) -> dict[int, LineHistory]:
    """The lines a no-receipt refund starts from: product id -> units brought back, at today's
    price (the member price when the customer is a member)."""
    picks = tuple(Pick(product_id, qty) for product_id, qty in scanned.items() if qty)
    return _basis(ctx, RefundDraft(None, picks, "other", member_id=member_id)).history


def _limit_base(ctx: Context, staff_id: int, sale_id: int | None, before: int = 0, shift_id: int | None = None) -> int:
    """What the approval limit already covers ahead of this refund: the order's earlier refunds
    (limits are cumulative, so splitting a refund does not evade them), and with [refund_limits]
    per_shift the refunder's refunds of the shift (`shift_id`, else this till's) if that is more."""
    if not ctx.config.refund_policy.limit_per_shift:
        shift_id = None
    elif shift_id is None:
        shift_id = shifts.current_id(ctx)
    return refund_queries.refunded_before(sale_id, staff_id if shift_id is not None else None, shift_id, before)


def _quote(ctx: Context, actor: Staff, basis: _Basis, draft: RefundDraft) -> RefundQuote:
    if basis.refusal:
        raise RefundNotAllowed(basis.refusal)
    if draft.tender == "stored_value" and basis.member_id is None:
        raise InvalidInput("Stored value refunds need a member order")
    q = quote_refund(
        ctx.config.refund_policy,
        basis.facts,
        basis.history,
        list(draft.picks),
        reason=draft.reason,
        tender=draft.tender,
        actor_role=actor.role,
        now=ctx.now(),
        cents_per_point=ctx.config.cents_per_point,
        no_receipt=basis.no_receipt,
        requested_amount=draft.amount,
        actor_limit=actor.refund_limit,
        limit_base=_limit_base(ctx, actor.id, basis.sale_id),
    )
    if basis.member_id is None and any(p.tender == TenderKind.STORED_VALUE for p in q.parts):
        raise InvalidInput("Stored value refunds need a member order")
    # the reference the cashier typed (card slip, app transaction) for parts that have none of their own
    reference = clean_text(draft.reference, 64)
    if reference and any(not p.reference and p.tender not in ("cash", "stored_value") for p in q.parts):
        q = replace(
            q,
            parts=tuple(
                replace(p, reference=reference) if not p.reference and p.tender not in ("cash", "stored_value") else p
                for p in q.parts
            ),
        )
    return q


def tender_choices(ctx: Context, draft: RefundDraft) -> tuple[str, ...]:
    """Step 3's Ctrl+T: ORIGINAL (each part back the way it was paid), then every tender all of
    the order's tenders may go back by. Without a receipt: any tender."""
    basis = _basis(ctx, draft)
    if basis.no_receipt:
        options = ["cash", "card", "wechat", "alipay"] + (["stored_value"] if basis.member_id else [])
        return (ORIGINAL, *options[1:])
    policy = ctx.config.refund_policy
    paid_by = [p.tender for p in basis.facts.paid if p.left] or [p.tender for p in basis.facts.paid]
    common = [t for t in ("cash", "stored_value", "card", "wechat", "alipay") if paid_by]
    for tender in paid_by:
        common = [t for t in common if t in ways(policy.tender_ways, tender)]
    if basis.member_id is None:
        common = [t for t in common if t != "stored_value"]
    defaults = {ways(policy.tender_ways, t)[0] for t in paid_by}
    return (ORIGINAL, *(t for t in common if {t} != defaults))


def quote(ctx: Context, actor: Staff, draft: RefundDraft) -> RefundQuote:
    """Step 3: what the policy allows for these lines, and whether someone must approve."""
    require(actor, "refund")
    return _quote(ctx, actor, _basis(ctx, draft), draft)


def approval_text(quote_: RefundQuote) -> list[str]:
    words = approvals(quote_.approvals)
    if "over_limit" in quote_.approvals and quote_.limit_base:  # the limit counts earlier refunds too
        at = quote_.approvals.index("over_limit")
        words[at] = tr(
            "{why}: {amount} with the {before} refunded before",
            why=words[at],
            amount=format_money(quote_.counted, "￥"),
            before=format_money(quote_.limit_base, "￥"),
        )
    return words


# ---- step 4 ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Stored:
    """What paying out needs of a recorded refund: taken from what was just written, or read
    back for a parked one. (Plain values, not the ORM row: the confirm path runs under the
    write lock, and each lazy read or save() through the ORM costs more than the SQL itself.)"""

    id: int
    refund_no: str
    sale_id: int | None
    order_no: str | None
    member_id: int | None
    tender: str
    reason: str
    note: str
    reference: str
    no_receipt: bool
    shift_id: int | None  # once paid: the drawer the money came out of
    lines: tuple[tuple[int, int, str], ...]  # (product id, qty, disposition)


def _stored(row: RefundRow, lines: list[RefundLineRow]) -> _Stored:
    return _Stored(
        row.id,
        row.refund_no,
        row.sale_id,
        row.sale.order_no if row.sale_id and row.sale else None,
        row.member_id,
        row.tender,
        row.reason,
        row.note,
        row.reference,
        row.no_receipt,
        row.shift_id,
        tuple((ln.product_id, ln.qty, ln.disposition) for ln in lines),
    )


class _PaidColumns(TypedDict):
    status: str
    paid_at: datetime
    shift: int | None
    approver: int | None


def _paid(ctx: Context, approved_by: Staff | None, at: datetime) -> _PaidColumns:
    """The columns of a refund whose money is out: when, from which drawer, who approved."""
    return _PaidColumns(
        status="paid", paid_at=at, shift=shifts.open_shift_id(ctx), approver=approved_by.id if approved_by else None
    )


def _event(refund_id: int, staff_code: str, event: str, note: str = "", at: datetime | None = None) -> None:
    fast.insert(
        RefundEventRow,
        refund=refund_id,
        staff_code=staff_code,
        event=event,
        note=note[:200],
        at=at or datetime.now().replace(microsecond=0),
    )


def _apply_moves(ctx: Context, row: _Stored, q: RefundQuote, at: datetime, parts: tuple[TenderPart, ...]) -> None:
    """Money, stock, points and stored value for a refund that is being paid out: the money
    goes back part by part, each by its own tender (stored value onto the member's balance)."""
    sale_id, member_id, shift_id = row.sale_id, row.member_id, row.shift_id
    for part in parts:
        if part.amount:
            fast.insert(
                PaymentRow,
                refund=row.id,
                sale=sale_id,
                tender=part.tender,
                amount=-part.amount,
                reference=part.reference or row.reference,
                created_at=at,
                shift=shift_id,
            )
    if q.points_returned:
        fast.insert(
            PaymentRow,
            refund=row.id,
            sale=sale_id,
            tender=TenderKind.POINTS.value,
            amount=-(q.points_returned * ctx.config.cents_per_point),
            points=-q.points_returned,
            created_at=at,
            shift=shift_id,
        )
    for product_id, qty, disposition in row.lines:
        fast.insert(StockMoveRow, product=product_id, qty=qty, reason="refund", refund=row.id, sale=sale_id, at=at)
        if disposition == "restock":
            fast.add(ProductRow, product_id, stock=qty)
        else:  # came back but cannot be sold: in and straight out again, so both moves are visible
            fast.insert(
                StockMoveRow, product=product_id, qty=-qty, reason=disposition, refund=row.id, sale=sale_id, at=at
            )
    if member_id:
        delta = q.points_returned - q.points_reversed
        if q.points_returned:
            fast.insert(
                PointsMoveRow,
                member=member_id,
                points=q.points_returned,
                reason="refund_return",
                refund=row.id,
                sale=sale_id,
                at=at,
            )
        if q.points_reversed:
            fast.insert(
                PointsMoveRow,
                member=member_id,
                points=-q.points_reversed,
                reason="refund_reverse",
                refund=row.id,
                sale=sale_id,
                at=at,
            )
        balance = sum(p.amount for p in parts if p.tender == TenderKind.STORED_VALUE)
        if balance:
            fast.insert(
                StoredValueMoveRow,
                member=member_id,
                amount=balance,
                reason="refund",
                refund=row.id,
                sale=sale_id,
                at=at,
            )
        if delta or balance:
            fast.add(MemberRow, member_id, points=delta, balance=balance)


def second_person_needed(ctx: Context, q: RefundQuote) -> bool:
    """Dual control: a refund that needs approval and comes (with what it is counted with) to more
    than [refund_limits] self_approval_max is approved by someone else, whatever the refunder's role."""
    return q.approver_role is not None and q.counted > ctx.config.refund_policy.self_approval_max


def _wanted(ctx: Context, actor: Staff, q: RefundQuote) -> NeedsApproval | None:
    """Whose code and PIN a refund still needs (as the error to raise without them), or None when
    the refunder's own role covers it."""
    if q.approver_role is None:
        return None
    words = approval_text(q)
    if actor.role < q.approver_role:
        why = "; ".join(words)
        return NeedsApproval("A {role} must approve: {why}", reasons=q.approvals, role=role(q.approver_role), why=why)
    if second_person_needed(ctx, q):
        # the message says it is above what one may refund alone: the other reasons follow, if any
        others = [w for code, w in zip(q.approvals, words, strict=True) if code != "second_person"]
        amount, who = format_money(ctx.config.refund_policy.self_approval_max, "￥"), role(q.approver_role)
        if not others:
            return NeedsApproval(
                "Above {amount} nobody approves their own refund: another {role} enters their code and PIN",
                reasons=q.approvals,
                amount=amount,
                role=who,
            )
        return NeedsApproval(
            "Above {amount} nobody approves their own refund: another {role} enters their code and PIN ({why})",
            reasons=q.approvals,
            amount=amount,
            role=who,
            why="; ".join(others),
        )
    return None


def approval_wanted(ctx: Context, actor: Staff, q: RefundQuote) -> str:
    """Step 4's words for whose code and PIN are needed; "" when the refunder's own role covers it."""
    wanted = _wanted(ctx, actor, q)
    return wanted.message if wanted is not None else ""


def check_approver(ctx: Context, actor: Staff, q: RefundQuote, approver: tuple[str, str] | None) -> Staff | None:
    """Who approves this refund: nobody, the actor (their role covers it and the refund is within
    what one may approve alone) or the code+PIN given."""
    wanted = _wanted(ctx, actor, q)
    if wanted is None:
        return actor if q.approver_role is not None else None  # own role covers it: recorded as self-approved
    if approver is None:
        raise wanted
    assert q.approver_role is not None
    code, pin = approver
    if code.strip() == actor.code:
        raise InvalidInput("Approval must come from someone else")
    approved = staff_service.approve(ctx, code, pin, q.approver_role, for_action="refund")
    require(approved, "approve_refund")
    return approved


def _record(
    ctx: Context,
    actor: Staff,
    draft: RefundDraft,
    at: datetime,
    expected: RefundQuote | None,
    claimed: bool = False,
    **columns: Any,
) -> tuple[_Stored, RefundQuote]:
    """Re-read the order under the write lock, re-quote, and store the refund and its lines.
    `columns`: its status (with _paid's when it is paid at once), an exchange's tender and sale."""
    basis = _basis(ctx, draft)
    if basis.sale_id is not None and _chain(ctx) and not claimed and not _held_here(basis.sale_id):
        # the upload took the order since step 1 (read again under the write lock): head office's now
        raise RefundNotAllowed(UPLOADING if _sale_uid(basis.sale_id)[1] != order_mirror.MIRROR_STATUS else HELD_OFFLINE)
    fresh = _quote(ctx, actor, basis, draft)
    if expected is not None and (fresh.amount, fresh.approvals) != (expected.amount, expected.approvals):
        raise Conflict("This order was refunded elsewhere meanwhile; review the amount again")
    values = (
        dict(
            refund_no=next_number("R", at.date(), ctx.config.order_prefix, store=ctx.config.store_code),
            sale=basis.sale_id,
            member=basis.member_id,
            staff=actor.id,
            reason=draft.reason,
            note=clean_text(draft.note, 200),
            tender=fresh.tender,
            reference=clean_text(draft.reference, 64),
            allowed=fresh.allowed,
            amount=fresh.amount,
            fee=fresh.fee,
            points_returned=fresh.points_returned,
            points_reversed=fresh.points_reversed,
            points_spent=fresh.spent.points,
            spent_deducted=fresh.spent.deducted,
            spent_policy=fresh.spent.policy,
            override=fresh.override,
            no_receipt=basis.no_receipt,
            training=ctx.config.training,
            policy_text="\n".join(fresh.rules),
            approval_reasons=",".join(fresh.approvals),
            created_at=at,
            opened_at=draft.opened_at,
        )
        | columns
    )
    if "shift" not in values:  # parked: the shift it was asked in (it is paid from whichever is open then)
        values["shift"] = shifts.current_id(ctx)
    line_uids = dict(draft.line_uids)
    if draft.refund_uid:  # head office's claim was made with these: the refund's rows carry them
        if RefundRow.select().where(RefundRow.uid == draft.refund_uid).exists():
            raise Conflict("This refund was recorded already: find it in the refund list")
        values["uid"] = draft.refund_uid
    refund_id = fast.insert(RefundRow, **values)
    lines = []
    for lq in fresh.lines:
        product_id = basis.product_of[lq.sale_line_id]
        uid = {"uid": line_uids[lq.sale_line_id]} if lq.sale_line_id in line_uids and not basis.no_receipt else {}
        fast.insert(
            RefundLineRow,
            **uid,
            refund=refund_id,
            sale_line=None if basis.no_receipt else lq.sale_line_id,
            product=product_id,
            name=lq.name,
            qty=lq.qty,
            amount=lq.amount,
            disposition=lq.disposition,
        )
        lines.append((product_id, lq.qty, lq.disposition))
    stored = _Stored(
        refund_id,
        values["refund_no"],
        basis.sale_id,
        basis.order_no,
        basis.member_id,
        values["tender"],
        values["reason"],
        values["note"],
        values["reference"],
        basis.no_receipt,
        values["shift"],
        tuple(lines),
    )
    return stored, fresh


def _save_parts(refund_id: int, parts: tuple[TenderPart, ...]) -> None:
    """The refund's money per tender, kept as soon as it is recorded (parked too: it holds its
    share of each tender as it holds its units)."""
    for part in parts:
        fast.insert(
            RefundTenderRow,
            refund=refund_id,
            paid_by=part.paid_by,
            tender=part.tender,
            amount=part.amount,
            fee=part.fee,
            reference=part.reference,
        )


def _pay(
    ctx: Context,
    actor: Staff,
    row: _Stored,
    q: RefundQuote,
    approved_by: Staff | None,
    at: datetime,
    parts: tuple[TenderPart, ...],
    action: str = "refund",
    refunder_id: int | None = None,
) -> None:
    """The money, goods and points of a refund already marked paid (see _paid). `refunder_id`:
    who asked for it, when that is not `actor` (a parked refund paid on approval)."""
    _apply_moves(ctx, row, q, at, parts)
    if approved_by:
        _event(row.id, approved_by.code, "approved", ",".join(q.approvals), at=at)
    _event(row.id, actor.code, "paid", row.tender, at=at)
    audit.append(
        actor.code,
        action,
        row.refund_no,
        {
            "order": row.order_no,
            "amount": q.amount,
            "tender": q.tender,
            "approver": approved_by.code if approved_by else None,
            "self_approved": approved_by is not None and approved_by.id == (refunder_id or actor.id),
            "limit_base": q.limit_base,
            "approvals": list(q.approvals),
            "no_receipt": row.no_receipt,
            "parts": [[p.paid_by, p.tender, p.amount] for p in parts],
            "points_spent": q.spent.points,
            "spent_policy": q.spent.policy,
        },
    )
    credit = sum(p.amount for p in parts if p.tender == TenderKind.STORED_VALUE)
    if credit and row.member_id:
        audit.append(actor.code, "stored_value_refund", row.refund_no, {"member": row.member_id, "amount": credit})


def confirm(
    ctx: Context,
    actor: Staff,
    draft: RefundDraft,
    approver: tuple[str, str] | None = None,
    *,
    expected: RefundQuote | None = None,
) -> RefundResult:
    """Step 4: record the refund, its lines, the money, stock, points and the voucher, at once."""
    require(actor, "refund")
    # fails early, before any PIN is asked for; the step-3 quote is checked again under the lock
    q = expected if expected is not None else quote(ctx, actor, draft)
    approved_by = check_approver(ctx, actor, q, approver)
    draft = with_uids(draft)
    claimed = claim(ctx, draft)  # head office first when it holds the order; then the local write

    def record() -> RefundResult:
        at = ctx.now()
        row, fresh = _record(ctx, actor, draft, at, q, claimed, **_paid(ctx, approved_by, at))
        _save_parts(row.id, fresh.parts)
        _event(row.id, actor.code, "created", at=at)
        _pay(ctx, actor, row, fresh, approved_by, at, fresh.parts)
        job = printing.queue_voucher(ctx, row.refund_no)
        return RefundResult(
            row.refund_no, "paid", fresh.amount, fresh.tender, approved_by.code if approved_by else "", job, fresh.parts
        )

    return write(record)


def record_exchange(
    ctx: Context,
    actor: Staff,
    draft: RefundDraft,
    expected: RefundQuote,
    approved_by: Staff | None,
    at: datetime,
    sale_id: int,
    used: int,
    claimed: bool = False,
) -> RefundResult:
    """The refund half of an exchange, inside the new sale's transaction (see services.exchange):
    `used` of the credit paid the new sale, the rest goes back part by part as policy says."""
    row, fresh = _record(
        ctx,
        actor,
        draft,
        at,
        expected,
        claimed,
        **_paid(ctx, approved_by, at),
        tender=TenderKind.EXCHANGE.value,
        exchange_sale=sale_id,
    )
    parts = exchange_parts(fresh.parts, used)
    _save_parts(row.id, parts)
    _event(row.id, actor.code, "created", at=at)
    _pay(ctx, actor, row, fresh, approved_by, at, parts, action="exchange")
    fast.update(RefundRow, row.id, status="completed", completed_at=at)
    _event(row.id, actor.code, "exchange", queries.order_no_of(sale_id), at=at)
    job = printing.queue_voucher(ctx, row.refund_no)
    return RefundResult(  # tender `exchange`, as the refund row has it
        row.refund_no, "completed", fresh.amount, row.tender, approved_by.code if approved_by else "", job, parts
    )


def exchange_parts(parts: tuple[TenderPart, ...], used: int) -> tuple[TenderPart, ...]:
    """An exchange's parts: the credit the new sale used is taken from the parts in the policy's
    order (tender `exchange`); what is left of each goes back by its own tender."""
    out: list[TenderPart] = []
    for part in parts:
        take = min(used, part.amount)
        used -= take
        if take:
            out.append(replace(part, tender=TenderKind.EXCHANGE.value, amount=take, fee=0, reference=""))
        if part.amount - take:
            out.append(replace(part, amount=part.amount - take))
    return tuple(out)


def member_of(ctx: Context, draft: RefundDraft) -> int | None:
    return _basis(ctx, draft).member_id


def park(ctx: Context, actor: Staff, draft: RefundDraft) -> RefundResult:
    """Keep a refund that waits for a manager: it holds its quantities, moves no money."""
    require(actor, "refund")
    q = quote(ctx, actor, draft)
    if q.approver_role is None:
        raise InvalidInput("This refund needs no approval; confirm it")
    draft = with_uids(draft)
    claimed = claim(ctx, draft)  # a parked refund holds its units at head office too

    def record() -> RefundResult:
        at = ctx.now()
        row, fresh = _record(ctx, actor, draft, at, None, claimed, status="pending_approval")
        _save_parts(row.id, fresh.parts)
        _event(row.id, actor.code, "parked", ",".join(fresh.approvals), at=at)
        audit.append(actor.code, "refund_parked", row.refund_no, {"amount": fresh.amount})
        return RefundResult(row.refund_no, "pending_approval", fresh.amount, fresh.tender, "", None, fresh.parts)

    return write(record)


def _row(refund_no: str, *statuses: str) -> RefundRow:
    """The refund by number, refused unless it is in one of `statuses` (any, if none given)."""
    row = RefundRow.get_or_none(RefundRow.refund_no == refund_no.strip().upper())
    if row is None:
        raise NotFound("No refund {no}", no=refund_no[:30])
    if statuses and row.status not in statuses:
        if "pending_approval" in statuses:
            raise InvalidInput(
                "Refund {no} is {status}, not waiting for approval", no=row.refund_no, status=status(row.status)
            )
        raise InvalidInput("Refund {no} is {status}, not paid", no=row.refund_no, status=status(row.status))
    return row


def approve_parked(ctx: Context, approver: Staff, refund_no: str) -> RefundResult:
    """A manager picks a parked refund from the list and approves it: now the money moves."""
    require(approver, "approve_refund")

    def record() -> RefundResult:
        row = _row(refund_no, "pending_approval")
        policy = ctx.config.refund_policy
        # the limits are cumulative: what was refunded of the order (or shift) before this one counts
        counted = row.amount + _limit_base(ctx, row.staff_id, row.sale_id, before=row.id, shift_id=row.shift_id)
        needed = policy.role_for_amount(counted)
        if approver.id == row.staff_id and counted > policy.self_approval_max:
            raise NeedsApproval(
                "Above {amount} nobody approves their own refund: another {role} must approve it",
                amount=format_money(policy.self_approval_max, "￥"),
                role=role(max(needed, Role.SUPERVISOR)),
            )
        if "over_limit" in row.approval_reasons:  # over a personal limit: someone above the refunder
            needed = max(needed, Role(min(Role.parse(row.staff.role) + 1, Role.MANAGER)))
        if approver.role < max(needed, Role.SUPERVISOR) or (
            "no_receipt" in row.approval_reasons and approver.role < ctx.config.refund_policy.no_receipt_role
        ):
            raise NeedsApproval(
                "A {role} must approve: {why}", role=role(needed), why="; ".join(approvals(row.approval_reasons))
            )
        at = ctx.now()
        lines = list(RefundLineRow.select().where(RefundLineRow.refund == row.id))
        paid = _paid(ctx, approver, at)
        fast.update(RefundRow, row.id, **paid)
        parked = replace(_parked_quote(row, lines), limit_base=counted - row.amount)
        _pay(
            ctx,
            approver,
            replace(_stored(row, lines), shift_id=paid["shift"]),
            parked,
            approver,
            at,
            parked.parts,
            action="refund_approved",
            refunder_id=row.staff_id,
        )
        job = printing.queue_voucher(ctx, row.refund_no)
        return RefundResult(row.refund_no, "paid", row.amount, row.tender, approver.code, job, parked.parts)

    return write(record)


def _parked_quote(row: RefundRow, lines: list[RefundLineRow]) -> RefundQuote:
    from tui_pos.domain.policy import DEFAULT_RULE
    from tui_pos.domain.refund import LineQuote
    from tui_pos.domain.refund_tenders import SpentPoints

    parts = tuple(
        TenderPart(t.paid_by, t.tender, t.amount, t.fee, t.reference)
        for t in RefundTenderRow.select().where(RefundTenderRow.refund == row.id).order_by(RefundTenderRow.id)
    )

    # a no-receipt refund stores no sale line: its quote keyed each line by product id (see _basis)
    return RefundQuote(
        lines=tuple(
            LineQuote(
                ln.sale_line_id if ln.sale_line_id is not None else ln.product_id,
                ln.name,
                ln.qty,
                ln.amount,
                ln.disposition,
                DEFAULT_RULE,
            )
            for ln in lines
        ),
        value=sum(ln.amount for ln in lines),
        points_returned=row.points_returned,
        points_reversed=row.points_reversed,
        fee=row.fee,
        allowed=row.allowed,
        amount=row.amount,
        tender=row.tender,
        approvals=tuple(filter(None, row.approval_reasons.split(","))),
        approver_role=None,
        rules=(),
        outside_window="outside_window" in row.approval_reasons,
        # parked before refund tenders were kept: all of it by the refund's tender
        parts=parts or (TenderPart("", row.tender, row.amount, row.fee, row.reference),),
        spent=SpentPoints(row.points_spent, row.spent_deducted, row.spent_policy),
    )


def reject(ctx: Context, actor: Staff, refund_no: str, reason: str) -> None:
    require(actor, "reject_refund")
    reason = clean_text(reason, 200)
    if not reason:
        raise InvalidInput("A rejection needs a reason")

    def record() -> None:
        row = _row(refund_no, "pending_approval")
        row.status, row.reject_reason = "rejected", reason
        row.save()
        _event(row.id, actor.code, "rejected", reason, at=ctx.now())
        audit.append(actor.code, "refund_rejected", row.refund_no, {"reason": reason})

    write(record)


def cancel(ctx: Context, actor: Staff, refund_no: str) -> None:
    """The customer left or changed their mind while the refund waited for approval."""
    require(actor, "refund")

    def record() -> None:
        row = _row(refund_no, "pending_approval")
        row.status = "cancelled"
        row.save()
        _event(row.id, actor.code, "cancelled", at=ctx.now())
        audit.append(actor.code, "refund_cancelled", row.refund_no)

    write(record)


def complete(ctx: Context, actor: Staff, refund_no: str) -> None:
    """Step 5: the money went back (cash handed over, or credited) and the customer signed the store copy."""
    require(actor, "refund")

    def record() -> None:
        row = _row(refund_no, "paid")
        at = ctx.now()
        row.status, row.completed_at = "completed", at
        row.save()
        # the note is kept as its English template and shown in the reader's language (labels.event_note)
        parts = RefundTenderRow.select().where(RefundTenderRow.refund == row, RefundTenderRow.tender == "cash")
        note = "cash handed over, customer signed" if parts.exists() else "customer signed"
        _event(row.id, actor.code, "completed", note, at=at)
        audit.append(actor.code, "refund_completed", row.refund_no)

    write(record)


def reprint_voucher(ctx: Context, actor: Staff, refund_no: str) -> int:
    def record() -> int:
        row = _row(refund_no, "paid", "completed")
        _event(row.id, actor.code, "reprint", at=ctx.now())
        audit.append(actor.code, "reprint", row.refund_no)
        return printing.queue_voucher(ctx, row.refund_no)

    return write(record)


def voucher_job_to_print(ctx: Context, actor: Staff, refund_no: str) -> int:
    """F8 on the pay-out step: the voucher that never printed, else a recorded reprint."""
    job = printing.queued_job(_row(refund_no).refund_no)
    return job if job is not None else reprint_voucher(ctx, actor, refund_no)


# ---- tracking -------------------------------------------------------------------------


def search(
    text: str = "", status: str = "", since: datetime | None = None, until: datetime | None = None
) -> list[RefundSummary]:
    return refund_queries.search_refunds(
        read_number(normalize_digits(clean_text(text, 40)).upper()), status, since, until
    )


def detail(refund_no: str) -> RefundDetail:
    found = refund_queries.refund_detail(read_number(normalize_digits(clean_text(refund_no, 40)).upper()))
    if found is None:
        raise NotFound("No refund {no}", no=refund_no[:30])
    return found


@dataclass(frozen=True)
class MemberRefundStats:
    count: int
    amount: int
    sales_total: int
    refunds: tuple[RefundSummary, ...] = field(default=())

    @property
    def rate_bp(self) -> int:
        """Refunded amount / purchases, in basis points (100 = 1 %)."""
        return self.amount * 10000 // self.sales_total if self.sales_total else 0


def member_stats(member_id: int) -> MemberRefundStats:
    count, amount = refund_queries.member_refund_totals(member_id)
    _, sales_total = queries.member_sales_total(member_id)
    return MemberRefundStats(count, amount, sales_total, tuple(refund_queries.refunds_of_member(member_id)))


def with_amount(draft: RefundDraft, amount: int | None) -> RefundDraft:
    return replace(draft, amount=amount)
