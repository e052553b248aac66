"""Head office's refund report over a chain: 50 stores x 1 year, made directly in PostgreSQL.

    source .ci/postgres.sh && .venv/bin/python bench/chain_reports.py      # makes the data once, then times
    .venv/bin/python bench/chain_reports.py --url postgresql://user@host/postgres --stores 50 --days 365

The data is written by generate_series SQL into head office's own schema (central/schema.py),
in a database of its own (tui_pos_bench_chain_<stores>x<days>, kept for the next run): per store
8 staff, 5,000 products, 4,000 members, two tills' shifts each day, 300 sales a day and 9
refunds (3 %) with their lines, and the daily totals the refund report reads instead of sale
lines (sale_day from the sales themselves; product_day 400 products a day; category_day). Sale
lines and payments are left out: the refund analytics never read them, and 16 million lines
would take longer to make than everything else together.

Then it times, through the same services the store's screens call, bound to head office by
services/chain_reports.py: what `tui-pos report refunds --central` runs (summary, the table by
reason, the table by store), each refund table alone, and one store's report. Target 1 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tui_pos.central import schema
from tui_pos.central.apply import register_store
from tui_pos.central.connect import open_central
from tui_pos.central.sql import run as sql
from tui_pos.config import load_config
from tui_pos.domain.staff import Role, Staff
from tui_pos.services import chain_reports, reports
from tui_pos.services.context import Context

GENERATOR = 3  # bump when the data below changes: an old database is made again
ZONE = "Asia/Shanghai"
FIRST_DAY = "2025-12-01"  # the year ends on 2026-11-30
SPAN = schema.SPAN
PRODUCTS, MEMBERS, STAFF, SALES, REFUNDS, PRODUCT_DAYS, CATEGORIES = 5000, 4000, 8, 300, 9, 400, 20
OWNER = Staff(id=1, code="001", name="bench", role=Role.MANAGER)
TARGET_MS = 1000


def _day(d: str) -> str:
    """The local midnight starting day `d` (an SQL integer expression) of the year."""
    return f"(timestamptz '{FIRST_DAY} 00:00:00' + ({d}) * interval '1 day')"


def _insert(db: Any, table: str, values: dict[str, str], source: str) -> None:
    """INSERT INTO table SELECT ... FROM source: columns not given get NULL, or 0 / '' / false
    where the column may not be NULL; uid a fresh UUID."""
    exprs = []
    for column in schema.BY_NAME[table].columns:
        if column.name in values:
            exprs.append(values[column.name])
        elif column.name == "uid":
            exprs.append("gen_random_uuid()::text")
        elif column.null:
            exprs.append("NULL")
        else:
            exprs.append({"text": "''", "bool": "false", "time": "now()"}.get(column.kind, "0"))
    names = ", ".join(schema.q(c.name) for c in schema.BY_NAME[table].columns)
    sql(db, f"INSERT INTO {schema.q(table)} ({names}) SELECT {', '.join(exprs)} FROM {source}")


def generate(db: Any, stores: int, days: int) -> None:
    started = time.monotonic()

    def step(what: str) -> None:
        print(f"  {what} ({time.monotonic() - started:.0f} s)", file=sys.stderr, flush=True)

    schema.create(db)
    for no in range(1, stores + 1):
        register_store(db, f"{no:02d}", f"Store {no}")
    with db.atomic():
        sql(db, "SET LOCAL session_replication_role = replica")  # no triggers, no FK checks: made consistent here
        sql(db, f"SET LOCAL TIME ZONE '{ZONE}'")
        every = f"generate_series(1, {stores}) s"
        _insert(
            db,
            "staff",
            {
                "id": f"s * {SPAN} + k",
                "code": "lpad(k::text, 3, '0')",
                "name": "'Staff ' || k",
                "role": "CASE WHEN k = 1 THEN 'manager' WHEN k <= 3 THEN 'supervisor' ELSE 'cashier' END",
                "active": "true",
            },
            f"{every}, generate_series(1, {STAFF}) k",
        )
        _insert(
            db,
            "product",
            {
                "id": f"s * {SPAN} + p",
                "barcode": "'69' || lpad(p::text, 11, '0')",
                "name": "'Product ' || p",
                "category": f"'cat' || lpad((1 + p % {CATEGORIES})::text, 2, '0')",
                "price": "100 + (p * 7919) % 5000",
                "stock": "100",
                "active": "true",
            },
            f"{every}, generate_series(1, {PRODUCTS}) p",
        )
        _insert(
            db,
            "member",
            {
                "id": f"s * {SPAN} + m",
                "card_no": "'M' || lpad(s::text, 2, '0') || lpad(m::text, 6, '0')",
                "phone": "'139' || lpad(s::text, 2, '0') || lpad(m::text, 6, '0')",
                "phone_tail": "lpad((m % 10000)::text, 4, '0')",
                "name": "'Member ' || m",
                "level": "(ARRAY['regular', 'regular', 'silver', 'gold'])[1 + m % 4]",
                "joined": _day("0"),
            },
            f"{every}, generate_series(1, {MEMBERS}) m",
        )
        step("staff, products, members")
        _insert(
            db,
            "shift",
            {
                "id": f"s * {SPAN} + d * 2 + t",
                "till_code": "'0' || t",
                "status": "'closed'",
                "opened_by": "'001'",
                "opened_at": f"{_day('d')} + interval '7 hours 55 minutes'",
                "opening_float": "50000",
                "closed_by": "'001'",
                "closed_at": f"{_day('d')} + interval '22 hours 5 minutes'",
            },
            f"{every}, generate_series(0, {days - 1}) d, generate_series(1, 2) t",
        )
        # sale n (local id) = d * SALES + k, rung up between 08:00 and 22:00; 30 % to members
        n = f"(d * {SALES} + k)"
        member = f"CASE WHEN k % 10 < 3 THEN s * {SPAN} + 1 + ({n} * 7919) % {MEMBERS} END"
        total = f"(300 + ({n} * 2654435761) % 20000)"
        _insert(
            db,
            "sale",
            {
                "id": f"s * {SPAN} + {n}",
                "order_no": f"'S' || lpad(s::text, 2, '0') || '-' || to_char({_day('d')}, 'YYYYMMDD') || '-' "
                "|| lpad(k::text, 4, '0')",
                "till_code": "'0' || (1 + k % 2)",
                "staff_id": f"s * {SPAN} + 4 + k % 5",
                "member_id": member,
                "status": "CASE WHEN k % 200 = 0 THEN 'voided' ELSE 'completed' END",
                "created_at": f"{_day('d')} + interval '8 hours' + (k * 168) * interval '1 second'",
                "completed_at": f"{_day('d')} + interval '8 hours' + (k * 168 + 30) * interval '1 second'",
                "subtotal": total,
                "total": total,
                "points_earned": f"CASE WHEN k % 10 < 3 THEN {total} / 100 ELSE 0 END",
                "shift_id": f"s * {SPAN} + d * 2 + 1 + k % 2",
            },
            f"{every}, generate_series(0, {days - 1}) d, generate_series(1, {SALES}) k",
        )
        step("shifts, sales")
        # refund r = d * REFUNDS + j: of sale k = j * 31 of up to 3 days before, at 09:00 + j * 80 min
        # (the last at 21:00, within the shifts)
        r = f"(d * {REFUNDS} + j)"
        sale_day = "greatest(d - j % 4, 0)"
        sale_n = f"({sale_day} * {SALES} + j * 31)"
        at = f"{_day('d')} + interval '9 hours' + (j * 80) * interval '1 minute'"
        _insert(
            db,
            "refund",
            {
                "id": f"s * {SPAN} + {r}",
                "refund_no": f"'R' || lpad(s::text, 2, '0') || '-' || to_char({_day('d')}, 'YYYYMMDD') || '-' "
                "|| lpad(j::text, 4, '0')",
                "sale_id": f"s * {SPAN} + {sale_n}",
                "member_id": f"CASE WHEN (j * 31) % 10 < 3 THEN s * {SPAN} + 1 + ({sale_n} * 7919) % {MEMBERS} END",
                "staff_id": f"s * {SPAN} + 4 + {r} % 5",
                "approver_id": f"CASE WHEN {r} % 5 = 0 THEN s * {SPAN} + 1 WHEN {r} % 7 = 0 "
                f"THEN s * {SPAN} + 4 + {r} % 5 END",
                "status": f"CASE WHEN {r} % 50 = 0 THEN 'rejected' WHEN {r} % 50 = 1 THEN 'pending_approval' "
                "ELSE 'completed' END",
                "reason": f"(ARRAY['quality', 'wrong_item', 'changed_mind', 'price_error', 'service'])[1 + {r} % 5]",
                "tender": "'cash'",
                "allowed": f"100 + ({r} * 7919) % 5000",
                "amount": f"100 + ({r} * 7919) % 5000",
                "no_receipt": f"{r} % 20 = 0",
                "override": f"{r} % 23 = 0",
                "approval_reasons": f"CASE WHEN {r} % 31 = 0 THEN 'cash_for_non_cash' ELSE '' END",
                "created_at": at,
                "opened_at": f"{at} - (1 + {r} % 10) * interval '1 minute'",
                "paid_at": f"CASE WHEN {r} % 50 > 1 THEN {at} + interval '1 minute' END",
                "completed_at": f"CASE WHEN {r} % 50 > 1 THEN {at} + interval '2 minutes' END",
                "shift_id": f"s * {SPAN} + d * 2 + 1 + j % 2",
            },
            f"{every}, generate_series(0, {days - 1}) d, generate_series(1, {REFUNDS}) j",
        )
        # one line a refund, a second for every third
        _insert(
            db,
            "refund_line",
            {
                "id": f"s * {SPAN} + {r} * 2 + l",
                "refund_id": f"s * {SPAN} + {r}",
                "product_id": f"s * {SPAN} + 1 + ({r} * 104729 + l * 17) % {PRODUCTS}",
                "name": "'Product'",
                "qty": "1",
                "amount": f"(100 + ({r} * 7919) % 5000) / (1 + ({r} % 3 = 0)::int)",
                "disposition": "'restock'",
            },
            f"{every}, generate_series(0, {days - 1}) d, generate_series(1, {REFUNDS}) j, "
            f"generate_series(0, 1) l WHERE l = 0 OR ({r}) % 3 = 0",
        )
        step("refunds")
        sql(
            db,
            "INSERT INTO sale_day (store_no, day, staff_id, level, sales, amount) "
            "SELECT s.store_no, to_char(s.created_at, 'YYYY-MM-DD'), s.staff_id, COALESCE(m.level, ''), "
            "count(*), sum(s.total) FROM sale s LEFT JOIN member m ON m.id = s.member_id "
            "WHERE s.status = 'completed' GROUP BY 1, 2, 3, 4",
        )
        sql(
            db,
            "INSERT INTO product_day (store_no, product_id, day, qty, amount) "
            f"SELECT s, s * {SPAN} + 1 + (m * 37 + d * 101) % {PRODUCTS}, to_char({_day('d')}, 'YYYY-MM-DD'), "
            f"1 + m % 3, (1 + m % 3) * (100 + (m * 7919) % 5000) "
            f"FROM {every}, generate_series(0, {days - 1}) d, generate_series(1, {PRODUCT_DAYS}) m",
        )
        sql(
            db,
            "INSERT INTO category_day (store_no, day, category, amount) "
            f"SELECT s, to_char({_day('d')}, 'YYYY-MM-DD'), 'cat' || lpad(c::text, 2, '0'), 20000 + c * 1000 "
            f"FROM {every}, generate_series(0, {days - 1}) d, generate_series(1, {CATEGORIES}) c",
        )
        step("daily totals")
        sql(db, "CREATE TABLE bench_made (generator INT, stores INT, days INT)")
        sql(db, "INSERT INTO bench_made VALUES (%s, %s, %s)", (GENERATOR, stores, days))
    sql(db, "VACUUM ANALYZE")  # as autovacuum leaves a live database: statistics, and index-only scans
    step("vacuumed")


def database(url: str, stores: int, days: int) -> str:
    """The URL of the chain's database on `url`'s server, made when missing or made by an older generator."""
    import psycopg

    name = f"tui_pos_bench_chain_{stores}x{days}"
    target = url.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(url, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists:
            with psycopg.connect(target) as conn:
                made = conn.execute(
                    "SELECT generator, stores, days FROM bench_made"
                    if conn.execute("SELECT to_regclass('bench_made')").fetchone()[0]
                    else "SELECT 0, 0, 0"
                ).fetchone()
            if made == (GENERATOR, stores, days):
                return target
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    print(f"generating {stores} stores x {days} days in {name} ...", file=sys.stderr, flush=True)
    db = open_central(target, timezone=ZONE)
    try:
        generate(db, stores, days)
    finally:
        db.close()
    return target


def timed(fn: Any, runs: int) -> tuple[float, float]:
    """(median, max) milliseconds over `runs` calls, after one call that warms the cache."""
    fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times)


def run(url: str, stores: int = 50, days: int = 365, runs: int = 5) -> list[dict[str, Any]]:
    target = database(url, stores, days)
    db = open_central(target, timezone=ZONE)
    ctx = Context(load_config(env={}), lambda: datetime(2026, 11, 30, 21, 0))
    first = datetime.fromisoformat(FIRST_DAY)
    since, until = reports.date_range(first, first + timedelta(days=days - 1))  # every day made
    known = chain_reports.stores(db)

    def chain_report() -> None:  # what `tui-pos report refunds --central` runs
        reports.summary(ctx, OWNER, since, until)
        reports.table(ctx, OWNER, "reason", since, until)
        chain_reports.stores_table(ctx, OWNER, since, until, known)

    out = []
    try:
        cases: list[tuple[str, Any, Any]] = [("chain refund report (summary, reason, by store)", None, chain_report)]
        for view in reports.TABLES:
            cases.append((f"chain refunds by {view}", None, lambda v=view: reports.table(ctx, OWNER, v, since, until)))
        one = known[len(known) // 2]

        def store_report() -> None:
            reports.summary(ctx, OWNER, since, until)
            reports.table(ctx, OWNER, "reason", since, until)

        cases.append((f"store {one.code} refund report (summary, reason)", one, store_report))
        for name, store, fn in cases:
            with chain_reports.on_central(db, store):
                median, worst = timed(fn, runs)
            out.append({"name": name, "median_ms": round(median, 1), "max_ms": round(worst, 1), "target_ms": TARGET_MS})
    finally:
        db.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=os.environ.get("TUI_POS_TEST_PG_URL", ""), help="a PostgreSQL server's URL")
    parser.add_argument("--stores", type=int, default=50)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not args.url:
        parser.error("no PostgreSQL: give --url, or `source .ci/postgres.sh` first (TUI_POS_TEST_PG_URL)")
    for row in run(args.url, args.stores, args.days, args.runs):
        flag = "" if row["median_ms"] <= row["target_ms"] else "  OVER TARGET"
        print(f"{row['name']:<52} {row['median_ms']:>8.1f} ms (max {row['max_ms']:.1f}){flag}")


if __name__ == "__main__":
    main()
