"""Refunds across the chain at head office: an order of any store looked up, and the units a
store's refund takes claimed under a lock, so two stores never refund the same unit.

The rule (docs: chain23): an order is refunded by its own store until its upload has started,
by head office from then on. A store refunding with head office's authority first claims the
units here (`claim_refund`, one transaction, the order's lines locked), then writes its refund
locally with the claim uids as its refund lines' uids; when those lines arrive in an upload they
settle the claims (schema.py), so each unit is counted once: by the claim, then by the line."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import peewee

from tui_pos.central.errors import ChainRefused, guard
from tui_pos.central.sql import one, run
from tui_pos.domain.chain import CentralLine, CentralOrder, CentralPayment, CentralRefund


def local_time(value: Any, zone: ZoneInfo | None = None) -> datetime | None:
    """A naive local datetime: head office's aware values (or their JSON text) turned to `zone`
    (else this machine's)."""
    if isinstance(value, str) and value:
        value = datetime.fromisoformat(value)
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
    with guard(db):
        data = one(db, "SELECT central_order(%s, %s)", (order_no.strip(), store_code or None))
    if data is None:
        return None
    head = data["head"]
    return CentralOrder(
        store_code=str(head["store_code"]),
        store_no=int(head["store_no"]),
        uid=str(head["uid"]),
        order_no=str(head["order_no"]),
        created_at=local_time(head["created_at"], zone),
        status=str(head["status"]),
        training=bool(head["training"]),
        member_uid=head["member_uid"],
        member_card=head["member_card"],
        member_name=head["member_name"],
        subtotal=int(head["subtotal"]),
        discount=int(head["discount"]),
        total=int(head["total"]),
        points_earned=int(head["points_earned"] or 0),
        points_redeemed=int(head["points_redeemed"] or 0),
        lines=tuple(
            CentralLine(
                uid=str(r["uid"]),
                line_no=int(r["line_no"]),
                barcode=str(r["barcode"]),
                name=str(r["name"]),
                category=str(r["category"]),
                qty=int(r["qty"]),
                list_price=int(r["list_price"]),
                unit_price=int(r["unit_price"]),
                discount=int(r["discount"]),
                paid=int(r["paid"]),
                refunded=int(r["refunded"]),
            )
            for r in data["lines"]
        ),
        payments=tuple(
            CentralPayment(str(r["tender"]), int(r["amount"]), str(r["reference"] or "")) for r in data["payments"]
        ),
        refunds=tuple(
            CentralRefund(
                str(r["refund_no"]),
                str(r["store_code"]),
                int(r["amount"]),
                str(r["status"]),
                local_time(r["created_at"], zone),
            )
            for r in data["refunds"]
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
        locked = one(db, "SELECT central_lock_order(%s)", (sale_uid,))  # the order's lines locked
        if locked is None:
            raise ChainRefused("Head office has no such order: it may not have been uploaded yet")
        order_no, status = str(locked["order_no"]), str(locked["status"])
        lines = {str(r["uid"]): (int(r["id"]), int(r["qty"]), str(r["name"])) for r in locked["lines"]}
        taken = {str(r["uid"]): int(r["refunded"]) for r in locked["lines"]}
        remaining = {uid: max(0, qty - taken.get(uid, 0)) for uid, (_, qty, _) in lines.items()}
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
            ref = one(db, "SELECT central_line_ref(%s)", (int(line_id),)) or {}
            record = (
                "INSERT INTO conflict (store_no, change_uid, kind, tbl, ref_no, data, error, amount, "
                "resolved_at, resolved_by, resolution) VALUES (%s, %s::uuid, 'claim', 'refund_claim', %s, %s::jsonb, "
                "'refund claim released before its refund arrived', %s, now(), %s, 'released') "
                "ON CONFLICT (change_uid) DO UPDATE SET resolved_at = now(), resolved_by = EXCLUDED.resolved_by, "
                "resolution = CASE WHEN conflict.resolution = '' THEN 'released' ELSE conflict.resolution END "
                "WHERE conflict.resolved_at IS NULL"
            )
            data = {"sale_line": ref.get("uid", ""), "qty": int(qty), "refund_uid": str(refund_uid)}
            amount = int(ref.get("unit_price", 0)) * int(qty)
            run(db, record, (int(store_no), uid, str(ref.get("order_no", "")), json.dumps(data), amount, by))
    return len(gone)
