"""Backups, restore and the audit-trail check: the owner's safety net.

Backups use SQLite's online backup API, so they are consistent even while tills are ringing
up sales (a plain file copy of a WAL database can be torn). Every copy is written under a
temporary name, checked, then renamed: a full disk or a pulled USB stick leaves nothing behind
that rotation could later take for a good copy. Files are readable by their owner only: they
hold PIN hashes and members' phone numbers.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from tui_pos.config import Config
from tui_pos.domain.errors import Conflict, NotFound
from tui_pos.files import create_owner_only, exposure
from tui_pos.services import till_sessions
from tui_pos.store import audit
from tui_pos.store.db import SCHEMA_VERSION, close_database, open_database, write
from tui_pos.store.models import ALL_TABLES

DEFAULT_KEEP = 14
SQLITE_HEADER = b"SQLite format 3\x00"

# Tables every tui-pos database has had since schema 1, and those later migrations added: a file
# of a known version must hold all of its tables (a file with only `schema_version` is no shop).
FIRST_TABLES = frozenset(
    {
        "schema_version",
        "store",
        "till",
        "staff",
        "product",
        "member",
        "sale",
        "refund",
        "sale_line",
        "refund_line",
        "payment",
        "stock_move",
        "points_move",
        "stored_value_move",
        "sequence",
        "audit_log",
        "print_job",
    }
)
ADDED_IN = {"shift": 3, "cash_move": 3, "sale_day": 4, "product_day": 4, "category_day": 4, "refund_tender": 8}


def backup_dir(config: Config) -> Path:
    return config.data_dir / "backups"


def _copy_pattern(stem: str) -> re.Pattern[str]:
    """The names `backup` writes; pre-restore copies and `shop.vN-*` upgrade copies never match."""
    return re.compile(rf"{re.escape(stem)}-\d{{8}}-\d{{6}}-\d{{6}}\.db")


def _copy(source: Path, target: Path, self_contained: bool = True) -> None:
    """Online backup in one step: a copy taken in steps restarts whenever a till writes, so on
    a busy shop it might never finish; one step reads one WAL snapshot and never blocks tills."""
    if self_contained:
        create_owner_only(target)
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target, timeout=30)
    try:
        src.backup(dst)
        if self_contained:
            dst.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it
    finally:
        src.close()
        dst.close()


def is_disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    if isinstance(exc, sqlite3.Error):
        return getattr(exc, "sqlite_errorcode", None) == 13 or "disk is full" in str(exc)  # 13 = SQLITE_FULL
    return False


def disk_full(folder: Path) -> Conflict:
    return Conflict("The disk is full: free space, nothing was saved ({folder})", folder=str(folder))


def _remove(path: Path) -> None:
    for leftover in (path, Path(f"{path}-journal"), Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)


def refuse_exposed(config: Config, uid: int | None = None) -> None:
    """A live till does not run on a database another user of the PC may change: whoever owns or
    may write the file, or its folder, can rewrite sales, refunds and PIN hashes without a trace
    in the till, or plant a link where the till writes next. `uid`: whose till this is."""
    me = os.getuid() if uid is None else uid
    db = config.db_path
    checks = ((db.parent, True), (db, False), (Path(f"{db}-wal"), False))
    for path, folder in checks:
        found = exposure(path, folder=folder, uid=me)
        if found is None:
            continue
        if found.problem == "owner":
            raise Conflict(
                "{path} belongs to another user (uid {owner}), who can change the shop's data; "
                "run the till as that user, or fix it with: {fix}",
                path=str(path),
                owner=found.owner,
                fix=found.fix,
            )
        raise Conflict(
            "{path} can be changed by other users of this computer (mode {mode}); fix it with: {fix}",
            path=str(path),
            mode=oct(found.mode),
            fix=found.fix,
        )


@dataclass(frozen=True)
class FileFacts:
    """What a checked database file is: its schema, whether it is a training shop, its stores."""

    version: int
    training: bool
    stores: tuple[str, ...]


def check_file(path: Path) -> FileFacts:
    """Refuse a file that is not a whole, intact tui-pos database of a schema this tui-pos knows."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
            if ok != "ok":
                raise Conflict("{path} is damaged: {error}", path=str(path), error=str(ok)[:80])
            version = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0]
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            training = _is_training(conn, tables)
            stores = (
                tuple(row[0] for row in conn.execute("SELECT code FROM store ORDER BY id")) if "store" in tables else ()
            )
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise Conflict("{path} is not a tui-pos database: {error}", path=str(path), error=str(exc)[:80]) from exc
    if not isinstance(version, int) or not 1 <= version <= SCHEMA_VERSION:
        raise Conflict(
            "{path} has schema {found}, which this tui-pos does not know (it knows 1 to {known})",
            path=str(path),
            found=str(version),
            known=SCHEMA_VERSION,
        )
    missing = sorted(_tables_of(version) - tables)
    if missing:
        raise Conflict(
            "{path} is not a whole tui-pos database: it lacks {tables}", path=str(path), tables=", ".join(missing[:5])
        )
    return FileFacts(version, training, stores)


def _tables_of(version: int) -> set[str]:
    known = set(FIRST_TABLES) | {table for table, added in ADDED_IN.items() if added <= version}
    if version == SCHEMA_VERSION:
        known |= {model._meta.table_name for model in ALL_TABLES}
    return known


def _is_training(conn: sqlite3.Connection, tables: set[str]) -> bool:
    for table in ("sale", "refund", "shift"):
        if table in tables and conn.execute(f"SELECT 1 FROM {table} WHERE training != 0 LIMIT 1").fetchone():
            return True
    return False


def audit_break(path: Path) -> int | None:
    """The first broken audit entry of a database file other than the open one, or None. Read with
    its own connection: pointing the AuditRow model at the file, even briefly, would send a sale's
    audit row written meanwhile by another thread into the copy."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT id, at, staff_code, action, entity, detail, prev_hash, hash FROM audit_log ORDER BY id"
        )
        prev_hash = ""
        key = audit._key  # the shop's key, set by audit.keyed_by around the check
        for entry, at, staff_code, action, entity, detail, prev, digest in rows:
            when = datetime.fromisoformat(str(at))
            if key is not None and entry >= key.keyed_from:
                expected = audit._mac(key.secret, entry, prev_hash, when, staff_code, action, entity, detail)
            else:
                expected = audit._digest(prev_hash, when, staff_code, action, entity, detail)
            if prev != prev_hash or digest != expected:
                return int(entry)
            prev_hash = digest
    finally:
        conn.close()
    return None


def _write_checked(folder: Path, name: str, fill: Callable[[Path], None], *, verify_audit: bool = True) -> Path:
    """`fill` writes a temporary file in `folder`; it is checked and renamed to `name`, or removed.
    A full disk is said in words."""
    target = folder / name
    temporary = folder / f".{name}.part"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        _remove(temporary)
        fill(temporary)
        check_file(temporary)
        broken = audit_break(temporary) if verify_audit else None
        if broken is not None:
            raise Conflict(
                "The audit trail is broken at entry {id}: the copy was not kept; run tui-pos audit verify", id=broken
            )
        os.replace(temporary, target)
    except BaseException as exc:
        _remove(temporary)
        if is_disk_full(exc):
            raise disk_full(folder) from exc
        raise
    return target


def _rotate(folder: Path, stem: str, keep: int) -> None:
    """Keep the newest `keep` good copies; empty or foreign files with a copy's name (left by an
    older tui-pos on a full disk) go first and never count as one of them."""
    if keep <= 0:  # keep them all
        return
    pattern = _copy_pattern(stem)
    copies = sorted(p for p in folder.iterdir() if pattern.fullmatch(p.name))
    good = [p for p in copies if _looks_like_sqlite(p)]
    for path in [p for p in copies if p not in good] + good[:-keep]:
        path.unlink(missing_ok=True)


def _looks_like_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(16) == SQLITE_HEADER
    except OSError:
        return False


@dataclass(frozen=True)
class BackupResult:
    """The checked copy, and the second copy (`[backup] copy_to`) or why it failed."""

    path: Path
    copy: Path | None = None
    copy_error: str = ""

    def __fspath__(self) -> str:
        return str(self.path)

    def __str__(self) -> str:
        return str(self.path)


def backup(
    config: Config, to_dir: Path | None = None, keep: int = DEFAULT_KEEP, at: datetime | None = None
) -> BackupResult:
    """Write shop-YYYYmmdd-HHMMSS-micro.db into `to_dir` (default data/backups), checked (a few
    seconds on a year-old shop), keep the newest `keep` good ones there, and copy it to
    `[backup] copy_to` when set: a failure there is reported and the first copy stays."""
    if not config.db_path.exists():
        raise NotFound("No database at {path}", path=str(config.db_path))
    folder = Path(to_dir or backup_dir(config)).expanduser()
    stem = config.db_path.stem
    name = f"{stem}-{(at or datetime.now()):%Y%m%d-%H%M%S-%f}.db"
    with audit.keyed_by(config.db_path):  # the copy's trail is checked with the shop's audit key
        target = _write_checked(folder, name, lambda temporary: _copy(config.db_path, temporary))
    from tui_pos.services.audit_anchors import write_beside

    write_beside(target)  # the trail's head beside the copy: `tui-pos audit verify` checks it
    _rotate(folder, stem, keep)
    second = config.backup.copy_to.strip()
    if not second:
        return BackupResult(target)
    elsewhere = Path(second).expanduser()
    try:
        copied = _write_checked(elsewhere, name, lambda temporary: _copy(target, temporary), verify_audit=False)
        _rotate(elsewhere, stem, keep)
    except (OSError, sqlite3.Error, Conflict) as exc:
        why = exc.message if isinstance(exc, Conflict) else str(exc)
        return BackupResult(target, None, why[:200])
    return BackupResult(target, copied)


@dataclass(frozen=True)
class RestoreResult:
    """Where the database it replaced went: a checked pre-restore copy, or the broken file kept aside."""

    kept: Path | None
    broken: Path | None
    sha256: str

    def __fspath__(self) -> str:
        return str(self.kept or self.broken or "")

    def __str__(self) -> str:
        return str(self.kept or self.broken or "")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def restore(
    config: Config, source: Path, *, other_store: bool = False, actor: str = "", at: datetime | None = None
) -> RestoreResult:
    """Put a checked backup in place of the database, refused while any till has it open. A good
    database it replaces is first kept as backups/shop.pre-restore-*.db (outside rotation); a
    damaged one cannot be copied and is moved aside as shop.db.broken-*. The restore is audited
    in the restored database with the backup file's sha256."""
    source = Path(source).expanduser()
    if not source.exists():
        raise NotFound("No backup at {path}", path=str(source))
    facts = check_file(source)
    if facts.training and not config.training:
        raise Conflict("{path} is a training database: it cannot become the live shop", path=str(source))
    if facts.stores and config.store_code not in facts.stores and not other_store:
        raise Conflict(
            "{path} is the database of store {found}, not of this store {store}: add --other-store if that is meant",
            path=str(source),
            found=", ".join(facts.stores),
            store=config.store_code,
        )
    refuse_open_tills(config)
    stamp = f"{(at or datetime.now()):%Y%m%d-%H%M%S}"
    live = config.db_path
    digest = sha256_of(source)
    broken = live.exists() and not _intact(live)
    kept = None if broken or not live.exists() else backup_dir(config) / f"{live.stem}.pre-restore-{stamp}.db"
    aside = live.with_name(f"{live.name}.broken-{stamp}") if broken else None
    with audit.keyed_by(live):  # the backup's trail is checked with the shop's audit key
        restored = _write_checked(live.parent, f"{live.name}.restoring", lambda temporary: _copy(source, temporary))
    try:
        if aside is not None:
            for suffix in ("", "-wal", "-shm"):
                if Path(f"{live}{suffix}").exists():
                    os.replace(f"{live}{suffix}", f"{aside}{suffix}")
            os.replace(restored, live)
        elif kept is not None:
            with _exclusive(live), audit.keyed_by(live):
                _write_checked(kept.parent, kept.name, lambda temporary: _copy(live, temporary))
                os.replace(restored, live)
        else:
            os.replace(restored, live)
    finally:
        _remove(restored)
    _audit(live, actor, {"file": str(source), "sha256": digest, "kept": str(kept or aside or "")})
    return RestoreResult(kept, aside, digest)


def refuse_open_tills(config: Config) -> None:
    tills = till_sessions.open_tills(config)
    if tills:
        raise Conflict(
            "Till {tills} has the database open: close it (Ctrl+Q), then restore again; nothing was changed",
            tills=", ".join(f"{t.till} ({t.host}, pid {t.pid})" for t in tills),
        )


def _intact(path: Path) -> bool:
    try:
        check_file(path)
    except Conflict:
        return False
    return True


def _audit(live: Path, actor: str, detail: dict[str, str]) -> None:
    """The restore's entry, in the restored database (upgraded to this tui-pos's schema on opening)."""
    open_database(live)
    try:
        write(lambda: audit.append(actor or "-", "restore", "", dict(detail)))
    finally:
        close_database()


@contextmanager
def _exclusive(path: Path) -> Iterator[None]:
    """SQLite's locks on the live database for the copy and the swap. Leaving WAL needs the
    exclusive lock, so a program that has the file open (a till that did not register, a report)
    is found here, before anything is changed; then the write lock is held until the new file is
    in place, so no write can land in the old one after its pre-restore copy was taken."""
    conn = sqlite3.connect(path, timeout=5, isolation_level=None)
    try:
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            mode = "busy"
        if mode != "delete":
            raise Conflict(
                "{path} is open in another program (a till or a report): close it, then restore again; "
                "nothing was changed",
                path=str(path),
            )
        yield
    finally:
        if conn.in_transaction:
            conn.rollback()
        conn.close()
