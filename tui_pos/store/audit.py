"""Append-only audit trail; each entry carries the hash of the one before it."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from tui_pos.store import fast
from tui_pos.store.models import AuditRow, now


def _digest(prev_hash: str, at: datetime, staff_code: str, action: str, entity: str, detail: str) -> str:
    payload = json.dumps([prev_hash, at.isoformat(), staff_code, action, entity, detail], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def append(staff_code: str, action: str, entity: str = "", detail: dict[str, Any] | None = None) -> int:
    """Call inside the transaction of the change it records, so both land or neither."""
    last = fast.run("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    prev_hash = last[0] if last else ""
    at = now()
    text = json.dumps(detail or {}, ensure_ascii=False, sort_keys=True)
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


def verify() -> int | None:
    """Id of the first entry whose chain is broken, or None when the whole trail is intact."""
    prev_hash = ""
    row: AuditRow  # iterator() (no cache of a long trail) is typed as yielding Any
    for row in AuditRow.select().order_by(AuditRow.id).iterator():
        at = row.at if isinstance(row.at, datetime) else datetime.fromisoformat(str(row.at))
        expected = _digest(prev_hash, at, row.staff_code, row.action, row.entity, row.detail)
        if row.prev_hash != prev_hash or row.hash != expected:
            return row.id
        prev_hash = row.hash
    return None
