"""`tui-pos audit verify [--anchor COUNT:HASH ...]`: the chain, its keyed hashes and every anchor."""

from __future__ import annotations

import argparse
import sys

from tui_pos.config import Config
from tui_pos.i18n import tr
from tui_pos.store.audit import Anchor


def anchor_argument(text: str) -> Anchor:
    """`--anchor 1234:9f3a1c2e`, as a Z report prints it (`1234 · 9f3a1c2e` works too)."""
    try:
        return Anchor.parse(text, tr("the anchor {anchor}", anchor=text.strip()))
    except ValueError:
        raise argparse.ArgumentTypeError(
            tr("{text} is not an anchor: give the count and hash a report printed, like 1234:9f3a1c2e", text=text)
        ) from None


def audit_command(config: Config, args: argparse.Namespace) -> int:
    from tui_pos.services import audit_anchors
    from tui_pos.store import audit
    from tui_pos.store.db import close_database, open_database

    open_database(config.db_path, create=False)  # never makes a shop: a typo in --db is said, not created
    try:
        problems = audit_anchors.check(config, list(getattr(args, "anchor", None) or []))
        missing_key = audit.key_path(config.db_path) if not audit.key_path(config.db_path).exists() else None
        head = audit.head()
    finally:
        close_database()
    if not problems:
        print(tr("Audit trail intact: {count} entries, head {hash}", count=head.count, hash=head.short))
        return 0
    for problem in problems:
        print(problem, file=sys.stderr)
    if missing_key is not None:
        print(
            tr("The audit key {path} is missing: keyed entries cannot be checked without it", path=missing_key),
            file=sys.stderr,
        )
    return 1
