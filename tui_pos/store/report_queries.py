"""Refund analytics in SQL: grouped sums over indexed date ranges, never a Python loop over rows.

The same queries run on head office's PostgreSQL (store/dialect.py has what the engines spell
differently): a name beside its grouped code is MAX(name), since PostgreSQL wants every selected
column grouped or aggregated (it infers nothing through the views of one store).

Refunds count when money went back (status paid or completed); sales when completed. The
range is [since, until) of whole days: refunds by their indexed created_at, sales from the
daily totals (store/aggregates.py) instead of every sale line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, cast

from peewee import JOIN, SQL, Case, Expression, ModelSelect, Select, Table, fn

from tui_pos.store import aggregates, dialect
from tui_pos.store.models import MemberRow, ProductRow, RefundLineRow, RefundRow, SaleRow, ShiftRow, StaffRow, database

PAID = ("paid", "completed")
Key = int | str  # a product id; a category, reason, staff code, member level or week
Row = tuple[Key, str, int, int, int]  # (key, label, refund count, refund amount, sales amount)
# what the grouped queries give _merge (peewee's stubs type .tuples() as rows of the model):
RefundGroups = Iterable[tuple[Key, str | None, int, int | None]]  # (key, label, count, SUM(amount))
SalesGroups = Iterable[tuple[Key, str, int | None]]  # (key, label, SUM(amount))


def _refunds(since: datetime, until: datetime) -> Expression:
    return (RefundRow.created_at >= since) & (RefundRow.created_at < until) & RefundRow.status.in_(PAID)


def _sales(since: datetime, until: datetime) -> Expression:
    return (SaleRow.created_at >= since) & (SaleRow.created_at < until) & (SaleRow.status == "completed")


# The daily totals (store/aggregates.py), as peewee tables: the same query on SQLite and PostgreSQL.
SALE_DAY = Table("sale_day")  # day, staff_id, level, sales, amount
PRODUCT_DAY = Table("product_day")  # product_id, day, qty, amount
CATEGORY_DAY = Table("category_day")  # day, category, amount


def _in_days(table: Table, since: datetime, until: datetime) -> Expression:
    first, after = aggregates.days(since, until)
    within: Expression = (table.c.day >= first) & (table.c.day < after)
    return within


def _daily(query: Select | ModelSelect) -> list[tuple[Any, ...]]:
    """Rows of a query over the daily totals."""
    return list(query.tuples().bind(database))


def sales_amount(since: datetime, until: datetime) -> int:
    amount = _daily(SALE_DAY.select(fn.SUM(SALE_DAY.c.amount)).where(_in_days(SALE_DAY, since, until)))[0][0]
    return int(amount or 0)


def totals(since: datetime, until: datetime) -> tuple[int, int, int, int, int]:
    """(refund count, refund amount, sales amount, no-receipt count, no-receipt amount)."""
    count, amount, nr_count, nr_amount = cast(
        "tuple[int, int | None, int | None, int | None]",
        RefundRow.select(
            fn.COUNT(RefundRow.id),
            fn.SUM(RefundRow.amount),
            fn.SUM(RefundRow.no_receipt.cast("integer")),
            fn.SUM(SQL("CASE WHEN no_receipt THEN amount ELSE 0 END")),
        )
        .where(_refunds(since, until))
        .tuples()
        .get(),
    )
    return count or 0, amount or 0, sales_amount(since, until), nr_count or 0, nr_amount or 0


def _merge(refund_rows: RefundGroups, sales_rows: SalesGroups) -> list[Row]:
    sales = {key: amount or 0 for key, _, amount in sales_rows}
    labels = {key: label for key, label, _ in sales_rows}
    out = [
        (key, label or labels.get(key, ""), count, amount or 0, sales.get(key, 0))
        for key, label, count, amount in refund_rows
    ]
    return sorted(out, key=lambda r: (-r[3], str(r[0])))


def by_product(since: datetime, until: datetime) -> list[Row]:
    refunds = cast(
        RefundGroups,
        RefundLineRow.select(
            RefundLineRow.product,
            fn.MAX(RefundLineRow.name),
            fn.COUNT(fn.DISTINCT(RefundLineRow.refund)),
            fn.SUM(RefundLineRow.amount),
        )
        .join(RefundRow)
        .where(_refunds(since, until))
        .group_by(RefundLineRow.product)
        .tuples(),
    )
    return _merge(
        refunds,
        _daily(
            PRODUCT_DAY.select(PRODUCT_DAY.c.product_id, SQL("''"), fn.SUM(PRODUCT_DAY.c.amount))
            .where(_in_days(PRODUCT_DAY, since, until))
            .group_by(PRODUCT_DAY.c.product_id)
        ),
    )


def product_codes(ids: list[int]) -> dict[int, tuple[str, str]]:
    """(barcode, English name) of the products `by_product` grouped by id: what a report shows for them."""
    out: dict[int, tuple[str, str]] = {}
    if not ids:
        return out
    for among in dialect.among(ProductRow.id, ids):
        rows = cast(
            "Iterable[tuple[int, str, str]]",
            ProductRow.select(ProductRow.id, ProductRow.barcode, ProductRow.name_en).where(among).tuples(),
        )
        out.update((pid, (barcode, name_en)) for pid, barcode, name_en in rows)
    return out


def staff_names_en() -> dict[str, str]:
    """Staff code -> English name, for reports read with the English UI (a shop has a handful)."""
    rows = cast("Iterable[tuple[str, str]]", StaffRow.select(StaffRow.code, StaffRow.name_en).tuples())
    return {code: name_en for code, name_en in rows if name_en}


def by_category(since: datetime, until: datetime) -> list[Row]:
    refunds = cast(
        RefundGroups,
        RefundLineRow.select(
            ProductRow.category,
            ProductRow.category,
            fn.COUNT(fn.DISTINCT(RefundLineRow.refund)),
            fn.SUM(RefundLineRow.amount),
        )
        .join(RefundRow)
        .switch(RefundLineRow)
        .join(ProductRow)
        .where(_refunds(since, until))
        .group_by(ProductRow.category)
        .tuples(),
    )
    return _merge(
        refunds,
        _daily(
            CATEGORY_DAY.select(CATEGORY_DAY.c.category, CATEGORY_DAY.c.category, fn.SUM(CATEGORY_DAY.c.amount))
            .where(_in_days(CATEGORY_DAY, since, until))
            .group_by(CATEGORY_DAY.c.category)
        ),
    )


def by_reason(since: datetime, until: datetime) -> list[Row]:
    refunds = cast(
        RefundGroups,
        RefundRow.select(RefundRow.reason, RefundRow.reason, fn.COUNT(RefundRow.id), fn.SUM(RefundRow.amount))
        .where(_refunds(since, until))
        .group_by(RefundRow.reason)
        .tuples(),
    )
    whole = sales_amount(since, until)
    return _merge(refunds, [(key, "", whole) for key, *_ in refunds])


def by_cashier(since: datetime, until: datetime) -> list[Row]:
    refunds = cast(
        RefundGroups,
        RefundRow.select(StaffRow.code, fn.MAX(StaffRow.name), fn.COUNT(RefundRow.id), fn.SUM(RefundRow.amount))
        .join(StaffRow, on=(RefundRow.staff == StaffRow.id))
        .where(_refunds(since, until))
        .group_by(StaffRow.code)
        .tuples(),
    )
    return _merge(
        refunds,
        _daily(
            StaffRow.select(StaffRow.code, fn.MAX(StaffRow.name), fn.SUM(SALE_DAY.c.amount))
            .join(SALE_DAY, on=(SALE_DAY.c.staff_id == StaffRow.id))
            .where(_in_days(SALE_DAY, since, until))
            .group_by(StaffRow.code)
        ),
    )


def by_level(since: datetime, until: datetime) -> list[Row]:
    level = fn.COALESCE(MemberRow.level, SQL("''"))  # inline: PostgreSQL groups by the expression's text
    refunds = cast(
        RefundGroups,
        RefundRow.select(level, level, fn.COUNT(RefundRow.id), fn.SUM(RefundRow.amount))
        .join(MemberRow, JOIN.LEFT_OUTER, on=(RefundRow.member == MemberRow.id))
        .where(_refunds(since, until))
        .group_by(level)
        .tuples(),
    )
    return _merge(
        refunds,
        _daily(
            SALE_DAY.select(SALE_DAY.c.level, SALE_DAY.c.level, fn.SUM(SALE_DAY.c.amount))
            .where(_in_days(SALE_DAY, since, until))
            .group_by(SALE_DAY.c.level)
        ),
    )


def by_member(since: datetime, until: datetime, limit: int = 50) -> list[Row]:
    refunds = cast(
        RefundGroups,
        RefundRow.select(MemberRow.card_no, fn.MAX(MemberRow.name), fn.COUNT(RefundRow.id), fn.SUM(RefundRow.amount))
        .join(MemberRow, on=(RefundRow.member == MemberRow.id))
        .where(_refunds(since, until))
        .group_by(MemberRow.card_no)
        .order_by(fn.SUM(RefundRow.amount).desc(), MemberRow.card_no)
        .limit(limit)
        .tuples(),
    )
    cards = [key for key, *_ in refunds]
    sales = cast(
        SalesGroups,
        SaleRow.select(MemberRow.card_no, fn.MAX(MemberRow.name), fn.SUM(SaleRow.total))
        .join(MemberRow)
        .where(_sales(since, until) & MemberRow.card_no.in_(cards))
        .group_by(MemberRow.card_no)
        .tuples(),
    )
    return _merge(refunds, sales)


def by_week(since: datetime, until: datetime) -> list[Row]:
    week = dialect.week(RefundRow.created_at)
    refunds = cast(
        RefundGroups,
        RefundRow.select(week, week, fn.COUNT(RefundRow.id), fn.SUM(RefundRow.amount))
        .where(_refunds(since, until))
        .group_by(week)
        .tuples(),
    )
    sale_week = dialect.week(SALE_DAY.c.day)
    sales = _daily(
        SALE_DAY.select(sale_week, sale_week, fn.SUM(SALE_DAY.c.amount))
        .where(_in_days(SALE_DAY, since, until))
        .group_by(sale_week)
    )
    return sorted(_merge(refunds, sales), key=lambda r: r[0])


def by_approver(since: datetime, until: datetime) -> list[tuple[str, str, int, int, int]]:
    """(code, name, approvals, amount approved, overrides) for refunds someone approved."""
    approver = StaffRow.alias()
    rows = cast(
        "Iterable[tuple[str, str, int, int, int]]",
        RefundRow.select(
            approver.code,
            fn.MAX(approver.name),
            fn.COUNT(RefundRow.id),
            fn.SUM(RefundRow.amount),
            fn.SUM(RefundRow.override.cast("integer")),
        )
        .join(approver, on=(RefundRow.approver == approver.id))
        .where(_refunds(since, until) & (RefundRow.approver != RefundRow.staff))
        .group_by(approver.code)
        .order_by(fn.COUNT(RefundRow.id).desc(), approver.code)
        .tuples(),
    )
    return list(rows)


def hours_sale_to_refund(since: datetime, until: datetime) -> float | None:
    hours = dialect.hours_between(SaleRow.created_at, RefundRow.created_at)
    query = RefundRow.select(SQL("0").alias("k"), hours.alias("v")).join(SaleRow, on=(RefundRow.sale == SaleRow.id))
    return dialect.medians(query.where(_refunds(since, until))).get(0)


def cashier_handling(since: datetime, until: datetime) -> list[tuple[str, str, int, int, float | None]]:
    """(code, name, refunds handled, rejected, median minutes wizard-open to paid) per cashier."""
    in_range = (RefundRow.created_at >= since) & (RefundRow.created_at < until)
    rows = cast(
        "Iterable[tuple[int, str, str, int | None, int | None]]",
        RefundRow.select(
            StaffRow.id,
            fn.MAX(StaffRow.code),
            fn.MAX(StaffRow.name),
            fn.SUM(RefundRow.status.in_(PAID).cast("integer")),
            fn.SUM((RefundRow.status == "rejected").cast("integer")),
        )
        .join(StaffRow, on=(RefundRow.staff == StaffRow.id))
        .where(in_range)
        .group_by(StaffRow.id)
        .order_by(fn.MAX(StaffRow.code), StaffRow.id)
        .tuples(),
    )
    # every cashier's median handling time at once (a chain's year is ~160,000 small rows)
    minutes = dialect.medians(
        RefundRow.select(
            RefundRow.staff.alias("k"), dialect.minutes_between(RefundRow.opened_at, RefundRow.paid_at).alias("v")
        ).where(in_range & RefundRow.paid_at.is_null(False) & RefundRow.opened_at.is_null(False))
    )
    return [
        (code, name, handled or 0, rejected or 0, minutes.get(staff_id))
        for staff_id, code, name, handled, rejected in rows
    ]


def member_window(
    member_id: int | None, since: datetime, until: datetime, limit: int = 100
) -> list[tuple[str, str, int, int, int]]:
    """(card, name, refund count, refund amount, sales amount) per member with refunds in the
    window (or just `member_id`), biggest refunders first."""
    query = (
        RefundRow.select(
            MemberRow.id,
            fn.MAX(MemberRow.card_no),
            fn.MAX(MemberRow.name),
            fn.COUNT(RefundRow.id),
            fn.SUM(RefundRow.amount),
        )
        .join(MemberRow, on=(RefundRow.member == MemberRow.id))
        .where(_refunds(since, until))
    )
    if member_id is not None:
        query = query.where(MemberRow.id == member_id)
    rows = list(
        cast(
            "Iterable[tuple[int, str, str, int, int | None]]",
            query.group_by(MemberRow.id).order_by(fn.SUM(RefundRow.amount).desc(), MemberRow.id).limit(limit).tuples(),
        )
    )
    ids = [r[0] for r in rows]
    sales = dict(
        cast(
            "Iterable[tuple[int, int | None]]",
            SaleRow.select(SaleRow.member, fn.SUM(SaleRow.total))
            .where(_sales(since, until) & SaleRow.member.in_(ids))
            .group_by(SaleRow.member)
            .tuples(),
        )
    )
    return [(card, name, count, amount or 0, sales.get(mid, 0) or 0) for mid, card, name, count, amount in rows]


def edge_refunds(since: datetime, until: datetime, minutes: int) -> list[tuple[str, str, datetime, str]]:
    """(refund no., cashier, time, 'open'/'close') for refunds within `minutes` of their shift's
    opening or closing."""
    after_open = dialect.minutes_between(ShiftRow.opened_at, RefundRow.created_at)
    before_close = dialect.minutes_between(RefundRow.created_at, ShiftRow.closed_at)
    rows = cast(
        "Iterable[tuple[str, str, datetime, float | None, float | None]]",
        RefundRow.select(RefundRow.refund_no, StaffRow.code, RefundRow.created_at, after_open, before_close)
        .join(ShiftRow, on=(RefundRow.shift == ShiftRow.id))
        .switch(RefundRow)
        .join(StaffRow, on=(RefundRow.staff == StaffRow.id))
        .where(
            _refunds(since, until)
            & ((after_open < minutes) | (ShiftRow.closed_at.is_null(False) & (before_close < minutes)))
        )
        .order_by(RefundRow.created_at)
        .tuples(),
    )
    return [
        (no, code, at, "open" if opened is not None and opened < minutes else "close")
        for no, code, at, opened, _ in rows
    ]


def tender_policy_refunds(since: datetime, until: datetime) -> list[tuple[str, str, str, int, int]]:
    """(refund no., cashier, what, cents, points) for refunds that paid cash for money not paid
    in cash ('cash_for_non_cash') or let the member keep earned points already spent ('forgiven')."""
    cash = RefundRow.approval_reasons.contains("cash_for_non_cash")
    forgiven = (RefundRow.spent_policy == "forgive") & (RefundRow.points_spent > 0)
    rows = cast(
        "Iterable[tuple[str, str, str, int, int, str, int]]",
        RefundRow.select(
            RefundRow.refund_no,
            StaffRow.code,
            RefundRow.approval_reasons,
            RefundRow.amount,
            RefundRow.points_spent,
            RefundRow.spent_policy,
            RefundRow.id,
        )
        .join(StaffRow, on=(RefundRow.staff == StaffRow.id))
        .where(_refunds(since, until) & (cash | forgiven))
        .order_by(RefundRow.created_at)
        .tuples(),
    )
    out: list[tuple[str, str, str, int, int]] = []
    for no, code, reasons, amount, points, policy, _ in rows:
        if "cash_for_non_cash" in reasons.split(","):
            out.append((no, code, "cash_for_non_cash", amount, 0))
        if policy == "forgive" and points:
            out.append((no, code, "forgiven", 0, points))
    return out


def just_under(
    since: datetime, until: datetime, role_limits: Mapping[str, int | None], bp: int
) -> list[tuple[str, int, int]]:
    """(staff code, their limit, count) of refunds that needed nobody's approval and were worth
    `bp` of the refunder's limit up to it: their own limit where a manager set one, else their
    role's (`role_limits`, None = no limit)."""
    roles = [(code, limit) for code, limit in role_limits.items() if limit is not None and limit > 0]
    role_limit = Case(StaffRow.role, roles, None) if roles else SQL("NULL")
    limit = fn.COALESCE(StaffRow.refund_limit, role_limit)
    rows = cast(
        "Iterable[tuple[str, int, int]]",
        RefundRow.select(StaffRow.code, limit, fn.COUNT(RefundRow.id))
        .join(StaffRow, on=(RefundRow.staff == StaffRow.id))
        .where(
            _refunds(since, until)
            & RefundRow.approver.is_null()
            & (limit > 0)
            & (RefundRow.amount * 10000 >= limit * bp)
            & (RefundRow.amount <= limit)
        )
        .group_by(StaffRow.code, StaffRow.refund_limit, StaffRow.role)  # what `limit` is made of
        .tuples(),
    )
    return list(rows)


def order_runs(since: datetime, until: datetime) -> list[tuple[str, str, int, int]]:
    """(order no., staff code, refunds, cents) where one person refunded one order more than once
    in the range: a split refund stays within each refund's limit, not within the order's."""
    # the runs first, from the refunds alone; only they look up their order and person (a chain's
    # year joined to its sales before grouping reads every sale)
    runs = (
        RefundRow.select(
            RefundRow.sale.alias("sale_id"),
            RefundRow.staff.alias("staff_id"),
            fn.COUNT(RefundRow.id).alias("refunds"),
            fn.SUM(RefundRow.amount).alias("amount"),
        )
        .where(_refunds(since, until))
        .group_by(RefundRow.sale, RefundRow.staff)
        .having(fn.COUNT(RefundRow.id) >= 2)
        .alias("runs")
    )
    rows = cast(
        "Iterable[tuple[str, str, int, int]]",
        SaleRow.select(SaleRow.order_no, StaffRow.code, runs.c.refunds, runs.c.amount)
        .join(runs, on=(runs.c.sale_id == SaleRow.id))
        .join(StaffRow, on=(runs.c.staff_id == StaffRow.id))
        .order_by(SaleRow.order_no, StaffRow.code)
        .tuples(),
    )
    return list(rows)


def self_approvals(since: datetime, until: datetime) -> list[tuple[str, str, str, int, bool]]:
    """(code, name, refund no., cents, override) of refunds their own refunder approved (their
    role covered what the policy asked, within [refund_limits] self_approval_max)."""
    rows = cast(
        "Iterable[tuple[str, str, str, int, bool]]",
        RefundRow.select(StaffRow.code, StaffRow.name, RefundRow.refund_no, RefundRow.amount, RefundRow.override)
        .join(StaffRow, on=(RefundRow.staff == StaffRow.id))
        .where(_refunds(since, until) & (RefundRow.approver == RefundRow.staff))
        .order_by(StaffRow.code, RefundRow.created_at)
        .tuples(),
    )
    return list(rows)


def by_store(since: datetime, until: datetime) -> list[Row]:
    """Head office only (store_no is a column of every central table): each store's refunds and
    sales in one grouped query each, stores without refunds too."""
    store = SQL("store_no")
    refunds = list(
        cast(
            RefundGroups,
            RefundRow.select(store, SQL("''"), fn.COUNT(RefundRow.id), fn.SUM(RefundRow.amount))
            .where(_refunds(since, until))
            .group_by(store)
            .tuples(),
        )
    )
    sales = _daily(
        SALE_DAY.select(SALE_DAY.c.store_no, SQL("''"), fn.SUM(SALE_DAY.c.amount))
        .where(_in_days(SALE_DAY, since, until))
        .group_by(SALE_DAY.c.store_no)
    )
    refunded = {key for key, *_ in refunds}
    quiet: list[Row] = [(key, "", 0, 0, amount or 0) for key, _, amount in sales if key not in refunded]
    return sorted(_merge(refunds, sales) + quiet, key=lambda r: r[0])
