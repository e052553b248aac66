"""Open the shop database: WAL, foreign keys, busy timeout, write lock at BEGIN, migrations."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from peewee import OperationalError, SqliteDatabase
from peewee import PeeweeException as PeeweeError

from tui_pos.domain.errors import Conflict, DatabaseGone, StorageFault, StoreBusy
from tui_pos.files import create_owner_only
from tui_pos.store import aggregates, audit, fast, models, outbox, product_search

SCHEMA_VERSION = 10
BUSY_TIMEOUT_MS = 5000
T = TypeVar("T")


# version -> function that upgrades the schema from version-1 to it. Later issues append.
def _print_job_till(db: SqliteDatabase) -> None:
    fast.execute(db, "ALTER TABLE print_job ADD COLUMN till VARCHAR(255) NOT NULL DEFAULT ''")


def _shifts(db: SqliteDatabase) -> None:
    db.create_tables([models.ShiftRow, models.CashMoveRow], safe=True)
    for table in ("sale", "refund", "payment"):
        fast.execute(db, f"ALTER TABLE {table} ADD COLUMN shift_id INTEGER REFERENCES shift (id)")
        fast.execute(db, f"CREATE INDEX IF NOT EXISTS {table}_shift_id ON {table} (shift_id)")


def _daily_totals(db: SqliteDatabase) -> None:
    aggregates.create(db, backfill=True)


def _add_column(db: SqliteDatabase, table: str, column: str, definition: str) -> None:
    """ALTER TABLE ... ADD COLUMN, unless it is there already (a migration may run again: a copy
    restored over a half-upgraded file, the upgrade test that steps a database back)."""
    if column not in {row[1] for row in fast.execute(db, f"PRAGMA table_info({table})")}:
        fast.execute(db, f"ALTER TABLE {table} ADD COLUMN {column} {definition}")


def _product_search(db: SqliteDatabase) -> None:
    """Products found by any part of a name and by pinyin: each product's key, made for the rows
    already there, and its index (20,000 products: about 10 s, once, on a busy 2-core machine)."""
    _add_column(db, "product", "search_key", "VARCHAR(255) NOT NULL DEFAULT ''")
    product_search.rebuild(db)


def _staff_name_en(db: SqliteDatabase) -> None:
    """Staff get an English name, shown with the English UI and on the Linux console."""
    _add_column(db, "staff", "name_en", "VARCHAR(255) NOT NULL DEFAULT ''")


def _staff_admin(db: SqliteDatabase) -> None:
    """Managers look after staff at the till: a reset PIN must be changed at the next log in,
    and one person may get their own refund limit."""
    _add_column(db, "staff", "must_change_pin", "INTEGER NOT NULL DEFAULT 0")
    _add_column(db, "staff", "refund_limit", "INTEGER")


def _refund_tenders(db: SqliteDatabase) -> None:
    """A refund's money per tender (refund_tender, made by create_tables after the steps) and how
    it settled earned points the member had already spent."""
    _add_column(db, "refund", "points_spent", "INTEGER NOT NULL DEFAULT 0")
    _add_column(db, "refund", "spent_deducted", "INTEGER NOT NULL DEFAULT 0")
    _add_column(db, "refund", "spent_policy", "VARCHAR(255) NOT NULL DEFAULT ''")
    # Refunds recorded before: their money by the tender it went back by (what paid it was not
    # kept; taken as the same), so a later refund of the order splits only what is left.
    db.create_tables([models.RefundTenderRow], safe=True)
    done = {row[0] for row in fast.execute(db, "SELECT DISTINCT refund_id FROM refund_tender")}
    paid = fast.execute(
        db,
        "SELECT p.refund_id, p.tender, -p.amount, p.reference FROM payment p"
        " WHERE p.refund_id IS NOT NULL AND p.tender != 'points' ORDER BY p.id",
    ).fetchall()
    parked = fast.execute(
        db, "SELECT id, tender, amount, fee, reference FROM refund WHERE status = 'pending_approval'"
    ).fetchall()
    rows = [(rid, "" if t == "exchange" else t, t, amount, 0, ref) for rid, t, amount, ref in paid if rid not in done]
    rows += [(rid, t, t, amount, fee, ref) for rid, t, amount, fee, ref in parked if rid not in done]
    for row in rows:
        fast.execute(
            db,
            "INSERT INTO refund_tender (uid, refund_id, paid_by, tender, amount, fee, reference)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (models.new_uid(), *row),
        )


def _uids(db: SqliteDatabase) -> None:
    """Every row gets its identity across the chain: a uid of its own, made row by row (one
    default for all rows would make them one row at head office), then the unique index. The
    outbox and the sync bookkeeping are made, and a shop that joins a chain uploads its history:
    every row it has goes into the outbox as an upsert, parents first."""
    fast.execute(db, "DROP TRIGGER IF EXISTS shift_closed_is_frozen")  # made again after the migration
    connection: sqlite3.Connection = db.connection()  # type: ignore[no-untyped-call]  # untyped in peewee
    for model in models.ALL_TABLES:
        table = model._meta.table_name
        _add_column(db, table, "uid", "VARCHAR(255)")
        ids = [row[0] for row in fast.execute(db, f'SELECT id FROM "{table}" WHERE uid IS NULL')]
        connection.executemany(
            f'UPDATE "{table}" SET uid = ? WHERE id = ?', [(models.new_uid(), row_id) for row_id in ids]
        )
        # named as peewee names the field's index (salerow_uid), so a new shop has the same one
        fast.execute(db, f'CREATE UNIQUE INDEX IF NOT EXISTS "{model._meta.name}_uid" ON "{table}" (uid)')
    if outbox.create_tables(db):
        _chain_refunds(db)  # the backfill writes the models' columns, migration 10's among them
        outbox.backfill(db)


def _chain_refunds(db: SqliteDatabase) -> None:
    """Issue 23: mirrors of other stores' orders and members (origin_store; a sale line's units
    refunded at other stores) and head office's conflicts of this store, pulled down."""
    _add_column(db, "sale", "origin_store", "VARCHAR(255) NOT NULL DEFAULT ''")
    _add_column(db, "sale_line", "refunded_elsewhere", "INTEGER NOT NULL DEFAULT 0")
    _add_column(db, "member", "origin_store", "VARCHAR(255) NOT NULL DEFAULT ''")
    db.create_tables([models.ConflictRow], safe=True)
    fast.execute(db, outbox.SALE_INDEX)


MIGRATIONS: dict[int, Callable[[SqliteDatabase], None]] = {
    2: _print_job_till,
    3: _shifts,
    4: _daily_totals,
    5: _product_search,
    6: _staff_name_en,
    7: _staff_admin,
    8: _refund_tenders,
    9: _uids,
    10: _chain_refunds,
}

# A closed shift is a signed-off Z report: nothing may change it or add money to it, whichever
# code (or hand with the sqlite3 shell) tries.
TRIGGERS = (
    """CREATE TRIGGER IF NOT EXISTS shift_closed_is_frozen BEFORE UPDATE ON shift
       WHEN OLD.status = 'closed' BEGIN SELECT RAISE(ABORT, 'shift is closed'); END""",
    """CREATE TRIGGER IF NOT EXISTS shift_closed_not_deleted BEFORE DELETE ON shift
       WHEN OLD.status = 'closed' BEGIN SELECT RAISE(ABORT, 'shift is closed'); END""",
    """CREATE TRIGGER IF NOT EXISTS payment_into_closed_shift BEFORE INSERT ON payment
       WHEN NEW.shift_id IS NOT NULL AND (SELECT status FROM shift WHERE id = NEW.shift_id) = 'closed'
       BEGIN SELECT RAISE(ABORT, 'shift is closed'); END""",
    """CREATE TRIGGER IF NOT EXISTS cash_move_into_closed_shift BEFORE INSERT ON cash_move
       WHEN (SELECT status FROM shift WHERE id = NEW.shift_id) = 'closed'
       BEGIN SELECT RAISE(ABORT, 'shift is closed'); END""",
)


MIN_SQLITE = (3, 24, 0)  # UPSERT, which the daily-totals triggers use

# The file this process opened (path, device, inode): a restore renames another file over the
# path and `rm` removes it, while the open connection goes on writing into the old one.
_opened: tuple[Path, int, int] | None = None


def database_gone() -> str:
    """What became of the file this process opened: "replaced", "removed", or "" while the path still names it."""
    if _opened is None:
        return ""
    path, device, inode = _opened
    try:
        now = path.stat()
    except FileNotFoundError:
        return "removed"
    return "" if (now.st_dev, now.st_ino) == (device, inode) else "replaced"


def refuse_if_gone() -> None:
    gone = database_gone()
    if gone == "replaced":
        raise DatabaseGone(
            "The shop database was replaced while this till was open: nothing more can be saved here. Restart the till"
        )
    if gone:
        raise DatabaseGone(
            "The shop database was removed while this till was open: nothing more can be saved here. Restart the till"
        )


def open_database(path: Path | str, *, create: bool = True, durable: bool = True) -> SqliteDatabase:
    """Open (and on first run create) the database and bind the models to it.

    `durable`: synchronous=FULL, so a committed sale (its receipt printed) survives a power cut;
    NORMAL in WAL may roll the last commits back and their numbers be issued again. Training
    keeps NORMAL: nothing in it is money."""
    if sqlite3.sqlite_version_info < MIN_SQLITE:
        raise Conflict("tui-pos needs SQLite 3.24 or newer; this Python has {version}", version=sqlite3.sqlite_version)
    path = Path(path)
    if not create and not path.exists():
        raise FileNotFoundError(f"no database at {path}")
    if str(path) != ":memory:":
        create_owner_only(path)
    db = SqliteDatabase(
        str(path),
        pragmas={
            "journal_mode": "wal",
            "foreign_keys": 1,
            "busy_timeout": BUSY_TIMEOUT_MS,
            "synchronous": "FULL" if durable else "NORMAL",
        },
        lock_type="IMMEDIATE",
        timeout=BUSY_TIMEOUT_MS / 1000,
    )
    product_search.register(db)  # the product triggers call them, on every connection
    models.database.initialize(db)
    try:
        db.connect(reuse_if_open=True)
        migrate(db)
    except (PeeweeError, sqlite3.Error) as exc:  # a damaged file or a read-only folder: say which
        fault = storage_fault(exc, str(path))
        if fault is None:
            raise
        if not db.is_closed():
            db.close()
        raise fault from exc
    _remember(path)
    # the audit trail's key lives beside the database, never in it; made with a new shop
    audit.use_key(None if str(path) == ":memory:" else audit.load_key(path, create=create))
    return db


def _remember(path: Path) -> None:
    global _opened
    if str(path) != ":memory:":
        found = path.stat()
        _opened = (path, found.st_dev, found.st_ino)


def migrate(db: SqliteDatabase) -> int:
    found = _version(db)
    if found == SCHEMA_VERSION:  # the usual start: nothing to do, and no write lock taken
        return SCHEMA_VERSION
    if found is not None and found > SCHEMA_VERSION:
        raise Conflict(
            "This database was written by a newer tui-pos (schema {found}; this one knows {known}). "
            "Install that version again; nothing was changed.",
            found=found,
            known=SCHEMA_VERSION,
        )
    if found is not None:
        copy_before_upgrade(db, found)
    with db.atomic():
        if not db.table_exists(models.SchemaVersionRow._meta.table_name):
            db.create_tables([*models.ALL_TABLES, models.ConflictRow], safe=True)
            outbox.create_tables(db)
            _triggers(db)
            models.SchemaVersionRow.create(version=SCHEMA_VERSION)
            return SCHEMA_VERSION
        # raw SQL until the end: the models have columns an old file gets only from the steps below
        for target in range((found or 0) + 1, SCHEMA_VERSION + 1):
            MIGRATIONS[target](db)
            _record_version(db, target)
        db.create_tables(models.ALL_TABLES, safe=True)
        _triggers(db)
        return SCHEMA_VERSION


def copy_before_upgrade(db: SqliteDatabase, version: int) -> Path | None:
    """Keep the database as it was before a migration, in backups/ beside it: an upgrade that goes
    wrong is then undone with `tui-pos restore`. Named `shop.v3-...db`, so backup rotation
    (which counts `shop-*.db`) never deletes it."""
    path = Path(db.database)
    if str(path) == ":memory:":
        return None
    target = path.parent / "backups" / f"{path.stem}.v{version}-{time.strftime('%Y%m%d-%H%M%S')}.db"
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    create_owner_only(target)
    copy = sqlite3.connect(target)
    try:
        db.connection().backup(copy)  # type: ignore[no-untyped-call]  # untyped in peewee
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()
    return target


def _version(db: SqliteDatabase) -> int | None:
    try:
        version: int | None = fast.execute(db, "SELECT MAX(version) FROM schema_version").fetchone()[0]
    except OperationalError:  # a new file: no table yet
        return None
    return version


def _record_version(db: SqliteDatabase, version: int) -> None:
    if "uid" in {row[1] for row in fast.execute(db, "PRAGMA table_info(schema_version)")}:
        fast.execute(db, "INSERT INTO schema_version (uid, version) VALUES (?, ?)", (models.new_uid(), version))
    else:
        fast.execute(db, "INSERT INTO schema_version (version) VALUES (?)", (version,))


def _triggers(db: SqliteDatabase) -> None:
    for sql in TRIGGERS:
        fast.execute(db, sql)
    outbox.create_triggers(db)
    aggregates.create(db, backfill=False)
    product_search.create(db)


def is_locked_error(exc: BaseException) -> bool:
    text = str(exc).lower()
    return isinstance(exc, (OperationalError, sqlite3.OperationalError)) and ("locked" in text or "busy" in text)


def _original(exc: BaseException) -> BaseException:
    """The error that made the transaction fail. SQLite rolls a transaction back by itself on a
    full disk or an I/O error, so the ROLLBACK that follows fails with 'no transaction is
    active' and would hide the real cause (the first error is its context)."""
    cause = exc
    while "no transaction is active" in str(cause) and cause.__context__ is not None:
        cause = cause.__context__  # peewee re-raises the sqlite3 error, whose context is the first one
    return cause if isinstance(cause, (sqlite3.Error, PeeweeError)) else exc


def storage_fault(exc: BaseException, path: str) -> StorageFault | None:
    """The cashier's words for a disk or file fault, or None for any other error."""
    text = str(exc).lower()
    if "disk is full" in text or "database or disk is full" in text:
        return StorageFault("The disk is full: free space, then Enter to retry; nothing was saved")
    if "readonly" in text or "read-only" in text or "unable to open database" in text:
        return StorageFault(
            "The database {path} or its folder cannot be written (read-only): give the till's user write "
            "access, then Enter to retry; nothing was saved",
            path=path,
        )
    if "not a database" in text or "malformed" in text:
        return StorageFault(
            "{path} is not a tui-pos database or is damaged: restore a backup with `tui-pos restore`", path=path
        )
    if "disk i/o error" in text:
        return StorageFault(
            "The disk failed writing {path}: check it, then Enter to retry; nothing was saved", path=path
        )
    return None


def write(fn: Callable[[], T], *, attempts: int = 3) -> T:
    """Run `fn` in one IMMEDIATE transaction; if another till holds the lock past the busy
    timeout, retry, then give the cashier a clear 'busy, try again' instead of a traceback.
    A full disk or a read-only file says so; nothing of the transaction is kept."""
    db = models.database
    if not db.in_transaction():
        refuse_if_gone()  # a sale written into a replaced file is lost, once reported OK
    for attempt in range(attempts):
        try:
            with db.atomic():
                return fn()
        except (PeeweeError, sqlite3.Error) as raised:
            exc = _original(raised)
            fault = None if db.in_transaction() else storage_fault(exc, str(db.database))
            if fault is not None:
                raise fault from exc
            if not is_locked_error(exc) or db.in_transaction():
                if exc is raised:
                    raise
                raise exc from None
            time.sleep(0.05 * (attempt + 1))
    raise StoreBusy("The database is busy (another till is writing); try again")


def close_database() -> None:
    global _opened
    _opened = None
    db = models.database.obj
    if db is not None and not db.is_closed():
        db.close()
