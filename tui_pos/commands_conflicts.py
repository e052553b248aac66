"""`tui-pos central conflicts`: what head office refused of the stores' uploads, and online
claims and debits never settled, with the money in question; and their resolution, which the
conflict row keeps (who, when, how)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from tui_pos import labels
from tui_pos.domain.chain import Conflict
from tui_pos.domain.errors import PosError
from tui_pos.domain.money import format_money
from tui_pos.i18n import tr


def _print(text: str) -> None:
    print(text)


def _err(text: str) -> None:
    print(f"tui-pos: {text}", file=sys.stderr)


def amount_words(conflict: Conflict) -> str:
    if conflict.kind == "points":
        return tr("{points} points", points=conflict.amount)
    return format_money(conflict.amount)


def line(conflict: Conflict) -> str:
    when = f"{conflict.at:%Y-%m-%d %H:%M}" if conflict.at else "-"
    text = (
        f"{conflict.id:>4}  {conflict.store_code or conflict.store_no}  {labels.conflict(conflict.kind)}  "
        f"{conflict.ref_no or '-'}  {amount_words(conflict)}  {when}  {conflict.error}"
    )
    if conflict.resolved_at is not None:
        text += "  " + tr(
            "resolved by {by} at {at}: {note}",
            by=conflict.resolved_by,
            at=f"{conflict.resolved_at:%Y-%m-%d %H:%M}",
            note=conflict.resolution,
        )
    return text


def conflicts_command(db: Any, args: argparse.Namespace) -> int:
    from tui_pos.central.apply import store_no_of
    from tui_pos.central.conflicts import conflicts, resolve_conflict

    if args.resolve:
        if args.id is None:
            _err(tr("Give the conflict's number: tui-pos central conflicts resolve ID --by NAME --note TEXT"))
            return 2
        try:
            done = resolve_conflict(db, args.id, args.by, args.note)
        except PosError as exc:
            _err(exc.message)
            return 1
        _print(tr("Conflict {id} resolved by {by}: {note}", id=done.id, by=done.resolved_by, note=done.resolution))
        _print(line(done))
        return 0
    store_no = None
    if args.store:
        store_no = store_no_of(db, args.store)
        if store_no is None:
            _err(tr("No store {code} has registered at head office", code=args.store))
            return 1
    found = conflicts(db, store_no, open_only=not args.all)
    if not found:
        _print(tr("No conflicts") if args.all else tr("No open conflicts: nothing was refused"))
        return 0
    _print(tr("No.  Store  Kind  Order/refund/card no.  Amount  When  What head office said"))
    for conflict in found:
        _print(line(conflict))
    still = [c for c in found if c.resolved_at is None]
    money = sum(abs(c.amount) for c in still if c.kind != "points")
    points = sum(abs(c.amount) for c in still if c.kind == "points")
    _print(
        tr(
            "{count} open; money in question {amount}; points {points}",
            count=len(still),
            amount=format_money(money),
            points=points,
        )
    )
    return 0
