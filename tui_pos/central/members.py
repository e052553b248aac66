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
from tui_pos.central.sql import run
from tui_pos.domain.chain import CentralMember, MemberRefund, MemberSale
from tui_pos.domain.money import format_money

_MEMBER = (
    "SELECT m.uid, COALESCE(cs.code, ''), m.card_no, m.phone, m.phone_tail, m.name, m.level, m.points, m.balance, "
    "m.joined, COALESCE((SELECT SUM(h.amount) FROM member_hold h WHERE h.member_id = m.id), 0), "
    "COALESCE((SELECT SUM(h.points) FROM member_hold h WHERE h.member_id = m.id), 0) "
    "FROM member m LEFT JOIN chain_store cs ON cs.no = m.store_no "
)


def _member(row: Any, zone: ZoneInfo | None) -> CentralMember:
    return CentralMember(
        uid=str(row[0]),
        store_code=str(row[1]),
        card_no=str(row[2]),
        phone=str(row[3]),
        phone_tail=str(row[4] or ""),
        name=str(row[5]),
        level=str(row[6]),
        points=int(row[7]),
        balance=int(row[8]),
        joined=local_time(row[9], zone),
        held=int(row[10]),
        held_points=int(row[11]),
    )


def get_member(db: peewee.Database, member_uid: str, *, zone: ZoneInfo | None = None) -> CentralMember | None:
    with guard(db):
        row = run(db, _MEMBER + "WHERE m.uid = %s", (member_uid,)).fetchone()
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
    like = "%" + wanted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    tail = len(wanted) == 4 and wanted.isdigit()
    with guard(db):
        rows = run(
            db,
            _MEMBER + "WHERE m.duplicate_of IS NULL AND (m.card_no = %s OR m.phone = %s "
            "OR (%s AND m.phone_tail = %s) OR m.name ILIKE %s) "
            "ORDER BY (m.card_no = %s OR m.phone = %s) DESC, m.name, m.id LIMIT %s",
            (wanted, wanted, tail, wanted, like, wanted, wanted, max(1, int(limit))),
        ).fetchall()
    return [_member(r, zone) for r in rows]


def _ids(db: peewee.Database, member_uid: str) -> list[int]:
    """The member's row and the duplicates other stores made of them."""
    rows = run(
        db,
        "SELECT m.id FROM member m WHERE m.uid = %s "
        "UNION SELECT d.id FROM member d JOIN member m ON d.duplicate_of = m.id WHERE m.uid = %s",
        (member_uid, member_uid),
    ).fetchall()
    return [int(r[0]) for r in rows]


def member_history(
    db: peewee.Database, member_uid: str, *, zone: ZoneInfo | None = None, limit: int = 200
) -> tuple[list[MemberSale], list[MemberRefund]]:
    """The member's purchases and refunds at every store, newest first (training left out)."""
    with guard(db):
        ids = _ids(db, member_uid)
        if not ids:
            return [], []
        sales = run(
            db,
            "SELECT COALESCE(cs.code, ''), s.order_no, s.created_at, s.status, s.total, s.points_earned, "
            "s.points_redeemed FROM sale s LEFT JOIN chain_store cs ON cs.no = s.store_no "
            "WHERE s.member_id = ANY(%s::bigint[]) AND NOT s.training ORDER BY s.created_at DESC, s.id DESC LIMIT %s",
            (ids, limit),
        ).fetchall()
        refunds = run(
            db,
            "SELECT COALESCE(cs.code, ''), r.refund_no, COALESCE(s.order_no, ''), r.created_at, r.status, r.amount "
            "FROM refund r LEFT JOIN sale s ON s.id = r.sale_id LEFT JOIN chain_store cs ON cs.no = r.store_no "
            "WHERE (r.member_id = ANY(%s::bigint[]) OR s.member_id = ANY(%s::bigint[])) AND NOT r.training "
            "ORDER BY r.created_at DESC, r.id DESC LIMIT %s",
            (ids, ids, limit),
        ).fetchall()
    return (
        [
            MemberSale(str(code), str(no), local_time(at, zone), str(status), int(total), int(pe or 0), int(pr or 0))
            for code, no, at, status, total, pe, pr in sales
        ],
        [
            MemberRefund(str(code), str(no), str(order), local_time(at, zone), str(status), int(amount))
            for code, no, order, at, status, amount in refunds
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
            row = run(
                db,
                "UPDATE member SET balance = balance - %s, points = points - %s "
                "WHERE uid = %s AND balance >= %s AND points >= %s RETURNING id",
                (amount, points, member_uid, amount, points),
            ).fetchone()
            if row is None:
                there = run(db, "SELECT name, balance, points FROM member WHERE uid = %s", (member_uid,)).fetchone()
                if there is None:
                    raise ChainRefused("Head office has no such member: look the member up again")
                name, balance, have = str(there[0]), int(there[1]), int(there[2])
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
                (hold, int(row[0]), amount, points, store_no),
            )
        member = run(db, _MEMBER + "WHERE m.uid = %s", (member_uid,)).fetchone()
    return _member(member, zone)
