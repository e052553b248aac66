"""Member lookup, profile and sign-up.

In a chain (a [central] url) a member belongs to every store: a lookup that finds nobody here
asks head office and keeps who it finds here as a mirror (store/member_mirror.py), so a sale
attaches to them as to any member; a member attached is brought up to head office's balance and
points; a sign-up asks head office first whether the card or phone is taken at another store.
Head office out of reach stops none of this: the lookup says so, the sign-up goes ahead."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui_pos.config import shop_zone
from tui_pos.domain.catalog import Member, clean_text, mask_phone
from tui_pos.domain.errors import Conflict, InvalidInput, NotFound
from tui_pos.domain.money import normalize_digits
from tui_pos.domain.sales import SaleSummary
from tui_pos.domain.staff import Staff, require
from tui_pos.services import head_office
from tui_pos.services.context import Context
from tui_pos.store import audit, member_mirror, queries, refund_queries
from tui_pos.store.db import write
from tui_pos.store.models import MemberRow
from tui_pos.store.refund_queries import RefundSummary

if TYPE_CHECKING:
    from peewee import Database

    from tui_pos.domain.chain import CentralMember

log = logging.getLogger("tui_pos")

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


def _query(text: str) -> str:
    """What a search looks for; "" when too little to search (under 4 digits)."""
    query = normalize_digits(clean_text(text, 40))
    return "" if query.isdigit() and len(query) < 4 else query


def search(text: str, limit: int = 20) -> list[Member]:
    """As-you-type search: card no., phone (at least 4 digits; 4 digits = last four) or name."""
    query = _query(text)
    if not query:
        return []
    return queries.search_members(query, limit)


CHAIN_LIMIT = 5  # members of other stores copied here by one look-up, at most


def lookup(ctx: Context, actor: Staff, text: str, limit: int = 20) -> list[Member]:
    """This store's members first; with none here, head office's (in a chain, when it can be
    reached; the best CHAIN_LIMIT, exact card or phone first), kept here as mirrors so a sale
    attaches to them. NotFound says where it looked."""
    found = search(text, limit)
    if found:
        return found
    query = _query(text)
    shown = normalize_digits(clean_text(text, 40))[:20]
    if not query or not head_office.linked(ctx):
        raise NotFound("No member matches {query}", query=shown)
    from tui_pos.central.errors import CentralDown
    from tui_pos.central.members import find_members

    try:
        # cards are kept upper-case; names are matched regardless of case there
        chain = head_office.call(
            ctx, lambda db: find_members(db, query.upper(), min(limit, CHAIN_LIMIT), zone=shop_zone(ctx.config))
        )
    except CentralDown as exc:
        raise NotFound(
            "No member matches {query} at this store, and head office cannot be reached to look "
            "at the other stores: {cause}",
            query=shown,
            cause=exc.message,
        ) from exc
    kept = _keep(ctx, actor, chain)
    if not kept:
        raise NotFound("No member matches {query} at any store of the chain", query=shown)
    return kept


def refreshed(ctx: Context, actor: Staff, member: Member) -> Member:
    """The member with head office's balance and points (plus what this store has not sent yet),
    before a sale takes them: another store may have paid with them or topped them up. Offline,
    or on a shop of its own, the member as this store has them."""
    if not head_office.linked(ctx):
        return member
    from tui_pos.central.errors import CentralDown
    from tui_pos.central.members import get_member

    uid = member_mirror.uid_of(member.id)
    try:
        found = head_office.call(ctx, lambda db: get_member(db, uid, zone=shop_zone(ctx.config)))
    except CentralDown as exc:
        log.info("member %s not refreshed from head office: %s", member.card_no, exc.message)
        return member
    if found is None:  # not uploaded yet (signed up here a moment ago)
        return member
    _keep(ctx, actor, [found])
    return get(member.id)


def _copy(found: CentralMember) -> member_mirror.Copy:
    return member_mirror.Copy(
        uid=found.uid,
        store_code=found.store_code,
        card_no=found.card_no,
        phone=found.phone,
        name=found.name,
        level=found.level,
        points=found.points,
        balance=found.balance,
        joined=found.joined,
    )


def _keep(ctx: Context, actor: Staff, chain: list[CentralMember]) -> list[Member]:
    """Head office's members kept here in one transaction, each new mirror audited."""

    def keep() -> list[int]:
        ids = []
        for found in chain:
            member_id, new = member_mirror.keep(_copy(found), ctx.config.store_code)
            if member_id is None:
                continue
            if new:
                audit.append(
                    actor.code,
                    "member_mirror",
                    f"member:{found.card_no}",
                    {"store": found.store_code, "uid": found.uid},
                )
            ids.append(member_id)
        return ids

    return [get(member_id) for member_id in write(keep)]


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


def _refuse_taken_here(card_no: str, phone: str) -> None:
    same_phone = queries.member_by_phone(phone)
    if same_phone:  # masked, as a phone is everywhere on screen: the customer may be reading along
        shown = mask_phone(phone)
        taken = Conflict("Phone {phone} already belongs to member {card}", phone=shown, card=same_phone.card_no)
        raise taken.at("phone")
    if queries.member_by_card(card_no):
        raise Conflict("Card no. {card} already exists", card=card_no).at("card")


def _refuse_taken_in_chain(ctx: Context, card_no: str, phone: str) -> None:
    """A chain's member is one across its stores: head office is asked whether another store has
    the card or phone. Out of reach, the sign-up goes ahead (a clash then lands among head
    office's conflicts when this store uploads the member)."""
    from tui_pos.central.errors import CentralDown
    from tui_pos.central.members import find_members

    def ask(db: Database) -> list[CentralMember]:
        return find_members(db, phone, 5) + find_members(db, card_no, 5)  # exact matches come first

    try:
        chain = head_office.call(ctx, ask)
    except CentralDown as exc:
        log.info("member %s signed up without asking head office: %s", card_no, exc.message)
        return
    for found in chain:
        if found.phone == phone:
            raise Conflict(
                "Phone {phone} already belongs to member {card}, signed up at store {store}: "
                "find the member (F2) instead of signing them up again",
                phone=mask_phone(phone),
                card=found.card_no,
                store=found.store_code,
            ).at("phone")
    for found in chain:
        if found.card_no == card_no:
            raise Conflict(
                "Card no. {card} already belongs to a member of store {store}: give another card",
                card=card_no,
                store=found.store_code,
            ).at("card")


def create(ctx: Context, actor: Staff, card_no: str, phone: str, name: str, level: str = "regular") -> Member:
    require(actor, "create_member")
    card_no, phone, name, level = _validate(ctx, card_no, phone, name, level)
    if head_office.linked(ctx):
        _refuse_taken_here(card_no, phone)  # this store's words first, without asking anyone
        _refuse_taken_in_chain(ctx, card_no, phone)

    def insert() -> Member:
        _refuse_taken_here(card_no, phone)
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
