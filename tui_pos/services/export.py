"""Reports to CSV files a spreadsheet opens right: UTF-8 with a BOM (so Excel shows Chinese),
and no cell that a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from tui_pos.domain.staff import Staff
from tui_pos.files import write_private
from tui_pos.store import audit
from tui_pos.store.db import write

BOM = "\ufeff"
_NUMBER = re.compile(r"-?\d+(\.\d+)?%?")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A cell as text; one starting like a formula (=, +, -, @, tab, CR) gets a leading
    apostrophe, except a plain number such as -5.70 that must stay a number."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_text(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in headers])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return BOM + out.getvalue()


def write_csv(actor: Staff, path: Path, name: str, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
    """Write the file readable by its owner only (it may name members), and audit the export.
    A new file renamed into place: a link planted at `path` is replaced, never written through."""
    path = Path(path).expanduser()
    data = csv_text(headers, rows).encode("utf-8")
    write_private(path, data)
    write(lambda: audit.append(actor.code, "export", name, {"file": str(path), "bytes": len(data)}))
    return path
