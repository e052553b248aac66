"""Writes at the till: a 5-line member sale (payment, stock, points, audit, receipt) and a
2-line partial cash refund (policy check, stock, points, audit, voucher), each through the
services, against the same rows written with raw sqlite3 in one transaction. Both run on a
copy of the big shop, so the indexes are as large as a real year's. Timed is the write the
cashier waits for: complete_sale for a basket already rung up, confirm for a refund already
quoted on screen.

The raw side is what a careful hand-written till would do: the same rows (the print jobs stored
are copies of the services' own, so the same bytes go to disk: the laid-out receipt, and the
voucher job that names its refund), and for the refund the over-refund check a refund cannot
skip (the order, what each line has left after earlier refunds), but none of the work the
services add on top: the refund rules, the layout of the receipt, the domain objects."""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import sqlite3
import tempfile
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from tui_pos.config import load_config
from tui_pos.domain.basket import Basket
from tui_pos.domain.refund import Pick
from tui_pos.domain.shift import CashCount
from tui_pos.domain.staff import Role, Staff
from tui_pos.domain.tenders import TenderKind
from tui_pos.services import catalog, checkout, members, refunds, shifts
from tui_pos.services.context import Context
from tui_pos.services.refunds import RefundDraft
from tui_pos.store import models
from tui_pos.store.db import close_database, open_database
from tui_pos.store.models import ProductRow, new_uid

from common import Result, median, time_calls

MANAGER = Staff(id=3, code="003", name="bench", role=Role.MANAGER)  # no approval step in the way
NOW = datetime(2026, 11, 23, 10, 0)


def _shop(source: Path) -> tuple[Path, Path]:
    folder = Path(tempfile.mkdtemp(prefix="tui-pos-writes-"))
    copy = folder / "shop.db"
    shutil.copyfile(source, copy)
    return folder, copy


def _service(path: Path, runs: int, rng: random.Random, *, refunds_too: bool = True):
    """(sale, refund) closures through the services, on the open database (run() closes it)."""
    open_database(path, create=False, durable=True)  # the live till's synchronous=FULL, as the raw side
    config = replace(load_config(env={}), db_path=path)
    ctx = Context(config, lambda: NOW)
    if shifts.current(ctx) is None:
        shifts.open_shift(ctx, MANAGER, CashCount(50000))
    known = min(2000, ProductRow.select().count())
    products = [catalog.product_for_scan(f"69{rng.randrange(known):011d}") for _ in range(40)]
    member = members.find_one("M00000007")

    def ring_up() -> tuple[Basket, object]:
        """What the cashier does before paying is done: the basket and the tender."""
        basket = Basket()
        for product in rng.sample(products, 5):
            basket.add(product, 2)
        basket.attach(member, config.level(member.level).discount_bp)
        plan = checkout.new_plan(ctx, basket)
        plan.add(TenderKind.CASH, plan.due)
        return basket, plan

    rung_up = [ring_up() for _ in range(2 * runs + 1)]

    def sale() -> int:  # timed: recording the sale (the Enter on the pay screen)
        basket, plan = rung_up.pop()
        return checkout.complete_sale(ctx, MANAGER, basket, plan).sale_id

    # steps 1-3 (find the order, choose two lines, the quote on screen) are the cashier's time;
    # what is timed is step 4: the policy check again under the write lock, and every row written
    drafts = []
    for sale_id in [sale() for _ in range(runs + 1 if refunds_too else 0)]:
        lookup = refunds.load_order(ctx, sale_id)
        lines = list(lookup.history.values())[:2]
        draft = RefundDraft(lookup.sale.id, tuple(Pick(h.sale_line_id, 1) for h in lines), "quality")
        drafts.append((draft, refunds.quote(ctx, MANAGER, draft)))

    def refund() -> None:
        draft, shown = drafts.pop()
        refunds.confirm(ctx, MANAGER, draft, expected=shown)

    if refunds_too:
        refund()  # one untimed: the raw side stores a copy of its voucher job
    return sale, refund


def _without_outbox(path: Path) -> None:
    """The shop as it was before the chain: no outbox triggers (the outbox table stays, unused)."""
    db = sqlite3.connect(path)
    with db:
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'outbox_%'"):
            db.execute(f'DROP TRIGGER "{name}"')
    db.close()


def outbox_cost(source: Path, runs: int = 100, seed: int = 5) -> list[Result]:
    """The same 5-line member sale through the services on two copies of the shop, one without the
    outbox triggers, taken in turns (the models are bound to each copy's open database in turn)."""
    folders = []
    try:
        sales = {}
        for name in ("outbox", "no outbox"):
            folder, copy = _shop(source)
            folders.append(folder)
            if name == "no outbox":
                _without_outbox(copy)
            sale, _ = _service(copy, runs, random.Random(seed), refunds_too=False)
            sales[name] = (models.database.obj, sale)
        timings: dict[str, list[float]] = {name: [] for name in sales}
        order = list(sales)
        for _ in range(runs):
            order.reverse()  # ABBA: neither side always pays for the other's WAL checkpoint
            for name in order:
                db, sale = sales[name]
                models.database.initialize(db)
                timings[name] += time_calls(sale, 1)
        for db, _ in sales.values():
            db.close()
    finally:
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)
    with_ms, without_ms = median(timings["outbox"]), median(timings["no outbox"])
    ratio = with_ms / without_ms
    return [
        Result("write", "5-line member sale, with outbox", round(with_ms, 2), "ms", detail=f"median of {runs}"),
        Result("write", "5-line member sale, no outbox", round(without_ms, 2), "ms", detail=f"median of {runs}"),
        Result("write", "5-line member sale, outbox ratio", round(ratio, 2), "x", "<= 1.2", ratio <= 1.2),
    ]


def _audit(db: sqlite3.Connection, action: str, entity: str, detail: dict) -> None:
    prev = (db.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone() or ("",))[0]
    text = json.dumps(detail, sort_keys=True)
    digest = hashlib.sha256(json.dumps([prev, NOW.isoformat(), "003", action, entity, text]).encode()).hexdigest()
    db.execute(
        "INSERT INTO audit_log (uid, at, staff_code, action, entity, detail, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?)",
        (new_uid(), NOW, "003", action, entity, text, prev, digest),
    )


def _number(db: sqlite3.Connection, key: str) -> str:
    if not db.execute("UPDATE sequence SET value = value + 1 WHERE key = ?", (key,)).rowcount:
        db.execute("INSERT INTO sequence (uid, key, value) VALUES (?, ?, 1)", (new_uid(), key))
    return f"{key}-{db.execute('SELECT value FROM sequence WHERE key = ?', (key,)).fetchone()[0]:04d}"


def _raw(path: Path, runs: int, rng: random.Random):
    """(sale, refund, close) doing the same rows by hand."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA synchronous=FULL")  # as the live till opens it (durable=True): the same fsyncs on both sides
    db.execute("PRAGMA foreign_keys=ON")
    shift = db.execute("SELECT id FROM shift WHERE status = 'open' ORDER BY id DESC").fetchone()[0]
    products = db.execute("SELECT id, barcode, name, category, price FROM product WHERE id <= 2000").fetchall()
    member = db.execute("SELECT id FROM member WHERE card_no = 'M00000007'").fetchone()[0]
    ticket = {
        kind: db.execute(
            "SELECT text, layout FROM print_job WHERE kind = ? ORDER BY id DESC LIMIT 1", (kind,)
        ).fetchone()
        for kind in ("receipt", "refund")
    }
    sold: list[tuple[int, list[tuple[int, int, int]]]] = []

    def sale() -> None:
        db.execute("BEGIN IMMEDIATE")
        db.execute("SELECT balance, points FROM member WHERE id = ?", (member,)).fetchone()
        order_no = _number(db, "RAWS20261123")
        picked = rng.sample(products, 5)
        total = sum(p[4] * 2 for p in picked)
        sale_id = db.execute(
            "INSERT INTO sale (uid, order_no, till_code, staff_id, member_id, status, created_at, completed_at,"
            " subtotal, discount, total, change, points_earned, points_redeemed, training, shift_id)"
            " VALUES (?, ?, '01', 3, ?, 'completed', ?, ?, ?, 0, ?, 0, ?, 0, 0, ?)",
            (new_uid(), order_no, member, NOW, NOW, total, total, total // 100, shift),
        ).lastrowid
        lines = []
        for n, (pid, barcode, name, category, price) in enumerate(picked, start=1):
            line = db.execute(
                "INSERT INTO sale_line (uid, sale_id, line_no, product_id, barcode, name, category, qty,"
                " list_price, unit_price, discount, paid) VALUES (?,?,?,?,?,?,?,2,?,?,0,?)",
                (new_uid(), sale_id, n, pid, barcode, name, category, price, price, price * 2),
            ).lastrowid
            db.execute("UPDATE product SET stock = stock - 2 WHERE id = ?", (pid,))
            db.execute(
                "INSERT INTO stock_move (uid, product_id, qty, reason, sale_id, at) VALUES (?, ?, -2, 'sale', ?, ?)",
                (new_uid(), pid, sale_id, NOW),
            )
            lines.append((line, pid, price))
        db.execute(
            "INSERT INTO payment (uid, sale_id, tender, amount, given, change, points, reference, created_at,"
            " shift_id) VALUES (?, ?, 'cash', ?, ?, 0, 0, '', ?, ?)",
            (new_uid(), sale_id, total, total, NOW, shift),
        )
        db.execute(
            "INSERT INTO points_move (uid, member_id, points, reason, sale_id, at) VALUES (?, ?, ?, 'earn', ?, ?)",
            (new_uid(), member, total // 100, sale_id, NOW),
        )
        db.execute("UPDATE member SET points = points + ? WHERE id = ?", (total // 100, member))
        _audit(db, "sale", order_no, {"total": total, "tenders": {"cash": total}, "member": "M00000007"})
        db.execute(
            "INSERT INTO print_job (uid, kind, ref_no, till, text, layout, status, attempts, last_error,"
            " created_at) VALUES (?, 'receipt', ?, '01', ?, ?, 'queued', 0, '', ?)",
            (new_uid(), order_no, *ticket["receipt"], NOW),
        )
        db.execute("COMMIT")
        sold.append((sale_id, lines))

    for _ in range(runs):
        sale()

    def refund() -> None:
        sale_id, lines = sold.pop()
        db.execute("BEGIN IMMEDIATE")
        # the over-refund check: the order is there and completed, each line has a unit and its price left
        if db.execute("SELECT status FROM sale WHERE id = ?", (sale_id,)).fetchone() != ("completed",):
            raise AssertionError("no such order")
        left = {
            line: [qty, paid]
            for line, qty, paid in db.execute("SELECT id, qty, paid FROM sale_line WHERE sale_id = ?", (sale_id,))
        }
        for line, qty, amount in db.execute(
            "SELECT rl.sale_line_id, SUM(rl.qty), SUM(rl.amount) FROM refund_line rl JOIN refund r"
            " ON r.id = rl.refund_id WHERE r.sale_id = ? AND r.status IN ('pending_approval', 'paid', 'completed')"
            " GROUP BY rl.sale_line_id",
            (sale_id,),
        ):
            left[line][0] -= qty
            left[line][1] -= amount
        if any(left[line][0] < 1 or left[line][1] < price for line, _, price in lines[:2]):
            raise AssertionError("over-refund")
        refund_no = _number(db, "RAWR20261123")
        amount = sum(price for _, _, price in lines[:2])
        refund_id = db.execute(
            "INSERT INTO refund (uid, refund_no, sale_id, member_id, staff_id, status, reason, note, tender, reference,"
            " allowed, amount, fee, points_returned, points_reversed, no_receipt, override, training, policy_text,"
            " approval_reasons, reject_reason, created_at, paid_at, shift_id)"
            " VALUES (?,?,?,?,3,'paid','quality','','cash','',?,?,0,0,?,0,0,0,'','','',?,?,?)",
            (new_uid(), refund_no, sale_id, member, amount, amount, amount // 100, NOW, NOW, shift),
        ).lastrowid
        for line, pid, price in lines[:2]:
            db.execute(
                "INSERT INTO refund_line (uid, refund_id, sale_line_id, product_id, name, qty, amount, disposition)"
                " VALUES (?,?,?,?,'x',1,?,'restock')",
                (new_uid(), refund_id, line, pid, price),
            )
            db.execute(
                "INSERT INTO stock_move (uid, product_id, qty, reason, sale_id, refund_id, at)"
                " VALUES (?, ?, 1, 'refund', ?, ?, ?)",
                (new_uid(), pid, sale_id, refund_id, NOW),
            )
            db.execute("UPDATE product SET stock = stock + 1 WHERE id = ?", (pid,))
        db.execute(
            "INSERT INTO payment (uid, sale_id, refund_id, tender, amount, given, change, points, reference,"
            " created_at, shift_id) VALUES (?, ?, ?, 'cash', ?, 0, 0, 0, '', ?, ?)",
            (new_uid(), sale_id, refund_id, -amount, NOW, shift),
        )
        db.execute(
            "INSERT INTO points_move (uid, member_id, points, reason, sale_id, refund_id, at)"
            " VALUES (?, ?, ?, 'refund_reverse', ?, ?, ?)",
            (new_uid(), member, -(amount // 100), sale_id, refund_id, NOW),
        )
        db.execute("UPDATE member SET points = points - ? WHERE id = ?", (amount // 100, member))
        for event in ("created", "paid"):
            db.execute(
                "INSERT INTO refund_event (uid, refund_id, at, staff_code, event, note) VALUES (?, ?, ?, '003', ?, '')",
                (new_uid(), refund_id, NOW, event),
            )
        _audit(db, "refund", refund_no, {"amount": amount, "order": sale_id, "tender": "cash"})
        db.execute(
            "INSERT INTO print_job (uid, kind, ref_no, till, text, layout, status, attempts, last_error,"
            " created_at) VALUES (?, 'refund', ?, '01', ?, ?, 'queued', 0, '', ?)",
            (new_uid(), refund_no, *ticket["refund"], NOW),
        )
        db.execute("COMMIT")

    return sale, refund, db.close


def run(source: Path, runs: int = 100, seed: int = 5) -> list[Result]:
    folder, copy = _shop(source)
    try:
        sale, refund = _service(copy, runs, random.Random(seed))
        raw_sale, raw_refund, close = _raw(copy, runs, random.Random(seed))
        # alternate, so both pay their share of WAL checkpoints and cache misses
        timings: dict[str, list[float]] = {"sale": [], "raw sale": [], "refund": [], "raw refund": []}
        for _ in range(runs):
            timings["sale"] += time_calls(sale, 1)
            timings["raw sale"] += time_calls(raw_sale, 1)
        for _ in range(runs):
            timings["refund"] += time_calls(refund, 1)
            timings["raw refund"] += time_calls(raw_refund, 1)
        close()
        close_database()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    service_sale, raw_sale_ms = timings["sale"], timings["raw sale"]
    service_refund, raw_refund_ms = timings["refund"], timings["raw refund"]
    out = []
    for name, service, raw in (
        ("5-line member sale", service_sale, raw_sale_ms),
        ("2-line partial cash refund", service_refund, raw_refund_ms),
    ):
        ratio = median(service) / median(raw)
        out += [
            Result("write", f"{name}, services", round(median(service), 2), "ms", detail=f"median of {runs}"),
            Result("write", f"{name}, raw sqlite3", round(median(raw), 2), "ms", detail=f"median of {runs}"),
            Result("write", f"{name}, ratio", round(ratio, 2), "x", "<= 2", ratio <= 2),
        ]
    return out + outbox_cost(source, runs, seed)
