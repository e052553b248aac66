"""Daily sales totals kept beside the sales, so a year of refund analytics reads a few
thousand summary rows instead of a million sale lines.

SQLite triggers keep them: every completed sale and sale line adds itself in the same
transaction that records it, whichever code (or hand) writes the sale. So they can never
disagree with the sales, even after a crash; tests/fault checks that after every kill.
Days are the sale's local date, as stored in `created_at`.
"""

from __future__ import annotations

from datetime import datetime, time

from peewee import SqliteDatabase

from tui_pos.store import fast

TABLES = (
    """CREATE TABLE IF NOT EXISTS sale_day (
        day TEXT NOT NULL, staff_id INTEGER NOT NULL, level TEXT NOT NULL,
        sales INTEGER NOT NULL, amount INTEGER NOT NULL,
        PRIMARY KEY (day, staff_id, level)) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS product_day (
        product_id INTEGER NOT NULL, day TEXT NOT NULL, qty INTEGER NOT NULL, amount INTEGER NOT NULL,
        PRIMARY KEY (product_id, day)) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS category_day (
        day TEXT NOT NULL, category TEXT NOT NULL, amount INTEGER NOT NULL,
        PRIMARY KEY (day, category)) WITHOUT ROWID""",
)

# member level as it was at the sale (a member who moves up later does not rewrite history)
_LEVEL = "COALESCE((SELECT level FROM member WHERE id = {sale}.member_id), '')"

TRIGGERS = (
    f"""CREATE TRIGGER IF NOT EXISTS sale_day_add AFTER INSERT ON sale WHEN NEW.status = 'completed' BEGIN
        INSERT INTO sale_day (day, staff_id, level, sales, amount)
        VALUES (date(NEW.created_at), NEW.staff_id, {_LEVEL.format(sale="NEW")}, 1, NEW.total)
        ON CONFLICT (day, staff_id, level) DO UPDATE SET sales = sales + 1, amount = amount + excluded.amount;
    END""",
    """CREATE TRIGGER IF NOT EXISTS sale_line_day_add AFTER INSERT ON sale_line BEGIN
        INSERT INTO product_day (product_id, day, qty, amount)
        SELECT NEW.product_id, date(s.created_at), NEW.qty, NEW.paid FROM sale s
        WHERE s.id = NEW.sale_id AND s.status = 'completed'
        ON CONFLICT (product_id, day) DO UPDATE SET qty = qty + excluded.qty, amount = amount + excluded.amount;
        INSERT INTO category_day (day, category, amount)
        SELECT date(s.created_at), NEW.category, NEW.paid FROM sale s
        WHERE s.id = NEW.sale_id AND s.status = 'completed'
        ON CONFLICT (day, category) DO UPDATE SET amount = amount + excluded.amount;
    END""",
    # a completed sale that is voided afterwards leaves the totals again
    f"""CREATE TRIGGER IF NOT EXISTS sale_day_void AFTER UPDATE OF status ON sale
       WHEN OLD.status = 'completed' AND NEW.status != 'completed' BEGIN
        UPDATE sale_day SET sales = sales - 1, amount = amount - OLD.total
        WHERE day = date(OLD.created_at) AND staff_id = OLD.staff_id AND level = {_LEVEL.format(sale="OLD")};
        UPDATE product_day SET qty = qty - (SELECT SUM(qty) FROM sale_line l WHERE l.sale_id = OLD.id
                                            AND l.product_id = product_day.product_id),
                               amount = amount - (SELECT SUM(paid) FROM sale_line l WHERE l.sale_id = OLD.id
                                                  AND l.product_id = product_day.product_id)
        WHERE day = date(OLD.created_at) AND product_id IN (SELECT product_id FROM sale_line WHERE sale_id = OLD.id);
        UPDATE category_day SET amount = amount - (SELECT SUM(paid) FROM sale_line l WHERE l.sale_id = OLD.id
                                                   AND l.category = category_day.category)
        WHERE day = date(OLD.created_at) AND category IN (SELECT category FROM sale_line WHERE sale_id = OLD.id);
    END""",
)

BACKFILL = (
    f"""INSERT INTO sale_day (day, staff_id, level, sales, amount)
        SELECT date(created_at), staff_id, {_LEVEL.format(sale="sale")}, COUNT(*), SUM(total)
        FROM sale WHERE status = 'completed' GROUP BY 1, 2, 3""",
    """INSERT INTO product_day (product_id, day, qty, amount)
       SELECT l.product_id, date(s.created_at), SUM(l.qty), SUM(l.paid)
       FROM sale_line l JOIN sale s ON s.id = l.sale_id WHERE s.status = 'completed' GROUP BY 1, 2""",
    """INSERT INTO category_day (day, category, amount)
       SELECT date(s.created_at), l.category, SUM(l.paid)
       FROM sale_line l JOIN sale s ON s.id = l.sale_id WHERE s.status = 'completed' GROUP BY 1, 2""",
)


def create(db: SqliteDatabase, *, backfill: bool) -> None:
    for sql in TABLES + TRIGGERS:
        fast.execute(db, sql)
    if backfill:
        for sql in BACKFILL:
            fast.execute(db, sql)


def days(since: datetime, until: datetime) -> tuple[str, str]:
    """The [first, last) day strings; the daily totals answer for whole days only (report
    ranges come from services.reports.date_range, which gives whole days)."""
    if since.time() != time(0) or until.time() != time(0):
        raise ValueError(f"report ranges are whole days, not {since} to {until}")
    return f"{since:%Y-%m-%d}", f"{until:%Y-%m-%d}"
