"""Tickets go into a queue inside the business transaction; printing happens after commit.

A failed print therefore never undoes a sale or refund: the ticket stays queued, the
cashier is told, and it can be reprinted (or discarded by a supervisor) by key.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui_pos.devices.tickets import Ticket, receipt
from tui_pos.domain.errors import NotFound
from tui_pos.domain.sales import SaleDetail
from tui_pos.domain.staff import Staff, require
from tui_pos.services.context import Context
from tui_pos.store import audit
from tui_pos.store.db import write
from tui_pos.store.models import PrintJobRow


@dataclass(frozen=True)
class PrintJob:
    id: int
    kind: str
    ref_no: str
    status: str
    attempts: int
    last_error: str
    ticket: Ticket


@dataclass(frozen=True)
class PrintOutcome:
    job_id: int
    ok: bool
    error: str  # cashier-readable, empty when ok
    hint: str  # for the owner: cable, udev rule, ids...
    data: bytes  # what was sent (the training preview shows it)


def _job(row: PrintJobRow) -> PrintJob:
    return PrintJob(row.id, row.kind, row.ref_no, row.status, row.attempts, row.last_error,
                    Ticket.from_json(row.layout))


def queue_ticket(kind: str, ref_no: str, ticket: Ticket) -> int:
    """Call inside the transaction that records what the ticket is for."""
    return PrintJobRow.create(kind=kind, ref_no=ref_no, text=ticket.preview(), layout=ticket.to_json()).id


def queue_receipt(ctx: Context, sale: SaleDetail) -> int:
    return queue_ticket("receipt", sale.order_no, receipt(ctx.config, sale))


def get_job(job_id: int) -> PrintJob:
    row = PrintJobRow.get_or_none(PrintJobRow.id == job_id)
    if row is None:
        raise NotFound("No ticket {ref}", ref=str(job_id))
    return _job(row)


def waiting_jobs() -> list[PrintJob]:
    return [_job(r) for r in PrintJobRow.select().where(PrintJobRow.status == "queued").order_by(PrintJobRow.id)]


def waiting_count() -> int:
    return PrintJobRow.select().where(PrintJobRow.status == "queued").count()


def print_job(ctx: Context, job_id: int, *, kick_drawer: bool = False, printer=None) -> PrintOutcome:
    """Render and send one queued ticket; record the outcome. Safe to call from a worker thread."""
    from tui_pos.devices.printer import PrinterError, open_printer, render

    job = get_job(job_id)
    data = b""
    try:
        data = render(job.ticket, ctx.config.printer)
        device = printer or open_printer(ctx.config.printer)
        try:
            device.send(data)
            if kick_drawer:
                device.kick_drawer()
        finally:
            if printer is None:
                device.close()
    except PrinterError as exc:
        write(lambda: PrintJobRow.update(attempts=PrintJobRow.attempts + 1, last_error=exc.message[:200])
              .where(PrintJobRow.id == job_id).execute())
        return PrintOutcome(job_id, False, exc.message, exc.hint, data)
    write(lambda: PrintJobRow.update(status="printed", attempts=PrintJobRow.attempts + 1, last_error="")
          .where(PrintJobRow.id == job_id).execute())
    return PrintOutcome(job_id, True, "", "", data)


def queued_job(ref_no: str) -> int | None:
    """The newest ticket for this number if it never came out, so a retry prints that one."""
    row = (PrintJobRow.select().where(PrintJobRow.ref_no == ref_no.strip())
           .order_by(PrintJobRow.id.desc()).first())
    return row.id if row is not None and row.status == "queued" else None


def reprint(ctx: Context, actor: Staff, ref_no: str) -> int:
    """Queue a fresh copy of the newest ticket for an order or refund number."""
    def again() -> int:
        row = (PrintJobRow.select().where(PrintJobRow.ref_no == ref_no.strip())
               .order_by(PrintJobRow.id.desc()).first())
        if row is None:
            raise NotFound("No ticket {ref}", ref=ref_no[:30])
        audit.append(actor.code, "reprint", ref_no)
        return PrintJobRow.create(kind=row.kind, ref_no=row.ref_no, text=row.text, layout=row.layout).id

    return write(again)


def discard(ctx: Context, actor: Staff, job_id: int) -> None:
    require(actor, "discard_ticket")

    def drop() -> None:
        get_job(job_id)
        PrintJobRow.update(status="discarded").where(PrintJobRow.id == job_id).execute()
        audit.append(actor.code, "ticket_discard", str(job_id))

    write(drop)


def mark_printed(job_ids: list[int], *, staff_code: str = "demo") -> int:
    """Settle queued tickets without printing them (the demo shop's past receipts), in one
    transaction with an audit entry; returns how many were still queued."""
    def settle() -> int:
        count = (PrintJobRow.update(status="printed")
                 .where(PrintJobRow.id.in_(job_ids) & (PrintJobRow.status == "queued")).execute())
        if count:
            audit.append(staff_code, "tickets_marked_printed", "print_jobs", {"count": count})
        return count

    return write(settle)
