"""Printer backends behind one small interface, and ticket -> ESC/POS bytes.

python-escpos (and the PIL/qrcode/barcode stack under it) is imported only here and only
when a ticket is rendered or a printer opened, so the till starts fast. A job is built
on escpos's Dummy printer and its bytes sent raw; Chinese text takes our own path (GBK
inside FS & ... FS .) because escpos's magic encoder garbles full-width punctuation.
"""

from __future__ import annotations

import contextlib
import io
from abc import ABC, abstractmethod

from tui_pos.config import PrinterConfig
from tui_pos.devices.tickets import Item, Ticket
from tui_pos.domain.errors import PosError

ESC, GS, FS = b"\x1b", b"\x1d", b"\x1c"
INIT = ESC + b"@"
CHINESE_ON, CHINESE_OFF = FS + b"&", FS + b"."
DOUBLE_ON, DOUBLE_OFF = GS + b"!\x11", GS + b"!\x00"  # GS ! scales Chinese too; ESC ! does not everywhere
BOLD_ON, BOLD_OFF = ESC + b"E\x01", ESC + b"E\x00"
ALIGN = {"left": ESC + b"a\x00", "center": ESC + b"a\x01", "right": ESC + b"a\x02"}
CHINESE_ENCODINGS = ("gbk", "gb2312", "gb18030")


class PrinterError(PosError):
    """Any printer fault, with a hint for whoever fixes it."""

    def __init__(self, template: str, hint: str = "", **params: object) -> None:
        super().__init__(template, **params)
        self.hint = hint


def encode_text(text: str, encoding: str) -> bytes:
    """Encode one line; a character the printer cannot print becomes a visible '?', never an error."""
    out = bytearray()
    chinese = encoding.lower() in CHINESE_ENCODINGS
    in_chinese = False
    for ch in text.replace("¥", "￥") if chinese else text:
        try:
            data = ch.encode(encoding)
        except (UnicodeEncodeError, LookupError):
            data = b"?"
        wide = len(data) > 1 or data[0] >= 0x80
        if chinese and wide != in_chinese:
            out += CHINESE_ON if wide else CHINESE_OFF
            in_chinese = wide
        out += data
    if in_chinese:
        out += CHINESE_OFF
    return bytes(out)


def _dummy():
    from escpos.printer import Dummy

    return Dummy()


def _item_bytes(item: Item, cfg: PrinterConfig) -> bytes:
    if item.kind == "text":
        out = ALIGN.get(item.align, ALIGN["left"])
        out += (BOLD_ON if item.bold else b"") + (DOUBLE_ON if item.double else b"")
        out += encode_text(item.text, cfg.encoding) + b"\n"
        out += (DOUBLE_OFF if item.double else b"") + (BOLD_OFF if item.bold else b"")
        return out
    if item.kind == "feed":
        return b"\n"
    dummy = _dummy()
    if item.kind == "barcode":
        # Hardware CODE128 needs the code-set prefix ({B = set B: digits, letters, '-').
        # escpos print()s a notice here; on a running till that would scribble on the screen.
        with contextlib.redirect_stdout(io.StringIO()):
            dummy.barcode("{B" + item.text, "CODE128", height=60, width=2, pos="BELOW", function_type="B")
    elif item.kind == "qr":
        dummy.qr(item.text, size=5, native=True)
    elif item.kind == "cut":
        dummy.cut()
    return ALIGN["center"] + dummy.output + ALIGN["left"]


def render(ticket: Ticket, cfg: PrinterConfig) -> bytes:
    """The exact bytes a ticket sends to the printer."""
    return INIT + b"".join(_item_bytes(item, cfg) for item in ticket.items)


def drawer_kick(pin: int) -> bytes:
    dummy = _dummy()
    dummy.cashdraw(5 if pin == 5 else 2)
    return dummy.output


class Printer(ABC):
    @abstractmethod
    def send(self, data: bytes) -> None: ...

    def kick_drawer(self) -> None:
        self.send(drawer_kick(self.drawer_pin))

    drawer_pin: int = 2

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


class EscposPrinter(Printer):
    """A real python-escpos backend; every fault becomes one PrinterError."""

    def __init__(self, cfg: PrinterConfig) -> None:
        self.cfg = cfg
        self.drawer_pin = cfg.drawer_pin
        self._device = None

    def _open(self):
        from escpos import printer as backends

        cfg = self.cfg
        if cfg.backend == "usb":
            return backends.Usb(cfg.usb_vendor, cfg.usb_product, timeout=cfg.timeout_seconds * 1000)
        if cfg.backend in ("device", "file"):
            return backends.File(cfg.device)
        if cfg.backend == "network":
            return backends.Network(cfg.host, cfg.port, timeout=cfg.timeout_seconds)
        if cfg.backend == "serial":
            return backends.Serial(cfg.serial_port, baudrate=cfg.baudrate, timeout=cfg.timeout_seconds)
        raise PrinterError("Unknown printer backend {name}", name=cfg.backend)

    def send(self, data: bytes) -> None:
        try:
            if self._device is None:
                self._device = self._open()
            self._device._raw(data)
        except PrinterError:
            raise
        except Exception as exc:  # escpos, pyusb, OS and socket errors all end here
            self._device = None  # a failed escpos object is unusable: rebuild before a retry
            raise translate_error(exc, self.cfg) from exc

    def close(self) -> None:
        if self._device is not None:
            try:
                self._device.close()
            except Exception:
                pass
            self._device = None


def translate_error(exc: BaseException, cfg: PrinterConfig) -> PrinterError:
    name = type(exc).__name__
    text = str(exc)
    if name == "NoBackendError":
        return PrinterError("Printer offline: USB support (libusb) is missing",
                            hint="install libusb-1.0-0 (apt-get install libusb-1.0-0)")
    if isinstance(exc, PermissionError) or "Access denied" in text or "errno 13" in text.lower():
        return PrinterError("Printer offline: no permission to open it",
                            hint="add the udev rule from the README for "
                                 f"{cfg.usb_vendor:04x}:{cfg.usb_product:04x}, then replug")
    if name in ("DeviceNotFoundError", "USBNotFoundError") or isinstance(exc, FileNotFoundError):
        return PrinterError("Printer offline: not found - check the cable and power",
                            hint=f"backend {cfg.backend}: device {cfg.usb_vendor:04x}:{cfg.usb_product:04x}"
                                 f" / {cfg.device} not present")
    if isinstance(exc, (ConnectionError, TimeoutError)) or "timed out" in text.lower():
        return PrinterError("Printer offline: no answer - check cable, power and paper",
                            hint=f"{name}: {text[:120]}")
    return PrinterError("Printer offline: {error}", error=f"{name} {text[:80]}".strip(),
                        hint="check cable, power and paper; then reprint")


def open_printer(cfg: PrinterConfig) -> Printer:
    if cfg.backend == "training":
        return TrainingPrinter(cfg.drawer_pin)
    return EscposPrinter(cfg)
