"""Append-only audit trail; each entry carries the hash of the one before it.

Entries are keyed: the hash is an HMAC-SHA256 under a per-shop key kept in a file beside the
database (`audit.key`, 0600), and covers the entry's number, so editing the database file and
re-hashing the chain needs the key too. Entries written before the key existed stay plain
SHA-256; the key file records the first keyed entry (its cut-over), so nobody can turn a keyed
entry back into a plain one. A printed anchor (entry count and a short hash, from an X or Z
report or beside a backup) shows a cut tail or a rewrite even by someone holding the key."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from tui_pos.store import fast
from tui_pos.store.models import AuditRow, new_uid, now

SHORT = 8  # hex digits of a printed anchor's hash


@dataclass(frozen=True)
class AuditKey:
    secret: bytes
    keyed_from: int  # the first entry made with the key; the ones before are plain SHA-256


@dataclass(frozen=True)
class Anchor:
    """The chain's head as a report printed it: `count` entries, the last one's hash starting `short`."""

    count: int
    short: str
    source: str = ""

    def __str__(self) -> str:
        return f"{self.count}:{self.short}"

    @classmethod
    def parse(cls, text: str, source: str = "") -> Anchor:
        count, _, short = text.strip().replace("·", ":").replace(" ", "").partition(":")
        if not count.isdigit() or len(short) < 4 or any(c not in "0123456789abcdef" for c in short.lower()):
            raise ValueError(text)
        return cls(int(count), short.lower(), source)


@dataclass(frozen=True)
class Problem:
    """One way the trail differs from how it was written: kind is cut, renumbered, rehashed or changed."""

    kind: str
    entry: int
    anchor: Anchor | None = None
    found: int = 0  # renumbered: where the anchored entry is now; cut: how many entries are left


_key: AuditKey | None = None


def key_path(db_path: Path) -> Path:
    """`audit.key` beside shop.db; any other database (training.db) has its own `<name>-audit.key`."""
    return db_path.with_name("audit.key" if db_path.stem == "shop" else f"{db_path.stem}-audit.key")


def load_key(db_path: Path, *, create: bool) -> AuditKey | None:
    """The shop's key; made (0600, never overwritten) on first use when `create`, keyed from the next entry."""
    path = key_path(db_path)
    if not path.exists():
        if not create:
            return None
        first = fast.run("SELECT COALESCE(MAX(id), 0) + 1 FROM audit_log").fetchone()[0]
        text = json.dumps({"version": 1, "key": secrets.token_hex(32), "keyed_from": first})
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:  # another till made it a moment ago: use theirs
            pass
        else:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text + "\n")
                out.flush()
                os.fsync(out.fileno())
    data = json.loads(path.read_text(encoding="utf-8"))
    return AuditKey(bytes.fromhex(data["key"]), int(data["keyed_from"]))


def use_key(key: AuditKey | None) -> None:
    global _key
    _key = key


@contextmanager
def keyed_by(db_path: Path) -> Iterator[None]:
    """Check another file of this shop (a backup, a file to restore) with the shop's key, for the
    length of the block, whether or not the shop itself is open."""
    before = _key
    use_key(load_key(db_path, create=False))
    try:
        yield
    finally:
        use_key(before)


def _digest(prev_hash: str, at: datetime, staff_code: str, action: str, entity: str, detail: str) -> str:
    payload = json.dumps([prev_hash, at.isoformat(), staff_code, action, entity, detail], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def _mac(
    secret: bytes, entry: int, prev_hash: str, at: datetime, staff: str, action: str, entity: str, detail: str
) -> str:
    payload = json.dumps([entry, prev_hash, at.isoformat(), staff, action, entity, detail], ensure_ascii=False)
    return hmac.new(secret, payload.encode(), hashlib.sha256).hexdigest()


def append(staff_code: str, action: str, entity: str = "", detail: dict[str, Any] | None = None) -> int:
    """Call inside the transaction of the change it records, so both land or neither."""
    last = fast.run("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    prev_hash = last[1] if last else ""
    at = now()
    text = json.dumps(detail or {}, ensure_ascii=False, sort_keys=True)
    if _key is None:
        return fast.insert(
            AuditRow,
            at=at,
            staff_code=staff_code,
            action=action,
            entity=entity,
            detail=text,
            prev_hash=prev_hash,
            hash=_digest(prev_hash, at, staff_code, action, entity, text),
        )
    entry = (last[0] if last else 0) + 1  # the write lock is held: nobody else takes this number
    digest = _mac(_key.secret, entry, prev_hash, at, staff_code, action, entity, text)
    fast.run(
        "INSERT INTO audit_log (id, uid, at, staff_code, action, entity, detail, prev_hash, hash)"
        " VALUES (?,?,?,?,?,?,?,?,?)",
        (entry, new_uid(), at.isoformat(sep=" "), staff_code, action, entity, text, prev_hash, digest),
    )
    return entry


def head() -> Anchor:
    """The anchor a report prints: how many entries, and the last one's short hash."""
    count, last = fast.run(
        "SELECT COUNT(*), (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1) FROM audit_log"
    ).fetchone()
    return Anchor(count, (last or "0" * SHORT)[:SHORT])


def kept_anchors() -> list[tuple[str, int, str]]:
    """("z" or "x", shift id, "count:hash") of every report that printed an anchor."""
    found: list[tuple[str, int, str]] = []
    for shift_id, text in fast.run("SELECT id, z_report FROM shift WHERE z_report != '' ORDER BY id"):
        anchor = json.loads(text).get("audit_anchor")
        if anchor:
            found.append(("z", int(shift_id), str(anchor)))
    for entity, detail in fast.run("SELECT entity, detail FROM audit_log WHERE action = 'x_report' ORDER BY id"):
        anchor = json.loads(detail).get("anchor")
        if anchor and str(entity).isdigit():
            found.append(("x", int(entity), str(anchor)))
    return found


def head_of_file(path: Path) -> Anchor:
    """The anchor of a database file (a backup just written), read without opening it as the shop."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        count, last = db.execute(
            "SELECT COUNT(*), (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1) FROM audit_log"
        ).fetchone()
    finally:
        db.close()
    return Anchor(count, (last or "0" * SHORT)[:SHORT])


def _chain() -> tuple[list[str], Problem | None]:
    """Every entry's hash in order, and the first entry that is not as it was written."""
    hashes: list[str] = []
    prev_hash = ""
    row: AuditRow  # iterator() (no cache of a long trail) is typed as yielding Any
    for position, row in enumerate(AuditRow.select().order_by(AuditRow.id).iterator(), start=1):
        at = row.at if isinstance(row.at, datetime) else datetime.fromisoformat(str(row.at))
        if row.prev_hash != prev_hash:
            return hashes, Problem("changed", row.id)
        if row.id != position:
            return hashes, Problem("renumbered", row.id, found=position)
        keyed = _key is not None and row.id >= _key.keyed_from
        if keyed and _key is not None:
            expected = _mac(_key.secret, row.id, prev_hash, at, row.staff_code, row.action, row.entity, row.detail)
        else:
            expected = _digest(prev_hash, at, row.staff_code, row.action, row.entity, row.detail)
        if not hmac.compare_digest(row.hash, expected):
            # a keyed entry carrying a plain hash was rewritten by someone without the key
            plain = _digest(prev_hash, at, row.staff_code, row.action, row.entity, row.detail)
            return hashes, Problem("rehashed" if keyed and row.hash == plain else "changed", row.id)
        hashes.append(row.hash)
        prev_hash = row.hash
    return hashes, None


def check(anchors: Iterable[Anchor] = ()) -> list[Problem]:
    """Walk the chain, then hold it against every anchor: a cut tail, a renumbering or a re-hash."""
    hashes, broken = _chain()
    problems = [broken] if broken else []
    if broken is not None:
        return problems
    for anchor in anchors:
        if anchor.count == 0:
            continue
        if anchor.count > len(hashes):
            problems.append(Problem("cut", anchor.count, anchor, found=len(hashes)))
        elif not hashes[anchor.count - 1].startswith(anchor.short):
            moved = next((i for i, h in enumerate(hashes, start=1) if h.startswith(anchor.short)), 0)
            problems.append(Problem("renumbered" if moved else "rehashed", anchor.count, anchor, found=moved))
    return problems


def verify() -> int | None:
    """Id of the first entry whose chain is broken, or None when the whole trail is intact."""
    _, broken = _chain()
    return None if broken is None else broken.entry
