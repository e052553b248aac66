"""Files only their owner may read: the database, backups and the log hold PIN hashes, phone
numbers and sales."""

from __future__ import annotations

import os
from pathlib import Path


def create_owner_only(path: Path) -> None:
    """Create `path` (and its folder) with mode 0600 if it is not there; an existing file is
    left as it is."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
