"""The till's own line to head office, for what cannot wait for the sync: finding a member of
another store, a stored-value or points payment, a member's history at every store.

It is opened from [central] url with a short timeout (a cashier waits on it), one per till
process and kept open, and opened again once when it broke. A shop with no [central] url, and
training, never open it: `linked` is False and every caller works as a store on its own.
psycopg and the central package load only when a call is made."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from tui_pos.services.context import Context

if TYPE_CHECKING:
    from peewee import Database

log = logging.getLogger("tui_pos")

TIMEOUT_S = 2.0  # a cashier waits on these calls: a dead link says so within seconds
# A link that dies in the middle of a call fails it within seconds too, not after the kernel's
# minutes: unanswered packets (libpq's tcp_user_timeout, keepalives) and a slow statement.
LINK_PARAMS = {"tcp_user_timeout": "4000", "keepalives_idle": "5", "keepalives_interval": "2", "keepalives_count": "2"}
STATEMENT_TIMEOUT_MS = 5000
T = TypeVar("T")

_lock = threading.Lock()
_open: dict[tuple[int, str], Database] = {}  # (thread, url): this thread's connection to head office


def linked(ctx: Context) -> bool:
    """A chain's till: head office decides about members' money (training sells on its own)."""
    return bool(ctx.config.central.url) and not ctx.config.training


def _connect(url: str, timeout_s: float) -> tuple[Database, bool]:
    """This thread's connection and whether it was already open (it may have broken since)."""
    from tui_pos.central.connect import open_central

    key = (threading.get_ident(), url)
    with _lock:
        db = _open.get(key)
    if db is not None and not db.is_closed():
        return db, True
    db = open_central(_impatient(url), timezone=None, timeout_s=timeout_s)
    from tui_pos.central.errors import guard
    from tui_pos.central.sql import run

    with guard(db):
        run(db, f"SET statement_timeout = {STATEMENT_TIMEOUT_MS}")
    with _lock:
        _open[key] = db
    return db, False


def _impatient(url: str) -> str:
    """The URL with LINK_PARAMS added where it does not set them itself."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    given = {key for key, _ in query}
    query += [(key, value) for key, value in LINK_PARAMS.items() if key not in given]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _drop(url: str) -> None:
    with _lock:
        db = _open.pop((threading.get_ident(), url), None)
    if db is not None:
        try:
            db.close()
        except Exception:  # a dead link may fail to close too; it is dropped either way
            log.debug("closing the till's head office connection failed", exc_info=True)


def close() -> None:
    """Every connection of this thread let go (the till closing, a test ending)."""
    with _lock:
        urls = [url for (thread, url) in _open if thread == threading.get_ident()]
    for url in urls:
        _drop(url)


def call(ctx: Context, work: Callable[[Database], T], *, timeout_s: float = TIMEOUT_S) -> T:
    """`work(db)` on head office's database; CentralDown (with the plain cause) when it cannot be
    reached. A connection found broken is opened afresh and `work` tried once more, so `work`
    must be safe to repeat (a lookup, or a debit made idempotent by its hold uid)."""
    from tui_pos.central.errors import CentralDown, guard

    url = ctx.config.central.url
    if not linked(ctx):
        raise CentralDown("This till has no head office ([central] url is not set)").because("off")
    while True:
        db, reused = _connect(url, timeout_s)
        try:
            with guard(db):
                return work(db)
        except CentralDown:
            _drop(url)
            if not reused:
                raise
            log.info("the till's head office connection broke; opening it again", exc_info=True)


def store_no(ctx: Context, db: Database) -> int:
    """This store's number at head office (asked for once, then kept; see services/sync.py)."""
    from tui_pos.services.sync import store_no as number

    return number(db, ctx)
