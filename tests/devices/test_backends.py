"""The real backends, below the hardware: python-escpos's own Usb, File and Network classes
driven against a fake pyusb device, a named pipe, a temp file and a TCP server on 127.0.0.1.

What is checked is what a shop would see: the bytes that reach the device are exactly the
rendered ticket, and every way a printer fails becomes one PrinterError a cashier can read,
with the ticket left in the queue for a reprint.
"""

from __future__ import annotations

import errno
import os
import socket
import threading
import time
from dataclasses import replace

import pytest
import usb.core
import usb.util
from test_tickets import make_sale

from tui_pos.config import PrinterConfig
from tui_pos.devices.printer import EscposPrinter, PrinterError, drawer_kick, render, translate_error
from tui_pos.devices.tickets import receipt
from tui_pos.domain.basket import Basket
from tui_pos.domain.shift import CashCount
from tui_pos.domain.tenders import TenderKind
from tui_pos.services import catalog, checkout, printing, shifts
from tui_pos.services.context import Context
from tui_pos.store.models import PrintJobRow

PAPER_QUERY = b"\x10\x04\x04"  # DLE EOT 4
PAPER_OK, PAPER_OUT = 0x12, 0x72


class FakeBackend:
    def dispose(self, device) -> None:  # what usb.util.dispose_resources calls, also from escpos's __del__
        pass


class FakeUsbDevice:
    """Stands in for a pyusb Device: records endpoint writes, answers status reads, and can
    raise USBError part-way through a write as an unplugged printer does."""

    def __init__(
        self, *, paper: int | None = PAPER_OK, fail_after: int | None = None, fail_errno: int = 19, stall: bool = False
    ) -> None:
        self.writes: list[tuple[int, bytes, int]] = []
        self.paper = paper
        self.fail_after = fail_after  # bytes accepted before the failure
        self.fail_errno = fail_errno
        self.stall = stall
        self.configured = False
        self.backend = self._ctx = FakeBackend()  # not libusb1: escpos skips the kernel-driver dance

    def set_configuration(self) -> None:
        self.configured = True

    def reset(self) -> None:
        pass

    def write(self, endpoint: int, data, timeout: int) -> int:
        data = bytes(data)
        if self.stall and data != PAPER_QUERY:
            time.sleep(30)
        if self.fail_after is not None and data != PAPER_QUERY:
            sent = sum(len(d) for _, d, _ in self.writes if d != PAPER_QUERY)
            if sent + len(data) > self.fail_after:
                self.writes.append((endpoint, data[: max(0, self.fail_after - sent)], timeout))
                raise usb.core.USBError(os.strerror(self.fail_errno), errno=self.fail_errno)
        self.writes.append((endpoint, data, timeout))
        return len(data)

    def read(self, endpoint: int, size: int, timeout=None):
        if self.paper is None:
            raise usb.core.USBError("Operation timed out", errno=errno.ETIMEDOUT)
        return bytes([self.paper])

    def ticket_bytes(self) -> bytes:
        return b"".join(d for _, d, _ in self.writes if d != PAPER_QUERY)


@pytest.fixture
def fake_usb(monkeypatch):
    """usb.core.find hands out the devices queued here, one per open (None = not plugged in)."""
    queue: list = []
    calls: list[dict] = []

    def find(**kwargs):
        calls.append(kwargs)
        item = queue.pop(0) if queue else None
        if isinstance(item, BaseException):
            raise item
        return item

    monkeypatch.setattr(usb.core, "find", find)
    monkeypatch.setattr(usb.util, "dispose_resources", lambda device: None)
    return queue, calls


USB = PrinterConfig(backend="usb", usb_vendor=0x0416, usb_product=0x5011, timeout_seconds=1)


def test_usb_bytes_reach_the_out_endpoint_exactly(fake_usb, config):
    queue, calls = fake_usb
    device = FakeUsbDevice()
    queue.append(device)
    data = render(receipt(config, make_sale()), USB)
    printer = EscposPrinter(USB)
    printer.send(data)
    assert calls == [{"idVendor": 0x0416, "idProduct": 0x5011}]
    assert device.configured
    assert device.writes[0] == (0x01, PAPER_QUERY, 1000)  # asked for the paper sensor first
    assert device.ticket_bytes() == data
    assert all(endpoint == 0x01 and timeout == 1000 for endpoint, _, timeout in device.writes)  # never 0 = forever
    printer.kick_drawer()
    assert device.ticket_bytes() == data + drawer_kick(2)
    printer.close()


def test_usb_endpoints_come_from_the_config(fake_usb):
    queue, _ = fake_usb
    device = FakeUsbDevice()
    queue.append(device)
    EscposPrinter(replace(USB, usb_out_ep=0x03)).send(b"\x1b@x")
    assert {endpoint for endpoint, _, _ in device.writes} == {0x03}


def test_usb_paper_out_is_reported_and_nothing_is_sent(fake_usb):
    queue, _ = fake_usb
    device = FakeUsbDevice(paper=PAPER_OUT)
    queue.append(device)
    with pytest.raises(PrinterError) as info:
        EscposPrinter(USB).send(b"\x1b@ticket")
    assert "out of paper" in info.value.message
    assert device.ticket_bytes() == b""


def test_a_printer_that_never_answers_status_is_not_asked_again(fake_usb):
    queue, _ = fake_usb
    device = FakeUsbDevice(paper=None)
    queue.append(device)
    printer = EscposPrinter(USB)
    printer.send(b"\x1b@one")
    printer.send(b"\x1b@two")
    assert [d for _, d, _ in device.writes] == [PAPER_QUERY, b"\x1b@one", b"\x1b@two"]


def test_not_plugged_in_then_plugged_in_rebuilds_the_printer(fake_usb):
    queue, calls = fake_usb
    queue.append(None)  # usb.core.find finds nothing
    printer = EscposPrinter(USB)
    with pytest.raises(PrinterError) as info:
        printer.send(b"\x1b@x")
    assert "not found" in info.value.message and "0416:5011" in info.value.hint
    device = FakeUsbDevice()
    queue.append(device)
    printer.send(b"\x1b@x")  # a fresh escpos object: the failed one would raise AssertionError
    assert len(calls) == 2 and device.ticket_bytes() == b"\x1b@x"


def test_escpos_raises_bare_assertion_after_a_failed_open(fake_usb):
    """The python-escpos 3.1 behaviour the rebuild exists for, and how it reads to a cashier."""
    from escpos.exceptions import DeviceNotFoundError
    from escpos.printer import Usb

    usb_printer = Usb(0x0416, 0x5011, timeout=1000)
    with pytest.raises(DeviceNotFoundError):
        usb_printer._raw(b"x")
    with pytest.raises(AssertionError):
        usb_printer._raw(b"x")
    error = translate_error(AssertionError(), USB)
    assert "not found" in error.message


def test_no_libusb_is_a_clear_error(fake_usb):
    queue, _ = fake_usb
    queue.append(usb.core.NoBackendError("No backend available"))
    with pytest.raises(PrinterError) as info:
        EscposPrinter(USB).send(b"x")
    assert "libusb" in info.value.message and "libusb-1.0-0" in info.value.hint


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (errno.ENODEV, "unplugged"),
        (errno.EIO, "connection broke"),
        (errno.ETIMEDOUT, "no answer"),
        (errno.EACCES, "no permission"),
    ],
)
def test_usb_error_mid_ticket(fake_usb, code, words):
    queue, _ = fake_usb
    device = FakeUsbDevice(fail_after=10, fail_errno=code)
    queue.append(device)
    with pytest.raises(PrinterError) as info:
        EscposPrinter(USB).send(b"\x1b@" + b"x" * 100)
    assert words in info.value.message
    if code == errno.EACCES:
        assert "udev" in info.value.hint


def test_a_stalled_printer_does_not_hold_the_till(fake_usb):
    queue, _ = fake_usb
    queue.append(FakeUsbDevice(stall=True))
    started = time.monotonic()
    with pytest.raises(PrinterError) as info:
        EscposPrinter(USB).send(b"\x1b@x")
    assert "no answer" in info.value.message
    assert time.monotonic() - started < 10  # the watchdog gave up, the write is abandoned


def sell(ctx, cashier) -> checkout.SaleResult:
    basket = Basket()
    basket.add(catalog.product_for_scan("6901"), 2)
    plan = checkout.new_plan(ctx, basket)
    plan.add(TenderKind.CASH, plan.due)
    return checkout.complete_sale(ctx, cashier, basket, plan)


def test_unplugged_mid_receipt_queues_it_and_the_retry_prints_it_whole(fake_usb, ctx, cashier):
    queue, _ = fake_usb
    uctx = Context(replace(ctx.config, printer=USB), ctx.clock)
    result = sell(uctx, cashier)
    broken = FakeUsbDevice(fail_after=40)
    queue.append(broken)
    printer = EscposPrinter(USB)
    outcome = printing.print_job(uctx, result.print_job_id, kick_drawer=True, printer=printer)
    assert not outcome.ok and "unplugged" in outcome.error
    assert 0 < len(broken.ticket_bytes()) < len(outcome.data)  # half a receipt came out
    assert outcome.drawer_error  # tried anyway; the printer (and its drawer port) is gone
    assert PrintJobRow.get_by_id(result.print_job_id).status == "queued"
    assert checkout.sale_by_order_no(result.order_no).status == "completed"

    fixed = FakeUsbDevice()
    queue.append(fixed)
    outcomes = printing.retry_waiting(uctx, printer)
    assert [o.ok for o in outcomes] == [True]
    assert fixed.ticket_bytes() == outcome.data  # the whole receipt again, from the top
    assert PrintJobRow.get_by_id(result.print_job_id).status == "printed"
    assert printing.waiting_count(uctx) == 0


def test_retry_stops_at_the_first_failure(fake_usb, ctx, cashier):
    queue, _ = fake_usb
    uctx = Context(replace(ctx.config, printer=USB), ctx.clock)
    first, second = sell(uctx, cashier), sell(uctx, cashier)
    outcomes = printing.retry_waiting(uctx, EscposPrinter(USB))  # nothing plugged in
    assert [o.job_id for o in outcomes] == [first.print_job_id]
    assert printing.waiting_count(uctx) == 2
    assert second.print_job_id in [j.id for j in printing.waiting_jobs(uctx)]


def test_queues_are_per_till(ctx, cashier):
    other = Context(replace(ctx.config, till_code="02"), ctx.clock)
    shifts.open_shift(other, cashier, CashCount(0))
    sell(ctx, cashier)
    sell(other, cashier)
    assert printing.waiting_count(ctx) == 1 and printing.waiting_count(other) == 1


# --- the kernel's printer node ----------------------------------------------------------------


def test_device_backend_through_a_named_pipe(tmp_path, config):
    node = tmp_path / "lp0"
    os.mkfifo(node)
    received = bytearray()

    def read_all() -> None:
        with open(node, "rb") as pipe:
            while chunk := pipe.read(4096):
                received.extend(chunk)

    reader = threading.Thread(target=read_all)
    reader.start()
    cfg = PrinterConfig(backend="device", device=str(node))
    data = render(receipt(config, make_sale()), cfg)
    printer = EscposPrinter(cfg)
    printer.send(data)
    printer.close()
    reader.join(5)
    assert bytes(received) == data


def test_device_backend_without_permission(tmp_path):
    node = tmp_path / "lp0"
    node.write_bytes(b"")
    node.chmod(0o400)
    if os.access(node, os.W_OK):
        pytest.skip("running as root: every file is writable")
    with pytest.raises(PrinterError) as info:
        EscposPrinter(PrinterConfig(backend="device", device=str(node))).send(b"x")
    assert "no permission" in info.value.message


# --- network (port 9100) ----------------------------------------------------------------------


class PrinterServer:
    """A 'printer' on 127.0.0.1: answers the paper query, keeps everything else."""

    def __init__(self, paper: int = PAPER_OK) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.received = bytearray()
        self.paper = paper
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        conn, _ = self.sock.accept()
        with conn:
            while chunk := conn.recv(4096):
                if chunk.startswith(PAPER_QUERY):
                    conn.sendall(bytes([self.paper]))
                    chunk = chunk[len(PAPER_QUERY) :]
                self.received.extend(chunk)

    def close(self) -> None:
        self.sock.close()


def test_network_backend_sends_the_bytes(config):
    server = PrinterServer()
    cfg = PrinterConfig(backend="network", host="127.0.0.1", port=server.port, timeout_seconds=2)
    data = render(receipt(config, make_sale()), cfg)
    printer = EscposPrinter(cfg)
    printer.send(data)
    printer.close()
    server.thread.join(5)
    server.close()
    assert bytes(server.received) == data


def test_network_printer_out_of_paper(config):
    server = PrinterServer(paper=PAPER_OUT)
    cfg = PrinterConfig(backend="network", host="127.0.0.1", port=server.port, timeout_seconds=2)
    printer = EscposPrinter(cfg)
    with pytest.raises(PrinterError) as info:
        printer.send(b"\x1b@x")
    assert "out of paper" in info.value.message
    server.close()


def test_network_refused():
    probe = socket.create_server(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now
    cfg = PrinterConfig(backend="network", host="127.0.0.1", port=port, timeout_seconds=1)
    with pytest.raises(PrinterError) as info:
        EscposPrinter(cfg).send(b"x")
    assert "refused" in info.value.message and f"127.0.0.1:{port}" in info.value.hint


def test_serial_port_missing():
    cfg = PrinterConfig(backend="serial", serial_port="/dev/ttyNOPE9", timeout_seconds=1)
    with pytest.raises(PrinterError) as info:
        EscposPrinter(cfg).send(b"x")
    assert info.value.message.startswith("Printer offline")
