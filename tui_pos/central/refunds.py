"""Refunds across the chain at head office: an order of any store looked up, and the units a
store's refund takes claimed under a lock, so two stores never refund the same unit.

The rule (docs: chain23): an order is refunded by its own store until its upload has started,
by head office from then on. A store refunding with head office's authority first claims the
units here (`claim_refund`, one transaction, the order's lines locked), then writes its refund
locally with the claim uids as its refund lines' uids; when those lines arrive in an upload they
settle the claims (schema.py), so each unit is counted once: by the claim, then by the line."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import peewee

from tui_pos.central.errors import ChainRefused, guard
from tui_pos.central.sql import run
from tui_pos.domain.chain import CentralLine, CentralOrder, CentralPayment, CentralRefund

# units of a line already going back: refund lines of refunds still standing, and open claims
REFUNDED = (
    "COALESCE((SELECT SUM(rl.qty) FROM refund_line rl JOIN refund r ON r.id = rl.refund_id "
    "WHERE rl.sale_line_id = l.id AND r.status NOT IN ('rejected', 'cancelled')), 0) "
    "+ COALESCE((SELECT SUM(c.qty) FROM refund_claim c WHERE c.sale_line_id = l.id), 0)"
)


def local_time(value: Any, zone: ZoneInfo | None = None) -> datetime | None:
    """A naive local datetime: head office's aware values turned to `zone` (else this machine's)."""
    if not isinstance(value, datetime):
        return None
    if value.tzinfo is None:
        return value
    return (value.astimezone(zone) if zone else value.astimezone()).replace(tzinfo=None)


def find_order(
    db: peewee.Database, order_no: str, *, zone: ZoneInfo | None = None, store_code: str | None = None
) -> CentralOrder | None:
    """The order of any store with this number, its lines with what the chain refunded of them
    (refund lines and open claims of every store), its payments and refunds; None if unknown.

    Numbers carry the store's code; an old number two stores both issued is narrowed by
    `store_code`, else the newest is taken."""
    where = "s.order_no = %s"
    params: list[Any] = [order_no.strip()]
    if store_code:
        where += " AND cs.code = %s"
        params.append(store_code)
    with guard(db):
        head = run(
            db,
            "SELECT s.id, s.uid, s.order_no, s.created_at, s.status, s.training, s.subtotal, s.discount, s.total, "
            "s.points_earned, s.points_redeemed, s.store_no, COALESCE(cs.code, ''), m.uid, m.card_no, m.name "
            "FROM sale s LEFT JOIN chain_store cs ON cs.no = s.store_no LEFT JOIN member m ON m.id = s.member_id "
            f"WHERE {where} ORDER BY s.created_at DESC, s.id DESC LIMIT 1",
            params,
        ).fetchone()
        if head is None:
            return None
        sale_id = int(head[0])
        lines = run(
            db,
            "SELECT l.uid, l.line_no, l.barcode, l.name, l.category, l.qty, l.list_price, l.unit_price, "
            f"l.discount, l.paid, {REFUNDED} FROM sale_line l WHERE l.sale_id = %s ORDER BY l.line_no, l.id",
            (sale_id,),
        ).fetchall()
        payments = run(
            db,
            "SELECT tender, amount, reference FROM payment WHERE sale_id = %s AND refund_id IS NULL ORDER BY id",
            (sale_id,),
        ).fetchall()
        refunds = run(
            db,
            "SELECT r.refund_no, COALESCE(cs.code, ''), r.amount, r.status, r.created_at FROM refund r "
            "LEFT JOIN chain_store cs ON cs.no = r.store_no WHERE r.sale_id = %s ORDER BY r.created_at, r.id",
            (sale_id,),
        ).fetchall()
    return CentralOrder(
        store_code=str(head[12]),
        store_no=int(head[11]),
        uid=str(head[1]),
        order_no=str(head[2]),
        created_at=local_time(head[3], zone),
        status=str(head[4]),
        training=bool(head[5]),
        member_uid=None if head[13] is None else str(head[13]),
        member_card=None if head[14] is None else str(head[14]),
        member_name=None if head[15] is None else str(head[15]),
        subtotal=int(head[6]),
        discount=int(head[7]),
        total=int(head[8]),
        points_earned=int(head[9] or 0),
        points_redeemed=int(head[10] or 0),
        lines=tuple(
            CentralLine(
                uid=str(r[0]),
                line_no=int(r[1]),
                barcode=str(r[2]),
                name=str(r[3]),
                category=str(r[4]),
                qty=int(r[5]),
                list_price=int(r[6]),
                unit_price=int(r[7]),
                discount=int(r[8]),
                paid=int(r[9]),
                refunded=int(r[10]),
            )
            for r in lines
        ),
        payments=tuple(CentralPayment(str(t), int(a), str(ref or "")) for t, a, ref in payments),
        refunds=tuple(
            CentralRefund(str(no), str(code), int(amount), str(status), local_time(at, zone))
            for no, code, amount, status, at in refunds
        ),
    )


def _uuid(text: str) -> str:
    return str(uuid.UUID(str(text)))


def claim_refund(
    db: peewee.Database,
    store_no: int,
    sale_uid: str,
    picks: Sequence[tuple[str, int, str]],
    refund_uid: str,
) -> None:
    """Take (sale line uid, units, claim uid) of the order for store `store_no`'s refund, all or
    nothing, in one transaction with the order's lines locked (SELECT ... FOR UPDATE), so of two
    stores claiming the last unit one waits and is then told nothing remains.

    A claim uid already here (a retry after a crash) or already settled by its refund line is
    not taken again. ChainRefused names what remains of every line of the order."""
    claims = [(str(line), int(qty), _uuid(claim)) for line, qty, claim in picks]
    if any(qty <= 0 for _, qty, _ in claims):
        raise ChainRefused("A refund takes at least one unit of a line")
    with guard(db), db.atomic():
        sale = run(db, "SELECT id, order_no, status FROM sale WHERE uid = %s", (sale_uid,)).fetchone()
        if sale is None:
            raise ChainRefused("Head office has no such order: it may not have been uploaded yet")
        sale_id, order_no, status = int(sale[0]), str(sale[1]), str(sale[2])
        locked = run(
            db, "SELECT id, uid, qty, name FROM sale_line WHERE sale_id = %s ORDER BY id FOR UPDATE", (sale_id,)
        ).fetchall()
        lines = {str(uid): (int(line_id), int(qty), str(name)) for line_id, uid, qty, name in locked}
        taken = dict(
            run(
                db,
                f"SELECT l.uid, {REFUNDED} FROM sale_line l WHERE l.sale_id = %s",
                (sale_id,),
            ).fetchall()
        )
        remaining = {uid: max(0, qty - int(taken.get(uid, 0))) for uid, (_, qty, _) in lines.items()}
        known = {
            str(r[0])
            for r in run(
                db,
                "SELECT uid::text FROM refund_claim WHERE uid = ANY(%s::uuid[]) "
                "UNION SELECT uid FROM refund_line WHERE uid = ANY(%s::text[])",
                ([c for _, _, c in claims], [c for _, _, c in claims]),
            ).fetchall()
        }
        new = [c for c in claims if c[2] not in known]
        if not new:
            return  # a retry: every unit was claimed (or refunded) already
        if status != "completed":
            raise ChainRefused(
                "Order {order_no} cannot be refunded: it is not a completed sale",
                remaining=remaining,
                order_no=order_no,
            )
        wanted: dict[str, int] = {}
        for line, qty, _ in new:
            if line not in lines:
                raise ChainRefused(
                    "A line picked for the refund is not in order {order_no}", remaining=remaining, order_no=order_no
                )
            wanted[line] = wanted.get(line, 0) + qty
        for line, qty in wanted.items():
            if qty > remaining[line]:
                raise ChainRefused(
                    "Only {left} of {name} in order {order_no} can still be refunded: "
                    "the rest went back at a store already",
                    remaining=remaining,
                    left=remaining[line],
                    name=lines[line][2],
                    order_no=order_no,
                )
        run(
            db,
            "INSERT INTO refund_claim (uid, sale_line_id, qty, store_no, refund_uid) "
            "SELECT u, l, q, %s, %s FROM unnest(%s::uuid[], %s::bigint[], %s::int[]) AS x(u, l, q)",
            (
                store_no,
                refund_uid,
                [c for _, _, c in new],
                [lines[line][0] for line, _, _ in new],
                [qty for _, qty, _ in new],
            ),
        )


def release_claims(db: peewee.Database, uids: Sequence[str], by: str) -> int:
    """Give back claims whose refund was never recorded (the store gave up, or a manager
    resolved a stale one): the units are refundable again. How many were released; each is
    kept as a resolved conflict naming who released it."""
    keys = [_uuid(u) for u in uids]
    if not keys:
        return 0
    with guard(db), db.atomic():
        gone = run(
            db,
            "DELETE FROM refund_claim c WHERE uid = ANY(%s::uuid[]) RETURNING c.uid::text, c.store_no, c.qty, "
            "c.sale_line_id, c.refund_uid",
            (keys,),
        ).fetchall()
        for uid, store_no, qty, line_id, refund_uid in gone:
            run(
                db,
                "INSERT INTO conflict (store_no, change_uid, kind, tbl, ref_no, data, error, amount, "
                "resolved_at, resolved_by, resolution) "
                "SELECT %s, %s::uuid, 'claim', 'refund_claim', s.order_no, "
                "jsonb_build_object('sale_line', l.uid, 'qty', %s::int, 'refund_uid', %s::text), "
                "'refund claim released before its refund arrived', l.unit_price * %s::int, now(), %s, 'released' "
                "FROM sale_line l JOIN sale s ON s.id = l.sale_id WHERE l.id = %s "
                "ON CONFLICT (change_uid) DO UPDATE SET resolved_at = now(), resolved_by = EXCLUDED.resolved_by, "
                "resolution = CASE WHEN conflict.resolution = '' THEN 'released' ELSE conflict.resolution END",
                (int(store_no), uid, int(qty), str(refund_uid), int(qty), by, int(line_id)),
            )
    return len(gone)
