"""What head office sends down to the stores: products and prices, member levels, refund policy.

Each edit is one `hq_change` row with a sequence number; a store pulls the rows after the last
one it applied. Data is checked here before it is kept, so a store never receives a price it
cannot take: money in integer cents (never a float), flags as booleans, names as text."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import peewee

from tui_pos.central.errors import guard
from tui_pos.central.sql import run
from tui_pos.domain.errors import InvalidInput
from tui_pos.domain.money import MAX_CENTS
from tui_pos.domain.sync import HqChange

KINDS = ("product", "level", "policy")
PRODUCT_FIELDS = ("name", "name_en", "category", "price", "member_price", "active")
LEVEL_FIELDS = ("name", "name_en", "discount_bp")
POLICY_KEYS = (
    "window_days",
    "level_window_days",
    "approval_outside_window",
    "no_receipt_role",
    "spent_points",
    "tender_order",
    "tenders",
    "fee_bp",
    "categories",
    "rules",
)


def _cents(name: str, value: Any, *, null: bool = False) -> int | None:
    if value is None and null:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput("{field} must be a whole number of cents, not {value}", field=name, value=repr(value))
    if not 0 <= value <= MAX_CENTS:
        raise InvalidInput("{field} is out of range: {value}", field=name, value=value)
    return value


def _text(name: str, value: Any, *, empty: bool = True) -> str:
    if not isinstance(value, str) or (not empty and not value.strip()):
        raise InvalidInput("{field} must be text, not {value}", field=name, value=repr(value))
    return value.strip()


def validated(kind: str, key: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """The data as a store will apply it; InvalidInput naming the field at fault."""
    if kind not in KINDS:
        raise InvalidInput("Unknown kind of change {kind}: one of {kinds}", kind=kind, kinds=", ".join(KINDS))
    if not key.strip():
        raise InvalidInput("A {kind} change needs a key", kind=kind)
    allowed = {"product": PRODUCT_FIELDS, "level": LEVEL_FIELDS, "policy": ("value",)}[kind]
    extra = sorted(set(data) - set(allowed))
    if extra:
        raise InvalidInput("A {kind} change has no {fields}", kind=kind, fields=", ".join(extra))
    out: dict[str, Any] = {}
    if kind == "product":
        for name, value in data.items():
            if name == "price":
                out[name] = _cents(name, value)
            elif name == "member_price":
                out[name] = _cents(name, value, null=True)
            elif name == "active":
                if not isinstance(value, bool):
                    raise InvalidInput("{field} must be true or false, not {value}", field=name, value=repr(value))
                out[name] = value
            else:
                out[name] = _text(name, value, empty=name == "name_en")
        if "price" in out and out.get("member_price") is not None and out["member_price"] > out["price"]:
            raise InvalidInput("The member price is above the price")
    elif kind == "level":
        for name, value in data.items():
            if name == "discount_bp":
                if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10000:
                    raise InvalidInput("A level's discount is 0 to 10000 basis points, not {value}", value=repr(value))
                out[name] = value
            else:
                out[name] = _text(name, value, empty=name == "name_en")
    else:
        if key not in POLICY_KEYS:
            raise InvalidInput(
                "{key} is not a [refund_policy] setting: one of {keys}", key=key, keys=", ".join(POLICY_KEYS)
            )
        if "value" not in data:
            raise InvalidInput("A policy change needs a value")
        out["value"] = data["value"]
    if not out:
        raise InvalidInput("Nothing to change")
    return out


def record_change(db: peewee.Database, kind: str, key: str, data: Mapping[str, Any], by: str) -> int:
    """Keep one head-office edit for the stores to pull; its sequence number."""
    clean = validated(kind, key, data)
    with guard(db), db.atomic():
        row = run(
            db,
            'INSERT INTO hq_change (kind, key, data, "by") VALUES (%s, %s, %s::jsonb, %s) RETURNING seq',
            (kind, key.strip(), json.dumps(clean, ensure_ascii=False), by),
        ).fetchone()
    return int(row[0])


def changes_since(db: peewee.Database, seq: int, limit: int = 500) -> list[HqChange]:
    """The edits after `seq`, oldest first."""
    with guard(db):
        rows = run(
            db,
            "SELECT seq, kind, key, data, at FROM hq_change WHERE seq > %s ORDER BY seq LIMIT %s",
            (seq, limit),
        ).fetchall()
    out = []
    for number, kind, key, data, at in rows:
        loaded = json.loads(data) if isinstance(data, str) else dict(data)
        assert isinstance(at, datetime)
        out.append(HqChange(seq=int(number), kind=str(kind), key=str(key), data=loaded, at=at))
    return out


def latest(db: peewee.Database) -> int:
    with guard(db):
        row = run(db, "SELECT COALESCE(max(seq), 0) FROM hq_change").fetchone()
    return int(row[0])
