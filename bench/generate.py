"""A busy shop's year in one SQLite file, for the benchmarks: members, products, daily shifts,
sales with their lines and payments, and refunds with their lines and payouts.

The schema comes from the app itself (open_database); the rows go in with sqlite3's
executemany, because ringing up a million lines through the checkout would take hours. Every
figure is whole cents and adds up: a sale's lines sum to its total, its payment to its total,
a refund's lines to its amount.

    python bench/generate.py /tmp/big.db                # the full size (about 1M sale lines)
    python bench/generate.py /tmp/tiny.db --scale 0.001 # what the smoke test uses
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tui_pos.store import models, outbox, product_search
from tui_pos.store.db import close_database, open_database

GENERATOR = 3  # kept in the file (PRAGMA user_version): 2 = realistic product names, 3 = uids
FULL = {"members": 200_000, "products": 20_000, "sale_lines": 1_000_000, "refunds": 30_000, "days": 365}
CATEGORIES = ("饮料", "零食", "乳制品", "熟食", "日用品", "文具", "服务")
# Product names as a Chinese shop's catalogue has them (brand + goods + variant + size), most with
# an English name: the product search (any part of a name, pinyin initials) is measured on these.
BRANDS = (
    ("可口可乐", "Coca-Cola"),
    ("百事", "Pepsi"),
    ("康师傅", "Master Kong"),
    ("统一", "Uni-President"),
    ("农夫山泉", "Nongfu Spring"),
    ("怡宝", "C'estbon"),
    ("娃哈哈", "Wahaha"),
    ("元气森林", "Genki Forest"),
    ("伊利", "Yili"),
    ("蒙牛", "Mengniu"),
    ("光明", "Bright"),
    ("君乐宝", "Junlebao"),
    ("旺旺", "Want Want"),
    ("乐事", "Lay's"),
    ("奥利奥", "Oreo"),
    ("好丽友", "Orion"),
    ("三只松鼠", "Three Squirrels"),
    ("良品铺子", "Bestore"),
    ("卫龙", "Weilong"),
    ("洽洽", "ChaCha"),
    ("德芙", "Dove"),
    ("雀巢", "Nestle"),
    ("双汇", "Shuanghui"),
    ("金龙鱼", "Arawana"),
    ("海天", "Haday"),
    ("老干妈", "Lao Gan Ma"),
    ("清风", "Breeze"),
    ("心相印", "Mind Act Upon Mind"),
    ("舒肤佳", "Safeguard"),
    ("海飞丝", "Head & Shoulders"),
    ("高露洁", "Colgate"),
    ("云南白药", "Yunnan Baiyao"),
    ("晨光", "M&G"),
    ("得力", "Deli"),
    ("白象", "Baixiang"),
    ("今麦郎", "Jinmailang"),
    ("青岛", "Tsingtao"),
    ("雪花", "Snow"),
    ("百威", "Budweiser"),
    ("红牛", "Red Bull"),
)
GOODS = (
    ("矿泉水", "mineral water"),
    ("纯净水", "purified water"),
    ("绿茶", "green tea"),
    ("冰红茶", "iced tea"),
    ("茉莉花茶", "jasmine tea"),
    ("可乐", "cola"),
    ("苏打水", "soda water"),
    ("橙汁", "orange juice"),
    ("纯牛奶", "whole milk"),
    ("酸奶", "yogurt"),
    ("豆奶", "soy milk"),
    ("方便面", "instant noodles"),
    ("薯片", "potato chips"),
    ("饼干", "biscuits"),
    ("夹心饼干", "sandwich cookies"),
    ("巧克力", "chocolate"),
    ("瓜子", "sunflower seeds"),
    ("坚果", "mixed nuts"),
    ("火腿肠", "ham sausage"),
    ("面包", "bread"),
    ("辣条", "spicy gluten strips"),
    ("啤酒", "beer"),
    ("食用油", "cooking oil"),
    ("酱油", "soy sauce"),
    ("抽纸", "facial tissues"),
    ("湿巾", "wet wipes"),
    ("香皂", "soap"),
    ("洗发水", "shampoo"),
    ("牙膏", "toothpaste"),
    ("中性笔", "gel pen"),
    ("笔记本", "notebook"),
    ("功能饮料", "energy drink"),
)
VARIANTS = (
    ("", ""),
    ("原味", "original"),
    ("番茄味", "tomato"),
    ("香辣", "spicy"),
    ("柠檬味", "lemon"),
    ("草莓味", "strawberry"),
    ("红烧牛肉", "braised beef"),
    ("无糖", "sugar free"),
    ("低脂", "low fat"),
    ("经典", "classic"),
    ("家庭装", "family pack"),
    ("黑色", "black"),
)
SIZES = ("250ml", "330ml", "500ml", "550ml", "1.5L", "70g", "100g", "250g", "500g", "5包", "12瓶装", "24罐", "3支")
REASONS = ("quality", "quality", "wrong_item", "changed_mind", "changed_mind", "price_error")
TENDERS = ("cash", "cash", "cash", "wechat", "wechat", "alipay", "card")
END = datetime(2026, 11, 22, 23, 0)


def _defaults(model) -> dict:
    """Every column of a table with the model's default, so the rows below only name what they set."""
    out = {}
    for f in model._meta.sorted_fields:
        if f.name == "id":
            continue
        default = f.default() if callable(f.default) else f.default
        out[f.column_name] = default
    return out


def _insert(conn: sqlite3.Connection, model, rows: list[dict]) -> None:
    if not rows:
        return
    base = _defaults(model)
    columns = list(base)
    sql = f'INSERT INTO "{model._meta.table_name}" ({", ".join(columns)}) VALUES ({", ".join("?" for _ in columns)})'
    # each row its own uid, never the one default for all
    conn.executemany(sql, ([{**base, "uid": models.new_uid(), **row}[c] for c in columns] for row in rows))


def made_by(path: Path) -> int | None:
    """Which generator made the file (None: no file)."""
    if not path.exists():
        return None
    db = sqlite3.connect(path)
    try:
        version: int = db.execute("PRAGMA user_version").fetchone()[0]
    finally:
        db.close()
    return version


def product_names(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """`count` different names like 康师傅方便面 红烧牛肉 100g / Master Kong instant noodles braised
    beef 100g; seven in ten have the English name."""
    names: dict[str, str] = {}
    while len(names) < count:
        (brand, brand_en), (goods, goods_en), (variant, variant_en) = (
            rng.choice(BRANDS),
            rng.choice(GOODS),
            rng.choice(VARIANTS),
        )
        size = rng.choice(SIZES)
        name = " ".join(part for part in (brand + goods, variant, size) if part)
        if name in names:
            name = f"{name} {rng.randrange(2, 100)}号"  # a shop's own numbering of near twins
        if name not in names:
            english = " ".join(part for part in (brand_en, goods_en, variant_en, size) if part)
            names[name] = english if rng.random() < 0.7 else ""
    return list(names.items())


def generate(path: Path, scale: float = 1.0, seed: int = 1) -> dict:
    sizes = {
        k: max(1, int(v * scale)) if k != "days" else max(2, min(v, int(v * scale**0.5) or 2)) for k, v in FULL.items()
    }
    path.unlink(missing_ok=True)
    open_database(path)  # the app's schema, indexes and triggers
    close_database()
    rng = random.Random(seed)
    started = time.perf_counter()
    conn = sqlite3.connect(path)
    product_search.register(conn)  # the product triggers make each name's search key
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    # a shop whose history is already at head office: the outbox triggers are off for the load
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'outbox_%'"):
        conn.execute(f'DROP TRIGGER "{name}"')
    with conn:
        _insert(conn, models.StoreRow, [{"code": "01", "name": "bench"}])
        _insert(conn, models.TillRow, [{"store_id": 1, "code": "01"}])
        _insert(
            conn,
            models.StaffRow,
            [
                {"code": f"{i:03d}", "name": f"staff {i}", "role": role, "pin_hash": "x"}
                for i, role in ((1, "cashier"), (2, "supervisor"), (3, "manager"), (4, "cashier"))
            ],
        )
        products = []
        for i, (name, name_en) in enumerate(product_names(rng, sizes["products"])):
            price = rng.choice((150, 300, 350, 599, 1299, 2500, 4990))
            products.append(
                {
                    "barcode": f"69{i:011d}",
                    "name": name,
                    "name_en": name_en,
                    "category": CATEGORIES[i % 7],
                    "price": price,
                    "member_price": price - 20 if i % 5 == 0 else None,
                    "stock": 1000,
                }
            )
        _insert(conn, models.ProductRow, products)
        _insert(
            conn,
            models.MemberRow,
            [
                {
                    "card_no": f"M{i:08d}",
                    "phone": f"13{i:09d}",
                    "phone_tail": f"{i % 10000:04d}",
                    "name": f"会员{i}",
                    "level": ("regular", "silver", "gold")[i % 3],
                    "joined": END - timedelta(days=400),
                }
                for i in range(sizes["members"])
            ],
        )
        # one shift a day; closed once its money is in (a closed shift takes no more payments)
        first_day = (END - timedelta(days=sizes["days"] - 1)).replace(hour=7, minute=0)
        _insert(
            conn,
            models.ShiftRow,
            [
                {
                    "till_code": "01",
                    "status": "open",
                    "opened_by": "001",
                    "opened_at": first_day + timedelta(days=d),
                    "opening_float": 50000,
                    "closed_by": "001",
                    "closed_at": first_day + timedelta(days=d, hours=15),
                    "counted": 0,
                    "expected": 0,
                }
                for d in range(sizes["days"])
            ],
        )
        sales, lines, payments = [], [], []
        line_id = sale_id = 0
        per_day = sizes["sale_lines"] / sizes["days"]
        sale_lines: list[tuple[int, int, int, int, int, int]] = []  # line id, sale id, product, qty, paid, day
        while line_id < sizes["sale_lines"]:
            day = min(sizes["days"] - 1, int(line_id / per_day))
            at = first_day + timedelta(days=day, seconds=rng.randrange(15 * 3600))
            sale_id += 1
            count = min(rng.choice((1, 1, 2, 3, 4, 5, 6)), sizes["sale_lines"] - line_id)
            total = 0
            for n in range(count):
                line_id += 1
                p = rng.randrange(sizes["products"])
                qty = rng.choice((1, 1, 1, 2, 3))
                price = products[p]["price"]
                paid = price * qty
                total += paid
                lines.append(
                    {
                        "sale_id": sale_id,
                        "line_no": n + 1,
                        "product_id": p + 1,
                        "barcode": products[p]["barcode"],
                        "name": products[p]["name"],
                        "category": products[p]["category"],
                        "qty": qty,
                        "list_price": price,
                        "unit_price": price,
                        "discount": 0,
                        "paid": paid,
                    }
                )
                sale_lines.append((line_id, sale_id, p + 1, qty, paid, day))
            member = rng.randrange(sizes["members"]) + 1 if rng.random() < 0.4 else None
            sales.append(
                {
                    "order_no": f"S{at:%Y%m%d}-{sale_id:07d}",
                    "till_code": "01",
                    "staff_id": rng.choice((1, 1, 2, 4)),
                    "member_id": member,
                    "status": "completed",
                    "created_at": at,
                    "completed_at": at,
                    "subtotal": total,
                    "discount": 0,
                    "total": total,
                    "shift_id": day + 1,
                }
            )
            payments.append(
                {
                    "sale_id": sale_id,
                    "tender": rng.choice(TENDERS),
                    "amount": total,
                    "created_at": at,
                    "shift_id": day + 1,
                }
            )
        _insert(conn, models.SaleRow, sales)
        _insert(conn, models.SaleLineRow, lines)
        _insert(conn, models.PaymentRow, payments)
        refunds, refund_lines, payouts = [], [], []
        picked = rng.sample(sale_lines, min(sizes["refunds"], len(sale_lines)))
        for n, (sl_id, s_id, product, qty, paid, day) in enumerate(picked, start=1):
            back_day = min(sizes["days"] - 1, day + rng.choice((0, 0, 1, 2, 5)))
            at = first_day + timedelta(days=back_day, seconds=rng.randrange(15 * 3600))
            sale = sales[s_id - 1]
            if at <= sale["created_at"]:
                at = sale["created_at"] + timedelta(minutes=30)
            amount = paid // qty
            refunds.append(
                {
                    "refund_no": f"R{at:%Y%m%d}-{n:07d}",
                    "sale_id": s_id,
                    "member_id": sale["member_id"],
                    "staff_id": rng.choice((1, 2, 4)),
                    "approver_id": 3 if amount > 20000 else None,
                    "status": "completed",
                    "reason": rng.choice(REASONS),
                    "tender": "cash",
                    "allowed": amount,
                    "amount": amount,
                    "created_at": at,
                    "paid_at": at,
                    "completed_at": at,
                    "opened_at": at - timedelta(minutes=rng.randrange(1, 8)),
                    "shift_id": back_day + 1,
                }
            )
            refund_lines.append(
                {
                    "refund_id": n,
                    "sale_line_id": sl_id,
                    "product_id": product,
                    "name": "x",
                    "qty": 1,
                    "amount": amount,
                    "disposition": "restock",
                }
            )
            payouts.append(
                {
                    "refund_id": n,
                    "sale_id": s_id,
                    "tender": "cash",
                    "amount": -amount,
                    "created_at": at,
                    "shift_id": back_day + 1,
                }
            )
        _insert(conn, models.RefundRow, refunds)
        _insert(conn, models.RefundLineRow, refund_lines)
        _insert(conn, models.PaymentRow, payouts)
        conn.execute("UPDATE shift SET status = 'closed'")
    for model in outbox.SYNCED:
        for sql in outbox.trigger_sql(model):
            conn.execute(sql)
    conn.execute("ANALYZE")
    conn.execute(f"PRAGMA user_version = {GENERATOR}")
    conn.close()
    return {**sizes, "sales": sale_id, "seconds": round(time.perf_counter() - started, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", type=Path)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full size (default 1)")
    args = parser.parse_args()
    print(generate(args.path, args.scale))


if __name__ == "__main__":
    main()
