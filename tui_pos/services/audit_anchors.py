"""Where the audit trail's anchors are kept, and the whole check `tui-pos audit verify` runs.

An anchor is the chain's head (entry count and a short hash) at a moment someone saw it: printed
on every X and Z report (and stored with it), and written beside every backup. Held against the
trail, it shows a cut tail, a renumbering or a re-hash that the chain alone cannot."""

from __future__ import annotations

from pathlib import Path

from tui_pos.config import Config
from tui_pos.files import create_owner_only
from tui_pos.i18n import tr
from tui_pos.store import audit
from tui_pos.store.audit import Anchor, Problem

SUFFIX = ".anchor"


def write_beside(backup: Path) -> Path:
    """`shop-….db.anchor` next to a backup just written: the head of the trail it holds."""
    anchor = audit.head_of_file(backup)
    target = backup.with_name(backup.name + SUFFIX)
    create_owner_only(target)
    target.write_text(f"{anchor}\n", encoding="utf-8")
    return target


def stored(config: Config) -> list[Anchor]:
    """Every anchor the shop kept: its Z reports, its printed X reports and its backups' files."""
    anchors: list[Anchor] = []
    for kind, shift_id, text in audit.kept_anchors():
        template = "the Z report of shift {no}" if kind == "z" else "an X report of shift {no}"
        try:
            anchors.append(Anchor.parse(text, tr(template, no=shift_id)))
        except ValueError:
            continue
    folder = config.data_dir / "backups"
    if folder.is_dir():
        for path in sorted(folder.glob(f"{config.db_path.stem}-*.db{SUFFIX}")):
            try:
                anchors.append(
                    Anchor.parse(
                        path.read_text(encoding="utf-8"), tr("backup {name}", name=path.name.removesuffix(SUFFIX))
                    )
                )
            except (OSError, ValueError):
                continue  # a half-written file from a full disk is no anchor
    return anchors


def describe(problem: Problem) -> str:
    """The owner's words for each way the trail differs from what was written."""
    source = problem.anchor.source if problem.anchor and problem.anchor.source else tr("the anchor given")
    if problem.kind == "cut":
        return tr(
            "The audit trail was cut: {source} showed {count} entries, it now has {left}",
            source=source,
            count=problem.entry,
            left=problem.found,
        )
    if problem.kind == "renumbered" and problem.anchor is not None:
        return tr(
            "The audit trail was renumbered: entry {count} of {source} is now entry {now}",
            source=source,
            count=problem.entry,
            now=problem.found,
        )
    if problem.kind == "renumbered":
        return tr(
            "The audit trail was renumbered: entry {id} stands where entry {position} should be",
            id=problem.entry,
            position=problem.found,
        )
    if problem.kind == "rehashed" and problem.anchor is not None:
        return tr(
            "The audit trail was rewritten and re-hashed: entry {count} does not match {source}",
            count=problem.entry,
            source=source,
        )
    if problem.kind == "rehashed":
        return tr(
            "Audit entry {id} was changed and re-hashed without the shop's audit key",
            id=problem.entry,
        )
    return tr("Audit trail broken at entry {id}: it was changed or removed after it was written", id=problem.entry)


def check(config: Config, given: list[Anchor]) -> list[str]:
    """Every problem with the open shop's trail, in words; empty when it is intact."""
    return [describe(p) for p in audit.check([*given, *stored(config)])]
