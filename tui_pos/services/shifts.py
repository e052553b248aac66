"""A till's shift: open with a counted float, take sales and refunds, X report, close with a Z.

Every sale, refund payout and paid-in/out is written with the id of the till's open shift,
inside the same transaction; a shift is closed once (triggers in the database refuse any
later change), and its Z report is stored as it was signed off.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from pathlib import Path

from tui_pos.devices.tickets import shift_ticket
from tui_pos.domain.errors import Conflict, InsufficientPermission, InvalidInput, NotFound, PosError
from tui_pos.domain.shift import CashCount, ShiftReport, check_cash_move, check_close
from tui_pos.domain.staff import Role, Staff, require
from tui_pos.services import printing
from tui_pos.services.context import Context
from tui_pos.store import audit, shift_queries
from tui_pos.store.db import write
from tui_pos.store.models import CashMoveRow, RefundRow, ShiftRow


def current(ctx: Context) -> ShiftRow | None:
    return shift_queries.open_shift(ctx.config.till_code)


def current_id(ctx: Context) -> int | None:
    return shift_queries.open_shift_id(ctx.config.till_code)


def open_shift_id(ctx: Context) -> int:
    """The shift money goes into; call inside the write transaction that records it."""
    shift_id = shift_queries.open_shift_id(ctx.config.till_code)
    if shift_id is None:
        raise Conflict(
            "No shift is open on till {till}: open one with the float counted first", till=ctx.config.till_code
        )
    return shift_id


def open_shift(ctx: Context, actor: Staff, count: CashCount) -> int:
    require(actor, "shift")

    def record() -> int:
        if current(ctx) is not None:
            raise Conflict("A shift is already open on till {till}", till=ctx.config.till_code)
        at = ctx.now()
        shift = ShiftRow.create(
            till_code=ctx.config.till_code,
            opened_by=actor.code,
            opened_at=at,
            opening_float=count.total,
            float_detail=count.describe(),
            training=ctx.config.training,
        )
        audit.append(actor.code, "shift_open", str(shift.id), {"till": ctx.config.till_code, "float": count.total})
        return shift.id

    return write(record)


def report(ctx: Context, shift_id: int | None = None) -> ShiftReport:
    """X report of the open shift (or of `shift_id`); a closed shift gives its stored Z report."""
    shift = current(ctx) if shift_id is None else ShiftRow.get_or_none(ShiftRow.id == shift_id)
    if shift is None:
        raise (
            NotFound("No shift is open on till {till}", till=ctx.config.till_code)
            if shift_id is None
            else NotFound("No shift {no}", no=str(shift_id))
        )
    if shift.status == "closed" and shift.z_report:
        return ShiftReport.from_json(shift.z_report)
    return shift_queries.build_report(shift)


def report_for(ctx: Context, actor: Staff, shift_id: int | None = None) -> ShiftReport:
    """`tui-pos report shift`: a cashier sees only a shift they opened or closed (their own
    drawer's takings), a supervisor or manager any shift."""
    shift = current(ctx) if shift_id is None else ShiftRow.get_or_none(ShiftRow.id == shift_id)
    if shift is not None and actor.role < Role.SUPERVISOR and actor.code not in (shift.opened_by, shift.closed_by):
        raise InsufficientPermission(
            "Shift {no} is not yours: a cashier sees only their own shift's report", no=str(shift.id)
        )
    return report(ctx, shift_id)


def cash_move(ctx: Context, actor: Staff, kind: str, amount: int, reason: str) -> None:
    """Paid-in (e.g. change from the bank) or paid-out (e.g. a delivery paid from the drawer)."""
    require(actor, "cash_move")

    def record() -> None:
        shift_id = open_shift_id(ctx)
        now_in_drawer = shift_queries.build_report(ShiftRow.get_by_id(shift_id)).expected_cash
        text = check_cash_move(kind, amount, reason, now_in_drawer)
        CashMoveRow.create(shift=shift_id, kind=kind, amount=amount, reason=text, staff_code=actor.code, at=ctx.now())
        audit.append(actor.code, kind, str(shift_id), {"amount": amount, "reason": text})

    write(record)


@dataclass(frozen=True)
class Closed:
    report: ShiftReport
    print_job_id: int
    backup: str = ""  # the backup taken after the close ("" = none configured)
    backup_error: str = ""  # why it could not be taken; the close itself stands
    copy_error: str = ""  # the backup is there, but its second copy ([backup] copy_to) failed


def close_shift(ctx: Context, actor: Staff, counted: CashCount, note: str = "", *, carry_over: bool = False) -> Closed:
    """Z report: count the drawer, explain a variance over the limit, freeze the shift.

    Refunds still waiting for a manager must be dealt with first, or carried over on purpose
    (they are then paid from whichever shift is open when they are approved)."""
    require(actor, "shift")

    def record() -> Closed:
        shift = current(ctx)
        if shift is None:
            raise Conflict("No shift is open on till {till}", till=ctx.config.till_code)
        live = shift_queries.build_report(shift)
        if live.pending_refunds and not carry_over:
            raise Conflict(
                "Refunds still waiting for approval: {nos}. Approve or reject them, "
                "or carry them over to the next shift",
                nos=", ".join(live.pending_refunds),
            )
        text = check_close(live.expected_cash, counted.total, note, ctx.config.shifts.variance_note_over)
        at = ctx.now()
        if live.pending_refunds:
            RefundRow.update(shift=None).where(RefundRow.refund_no.in_(live.pending_refunds)).execute()
        final = replace(live, closed_at=at, closed_by=actor.code, counted=counted.total, note=text)
        audit.append(
            actor.code,
            "shift_close",
            str(shift.id),
            {
                "till": shift.till_code,
                "expected": final.expected_cash,
                "counted": counted.total,
                "variance": final.variance,
                "carried_over": list(live.pending_refunds),
            },
        )
        final = replace(final, audit_anchor=str(audit.head()))  # the head includes the close itself
        ShiftRow.update(
            status="closed",
            closed_by=actor.code,
            closed_at=at,
            counted=counted.total,
            counted_detail=counted.describe(),
            expected=final.expected_cash,
            note=text,
            z_report=final.to_json(),
        ).where(ShiftRow.id == shift.id).execute()
        job = printing.queue_ticket(ctx, "report", f"Z{shift.id}", shift_ticket(ctx.config, final))
        return Closed(final, job)

    closed = write(record)
    return _back_up(ctx, closed) if ctx.config.backup.at_shift_close and not ctx.config.training else closed


def _back_up(ctx: Context, closed: Closed) -> Closed:
    """The daily safety copy, taken once the Z report is committed; a full disk or a missing
    USB stick is reported, never a reason to undo the close."""
    from tui_pos.services import maintenance

    settings = ctx.config.backup
    try:
        done = maintenance.backup(ctx.config, Path(settings.folder) if settings.folder else None, settings.keep)
    except (OSError, sqlite3.Error, PosError) as exc:
        message = exc.message if isinstance(exc, PosError) else str(exc)
        return replace(closed, backup_error=message[:200])
    return replace(closed, backup=str(done.path), copy_error=done.copy_error)


def print_x_report(ctx: Context, actor: Staff) -> int:
    """Queue the X report of the open shift for the printer; returns the print job."""
    require(actor, "shift")

    def record() -> int:
        x = replace(report(ctx), audit_anchor=str(audit.head()))
        audit.append(actor.code, "x_report", str(x.shift_id), {"anchor": x.audit_anchor})  # kept, as a Z's is
        return printing.queue_ticket(ctx, "report", f"X{x.shift_id}", shift_ticket(ctx.config, x))

    return write(record)


def count_void(ctx: Context) -> None:
    """Inside the void's transaction: the shift's void count goes up."""
    shift = current(ctx)
    if shift is not None:
        ShiftRow.update(voids=ShiftRow.voids + 1).where(ShiftRow.id == shift.id).execute()


@dataclass(frozen=True)
class DaySummary:
    day: datetime
    shifts: tuple[ShiftReport, ...]

    def total(self, field_name: str) -> int:
        return sum(getattr(r, field_name) for r in self.shifts)

    def tender_net(self) -> dict[str, tuple[int, int]]:
        out: dict[str, tuple[int, int]] = {}
        for r in self.shifts:
            for t in r.tenders:
                sales, refunds = out.get(t.tender, (0, 0))
                out[t.tender] = (sales + t.sales, refunds + t.refunds)
        return out


def day_summary(ctx: Context, actor: Staff, day: datetime | None = None) -> DaySummary:
    """Every till's shifts opened on `day` (default today), for the owner's end of day."""
    require(actor, "day_summary")
    start = datetime.combine((day or ctx.now()).date(), time())
    rows = shift_queries.shifts_between(start, start + timedelta(days=1))
    return DaySummary(start, tuple(report(ctx, r.id) for r in rows))


def parse_day(text: str) -> datetime:
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%d")
    except ValueError as exc:
        raise InvalidInput("Not a date: {text} (write 2026-11-23)", text=text[:20]) from exc
