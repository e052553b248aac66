"""Backups, restore and the audit-trail check: the owner's safety net.

Backups use SQLite's online backup API, so they are consistent even while tills are ringing
up sales (a plain file copy of a WAL database can be torn). Files are readable by their owner
only: they hold PIN hashes and members' phone numbers.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

from tui_pos.config import Config
from tui_pos.domain.errors import Conflict, NotFound
from tui_pos.files import create_owner_only, exposure

DEFAULT_KEEP = 14


def backup_dir(config: Config) -> Path:
    return config.data_dir / "backups"


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


def check_file(path: Path) -> None:
    """Refuse a file that is not an intact tui-pos database."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
            conn.execute("SELECT version FROM schema_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise Conflict("{path} is not a tui-pos database: {error}", path=str(path), error=str(exc)[:80]) from exc
    if ok != "ok":
        raise Conflict("{path} is damaged: {error}", path=str(path), error=str(ok)[:80])


def backup(config: Config, to_dir: Path | None = None, keep: int = DEFAULT_KEEP, at: datetime | None = None) -> Path:
    """Write shop-YYYYmmdd-HHMMSS-micro.db into `to_dir` (default data/backups), check it (a few seconds
    on a year-old shop), and keep the newest `keep` there."""
    if not config.db_path.exists():
        raise NotFound("No database at {path}", path=str(config.db_path))
    folder = Path(to_dir or backup_dir(config)).expanduser()
    stem = config.db_path.stem
    target = folder / f"{stem}-{(at or datetime.now()):%Y%m%d-%H%M%S-%f}.db"
    _copy(config.db_path, target)
    check_file(target)
    old = sorted(folder.glob(f"{stem}-*.db"))
    for stale in old[:-keep] if keep > 0 else []:  # keep=0: keep them all
        stale.unlink()
    return target


def restore(config: Config, source: Path) -> Path:
    """Put a backup in place of the database (tills must be closed). The database it replaces
    is first kept as a backup itself, so a wrong restore can be undone."""
    source = Path(source).expanduser()
    if not source.exists():
        raise NotFound("No backup at {path}", path=str(source))
    check_file(source)
    if not config.db_path.exists():
        _copy(source, config.db_path)
        return config.db_path
    kept = backup(config, keep=0, at=datetime.now())
    _copy(source, config.db_path, self_contained=False)  # through SQLite, so its -wal stays coherent
    return kept
