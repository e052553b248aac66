"""Member lookup, profile and sign-up."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tui_pos.domain.catalog import Member, clean_text, mask_phone
from tui_pos.domain.errors import Conflict, InvalidInput, NotFound
from tui_pos.domain.money import normalize_digits
from tui_pos.domain.sales import SaleSummary
from tui_pos.domain.staff import Staff, require
from tui_pos.services.context import Context
from tui_pos.store import audit, queries, refund_queries
from tui_pos.store.db import write
from tui_pos.store.models import MemberRow
from tui_pos.store.refund_queries import RefundSummary

PHONE_DIGITS = 11  # a mainland mobile number: 1 and ten more digits


@dataclass(frozen=True)
class MemberProfile:
    member: Member
    level_name: str
    discount_bp: int
    sale_count: int
    sale_total: int
    recent: tuple[SaleSummary, ...]
    refund_count: int = 0
    refund_total: int = 0
    refunds: tuple[RefundSummary, ...] = ()

    @property
    def refund_rate_bp(self) -> int:
        """Refunded / bought, in basis points (100 = 1 %): a member who returns a lot stands out."""
        return self.refund_total * 10000 // self.sale_total if self.sale_total else 0


def search(text: str, limit: int = 20) -> list[Member]:
    """As-you-type search: card no., phone (at least 4 digits; 4 digits = last four) or name."""
    query = normalize_digits(clean_text(text, 40))
    if not query or (query.isdigit() and len(query) < 4):
        return []
    return queries.search_members(query, limit)


def get(member_id: int) -> Member:
    member = queries.member_by_id(member_id)
    if member is None:
        raise NotFound("No member matches {query}", query=str(member_id))
    return member


def find_one(text: str) -> Member:
    """Exactly one member by card no. or full phone (what a scan or a typed number gives)."""
    query = normalize_digits(clean_text(text, 40))
    # card numbers are stored upper-case (see create), so a typed lower-case card must match too
    member = queries.member_by_card(query.upper()) or queries.member_by_phone(query)
    if member is None:
        raise NotFound("No member matches {query}", query=query[:20])
    return member


def profile(ctx: Context, member_id: int) -> MemberProfile:
    member = get(member_id)
    level = ctx.config.level(member.level)
    count, total = queries.member_sales_total(member_id)
    refund_count, refund_total = refund_queries.member_refund_totals(member_id)
    return MemberProfile(
        member,
        level.name,
        level.discount_bp,
        count,
        total,
        tuple(queries.recent_sales(member_id)),
        refund_count,
        refund_total,
        tuple(refund_queries.refunds_of_member(member_id, 5)),
    )


def _validate(ctx: Context, card_no: str, phone: str, name: str, level: str) -> tuple[str, str, str, str]:
    card_no = normalize_digits(clean_text(card_no, 40)).upper()
    phone = normalize_digits(clean_text(phone, 40))
    name = clean_text(name, 40)
    # in the order of the sign-up form, each naming its field, so the form can put the cursor there
    if len(phone) != PHONE_DIGITS or not re.fullmatch(r"1[0-9]+", phone):
        raise InvalidInput("Phone must be 11 digits").at("phone")
    if not name:
        raise InvalidInput("Enter a name").at("name")
    if not re.fullmatch(r"[0-9A-Z]{4,20}", card_no):
        raise InvalidInput("Card no. must be 4 to 20 letters or digits").at("card")
    if level not in {lvl.code for lvl in ctx.config.member_levels}:
        raise InvalidInput("Unknown member level: {level}", level=level[:20]).at("level")
    return card_no, phone, name, level


def create(ctx: Context, actor: Staff, card_no: str, phone: str, name: str, level: str = "regular") -> Member:
    require(actor, "create_member")
    card_no, phone, name, level = _validate(ctx, card_no, phone, name, level)

    def insert() -> Member:
        same_phone = queries.member_by_phone(phone)
        if same_phone:  # masked, as a phone is everywhere on screen: the customer may be reading along
            shown = mask_phone(phone)
            taken = Conflict("Phone {phone} already belongs to member {card}", phone=shown, card=same_phone.card_no)
            raise taken.at("phone")
        if queries.member_by_card(card_no):
            raise Conflict("Card no. {card} already exists", card=card_no).at("card")
        row = MemberRow.create(
            card_no=card_no, phone=phone, phone_tail=phone[-4:], name=name, level=level, joined=ctx.now()
        )
        audit.append(actor.code, "member_create", f"member:{card_no}")
        return queries.to_member(row)

    return write(insert)


def next_card_no() -> str:
    """A suggestion for a new card: one past the highest numeric card no."""
    last = queries.last_card_no()
    digits = re.sub(r"\D", "", last or "")
    return f"M{int(digits or 0) + 1:06d}"
