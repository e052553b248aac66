"""Lookups a cashier waits for, on a big shop: member by card, phone and name prefix, product
by barcode, product search (F3) as cashiers type it, order by number, and the refund wizard's
step 1 (the order with its refund history and policy facts). Each through the service the
screen calls; p50 and p99."""

from __future__ import annotations

import random
import sqlite3
from datetime import datetime
from functools import partial
from pathlib import Path

from tui_pos.config import load_config
from tui_pos.services import catalog, checkout, members, refunds
from tui_pos.services.context import Context
from tui_pos.store.db import close_database, open_database

from common import Result, percentile, time_calls


def _call_next(fn, keys):
    """One lookup with the next key (a closure over the loop's variables would see only the last)."""
    return fn(next(keys))


def _keys(path: Path, sql: str, count: int, rng: random.Random) -> list[str]:
    db = sqlite3.connect(path)
    try:
        total = db.execute(f"SELECT COUNT(*) FROM ({sql})").fetchone()[0]
        picks = sorted(rng.sample(range(total), min(count, total)))
        rows = db.execute(f"{sql} LIMIT -1").fetchall()
        return [rows[i][0] for i in picks]
    finally:
        db.close()


def _searches(path: Path, count: int, rng: random.Random) -> dict[str, list[str]]:
    """What cashiers type into F3, taken from the catalogue: two characters from inside a Chinese
    name (可乐), the pinyin initials of two to four of its characters (kkkl), a word of an English
    name (cola), the first 7 to 9 digits of a barcode; and four letters no product has."""
    db = sqlite3.connect(path)
    try:
        rows = db.execute("SELECT name, name_en, search_key, barcode FROM product").fetchall()
    finally:
        db.close()
    out: dict[str, list[str]] = {"part": [], "initials": [], "english": [], "barcode": [], "miss": []}
    while min(len(v) for v in out.values()) < count:
        name, name_en, key, barcode = rng.choice(rows)
        han = name.split()[0]  # brand and goods: 康师傅方便面
        start = rng.randrange(len(han) - 1)
        out["part"].append(han[start : start + 2])
        initials = key.split()[-2]  # the key: name, English name (if any), initials, full pinyin
        size = rng.randrange(2, min(4, len(han)) + 1)  # one letter a character: kkkl is 可口可乐
        at = rng.randrange(len(han) - size + 1)
        out["initials"].append(initials[at : at + size])
        words = [w for w in name_en.split() if len(w) >= 3 and w.isalpha()]
        if words:
            out["english"].append(rng.choice(words).lower())
        out["barcode"].append(barcode[: rng.randrange(7, 10)])
        out["miss"].append("".join(rng.choice("qxzjv") for _ in range(4)))
    return {kind: keys[:count] for kind, keys in out.items()}


def run(path: Path, calls: int = 500, seed: int = 3) -> list[Result]:
    rng = random.Random(seed)
    cards = _keys(path, "SELECT card_no FROM member", calls, rng)
    phones = _keys(path, "SELECT phone FROM member", calls, rng)
    names = [name[:3] for name in _keys(path, "SELECT name FROM member", calls, rng)]  # "会员1" -> a prefix
    barcodes = _keys(path, "SELECT barcode FROM product", calls, rng)
    orders = _keys(path, "SELECT order_no FROM sale", calls, rng)
    refunded = _keys(path, "SELECT DISTINCT s.order_no FROM sale s JOIN refund r ON r.sale_id = s.id", calls, rng)
    typed = _searches(path, calls, rng)
    open_database(path, create=False)
    try:
        ctx = Context(load_config(env={}), lambda: datetime(2026, 11, 23, 9, 0))
        cases = {
            "member by card": (members.find_one, cards),
            "member by phone": (members.find_one, phones),
            "member by name prefix": (members.search, names),
            "product by barcode": (catalog.product_for_scan, barcodes),
            "product search: part of a Chinese name": (catalog.search_products, typed["part"]),
            "product search: pinyin initials": (catalog.search_products, typed["initials"]),
            "product search: English word": (catalog.search_products, typed["english"]),
            "product search: barcode prefix": (catalog.search_products, typed["barcode"]),
            "product search: nothing matches": (catalog.search_products, typed["miss"]),
            "order by number": (checkout.sale_by_order_no, orders),
            "refund step 1: order + history": (lambda no: refunds.find_order(ctx, no), refunded),
        }
        out = []
        for name, (fn, keys) in cases.items():
            times = time_calls(partial(_call_next, fn, iter(keys * 2)), len(keys))
            p99 = percentile(times, 99)
            out.append(Result("lookup", f"{name} p50", round(percentile(times, 50), 2), "ms"))
            out.append(Result("lookup", f"{name} p99", round(p99, 2), "ms", "<= 5", p99 <= 5, f"{len(keys)} calls"))
        return out
    finally:
        close_database()
