"""Importing products and members from CSV files (what Excel saves, in UTF-8 or GBK).

The header row names the columns; a wrong or missing column stops the import before
anything is written. Each data row is checked on its own: bad rows are reported with their
spreadsheet row number (the header is row 1) and skipped, the good rows are written together
in one transaction, so an import is never left half done.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from tui_pos.domain import search
from tui_pos.domain.catalog import clean_barcode, clean_text
from tui_pos.domain.errors import InvalidInput, PosError
from tui_pos.domain.money import normalize_digits, parse_money
from tui_pos.domain.staff import Staff, require
from tui_pos.i18n import tr
from tui_pos.services.context import Context
from tui_pos.services.members import _validate as validate_member
from tui_pos.store import audit
from tui_pos.store.db import write
from tui_pos.store.models import MemberRow, PointsMoveRow, ProductRow, StockMoveRow, StoredValueMoveRow

PRODUCT_COLUMNS = ("barcode", "name", "name_en", "category", "price", "member_price", "stock", "refund_policy")
PRODUCT_REQUIRED = ("barcode", "name", "price")
MEMBER_COLUMNS = ("card_no", "phone", "name", "level", "points", "balance", "joined")
MEMBER_REQUIRED = ("card_no", "phone", "name")

# Chinese headers a shop's own spreadsheet is likely to have.
ALIASES = {
    "条码": "barcode",
    "商品条码": "barcode",
    "名称": "name",
    "商品名称": "name",
    "英文名": "name_en",
    "英文名称": "name_en",
    "分类": "category",
    "类别": "category",
    "售价": "price",
    "价格": "price",
    "零售价": "price",
    "会员价": "member_price",
    "库存": "stock",
    "退货规则": "refund_policy",
    "卡号": "card_no",
    "会员编号": "card_no",
    "会员卡号": "card_no",
    "手机": "phone",
    "手机号": "phone",
    "姓名": "name",
    "等级": "level",
    "会员等级": "level",
    "积分": "points",
    "余额": "balance",
    "储值余额": "balance",
    "入会日期": "joined",
}

MAX_STOCK = 1_000_000
MAX_POINTS = 100_000_000
_CHUNK = 500

Progress = Callable[[int, int], None]
T = TypeVar("T")


class ImportFileError(InvalidInput):
    """The file as a whole cannot be imported (unreadable, wrong header); nothing was written."""


@dataclass(frozen=True)
class RowError:
    row_no: int  # as a spreadsheet shows it: the header is row 1
    message: str

    def __str__(self) -> str:
        return tr("row {row}: {message}", row=self.row_no, message=self.message)


@dataclass(frozen=True)
class ImportReport:
    imported: int
    updated: int
    errors: list[RowError] = field(default_factory=list)
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)  # imported, but will not print as written

    @property
    def rejected(self) -> int:
        return len(self.errors)


@dataclass
class Table:
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (row number, column -> cell)
    errors: list[RowError] = field(default_factory=list)  # rows that could not even be split


Source = Path | str | bytes | Table | Iterable[Mapping[str, object]]


class _RowProblem(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- reading -------------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """UTF-8 with or without BOM; otherwise GBK (what Excel in China saves), read as GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise ImportFileError("The file is not UTF-8 or GBK text") from None


def _column_name(header: str) -> str:
    name = clean_text(str(header).replace("\ufeff", ""), 60)
    return ALIASES.get(name, name.lower().replace(" ", "_"))


def _check_header(columns: list[str], known: tuple[str, ...], required: tuple[str, ...]) -> None:
    expected = ",".join(known)
    if not any(columns):
        raise ImportFileError("The file is empty: the first row must name the columns ({expected})", expected=expected)
    unknown = [c or "(blank)" for c in columns if c not in known]
    if unknown:
        raise ImportFileError(
            "Unknown column(s): {names}. Expected: {expected}", names=", ".join(unknown), expected=expected
        )
    doubled = sorted({c for c in columns if columns.count(c) > 1})
    if doubled:
        raise ImportFileError("Column(s) named twice: {names}", names=", ".join(doubled))
    missing = [c for c in required if c not in columns]
    if missing:
        raise ImportFileError(
            "Missing column(s): {names}. Expected: {expected}", names=", ".join(missing), expected=expected
        )


def read_table(source: Source, known: tuple[str, ...] = (), required: tuple[str, ...] = ()) -> Table:
    """Rows of a CSV file (path or bytes) or of already parsed dicts, header checked against `known`."""
    if isinstance(source, Table):
        table = source
    elif isinstance(source, (str, Path, bytes)):
        table = _parse_csv(_read_bytes(source))
    else:
        table = _from_dicts(source)
    if known:
        _check_header(table.columns, known, required)
    return table


def _read_bytes(source: str | Path | bytes) -> bytes:
    if isinstance(source, bytes):
        return source
    try:
        return Path(source).read_bytes()
    except OSError as exc:
        raise ImportFileError("Cannot read {path}: {error}", path=str(source), error=exc.strerror or str(exc)) from None


def _parse_csv(data: bytes) -> Table:
    text = decode(data)
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, [])
        columns = [_column_name(h) for h in header]
        rows: list[tuple[int, dict[str, str]]] = []
        errors: list[RowError] = []
        for row_no, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            extra = [c for c in cells[len(columns) :] if c.strip()]
            if extra:
                errors.append(
                    RowError(
                        row_no,
                        tr(
                            "has {cells} cells but the header names {columns} columns",
                            cells=len(cells),
                            columns=len(columns),
                        ),
                    )
                )
                continue
            rows.append((row_no, {col: (cells[i] if i < len(cells) else "") for i, col in enumerate(columns)}))
    except csv.Error as exc:
        raise ImportFileError("Not a CSV file: {error}", error=str(exc)) from None
    return Table(columns, rows, errors)


def _from_dicts(source: Iterable[Mapping[str, object]]) -> Table:
    rows: list[tuple[int, dict[str, str]]] = []
    columns: list[str] = []
    for row_no, item in enumerate(source, start=2):
        row = {_column_name(k): "" if v is None else str(v) for k, v in item.items()}
        for col in row:
            if col not in columns:
                columns.append(col)
        rows.append((row_no, row))
    return Table(columns, rows)


# --- checking cells ------------------------------------------------------------------------


def _shown(value: str) -> str:
    return clean_text(value, 30)


def _problem(column: str, value: str, exc: PosError) -> _RowProblem:
    if exc.template == "Not an amount: {text}":
        return _RowProblem(tr("{column} '{value}' is not an amount", column=column, value=_shown(value)))
    return _RowProblem(tr("{column} '{value}': {reason}", column=column, value=_shown(value), reason=exc.message))


def _money(row: Mapping[str, str], column: str, *, allow_zero: bool = True) -> int | None:
    value = row.get(column, "")
    if not value.strip():
        return None
    try:
        return parse_money(value, allow_zero=allow_zero)
    except InvalidInput as exc:
        raise _problem(column, value, exc) from None


def _whole(row: Mapping[str, str], column: str, maximum: int) -> int | None:
    value = row.get(column, "")
    text = normalize_digits(value).replace(",", "")
    if not text:
        return None
    if not re.fullmatch(r"-?\d{1,12}", text):
        raise _RowProblem(tr("{column} '{value}' is not a whole number", column=column, value=_shown(value)))
    number = int(text)
    if not 0 <= number <= maximum:
        raise _RowProblem(
            tr("{column} '{value}' must be from 0 to {max}", column=column, value=_shown(value), max=maximum)
        )
    return number


_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")


def _date(row: Mapping[str, str], column: str) -> datetime | None:
    value = row.get(column, "")
    text = normalize_digits(value)
    if not text:
        return None
    match = _DATE.fullmatch(text)
    try:
        if not match:
            raise ValueError
        year, month, day, hour, minute, second = (int(part or 0) for part in match.groups())
        return datetime(year, month, day, hour, minute, second)
    except ValueError:
        raise _RowProblem(
            tr("{column} '{value}' is not a date like 2024-03-15", column=column, value=_shown(value))
        ) from None


def _chunks(items: list[T]) -> Iterator[list[T]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


class _Ticker:
    """Calls `progress(done, total)` every few rows and once at the end."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total = progress, total
        self.step = max(1, min(100, total // 50))
        self.done = 0

    def tick(self) -> None:
        self.done += 1
        if self.progress and (self.done % self.step == 0 or self.done == self.total):
            self.progress(self.done, self.total)


# --- products ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _ProductIn:
    row_no: int
    values: dict[str, object]  # the columns present in the file, checked
    stock: int | None  # None = keep the current stock (or 0 for a new product)


def _product_row(ctx: Context, row_no: int, row: Mapping[str, str], columns: list[str]) -> _ProductIn:
    value = row.get("barcode", "")
    try:
        barcode = clean_barcode(value)
    except InvalidInput as exc:
        raise _problem("barcode", value, exc) from None
    name = clean_text(row.get("name", ""), 100)
    if not name:
        raise _RowProblem(tr("name is empty"))
    price = _money(row, "price", allow_zero=False)
    if price is None:
        raise _RowProblem(tr("price is empty"))
    values: dict[str, object] = {"barcode": barcode, "name": name, "price": price}
    if "name_en" in columns:
        values["name_en"] = clean_text(row.get("name_en", ""), 100)
    if "category" in columns:
        values["category"] = clean_text(row.get("category", ""), 40)
    if "member_price" in columns:
        member_price = _money(row, "member_price")
        if member_price is not None and member_price > price:
            raise _RowProblem(
                tr(
                    "member_price {member} is above price {price}",
                    member=_shown(row["member_price"]),
                    price=_shown(row["price"]),
                )
            )
        values["member_price"] = member_price
    if "refund_policy" in columns:
        code = clean_text(row.get("refund_policy", ""), 40)
        rules = ctx.config.refund_policy.rules
        if code and code not in rules:
            raise _RowProblem(
                tr(
                    "refund_policy '{value}' is not one of: {known}",
                    value=_shown(code),
                    known=", ".join(sorted(rules)) or "-",
                )
            )
        values["refund_policy"] = code
    stock = _whole(row, "stock", MAX_STOCK) if "stock" in columns else None
    return _ProductIn(row_no, values, stock)


def import_products(ctx: Context, actor: Staff, source: Source, *, progress: Progress | None = None) -> ImportReport:
    """New barcodes are added; a known barcode gets the file's name, price, stock... (an empty
    stock cell keeps the current stock). Stock changes are recorded as stock moves, and each new or
    changed product is in the audit trail with what it was and what it became."""
    require(actor, "import_products")
    table = read_table(source, PRODUCT_COLUMNS, PRODUCT_REQUIRED)
    errors = list(table.errors)
    items: list[_ProductIn] = []
    seen: dict[str, int] = {}
    for row_no, row in table.rows:
        try:
            item = _product_row(ctx, row_no, row, table.columns)
            barcode = str(item.values["barcode"])
            if barcode in seen:
                raise _RowProblem(tr("barcode {code} is already on row {row}", code=barcode, row=seen[barcode]))
        except _RowProblem as problem:
            errors.append(RowError(row_no, problem.message))
            continue
        seen[barcode] = row_no
        items.append(item)

    def apply() -> tuple[int, int, int]:
        now = ctx.now()
        ticker = _Ticker(progress, len(items))
        existing: dict[str, ProductRow] = {}
        for chunk in _chunks([str(i.values["barcode"]) for i in items]):
            existing.update({r.barcode: r for r in ProductRow.select().where(ProductRow.barcode.in_(chunk))})
        imported = updated = unchanged = 0
        for item in items:
            row = existing.get(str(item.values["barcode"]))
            if row is None:
                stock = item.stock or 0
                created = ProductRow.create(**{"category": "", **item.values}, stock=stock)
                if stock:
                    StockMoveRow.create(product=created.id, qty=stock, reason="import", at=now)
                after = {**{k: v for k, v in item.values.items() if k != "barcode"}, "stock": stock}
                audit.append(
                    actor.code, "import_product", f"product:{created.barcode}", {"before": None, "after": after}
                )
                imported += 1
            else:
                changes = {k: v for k, v in item.values.items() if getattr(row, k) != v}
                if not row.active:
                    changes["active"] = True
                if item.stock is not None and item.stock != row.stock:
                    changes["stock"] = item.stock
                    StockMoveRow.create(product=row.id, qty=item.stock - row.stock, reason="import", at=now)
                if changes:
                    ProductRow.update(**changes).where(ProductRow.id == row.id).execute()
                    audit.append(
                        actor.code,
                        "import_product",
                        f"product:{row.barcode}",
                        {"before": {k: getattr(row, k) for k in changes}, "after": changes},
                    )
                    updated += 1
                else:
                    unchanged += 1
            ticker.tick()
        audit.append(
            actor.code,
            "import_products",
            "products",
            {
                "imported": imported,
                "updated": updated,
                "unchanged": unchanged,
                "rejected": len(errors),
            },
        )
        return imported, updated, unchanged

    try:
        imported, updated, unchanged = write(apply)
    finally:
        search.release()  # the names' pinyin is made; its dictionaries need not stay in memory
    warnings = gb2312_warnings(ctx, [str(i.values.get("name", "")) for i in items])
    return ImportReport(imported, updated, sorted(errors, key=lambda e: e.row_no), unchanged, warnings)


def gb2312_warnings(ctx: Context, names: Iterable[str]) -> list[str]:
    """With [printer] font = "gb2312" the printer lacks GBK-only characters (喆, 丼): one line
    per product name holding any, naming them, so the owner can rename before receipts show □."""
    from tui_pos.devices.encoding import gbk_only_chars, is_chinese

    printer = ctx.config.printer
    if printer.font != "gb2312" or not is_chinese(printer.encoding):
        return []
    out = []
    for name in dict.fromkeys(names):
        chars = gbk_only_chars(name)
        if chars:
            out.append(tr("{name}: {chars} print as □ on this printer's GB2312 font", name=name, chars=chars))
    return out


# --- members -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _MemberIn:
    row_no: int
    card_no: str
    phone: str
    name: str
    level: str
    points: int
    balance: int
    joined: datetime | None


# Which column each message of the shared member check is about.
_MEMBER_FIELDS = {
    "Enter a name": "name",
    "Phone must be 11 digits": "phone",
    "Card no. must be 4 to 20 letters or digits": "card_no",
    "Unknown member level: {level}": "level",
}


def _level_code(ctx: Context, text: str) -> str:
    text = clean_text(text, 40)
    if not text:
        codes = [lvl.code for lvl in ctx.config.member_levels]
        return "regular" if "regular" in codes or not codes else codes[0]
    for lvl in ctx.config.member_levels:
        if text.lower() == lvl.code or text == lvl.name:
            return lvl.code
    return text


def _member_row(ctx: Context, row_no: int, row: Mapping[str, str]) -> _MemberIn:
    level = _level_code(ctx, row.get("level", ""))
    try:
        card_no, phone, name, level = validate_member(
            ctx, row.get("card_no", ""), row.get("phone", ""), row.get("name", ""), level
        )
    except InvalidInput as exc:
        column = _MEMBER_FIELDS.get(exc.template)
        if column == "name":
            raise _RowProblem(tr("name is empty")) from None
        if column is None:
            raise _RowProblem(exc.message) from None
        raise _problem(column, row.get(column, ""), exc) from None
    points = _whole(row, "points", MAX_POINTS) or 0
    balance = _money(row, "balance") or 0
    return _MemberIn(row_no, card_no, phone, name, level, points, balance, _date(row, "joined"))


def _sets_balance(row: Mapping[str, str]) -> bool:
    """A row that gives points or stored value (a 0 or a blank gives none); decided on the raw
    cells, before they are checked, so a bad cell cannot slip past the manager's PIN."""
    return any(normalize_digits(row.get(column, "")).strip(" 0.,") for column in ("points", "balance"))


def import_members(ctx: Context, actor: Staff, source: Source, *, progress: Progress | None = None) -> ImportReport:
    """New members with their opening points and stored value. A card no. already in the shop is
    an error, unless the row is that same member (same phone and name): then it is left alone.
    Opening points and stored value are money the shop owes: a file that sets any needs a manager."""
    require(actor, "import_members")
    table = read_table(source, MEMBER_COLUMNS, MEMBER_REQUIRED)
    if any(_sets_balance(row) for _, row in table.rows):
        require(actor, "import_balances")
    errors = list(table.errors)
    items: list[_MemberIn] = []
    cards: dict[str, int] = {}
    phones: dict[str, int] = {}
    for row_no, row in table.rows:
        try:
            item = _member_row(ctx, row_no, row)
            if item.card_no in cards:
                raise _RowProblem(
                    tr("card no. {card} is already on row {row}", card=item.card_no, row=cards[item.card_no])
                )
            if item.phone in phones:
                raise _RowProblem(tr("phone {phone} is already on row {row}", phone=item.phone, row=phones[item.phone]))
        except _RowProblem as problem:
            errors.append(RowError(row_no, problem.message))
            continue
        cards[item.card_no] = row_no
        phones[item.phone] = row_no
        items.append(item)

    def apply() -> tuple[int, int, list[RowError]]:
        now = ctx.now()
        ticker = _Ticker(progress, len(items))
        by_card: dict[str, MemberRow] = {}
        by_phone: dict[str, MemberRow] = {}
        for chunk in _chunks(items):
            query = MemberRow.select().where(
                MemberRow.card_no.in_([i.card_no for i in chunk]) | MemberRow.phone.in_([i.phone for i in chunk])
            )
            for r in query:
                by_card[r.card_no] = r
                by_phone[r.phone] = r
        conflicts: list[RowError] = []
        imported = unchanged = 0
        for item in items:
            ticker.tick()
            same_card = by_card.get(item.card_no)
            if same_card is not None:
                if same_card.phone == item.phone and same_card.name == item.name:
                    unchanged += 1
                else:
                    conflicts.append(RowError(item.row_no, tr("Card no. {card} already exists", card=item.card_no)))
                continue
            same_phone = by_phone.get(item.phone)
            if same_phone is not None:
                conflicts.append(
                    RowError(
                        item.row_no,
                        tr("Phone {phone} already belongs to member {card}", phone=item.phone, card=same_phone.card_no),
                    )
                )
                continue
            member = MemberRow.create(
                card_no=item.card_no,
                phone=item.phone,
                phone_tail=item.phone[-4:],
                name=item.name,
                level=item.level,
                points=item.points,
                balance=item.balance,
                joined=item.joined or now,
            )
            after = {"level": item.level, "points": item.points, "balance": item.balance}
            audit.append(actor.code, "import_member", f"member:{item.card_no}", {"before": None, "after": after})
            if item.points:
                PointsMoveRow.create(member=member.id, points=item.points, reason="import", at=now)
            if item.balance:
                StoredValueMoveRow.create(member=member.id, amount=item.balance, reason="import", at=now)
            imported += 1
        audit.append(
            actor.code,
            "import_members",
            "members",
            {
                "imported": imported,
                "unchanged": unchanged,
                "rejected": len(errors) + len(conflicts),
            },
        )
        return imported, unchanged, conflicts

    imported, unchanged, conflicts = write(apply)
    return ImportReport(imported, 0, sorted(errors + conflicts, key=lambda e: e.row_no), unchanged)
