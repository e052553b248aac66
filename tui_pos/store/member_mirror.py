"""Members of a chain at this store: copies of other stores' members (mirrors), and the part of a
member's money this store has not started sending to head office yet.

A mirror is a member row with `origin_store` set to the store that signed the member up and the
uid head office knows the member by; the outbox triggers skip it (head office has the original)
and one 'alias' change tells head office this store's id for it, so this store's sales, points
and stored value moves attach to the chain's member."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tui_pos.store import fast, outbox
from tui_pos.store.models import MemberRow


@dataclass(frozen=True)
class Copy:
    """A member as head office has it, to be kept here."""

    uid: str
    store_code: str
    card_no: str
    phone: str
    name: str
    level: str
    points: int
    balance: int
    joined: datetime | None


def uid_of(member_id: int) -> str:
    row = fast.run("SELECT uid FROM member WHERE id = ?", (member_id,)).fetchone()
    return "" if row is None else str(row[0])


def origin_of(member_id: int) -> str:
    """The store a mirror came from; "" for this store's own member."""
    row = fast.run("SELECT origin_store FROM member WHERE id = ?", (member_id,)).fetchone()
    return "" if row is None else str(row[0])


def keep(copy: Copy, own_store: str) -> tuple[int | None, bool]:
    """Head office's member kept here (call inside the write): a new mirror with its alias change,
    or the copy already here brought up to date: (the local id, whether it is new). None when this store has another
    member with that card or phone (signed up here while head office was out of reach: head
    office lists the clash among its conflicts), which is left as it is.

    A member of this store's own (origin "") gets only its money from head office (as
    `set_money` counts it); its details are this store's."""
    row = MemberRow.get_or_none(MemberRow.uid == copy.uid)
    if row is not None:
        if row.origin_store:  # head office's details; this store's own member keeps its own
            fast.update(
                MemberRow,
                row.id,
                card_no=copy.card_no,
                phone=copy.phone,
                phone_tail=copy.phone[-4:],
                name=copy.name,
                level=copy.level,
            )
        set_money(row.id, copy.balance, copy.points)
        return int(row.id), False
    clash = MemberRow.get_or_none((MemberRow.card_no == copy.card_no) | (MemberRow.phone == copy.phone))
    if clash is not None:
        return None, False
    member_id = fast.insert(
        MemberRow,
        uid=copy.uid,
        card_no=copy.card_no,
        phone=copy.phone,
        phone_tail=copy.phone[-4:],
        name=copy.name,
        level=copy.level,
        points=copy.points,
        balance=copy.balance,  # nothing of it moved here yet
        joined=copy.joined or datetime.now().replace(microsecond=0),
        origin_store=copy.store_code or own_store,
    )
    outbox.alias("member", copy.uid, member_id)
    return member_id, True


def set_money(member_id: int, chain_balance: int, chain_points: int) -> None:
    """Head office's balance and points, plus what this store has not started sending: the
    figure the till shows until the next look-up (call inside the write)."""
    balance, points = unsent_money(member_id)
    now = fast.run("SELECT balance, points FROM member WHERE id = ?", (member_id,)).fetchone()
    wanted = (chain_balance + balance, chain_points + points)
    if now is not None and (int(now[0]), int(now[1])) != wanted:
        fast.update(MemberRow, member_id, balance=wanted[0], points=wanted[1])


# A sale's stored value and redeemed points were debited at head office before the sale was
# written (services/checkout.py): their moves only settle that debit there, they add nothing.
_DEBITED = {"stored_value_move": "'sale'", "points_move": "'redeem'"}


def unsent_money(member_id: int) -> tuple[int, int]:
    """Stored value and points of the member's moves here that no upload has started yet, less
    those head office debited beforehand: what its figures still lack."""
    out = []
    for table, column in (("stored_value_move", "amount"), ("points_move", "points")):
        row = fast.run(
            f"SELECT COALESCE(SUM(json_extract(data, '$.{column}')), 0) FROM outbox"
            " WHERE tbl = ? AND op = 'upsert' AND attempted_at IS NULL AND sent_at IS NULL"
            " AND json_extract(data, '$.member_id') = ?"
            f" AND json_extract(data, '$.reason') != {_DEBITED[table]}",
            (table, member_id),
        ).fetchone()
        out.append(int(row[0]))
    return out[0], out[1]
