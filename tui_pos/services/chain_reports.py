"""Head office's reports: the store's own report functions, run on the central PostgreSQL.

Nothing here computes a report figure. `on_central` binds the models to head office for the
length of a report, all stores at once or one store through its `store_<no>` schema of views;
the refund analytics, day summary and shift reports then run unchanged (store/dialect.py holds
the few expressions the engines spell differently). What head office adds is the store as a
dimension: `stores_table` puts each store's refund figures side by side.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from peewee import Database, PostgresqlDatabase

from tui_pos.domain.errors import NotFound
from tui_pos.domain.staff import Staff, require
from tui_pos.services import reports
from tui_pos.services.context import Context
from tui_pos.store import models
from tui_pos.store import report_queries as q

SPAN = 10**10  # central id = store_no * SPAN + local id (tui_pos.central.schema.SPAN)


@dataclass(frozen=True)
class Store:
    no: int
    code: str
    name: str


def _run(db: Database, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    cursor = db.execute_sql(sql, params)  # type: ignore[no-untyped-call]  # untyped in peewee's stubs
    return list(cursor.fetchall()) if cursor.description else []


def stores(db: Database) -> list[Store]:
    """The registered stores, by code."""
    rows = _run(db, "SELECT no, code, name FROM chain_store ORDER BY code")
    return [Store(int(no), code, name) for no, code, name in rows]


def find_store(db: Database, code: str) -> Store:
    """The store registered under `code` (as its [store] code says, e.g. 02)."""
    from tui_pos.i18n import tr

    known = stores(db)
    for store in known:
        if store.code == code.strip():
            return store
    raise NotFound(
        "Head office knows no store {code}; its stores are: {known}",
        code=code.strip()[:20],
        known=", ".join(s.code for s in known) or tr("none yet"),
    )


def _integral_numerics(db: Database) -> None:
    """SUM of a BIGINT column is NUMERIC in PostgreSQL, a Decimal in Python; the report code
    adds and formats integer fen, as SQLite gives them. On this connection only, a numeric
    written without a decimal point is read as an int."""
    from decimal import Decimal

    from psycopg.adapt import Loader

    class IntegralNumeric(Loader):
        def load(self, data: Any) -> int | Decimal:
            text = bytes(data).decode()
            return int(text) if text.lstrip("-").isdigit() else Decimal(text)

    db.connection().adapters.register_loader("numeric", IntegralNumeric)  # type: ignore[no-untyped-call]


@contextmanager
def on_central(db: PostgresqlDatabase, store: Store | None = None) -> Iterator[None]:
    """The models bound to head office while the block runs: every store's rows, or only
    `store`'s (search_path = its schema of views, then public); bound back afterwards."""
    before = models.database.obj
    _integral_numerics(db)
    _run(db, f"SET search_path TO store_{int(store.no)}, public" if store else "SET search_path TO public")
    # a report is a dozen short queries: compiling each (JIT, ~80 ms apiece) costs more than it saves
    _run(db, "SET jit = off")
    models.database.initialize(db)
    try:
        yield
    finally:
        models.database.initialize(before)
        if not db.is_closed():
            _run(db, "SET search_path TO public")


def local_id(central_id: int) -> int:
    """A row's number in its own store (shift 12 of store 2 is 20000000012 at head office)."""
    return central_id % SPAN


def central_id(store: Store, local: int) -> int:
    return store.no * SPAN + local


def stores_table(ctx: Context, actor: Staff, since: datetime, until: datetime, known: list[Store]) -> reports.Table:
    """Each store's refunds beside its sales (models bound to head office, all stores)."""
    from tui_pos.i18n import tr

    require(actor, "reports")
    by_no = {s.no: s for s in known}
    rows = []
    for no, _, count, amount, sales in q.by_store(since, until):
        store = by_no.get(int(no), Store(int(no), str(no), ""))
        rows.append(
            (
                store.code,
                store.name,
                str(count),
                reports.yuan(amount),
                reports.yuan(sales),
                reports.pct(reports.rate_bp(amount, sales)),
            )
        )
    return reports.Table(
        "stores", tuple(tr(h) for h in ("Store", "Store name", *reports.FIGURE_HEADS)), tuple(sorted(rows))
    )


def open_shift_id(till_code: str) -> int | None:
    """The open shift of a till in the bound store (the store's own lookup is SQLite's fast path)."""
    row = (
        models.ShiftRow.select(models.ShiftRow.id)
        .where((models.ShiftRow.till_code == till_code) & (models.ShiftRow.status == "open"))
        .order_by(models.ShiftRow.id.desc())
        .first()
    )
    return None if row is None else int(row.id)
