"""Printer backends behind one small interface, and ticket -> ESC/POS bytes.

python-escpos (and the PIL/qrcode/barcode stack under it) is imported only here and only
when a ticket is rendered or a printer opened, so the till starts fast. A job is built
on escpos's Dummy printer and its bytes sent raw; text takes our own path (devices.encoding:
GBK inside FS & ... FS ., or a code page) because escpos's magic encoder garbles full-width
punctuation.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tui_pos.config import PrinterConfig
from tui_pos.devices import codes
from tui_pos.devices.encoding import CHINESE_OFF, CHINESE_ON, encode_text, job_start  # noqa: F401
from tui_pos.devices.profiles import ProfileError, ProfileFacts, profile_facts
from tui_pos.devices.tickets import Item, Ticket
from tui_pos.domain.errors import PosError

if TYPE_CHECKING:  # python-escpos and pyusb have no type information: to the type checker these are Any
    from escpos.escpos import Escpos
    from escpos.printer import Dummy
    from usb.core import Device


def _keep_escpos_capabilities(env: MutableMapping[str, str] = os.environ) -> None:
    """python-escpos parses its printer database (96 KB of YAML: 0.12 s and 2.4 MiB more peak
    memory) at every start, and pickles the result into a new temporary folder each time, so
    the parse never gets reused and every till run leaves a folder behind in /tmp. Give it one
    kept folder, private to this user (it loads a pickle from there)."""
    if "ESCPOS_CAPABILITIES_PICKLE_DIR" in env:
        return
    try:
        folder = Path(env.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tui-pos" / "escpos"
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = folder.stat()
    except (OSError, RuntimeError):  # no home folder, read-only: escpos keeps its temporary one
        return
    if st.st_uid == os.getuid() and not st.st_mode & 0o022:
        env["ESCPOS_CAPABILITIES_PICKLE_DIR"] = str(folder)


_keep_escpos_capabilities()  # before escpos is first imported (in the functions below)

ESC, GS = b"\x1b", b"\x1d"
INIT = ESC + b"@"
DOUBLE_ON, DOUBLE_OFF = GS + b"!\x11", GS + b"!\x00"  # GS ! scales Chinese too; ESC ! does not everywhere
BOLD_ON, BOLD_OFF = ESC + b"E\x01", ESC + b"E\x00"
ALIGN = {"left": ESC + b"a\x00", "center": ESC + b"a\x01", "right": ESC + b"a\x02"}


class PrinterError(PosError):
    """Any printer fault, with a hint for whoever fixes it."""

    def __init__(self, template: str, hint: str = "", **params: object) -> None:
        super().__init__(template, **params)
        self.hint = hint


def _dummy(cfg: PrinterConfig) -> Dummy:
    from escpos.printer import Dummy

    try:
        return Dummy(profile=cfg.profile)
    except Exception as exc:  # escpos raises its own error for an unknown profile name
        raise PrinterError(
            "Printer profile {name} is unknown",
            name=cfg.profile,
            hint="set [printer] profile to a python-escpos profile, e.g. default, POS-5890",
        ) from exc


def _code_bytes(item: Item, cfg: PrinterConfig) -> bytes:
    """Barcode, QR and cut through escpos: drawn by the firmware where the profile says it
    can, otherwise sent as a picture (cheap 58 mm printers lack hardware QR)."""
    dummy = _dummy(cfg)
    # escpos print()s notices (e.g. on pictures); on a running till that would scribble on the screen.
    with contextlib.redirect_stdout(io.StringIO()):
        # codes are drawn by devices.codes, sized from the profile's dots so that they scan
        if item.kind == "barcode":
            dummy._raw(codes.barcode_bytes(item.text, cfg, dummy.profile, item.caption))
        elif item.kind == "qr":
            dummy._raw(codes.qr_bytes(item.text, cfg, dummy.profile))
        elif item.kind == "cut":
            dummy.cut()
    # escpos may pick a code page of its own while drawing: choose ours again afterwards
    output: bytes = dummy.output
    return ALIGN["center"] + output + ALIGN["left"] + _reselect(cfg)


def _facts(cfg: PrinterConfig) -> ProfileFacts:
    try:
        facts = profile_facts(cfg.profile)
        facts.code_page(cfg.encoding)
    except ProfileError as exc:
        raise PrinterError("Printer settings do not fit the printer: {error}", error=str(exc)) from exc
    return facts


def _reselect(cfg: PrinterConfig) -> bytes:
    """ESC t n again after a code (escpos may choose a page of its own for its text); Chinese
    mode is left alone, so a job holds exactly one FS & or one FS ."""
    page = _facts(cfg).code_page(cfg.encoding)
    return b"" if page is None else ESC + b"t" + bytes([page])


TEAR_FEED = ESC + b"d\x04"  # brings the tear line from the head up to the tear bar


def cut_bytes(cfg: PrinterConfig) -> bytes:
    """Feed and cut with the command the profile supports; without a cutter a tear line, so the
    voucher's two copies are not told apart by blank paper alone."""
    facts = _facts(cfg)
    if facts.has_cutter:
        return ESC + b"d\x06" + facts.cut_command()
    return ALIGN["left"] + b"- " * (cfg.width // 2) + b"\n" + TEAR_FEED


def _item_bytes(item: Item, cfg: PrinterConfig) -> bytes:
    if item.kind == "text":
        out = ALIGN.get(item.align, ALIGN["left"])
        out += (BOLD_ON if item.bold else b"") + (DOUBLE_ON if item.double else b"")
        out += encode_text(item.text, cfg.encoding, cfg.font) + b"\n"
        out += (DOUBLE_OFF if item.double else b"") + (BOLD_OFF if item.bold else b"")
        return out
    if item.kind == "feed":
        return b"\n"
    if item.kind == "cut":
        return cut_bytes(cfg)
    return _code_bytes(item, cfg)


def render(ticket: Ticket, cfg: PrinterConfig) -> bytes:
    """The exact bytes a ticket sends to the printer."""
    start = INIT + job_start(cfg.encoding, _facts(cfg).code_page(cfg.encoding))
    return start + b"".join(_item_bytes(item, cfg) for item in ticket.items)


def drawer_kick(pin: int) -> bytes:
    """ESC p: the pulse that opens the cash drawer on the printer's drawer port."""
    return ESC + b"p" + (b"\x01" if pin == 5 else b"\x00") + b"22"  # as escpos's CD_KICK_2/5


class Printer(ABC):
    drawer_pin: int = 2

    @abstractmethod
    def send(self, data: bytes) -> None: ...

    def kick_drawer(self) -> None:
        self.send(drawer_kick(self.drawer_pin))

    def close(self) -> None:  # noqa: B027 - most backends have nothing to close
        pass


class TrainingPrinter(Printer):
    """Collects bytes in memory; nothing leaves the machine."""

    def __init__(self, drawer_pin: int = 2) -> None:
        self.drawer_pin = drawer_pin
        self.output = b""
        self.drawer_kicks = 0

    def send(self, data: bytes) -> None:
        self.output += data

    def kick_drawer(self) -> None:
        self.drawer_kicks += 1
        super().kick_drawer()


NO_PRINTER_HINT = "run `tui-pos setup printer` (or set backend under [printer] in the config file)"


class NoPrinter(Printer):
    """A live till with no printer set up: nothing is sent, so nothing is ever called printed;
    every ticket stays in the print queue until a printer is set up."""

    def __init__(self, drawer_pin: int = 2) -> None:
        self.drawer_pin = drawer_pin

    def send(self, data: bytes) -> None:
        raise PrinterError("No printer connected: the ticket waits in the print queue", hint=NO_PRINTER_HINT)

    def kick_drawer(self) -> None:
        raise PrinterError("no printer connected (the drawer opens through the printer)", hint=NO_PRINTER_HINT)


PAPER_QUERY_BACKENDS = ("usb", "network", "serial")  # the ones python-escpos can read an answer from


class EscposPrinter(Printer):
    """A real python-escpos backend; every fault becomes one PrinterError.

    escpos opens the connection lazily on the first write, and an object whose open failed
    answers every later call with a bare AssertionError: after any fault the object is
    dropped and the next send builds a fresh one. Each send runs under a watchdog, because
    a stalled printer node or a half-open socket can block a write for ever."""

    def __init__(self, cfg: PrinterConfig) -> None:
        self.cfg = cfg
        self.drawer_pin = cfg.drawer_pin
        self._device: Escpos | None = None
        self._answers_status = cfg.backend in PAPER_QUERY_BACKENDS

    def _open(self) -> Escpos:
        from escpos import printer as backends

        cfg = self.cfg
        timeout = cfg.timeout_seconds
        if cfg.backend == "usb":
            return backends.Usb(
                cfg.usb_vendor,
                cfg.usb_product,
                timeout=timeout * 1000,
                in_ep=cfg.usb_in_ep,
                out_ep=cfg.usb_out_ep,
                profile=cfg.profile,
            )
        if cfg.backend in ("device", "file"):
            return backends.File(cfg.device, profile=cfg.profile)
        if cfg.backend == "network":
            return backends.Network(cfg.host, cfg.port, timeout=timeout, profile=cfg.profile)
        if cfg.backend == "serial":
            return backends.Serial(
                cfg.serial_port,
                baudrate=cfg.baudrate,
                timeout=timeout,
                profile=cfg.profile,
                rtscts=cfg.flow_control == "rtscts",
                xonxoff=cfg.flow_control == "xonxoff",
            )
        raise PrinterError("Unknown printer backend {name}", name=cfg.backend)

    def send(self, data: bytes) -> None:
        try:
            _with_deadline(lambda: self._send(data), self.cfg.timeout_seconds + 2 + pacing_seconds(self.cfg, len(data)))
        except PrinterError:
            self._drop()
            raise
        except Exception as exc:  # escpos, pyusb, OS and socket errors all end here
            self._drop()
            raise translate_error(exc, self.cfg) from exc

    def _send(self, data: bytes) -> None:
        if self._device is None:
            self._device = self._open()
        device = self._device
        if self._answers_status:
            self._check_paper(device)
        for chunk in paced_chunks(self.cfg, data):
            device._raw(chunk)

    def _check_paper(self, device: Escpos) -> None:
        """DLE EOT 4: many printers say when the roll is out. One that never answers is not
        asked again (it would cost a read timeout per ticket)."""
        from escpos.constants import RT_MASK_NOPAPER, RT_STATUS_PAPER

        device._raw(RT_STATUS_PAPER)
        try:
            answer = bytes(device._read() or b"")
        except Exception:
            answer = b""
        if not answer:
            self._answers_status = False
            return
        if answer[0] & RT_MASK_NOPAPER == RT_MASK_NOPAPER:
            raise PrinterError(
                "Printer out of paper - put in a new roll, then print again",
                hint="the printer reported its paper sensor empty",
            )

    def _drop(self) -> None:
        device, self._device = self._device, None
        if device is not None:
            with contextlib.suppress(Exception):
                device.close()

    def close(self) -> None:
        self._drop()


SERIAL_CHUNK = 1024  # a quarter of the smallest receive buffer seen on cheap printers (4 KB)


def pacing_seconds(cfg: PrinterConfig, size: int) -> float:
    """How long `size` bytes take on a serial line without flow control (10 bits a byte), with
    half as much again for the printer to print them; 0 where the line or the protocol paces."""
    if cfg.backend != "serial" or cfg.flow_control != "none":
        return 0.0
    return size * 10 / max(cfg.baudrate, 1) * 1.5


def paced_chunks(cfg: PrinterConfig, data: bytes, sleep: Callable[[float], None] = time.sleep) -> Iterator[bytes]:
    """The job in 1 KB pieces with a pause after each, so a 16 KB picture at 9600 baud never
    overruns a 4 KB buffer; one piece where nothing needs pacing."""
    if not pacing_seconds(cfg, len(data)):
        yield data
        return
    for start in range(0, len(data), SERIAL_CHUNK):
        chunk = data[start : start + SERIAL_CHUNK]
        yield chunk
        sleep(pacing_seconds(cfg, len(chunk)))


def _with_deadline(job: Callable[[], None], seconds: float) -> None:
    """Run `job` in a helper thread and give up waiting after `seconds`; a write stuck in
    the kernel cannot be cancelled, but the till must not wait on it."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            job()
            outcome.append(None)
        except BaseException as exc:  # handed to the caller below
            outcome.append(exc)

    worker = threading.Thread(target=run, name="printer-io", daemon=True)
    worker.start()
    worker.join(seconds)
    if not outcome:
        raise PrinterError(
            "Printer offline: no answer - check cable, power and paper",
            hint=f"nothing came back within {seconds:.0f} s",
        )
    if outcome[0] is not None:
        raise outcome[0]


_ERRNO_MESSAGES = {
    # errno -> (what the cashier reads, what the owner checks)
    errno.ENOENT: ("Printer offline: not found - check the cable and power", "the device is not present"),
    errno.ENODEV: ("Printer offline: unplugged - check the cable, then print again", "the device went away"),
    errno.EIO: (
        "Printer offline: the connection broke - check the cable, then print again",
        "input/output error on the device",
    ),
    errno.ETIMEDOUT: (
        "Printer offline: no answer - check cable, power and paper",
        "the printer did not answer in time",
    ),
    errno.EACCES: ("Printer offline: no permission to open it", "add the udev rule from the README, then replug"),
    errno.EPERM: ("Printer offline: no permission to open it", "add the udev rule from the README, then replug"),
    errno.EBUSY: ("Printer offline: another program is using it", "close the other program or driver (usblp)"),
    errno.ECONNREFUSED: ("Printer offline: it refused the connection", "check the printer's address and port"),
    errno.EHOSTUNREACH: ("Printer offline: not reachable on the network", "check the network cable and address"),
    errno.ENETUNREACH: ("Printer offline: not reachable on the network", "check the network cable and address"),
}


def _errno_of(exc: BaseException) -> int | None:
    """The errno behind an exception, also when escpos wrapped it into its own message text."""
    seen: BaseException | None = exc
    while seen is not None:
        code = getattr(seen, "errno", None)
        if isinstance(code, int):
            return code
        seen = seen.__cause__ or seen.__context__
    match = re.search(r"\[Errno (-?\d+)\]", str(exc))
    if match:
        return abs(int(match.group(1)))
    lowered = str(exc).lower()
    for needle, code in (
        ("access denied", errno.EACCES),
        ("permission denied", errno.EACCES),
        ("timed out", errno.ETIMEDOUT),
        ("timeout", errno.ETIMEDOUT),
        ("refused", errno.ECONNREFUSED),
        ("no such device", errno.ENODEV),
        ("not found", errno.ENOENT),
        ("resource busy", errno.EBUSY),
    ):
        if needle in lowered:
            return code
    return None


def translate_error(exc: BaseException, cfg: PrinterConfig) -> PrinterError:
    """One cashier-readable PrinterError for whatever escpos, pyusb, the OS or a socket raised."""
    where = {
        "usb": f"USB {cfg.usb_vendor:04x}:{cfg.usb_product:04x}",
        "network": f"{cfg.host}:{cfg.port}",
        "serial": cfg.serial_port,
    }.get(cfg.backend, cfg.device)
    name = type(exc).__name__
    if name == "NoBackendError":
        return PrinterError(
            "Printer offline: USB support (libusb) is missing",
            hint="install libusb-1.0-0 (apt-get install libusb-1.0-0), then restart the till",
        )
    if isinstance(exc, AssertionError):  # escpos after a failed open: the device is gone
        return PrinterError(
            "Printer offline: not found - check the cable and power",
            hint=f"{where}: the connection could not be opened",
        )
    code = _errno_of(exc)
    if code in _ERRNO_MESSAGES:
        message, hint = _ERRNO_MESSAGES[code]
        return PrinterError(message, hint=f"{where}: {hint}")
    if name in ("DeviceNotFoundError", "USBNotFoundError"):
        return PrinterError(
            "Printer offline: not found - check the cable and power",
            hint=f"{where}: not present (tui-pos printer list shows what is plugged in)",
        )
    return PrinterError(
        "Printer offline: {error}",
        error=f"{name} {str(exc)[:80]}".strip(),
        hint=f"{where}: check cable, power and paper; then print again",
    )


def open_printer(cfg: PrinterConfig) -> Printer:
    if cfg.backend == "training":
        return TrainingPrinter(cfg.drawer_pin)
    if cfg.backend == "none":
        return NoPrinter(cfg.drawer_pin)
    return EscposPrinter(cfg)


@dataclass(frozen=True)
class UsbDevice:
    vendor: int
    product: int
    manufacturer: str
    name: str
    is_printer: bool  # has a USB printer-class interface


def list_usb_devices() -> list[UsbDevice]:
    """What pyusb can see, for `tui-pos printer list`; raises PrinterError without libusb."""
    try:
        import usb.core
        import usb.util

        found = list(usb.core.find(find_all=True))
    except Exception as exc:
        raise translate_error(exc, PrinterConfig(backend="usb")) from exc
    out = []
    for dev in found:
        out.append(
            UsbDevice(
                dev.idVendor,
                dev.idProduct,
                _usb_string(dev, "iManufacturer"),
                _usb_string(dev, "iProduct"),
                _has_printer_interface(dev),
            )
        )
    return out


def usb_node(vendor: int, product: int) -> str | None:
    """The device node (/dev/bus/usb/BBB/DDD) of a plugged-in USB device, None if it is not
    there; raises PrinterError without libusb. What `tui-pos doctor` checks permissions on."""
    try:
        import usb.core

        dev = usb.core.find(idVendor=vendor, idProduct=product)
    except Exception as exc:
        raise translate_error(exc, PrinterConfig(backend="usb", usb_vendor=vendor, usb_product=product)) from exc
    if dev is None:
        return None
    return f"/dev/bus/usb/{dev.bus:03d}/{dev.address:03d}"


def _usb_string(dev: Device, field: str) -> str:
    """Reading names needs permission to open the device; without it say so, not crash."""
    try:
        import usb.util

        index = getattr(dev, field)
        return usb.util.get_string(dev, index) if index else ""
    except Exception:
        return "?"


def _has_printer_interface(dev: Device) -> bool:
    try:
        return any(intf.bInterfaceClass == 7 for cfg in dev for intf in cfg)
    except Exception:
        return False
