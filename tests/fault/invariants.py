"""What must be true of a shop database at every instant, whatever was killed when.

Plain sqlite3 on purpose: the checks must not trust the code they check.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

# name -> SQL returning the rows that break the rule (none = rule holds)
RULES: dict[str, str] = {
    "sale payments equal its total": """
        SELECT s.order_no, s.total, (SELECT COALESCE(SUM(amount), 0) FROM payment
                                      WHERE sale_id = s.id AND refund_id IS NULL) AS paid
        FROM sale s WHERE s.status = 'completed' AND paid != s.total""",
    "sale lines add up to the total": """
        SELECT s.order_no FROM sale s
        WHERE s.total != (SELECT COALESCE(SUM(paid), 0) FROM sale_line WHERE sale_id = s.id)""",
    "refunds per line never exceed what was paid": """
        SELECT l.id, l.qty, l.paid, SUM(rl.qty), SUM(rl.amount) FROM sale_line l
        JOIN refund_line rl ON rl.sale_line_id = l.id JOIN refund r ON r.id = rl.refund_id
        WHERE r.status IN ('paid', 'completed')
        GROUP BY l.id HAVING SUM(rl.qty) > l.qty OR SUM(rl.amount) > l.paid""",
    "stock equals initial plus moves": """
        SELECT p.barcode, p.stock, (SELECT COALESCE(SUM(qty), 0) FROM stock_move WHERE product_id = p.id) AS moved
        FROM product p WHERE p.stock != moved""",
    "member points equal the sum of points moves": """
        SELECT m.card_no, m.points, (SELECT COALESCE(SUM(points), 0) FROM points_move WHERE member_id = m.id) AS moved
        FROM member m WHERE m.points != moved OR m.points < 0""",
    "stored value equals its moves and is never negative": """
        SELECT m.card_no, m.balance, (SELECT COALESCE(SUM(amount), 0) FROM stored_value_move
                                       WHERE member_id = m.id) AS moved
        FROM member m WHERE m.balance != moved OR m.balance < 0""",
    "a paid or completed refund has its money going back": """
        SELECT r.refund_no, r.amount, (SELECT COALESCE(-SUM(amount), 0) FROM payment
                                        WHERE refund_id = r.id AND tender != 'points') AS back
        FROM refund r WHERE r.status IN ('paid', 'completed') AND back != r.amount""",
    "an unpaid refund has moved no money": """
        SELECT r.refund_no FROM refund r JOIN payment p ON p.refund_id = r.id
        WHERE r.status IN ('pending_approval', 'rejected', 'cancelled')""",
    "daily totals equal the sales": """
        SELECT * FROM (SELECT date(created_at), staff_id, COUNT(*), SUM(total) FROM sale WHERE status = 'completed'
                       GROUP BY 1, 2 EXCEPT SELECT day, staff_id, SUM(sales), SUM(amount) FROM sale_day
                       GROUP BY 1, 2 HAVING SUM(sales) != 0)
        UNION ALL
        SELECT * FROM (SELECT day, staff_id, SUM(sales), SUM(amount) FROM sale_day GROUP BY 1, 2 HAVING SUM(sales) != 0
                       EXCEPT SELECT date(created_at), staff_id, COUNT(*), SUM(total) FROM sale
                       WHERE status = 'completed' GROUP BY 1, 2)""",
    "daily product and category totals equal the sale lines": """
        SELECT * FROM (SELECT l.product_id, date(s.created_at), SUM(l.qty), SUM(l.paid) FROM sale_line l
                       JOIN sale s ON s.id = l.sale_id WHERE s.status = 'completed' GROUP BY 1, 2
                       EXCEPT SELECT product_id, day, qty, amount FROM product_day WHERE qty != 0)
        UNION ALL
        SELECT * FROM (SELECT product_id, day, qty, amount FROM product_day WHERE qty != 0
                       EXCEPT SELECT l.product_id, date(s.created_at), SUM(l.qty), SUM(l.paid) FROM sale_line l
                       JOIN sale s ON s.id = l.sale_id WHERE s.status = 'completed' GROUP BY 1, 2)
        UNION ALL
        SELECT day, category, amount, 0 FROM (SELECT day, category, amount FROM category_day WHERE amount != 0
                       EXCEPT SELECT date(s.created_at), l.category, SUM(l.paid) FROM sale_line l
                       JOIN sale s ON s.id = l.sale_id WHERE s.status = 'completed' GROUP BY 1, 2)""",
    "order numbers are used once": "SELECT order_no FROM sale GROUP BY order_no HAVING COUNT(*) > 1",
    "refund numbers are used once": "SELECT refund_no FROM refund GROUP BY refund_no HAVING COUNT(*) > 1",
    "every sale and refund has its ticket": """
        SELECT order_no FROM sale WHERE order_no NOT IN (SELECT ref_no FROM print_job WHERE kind = 'receipt')
        UNION ALL
        SELECT refund_no FROM refund WHERE status IN ('paid', 'completed')
           AND refund_no NOT IN (SELECT ref_no FROM print_job WHERE kind = 'refund')""",
}


# The same rules limited to what changed after a mark (the highest id of each table then): the
# rows a killed till may have left half-written are all newer than the last check, so the check
# after a kill costs the same on a shop of ten sales as on one of a million.
SINCE: dict[str, str] = {
    "sale payments equal its total": """
        SELECT s.order_no, s.total, (SELECT COALESCE(SUM(amount), 0) FROM payment
                                      WHERE sale_id = s.id AND refund_id IS NULL) AS paid
        FROM sale s WHERE s.id > :sale AND s.status = 'completed' AND paid != s.total""",
    "sale lines add up to the total": """
        SELECT s.order_no FROM sale s
        WHERE s.id > :sale AND s.total != (SELECT COALESCE(SUM(paid), 0) FROM sale_line WHERE sale_id = s.id)""",
    "refunds per line never exceed what was paid": """
        SELECT l.id, l.qty, l.paid, SUM(rl.qty), SUM(rl.amount) FROM sale_line l
        JOIN refund_line rl ON rl.sale_line_id = l.id JOIN refund r ON r.id = rl.refund_id
        WHERE r.status IN ('paid', 'completed') AND l.sale_id IN (SELECT sale_id FROM refund WHERE id > :refund)
        GROUP BY l.id HAVING SUM(rl.qty) > l.qty OR SUM(rl.amount) > l.paid""",
    "stock equals initial plus moves": """
        SELECT p.barcode, p.stock, (SELECT COALESCE(SUM(qty), 0) FROM stock_move WHERE product_id = p.id) AS moved
        FROM product p WHERE p.id IN (SELECT product_id FROM stock_move WHERE id > :stock_move)
        AND p.stock != moved""",
    "member points equal the sum of points moves": """
        SELECT m.card_no, m.points, (SELECT COALESCE(SUM(points), 0) FROM points_move WHERE member_id = m.id) AS moved
        FROM member m WHERE m.id IN (SELECT member_id FROM points_move WHERE id > :points_move)
        AND (m.points != moved OR m.points < 0)""",
    "stored value equals its moves and is never negative": """
        SELECT m.card_no, m.balance, (SELECT COALESCE(SUM(amount), 0) FROM stored_value_move
                                       WHERE member_id = m.id) AS moved
        FROM member m WHERE m.id IN (SELECT member_id FROM stored_value_move WHERE id > :stored_value_move)
        AND (m.balance != moved OR m.balance < 0)""",
    "a paid or completed refund has its money going back": """
        SELECT r.refund_no, r.amount, (SELECT COALESCE(-SUM(amount), 0) FROM payment
                                        WHERE refund_id = r.id AND tender != 'points') AS back
        FROM refund r WHERE r.id > :refund AND r.status IN ('paid', 'completed') AND back != r.amount""",
    "an unpaid refund has moved no money": """
        SELECT r.refund_no FROM refund r JOIN payment p ON p.refund_id = r.id
        WHERE p.id > :payment AND r.status IN ('pending_approval', 'rejected', 'cancelled')""",
    "order numbers are used once": """
        SELECT order_no FROM sale WHERE order_no IN (SELECT order_no FROM sale WHERE id > :sale)
        GROUP BY order_no HAVING COUNT(*) > 1""",
    "refund numbers are used once": """
        SELECT refund_no FROM refund WHERE refund_no IN (SELECT refund_no FROM refund WHERE id > :refund)
        GROUP BY refund_no HAVING COUNT(*) > 1""",
    "every sale and refund has its ticket": """
        SELECT order_no FROM sale WHERE id > :sale
           AND order_no NOT IN (SELECT ref_no FROM print_job WHERE kind = 'receipt' AND id > :print_job)
        UNION ALL
        SELECT refund_no FROM refund WHERE id > :refund AND status IN ('paid', 'completed')
           AND refund_no NOT IN (SELECT ref_no FROM print_job WHERE kind = 'refund')""",
}
MARKED = ("sale", "refund", "stock_move", "points_move", "stored_value_move", "payment", "print_job")


def mark(path: Path | str) -> dict[str, int]:
    """The highest id of each table the incremental rules look past."""
    db = sqlite3.connect(path, timeout=30)
    try:
        return {table: db.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}").fetchone()[0] for table in MARKED}
    finally:
        db.close()


def violations(path: Path | str, since: dict[str, int] | None = None) -> list[str]:
    """Every broken rule, with up to three offending rows; [] for a sound database. With `since`
    (a `mark`), only rows newer than it: no integrity scan and no whole-table sums."""
    db = sqlite3.connect(path, timeout=30)
    try:
        found = []
        if since is None:
            integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
            if integrity != "ok":
                found.append(f"integrity_check: {integrity}")
            if db.execute("PRAGMA foreign_key_check").fetchall():
                found.append("foreign keys broken")
        for name, sql in (RULES if since is None else SINCE).items():
            rows = db.execute(sql, since or {}).fetchall()
            if rows:
                found.append(f"{name}: {rows[:3]}")
        found += _sequences(db, since)
        return found
    finally:
        db.close()


def _sequences(db: sqlite3.Connection, since: dict[str, int] | None = None) -> list[str]:
    """A counter behind its highest number would hand that number out again after a crash."""
    used: dict[str, int] = {}
    numbers = "SELECT order_no FROM sale WHERE id > :sale UNION ALL SELECT refund_no FROM refund WHERE id > :refund"
    for (number,) in db.execute(numbers, since or {"sale": 0, "refund": 0}):
        match = re.fullmatch(r"(.+)-(\d+)", number)
        if match:
            used[match[1]] = max(used.get(match[1], 0), int(match[2]))
    counters = dict(db.execute("SELECT key, value FROM sequence"))
    return [
        f"sequence {key} at {counters.get(key)} but {top} is used"
        for key, top in used.items()
        if counters.get(key, 0) < top
    ]
