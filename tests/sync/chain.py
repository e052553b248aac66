"""A chain for the sync tests: stores on real SQLite files, head office on the test PostgreSQL,
and a TCP proxy that can cut the link in the middle of an upload."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from tui_pos.central.schema import SPAN
from tui_pos.central.sql import run as central_run
from tui_pos.config import Config, load_config
from tui_pos.domain.basket import Basket
from tui_pos.domain.refund import Pick
from tui_pos.domain.tenders import TenderKind
from tui_pos.services import catalog, checkout, refunds
from tui_pos.services import staff as staff_service
from tui_pos.services.context import Context, close_shop, open_shop
from tui_pos.services.refunds import RefundDraft
from tui_pos.store import fast, outbox
from tui_pos.store.models import ShiftRow
from tui_pos.store.shift_queries import build_report

from conftest import PINS, seed


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then let go)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def url_at(url: str, host: str, port: int) -> str:
    """The same database URL through another host:port (the proxy, a closed port)."""
    scheme, rest = url.split("://", 1)
    auth_host, _, path = rest.partition("/")
    auth = auth_host.rsplit("@", 1)[0] + "@" if "@" in auth_host else ""
    return f"{scheme}://{auth}{host}:{port}/{path}"


@dataclass
class Shop:
    code: str
    config: Config
    seeded: bool = False

    @contextmanager
    def open(self) -> Iterator[Context]:
        """The shop opened as a till opens it (seeded the first time: staff, products, an open shift)."""
        ctx = open_shop(self.config)
        try:
            if not self.seeded:
                seed(ctx)
                self.seeded = True
            yield ctx
        finally:
            close_shop()


def make_shop(root: Path, code: str, url: str, *, batch: int = 500) -> Shop:
    home = root / f"store{code}"
    home.mkdir(parents=True, exist_ok=True)
    config = load_config(env={"TUI_POS_HOME": str(home), "HOME": str(home)})
    config = replace(
        config,
        store_code=code,
        store_name=f"Store {code}",
        db_path=home / "shop.db",
        central=replace(config.central, url=url, batch=batch, timezone="Asia/Shanghai"),
    )
    return Shop(code, config)


def sell(ctx: Context, items: dict[str, int], tender: TenderKind = TenderKind.CASH) -> int:
    basket = Basket()
    for code, qty in items.items():
        basket.add(catalog.product_for_scan(code), qty)
    plan = checkout.new_plan(ctx, basket)
    plan.add(tender, plan.due)
    return checkout.complete_sale(ctx, staff_service.login(ctx, "001", PINS["001"]), basket, plan).sale_id


def refund_all(ctx: Context, sale_id: int) -> str:
    lookup = refunds.load_order(ctx, sale_id)
    picks = tuple(Pick(h.sale_line_id, h.remaining) for h in lookup.history.values())
    draft = RefundDraft(sale_id, picks, "quality")
    cashier = staff_service.login(ctx, "001", PINS["001"])
    return refunds.confirm(ctx, cashier, draft).refund_no


def local_uids(table: str) -> set[str]:
    return {row[0] for row in fast.run(f'SELECT uid FROM "{table}"')}


def central_uids(db: Any, table: str, store_no: int) -> list[str]:
    rows = central_run(db, f'SELECT uid::text FROM "{table}" WHERE store_no = %s', (store_no,)).fetchall()
    return [str(r[0]) for r in rows]


def synced_tables() -> list[str]:
    return [outbox.table_name(m) for m in outbox.SYNCED]


def local_figures() -> dict[int, tuple[int, int, tuple[tuple[str, int, int], ...]]]:
    """Each shift's X/Z figures as the store's report builds them: sales, refunds, per tender."""
    out = {}
    for shift in ShiftRow.select().order_by(ShiftRow.id):
        report = build_report(shift)
        tenders = tuple((t.tender, t.sales, t.refunds) for t in report.tenders)
        out[shift.id] = (report.sales_count, report.refund_count, tenders)
    return out


def central_figures(db: Any, store_no: int) -> dict[int, tuple[int, int, tuple[tuple[str, int, int], ...]]]:
    """The same figures from head office's copy of the store's rows."""
    out = {}
    for (shift_id,) in central_run(db, "SELECT id FROM shift WHERE store_no = %s ORDER BY id", (store_no,)):
        sales = central_run(
            db, "SELECT COUNT(*) FROM sale WHERE shift_id = %s AND status = 'completed'", (shift_id,)
        ).fetchone()[0]
        refunded = central_run(
            db,
            "SELECT COUNT(*) FROM refund WHERE shift_id = %s AND status IN ('paid', 'completed')",
            (shift_id,),
        ).fetchone()[0]
        tenders = central_run(
            db,
            "SELECT tender, COALESCE(SUM(CASE WHEN refund_id IS NULL THEN amount ELSE 0 END), 0),"
            " COALESCE(SUM(CASE WHEN refund_id IS NOT NULL THEN -amount ELSE 0 END), 0)"
            " FROM payment WHERE shift_id = %s GROUP BY tender ORDER BY tender",
            (shift_id,),
        ).fetchall()
        out[int(shift_id) - store_no * SPAN] = (
            int(sales),
            int(refunded),
            tuple((str(t), int(s), int(r)) for t, s, r in tenders),
        )
    return out


class Proxy:
    """A TCP forwarder to head office that the test cuts (every connection closed, new ones
    dropped at once) and mends, as a pulled cable or a dead router would."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = int(self.listener.getsockname()[1])
        self.up = True
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.up:
                client.close()
                continue
            try:
                server = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets += [client, server]
            threading.Thread(target=self._pump, args=(client, server), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for s in (source, sink):
            with suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        self.up = False
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for s in sockets:
            with suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()

    def mend(self) -> None:
        self.up = True

    def close(self) -> None:
        self.cut()
        self.listener.close()
