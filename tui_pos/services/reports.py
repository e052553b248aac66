"""The owner's refund analytics: what drives refunds, and who and what is worth a look.

Screens, `tui-pos report` and the benchmark all call these functions; each checks the
`reports` permission (manager) itself, except the member flag the refund wizard shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tui_pos import labels
from tui_pos.domain.errors import InvalidInput
from tui_pos.domain.staff import Staff, require
from tui_pos.services.context import Context
from tui_pos.store import report_queries as q

VIEWS = ("product", "category", "reason", "cashier", "level", "member", "week")
_BY = {
    "product": q.by_product,
    "category": q.by_category,
    "reason": q.by_reason,
    "cashier": q.by_cashier,
    "level": q.by_level,
    "member": q.by_member,
    "week": q.by_week,
}


def rate_bp(part: int, whole: int) -> int:
    """part / whole in basis points (100 = 1 %), rounded half up; 0 when there is no whole."""
    return (part * 10000 * 2 + whole) // (2 * whole) if whole > 0 else 0


def date_range(since: str | datetime, until: str | datetime) -> tuple[datetime, datetime]:
    """Inclusive dates as the owner types them ('2026-11-01'..'2026-11-30') -> [since, until+1 day)."""
    start, end = (_day(since), _day(until))
    if end < start:
        raise InvalidInput(
            "The range ends before it starts: {start} to {end}", start=f"{start:%Y-%m-%d}", end=f"{end:%Y-%m-%d}"
        )
    if (end - start).days > 3 * 366:
        raise InvalidInput("At most three years at a time")
    return start, end + timedelta(days=1)


def _day(value: str | datetime) -> datetime:
    if isinstance(value, datetime):
        return value.replace(hour=0, minute=0, second=0, microsecond=0)
    try:
        return datetime.strptime(value.strip(), "%Y-%m-%d")
    except ValueError as exc:
        raise InvalidInput("Not a date: {text} (write 2026-11-23)", text=value[:20]) from exc


@dataclass(frozen=True)
class Breakdown:
    key: str
    label: str
    refunds: int
    refund_amount: int
    sales_amount: int

    @property
    def rate_bp(self) -> int:
        return rate_bp(self.refund_amount, self.sales_amount)


@dataclass(frozen=True)
class Summary:
    since: datetime
    until: datetime  # exclusive
    refunds: int
    refund_amount: int
    sales_amount: int
    no_receipt: int
    no_receipt_amount: int
    median_hours_to_refund: float | None

    @property
    def rate_bp(self) -> int:
        return rate_bp(self.refund_amount, self.sales_amount)


def summary(ctx: Context, actor: Staff, since: datetime, until: datetime) -> Summary:
    require(actor, "reports")
    count, amount, sales, nr_count, nr_amount = q.totals(since, until)
    hours = q.hours_sale_to_refund(since, until)
    return Summary(since, until, count, amount, sales, nr_count, nr_amount, None if hours is None else round(hours, 1))


def breakdown(ctx: Context, actor: Staff, view: str, since: datetime, until: datetime) -> list[Breakdown]:
    require(actor, "reports")
    if view not in _BY:
        raise InvalidInput("Unknown report {name}", name=view)
    return [
        Breakdown(str(key), str(label), count, amount, sales)
        for key, label, count, amount, sales in _BY[view](since, until)
    ]


@dataclass(frozen=True)
class CashierHandling:
    code: str
    name: str
    handled: int
    rejected: int
    median_minutes: float | None

    @property
    def rejection_bp(self) -> int:
        return rate_bp(self.rejected, self.handled + self.rejected)


def cashiers(ctx: Context, actor: Staff, since: datetime, until: datetime) -> list[CashierHandling]:
    require(actor, "reports")
    return [CashierHandling(*row) for row in q.cashier_handling(since, until)]


def approvers(ctx: Context, actor: Staff, since: datetime, until: datetime) -> list[tuple[str, str, int, int, int]]:
    require(actor, "reports")
    return q.by_approver(since, until)


def self_approvals(
    ctx: Context, actor: Staff, since: datetime, until: datetime
) -> list[tuple[str, str, str, int, bool]]:
    """Refunds whose refunder approved them (code, name, refund no., cents, override): each one
    listed under the approvals, since above self_approval_max only a second person may."""
    require(actor, "reports")
    return q.self_approvals(since, until)


# --- flags -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Flag:
    kind: str  # member / cashier / edge / just_under / order_run / cash_for_non_cash / forgiven
    who: str
    text: str  # already worded for the screen (English template + params, translated there)
    params: dict[str, object]


def _member_flagged(ctx: Context, count: int, amount: int, sales: int) -> bool:
    flags = ctx.config.refund_flags
    return (
        count >= flags.member_count
        or (sales > 0 and rate_bp(amount, sales) >= flags.member_rate_bp)
        or (sales == 0 and amount > 0)
    )


def member_flag(ctx: Context, member_id: int | None) -> Flag | None:
    """For the member profile and refund step 1: is this member's recent refunding unusual?"""
    if member_id is None:
        return None
    days = ctx.config.refund_flags.member_days
    until = ctx.now() + timedelta(seconds=1)
    rows = q.member_window(member_id, until - timedelta(days=days), until)
    if not rows or not _member_flagged(ctx, *rows[0][2:]):
        return None
    card, name, count, amount, sales = rows[0]
    return Flag(
        "member",
        card,
        "{count} refunds in {days} days, {rate} of what they bought",
        {"count": count, "days": days, "rate": pct(rate_bp(amount, sales)), "amount": amount},
    )


def flags(ctx: Context, actor: Staff, since: datetime, until: datetime) -> list[Flag]:
    """Everything worth a look in the range: members, cashiers, refunds at shift edges, refunds
    just under the refunder's approval limit, and runs of refunds of one order by one person."""
    require(actor, "reports")
    cfg = ctx.config.refund_flags
    english = _staff_en()
    out: list[Flag] = []
    member_until = min(until, ctx.now() + timedelta(seconds=1))
    for card, name, count, amount, sales in q.member_window(
        None, member_until - timedelta(days=cfg.member_days), member_until
    ):
        if _member_flagged(ctx, count, amount, sales):
            out.append(
                Flag(
                    "member",
                    labels.with_code(card, labels.member(name)),
                    "{count} refunds in {days} days, {rate} of what they bought",
                    {"count": count, "days": cfg.member_days, "rate": pct(rate_bp(amount, sales)), "amount": amount},
                )
            )
    _, refunded, sold, _, _ = q.totals(since, until)
    store = rate_bp(refunded, sold)
    for key, label, count, amount, sales in q.by_cashier(since, until):
        rate = rate_bp(amount, sales)
        if count >= cfg.cashier_min_refunds and store and rate >= store * cfg.cashier_factor:
            out.append(
                Flag(
                    "cashier",
                    labels.with_code(str(key), labels.staff(label, english.get(str(key), ""))),
                    "refund rate {rate}, store {store}",
                    {"rate": pct(rate), "store": pct(store), "count": count},
                )
            )
    for refund_no, code, _at, edge in q.edge_refunds(since, until, cfg.edge_minutes):
        text = (
            "{no} by {code} within {minutes} min after the shift opened"
            if edge == "open"
            else "{no} by {code} within {minutes} min before the shift closed"
        )
        out.append(Flag("edge", code, text, {"no": refund_no, "code": code, "minutes": cfg.edge_minutes}))
    for refund_no, code, what, amount, points in q.tender_policy_refunds(since, until):
        params: dict[str, object] = {"no": refund_no, "code": code, "amount": yuan(amount), "points": points}
        text = (
            "{no} by {code}: {amount} in cash for money not paid in cash"
            if what == "cash_for_non_cash"
            else "{no} by {code}: {points} earned points already spent, forgiven"
        )
        out.append(Flag(what, code, text, params))
    for code, limit, count in q.just_under(since, until, ctx.config.refund_limits, cfg.just_under_bp):
        if count >= cfg.just_under_count:  # the person's own limit where a manager set one
            out.append(
                Flag(
                    "just_under",
                    code,
                    "{count} refunds just under the {limit} approval limit",
                    {"count": count, "limit": yuan(limit)},
                )
            )
    for order_no, code, count, amount in q.order_runs(since, until):
        out.append(
            Flag(
                "order_run",
                code,
                "{count} refunds of order {no} by {code}, {amount} in all",
                {"count": count, "no": order_no, "code": code, "amount": yuan(amount)},
            )
        )
    return out


def pct(bp: int) -> str:
    return f"{bp // 100}.{bp % 100:02d}%"


# --- one table shape for the screen, the command line and CSV ------------------------------------

TABLES = VIEWS + ("cashiers", "approvers", "flags")

# What each view's rows are about, as their first columns are headed; the figures follow.
VIEW_HEADS: dict[str, tuple[str, ...]] = {
    "product": ("Barcode", "Item"),
    "category": ("Category",),
    "reason": ("Reason",),
    "cashier": ("Code", "Name"),
    "level": ("Level",),
    "member": ("Card no.", "Name"),
    "week": ("Week",),
}
FIGURE_HEADS = ("Refunds", "Refunded", "Sales", "Refund rate")  # how many, how much, sold, refunded / sold


@dataclass(frozen=True)
class Table:
    """A report in the reader's words: headers and cells translated, codes named (labels)."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    chart: tuple[tuple[str, int, str], ...] = ()  # (label, refund amount in cents, shown amount)


def yuan(cents: int) -> str:
    """Plain 12.34 (no symbol): a number to a spreadsheet, still exact to the fen."""
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def _names(ctx: Context, view: str, rows: list[Breakdown]) -> list[tuple[str, ...]]:
    """The first columns of a view: what the grouped code is called, in the reader's script."""
    if view == "product":
        codes = q.product_codes([int(r.key) for r in rows])
        named: list[tuple[str, ...]] = []
        for r in rows:
            barcode, name_en = codes.get(int(r.key), ("", ""))
            named.append((barcode, labels.product(r.label, name_en, barcode)))
        return named
    if view == "category":
        return [(labels.category(ctx.config, r.key),) for r in rows]
    if view == "reason":
        return [(labels.reason(r.key),) for r in rows]
    if view == "level":
        return [(labels.level(ctx.config, r.key),) for r in rows]
    if view == "week":
        return [(r.key,) for r in rows]
    if view == "cashier":
        english = _staff_en()
        return [(r.key, labels.staff(r.label, english.get(r.key, ""), "")) for r in rows]
    return [(r.key, labels.member(r.label, "")) for r in rows]  # member: card no. and name


def _staff_en() -> dict[str, str]:
    """English staff names, read only where they are shown."""
    from tui_pos.i18n import language

    return q.staff_names_en() if language() == "en" else {}


def table(ctx: Context, actor: Staff, view: str, since: datetime, until: datetime) -> Table:
    """Any report as one table, for the screen, `tui-pos report` and CSV alike: headed and
    worded in the current language, with no code left for the reader to decode."""
    from tui_pos.i18n import tr

    english = _staff_en()
    if view in VIEWS:
        found = breakdown(ctx, actor, view, since, until)
        names = _names(ctx, view, found)
        rows = tuple(
            (*name, str(r.refunds), yuan(r.refund_amount), yuan(r.sales_amount), pct(r.rate_bp))
            for name, r in zip(names, found, strict=True)
        )
        charted = list(zip(names, found, strict=True))
        if view != "week":  # the biggest few; weeks in their order, the latest ones
            charted = charted[:6]
        chart = tuple((name[-1] or name[0], r.refund_amount, yuan(r.refund_amount)) for name, r in charted[-8:])
        return Table(view, tuple(tr(h) for h in VIEW_HEADS[view] + FIGURE_HEADS), rows, chart)
    if view == "cashiers":
        return Table(
            view,
            tuple(tr(h) for h in ("Code", "Name", "Refunds handled", "Rejections", "Rejection rate", "Median minutes")),
            tuple(
                (
                    c.code,
                    labels.staff(c.name, english.get(c.code, "")),
                    str(c.handled),
                    str(c.rejected),
                    pct(c.rejection_bp),
                    "" if c.median_minutes is None else f"{c.median_minutes:.1f}",
                )
                for c in cashiers(ctx, actor, since, until)
            ),
        )
    if view == "approvers":
        # approvals of others' refunds, one line per approver; then every self-approved refund,
        # one line each, its number in the last column
        others = tuple(
            (code, labels.staff(name, english.get(code, "")), str(n), yuan(amount or 0), str(over or 0), "")
            for code, name, n, amount, over in approvers(ctx, actor, since, until)
        )
        own = tuple(
            (code, labels.staff(name, english.get(code, "")), "1", yuan(amount), str(int(over)), refund_no)
            for code, name, refund_no, amount, over in self_approvals(ctx, actor, since, until)
        )
        return Table(
            view,
            tuple(tr(h) for h in ("Code", "Name", "Approvals", "Approved amount", "Overrides", "Own refund")),
            others + own,
        )
    if view == "flags":
        return Table(
            view,
            tuple(tr(h) for h in ("Kind", "Who", "Why")),
            tuple((labels.flag(f.kind), f.who, tr(f.text, **f.params)) for f in flags(ctx, actor, since, until)),
        )
    raise InvalidInput("Unknown report {name}", name=view)
