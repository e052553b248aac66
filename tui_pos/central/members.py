"""Members across the chain at head office: one member per card and phone, found from any
store, their purchases and refunds everywhere, and online debits of stored value and points.

Balance and points are head office's ledger (schema.py's triggers on the move tables). A store
paying by stored value or points first debits here (`debit_member`: a guarded UPDATE, so two
stores paying at once never take the balance below zero) and records a hold; the store's move
row with the hold's uid arrives later in an upload and settles the hold instead of debiting
again."""

from __future__ import annotations

import uuid
from typing import Any
from zoneinfo import ZoneInfo

import peewee

from tui_pos.central.errors import ChainRefused, guard
from tui_pos.central.refunds import local_time
from tui_pos.central.sql import one, run
from tui_pos.domain.chain import CentralMember, MemberRefund, MemberSale
from tui_pos.domain.money import format_money


def _member(row: Any, zone: ZoneInfo | None) -> CentralMember:
    return CentralMember(
        uid=str(row["uid"]),
        store_code=str(row["store_code"]),
        card_no=str(row["card_no"]),
        phone=str(row["phone"]),
        phone_tail=str(row["phone_tail"] or ""),
        name=str(row["name"]),
        level=str(row["level"]),
        points=int(row["points"]),
        balance=int(row["balance"]),
        joined=local_time(row["joined"], zone),
        held=int(row["held"]),
        held_points=int(row["held_points"]),
    )


def get_member(db: peewee.Database, member_uid: str, *, zone: ZoneInfo | None = None) -> CentralMember | None:
    with guard(db):
        row = one(db, "SELECT central_member(%s)", (member_uid,))
    return None if row is None else _member(row, zone)


def find_members(
    db: peewee.Database, text: str, limit: int = 20, *, zone: ZoneInfo | None = None
) -> list[CentralMember]:
    """Members of every store by card no., phone, the phone's last four digits or a part of the
    name; exact card or phone matches first. A store's duplicate of another's member is not
    listed (the conflicts list names it)."""
    wanted = text.strip()
    if not wanted:
        return []
    with guard(db):
        rows = one(db, "SELECT central_find_members(%s, %s)", (wanted, max(1, int(limit))))
    return [_member(r, zone) for r in rows or []]


def member_history(
    db: peewee.Database, member_uid: str, *, zone: ZoneInfo | None = None, limit: int = 200
) -> tuple[list[MemberSale], list[MemberRefund]]:
    """The member's purchases and refunds at every store, newest first (training left out)."""
    with guard(db):
        found = one(db, "SELECT central_member_history(%s, %s)", (member_uid, int(limit)))
    if found is None:
        return [], []
    return (
        [
            MemberSale(
                str(r["store_code"]),
                str(r["order_no"]),
                local_time(r["created_at"], zone),
                str(r["status"]),
                int(r["total"]),
                int(r["points_earned"] or 0),
                int(r["points_redeemed"] or 0),
            )
            for r in found["sales"]
        ],
        [
            MemberRefund(
                str(r["store_code"]),
                str(r["refund_no"]),
                str(r["order_no"]),
                local_time(r["created_at"], zone),
                str(r["status"]),
                int(r["amount"]),
            )
            for r in found["refunds"]
        ],
    )


def debit_member(
    db: peewee.Database,
    store_no: int,
    member_uid: str,
    *,
    amount: int,
    points: int,
    hold_uid: str,
    zone: ZoneInfo | None = None,
) -> CentralMember:
    """Take `amount` cents of stored value and `points` points for store `store_no`'s sale, at
    once and guarded (`UPDATE ... WHERE balance >= amount AND points >= points`); the member as
    it is now. `hold_uid` is the uid of the move row the sale then writes: a retry with it
    changes nothing. ChainRefused with the balance and points that are there."""
    if isinstance(amount, bool) or isinstance(points, bool) or amount < 0 or points < 0 or amount + points == 0:
        raise ChainRefused("An online debit takes some stored value or points")
    hold = str(uuid.UUID(str(hold_uid)))
    with guard(db), db.atomic():
        done = run(
            db,
            "SELECT 1 FROM member_hold WHERE uid = %s::uuid UNION ALL "
            "SELECT 1 FROM stored_value_move WHERE uid = %s UNION ALL SELECT 1 FROM points_move WHERE uid = %s",
            (hold, hold, hold),
        ).fetchone()
        if done is None:
            taken = one(db, "SELECT central_debit(%s, %s, %s)", (member_uid, amount, points))
            if taken is None:
                raise ChainRefused("Head office has no such member: look the member up again")
            if taken.get("refused"):
                name, balance, have = str(taken["name"]), int(taken["balance"]), int(taken["points"])
                remaining = {"balance": balance, "points": have}
                if balance < amount:
                    raise ChainRefused(
                        "{name}'s stored value is {balance} at head office: not enough for {amount}",
                        remaining=remaining,
                        name=name,
                        balance=format_money(balance),
                        amount=format_money(amount),
                    )
                raise ChainRefused(
                    "{name} has {points} points at head office: not enough for {wanted}",
                    remaining=remaining,
                    name=name,
                    points=have,
                    wanted=points,
                )
            run(
                db,
                "INSERT INTO member_hold (uid, member_id, amount, points, store_no) VALUES (%s::uuid, %s, %s, %s, %s)",
                (hold, int(taken["id"]), amount, points, store_no),
            )
        member = one(db, "SELECT central_member(%s)", (member_uid,))
    return _member(member, zone)
