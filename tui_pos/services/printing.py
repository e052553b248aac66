"""Tickets go into a queue inside the business transaction; printing happens after commit.

A failed print therefore never undoes a sale or refund: the ticket stays queued, the
cashier is told, and it can be reprinted (or discarded by a supervisor) by key.

A receipt or report is queued laid out. A refund voucher's job only names the refund: a
paid refund never changes what its voucher says, so the voucher is laid out when it prints,
by the print worker after the commit, rather than under the write lock every till shares.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from tui_pos.config import Config
from tui_pos.domain.errors import InvalidInput, NotFound
from tui_pos.domain.staff import Staff, require
from tui_pos.i18n import tr
from tui_pos.services.context import Context
from tui_pos.store import audit, fast
from tui_pos.store.db import write
from tui_pos.store.models import PrintJobRow

if TYPE_CHECKING:  # ticket layout loads with the first ticket, not before the login screen
    from peewee import ModelSelect

    from tui_pos.devices.printer import Printer, PrinterError, UsbDevice
    from tui_pos.devices.tickets import Ticket
    from tui_pos.domain.sales import SaleDetail


@dataclass(frozen=True)
class PrintJob:
    id: int
    kind: str
    ref_no: str
    status: str
    attempts: int
    last_error: str
    created_at: datetime


@dataclass(frozen=True)
class PrintOutcome:
    job_id: int
    ok: bool
    error: str  # cashier-readable, empty when ok
    hint: str  # for the owner: cable, udev rule, ids...
    data: bytes  # what was sent (the training preview shows it)
    drawer_error: str = ""  # the drawer is reported on its own: a ticket can print and the drawer jam
    ticket: Ticket | None = None  # what was printed, for the training preview (no second read)


def _job(row: PrintJobRow) -> PrintJob:
    return PrintJob(row.id, row.kind, row.ref_no, row.status, row.attempts, row.last_error, row.created_at)


def _ticket(config: Config, row: PrintJobRow) -> Ticket:
    from tui_pos.devices.tickets import Ticket

    # only queue_voucher leaves the layout empty: the refund it names is laid out now
    return Ticket.from_json(row.layout) if row.layout else _voucher(config, row.ref_no)


def _voucher(config: Config, refund_no: str) -> Ticket:
    from tui_pos.devices.tickets import refund_voucher
    from tui_pos.store import queries, refund_queries

    refund = refund_queries.refund_detail(refund_no)
    if refund is None:
        raise NotFound("No refund {no}", no=refund_no)
    sale = queries.sale_detail(sale_id=refund.sale_id) if refund.sale_id else None
    return refund_voucher(config, refund, sale)


def queue_voucher(ctx: Context, refund_no: str) -> int:
    """The voucher of a refund that is paid (or being paid in this transaction): laid out when printed."""
    return fast.insert(
        PrintJobRow,
        kind="refund",
        ref_no=refund_no,
        till=ctx.config.till_code,
        text="",
        layout="",
        created_at=ctx.now(),
    )


def queue_ticket(ctx: Context, kind: str, ref_no: str, ticket: Ticket) -> int:
    """Call inside the transaction that records what the ticket is for."""
    return fast.insert(
        PrintJobRow,
        kind=kind,
        ref_no=ref_no,
        till=ctx.config.till_code,
        text=ticket.preview(),
        layout=ticket.to_json(),
        created_at=ctx.now(),  # the till's clock, as on the sale or refund it prints
    )


def queue_receipt(ctx: Context, sale: SaleDetail) -> int:
    from tui_pos.devices.tickets import receipt

    return queue_ticket(ctx, "receipt", sale.order_no, receipt(ctx.config, sale))


def _row(job_id: int) -> PrintJobRow:
    row = PrintJobRow.get_or_none(PrintJobRow.id == job_id)
    if row is None:
        raise NotFound("No ticket {ref}", ref=str(job_id))
    return row


def get_job(job_id: int) -> PrintJob:
    return _job(_row(job_id))


def job_ticket(ctx: Context, job_id: int) -> Ticket:
    """The ticket a job prints, laid out for this till's printer (a voucher from its refund)."""
    return _ticket(ctx.config, _row(job_id))


def _waiting(ctx: Context) -> ModelSelect[PrintJobRow]:
    """This till's unprinted tickets: another till's queue is for another printer."""
    return PrintJobRow.select().where((PrintJobRow.status == "queued") & (PrintJobRow.till == ctx.config.till_code))


def waiting_jobs(ctx: Context) -> list[PrintJob]:
    return [_job(r) for r in _waiting(ctx).order_by(PrintJobRow.id)]


def waiting_count(ctx: Context) -> int:
    return _waiting(ctx).count()


def _deliver(
    config: Config, ticket: Ticket, *, kick_drawer: bool, printer: Printer | None
) -> tuple[PrinterError | None, bytes, str]:
    """Render, send, then kick the drawer even when the ticket failed (the cashier still has
    change to give). Returns (the PrinterError or None, bytes rendered, drawer error text)."""
    from tui_pos.devices.printer import PrinterError, open_printer, render

    device = printer or open_printer(config.printer)
    data, drawer_error = b"", ""
    failed: PrinterError | None = None
    try:
        try:
            data = render(ticket, config.printer)
            device.send(data)
        except PrinterError as exc:
            failed = exc
        if kick_drawer:
            try:
                device.kick_drawer()
            except PrinterError as exc:
                drawer_error = exc.message
    finally:
        if printer is None:
            device.close()
    return failed, data, drawer_error


def open_drawer(ctx: Context, actor: Staff, reason: str, *, printer: Printer | None = None) -> str:
    """'No sale': the drawer opens without a sale (change for the next till, a wrong count).
    It is written to the audit trail first, so an opening is never unrecorded; returns the
    drawer error text, "" when it opened."""
    from tui_pos.devices.printer import PrinterError, open_printer
    from tui_pos.domain.catalog import clean_text

    require(actor, "open_drawer")
    why = clean_text(reason, 80)
    if not why:
        raise InvalidInput("Say why the drawer is opened")
    write(lambda: audit.append(actor.code, "drawer_open", f"till:{ctx.config.till_code}", {"reason": why}))
    device = printer or open_printer(ctx.config.printer)
    try:
        device.kick_drawer()
        return ""
    except PrinterError as exc:
        return exc.message
    finally:
        if printer is None:
            device.close()


def print_job(ctx: Context, job_id: int, *, kick_drawer: bool = False, printer: Printer | None = None) -> PrintOutcome:
    """Send one queued ticket and record the outcome. Safe to call from a worker thread."""
    ticket = job_ticket(ctx, job_id)
    failed, data, drawer_error = _deliver(ctx.config, ticket, kick_drawer=kick_drawer, printer=printer)
    if failed is not None:
        write(
            lambda: (
                PrintJobRow.update(attempts=PrintJobRow.attempts + 1, last_error=failed.message[:200])
                .where(PrintJobRow.id == job_id)
                .execute()
            )
        )
        return PrintOutcome(job_id, False, failed.message, failed.hint, data, drawer_error)
    write(
        lambda: (
            PrintJobRow.update(status="printed", attempts=PrintJobRow.attempts + 1, last_error="")
            .where((PrintJobRow.id == job_id) & (PrintJobRow.status == "queued"))
            .execute()
        )
    )
    return PrintOutcome(job_id, True, "", "", data, drawer_error, ticket)


def retry_waiting(ctx: Context, printer: Printer | None) -> list[PrintOutcome]:
    """Print this till's queue oldest first, stopping at the first failure (the printer is
    still offline, no point hammering it)."""
    outcomes = []
    for job in waiting_jobs(ctx):
        outcome = print_job(ctx, job.id, printer=printer)
        outcomes.append(outcome)
        if not outcome.ok:
            break
    return outcomes


@dataclass(frozen=True)
class TestPageResult:
    ok: bool
    message: str  # what happened, for the owner at the command line
    hint: str
    data: bytes
    drawer_error: str = ""


def usb_devices() -> list[UsbDevice]:
    """What pyusb sees on this PC, for choosing usb_vendor/usb_product (PrinterError without libusb)."""
    from tui_pos.devices.printer import list_usb_devices

    return list_usb_devices()


def printer_nodes() -> list[str]:
    """Kernel printer nodes (usblp) for the `device` backend."""
    import glob

    return sorted(glob.glob("/dev/usb/lp*"))


def print_test_page(config: Config, *, printer: Printer | None = None, kick_drawer: bool = False) -> TestPageResult:
    """The page `tui-pos printer test` prints: header, Chinese and English, amounts, CODE128,
    QR, a cut and, if asked, a drawer kick. It touches no database."""
    from tui_pos.devices.printer import NO_PRINTER_HINT
    from tui_pos.devices.tickets import printer_test_page

    if config.printer.backend == "none" and printer is None:
        drawer = tr("no printer connected (the drawer opens through the printer)") if kick_drawer else ""
        return TestPageResult(False, tr("No printer is configured: nothing was printed"), NO_PRINTER_HINT, b"", drawer)

    failed, data, drawer_error = _deliver(config, printer_test_page(config), kick_drawer=kick_drawer, printer=printer)
    if failed is not None:
        return TestPageResult(False, failed.message, failed.hint, data, drawer_error)
    return TestPageResult(True, "Test page sent", "", data, drawer_error)


def queued_job(ref_no: str) -> int | None:
    """The newest ticket for this number if it never came out, so a retry prints that one."""
    row = PrintJobRow.select().where(PrintJobRow.ref_no == ref_no.strip()).order_by(PrintJobRow.id.desc()).first()
    return row.id if row is not None and row.status == "queued" else None


def reprint(ctx: Context, actor: Staff, ref_no: str) -> int:
    """Queue a fresh copy of the newest ticket for an order or refund number."""

    def again() -> int:
        row = PrintJobRow.select().where(PrintJobRow.ref_no == ref_no.strip()).order_by(PrintJobRow.id.desc()).first()
        if row is None:
            raise NotFound("No ticket {ref}", ref=ref_no[:30])
        audit.append(actor.code, "reprint", ref_no)
        return PrintJobRow.create(
            kind=row.kind,
            ref_no=row.ref_no,
            till=ctx.config.till_code,
            text=row.text,
            layout=row.layout,
            created_at=ctx.now(),
        ).id

    return write(again)


def discard(ctx: Context, actor: Staff, job_id: int) -> None:
    require(actor, "discard_ticket")

    def drop() -> None:
        _row(job_id)
        PrintJobRow.update(status="discarded").where(PrintJobRow.id == job_id).execute()
        audit.append(actor.code, "ticket_discard", str(job_id))

    write(drop)


def mark_printed(job_ids: list[int], *, staff_code: str = "demo") -> int:
    """Settle queued tickets without printing them (the demo shop's past receipts), in one
    transaction with an audit entry; returns how many were still queued."""

    def settle() -> int:
        count: int = (
            PrintJobRow.update(status="printed")
            .where(PrintJobRow.id.in_(job_ids) & (PrintJobRow.status == "queued"))
            .execute()
        )
        if count:
            audit.append(staff_code, "tickets_marked_printed", "print_jobs", {"count": count})
        return count

    return write(settle)
