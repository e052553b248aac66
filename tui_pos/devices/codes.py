"""CODE128 and QR bytes sized from the printer's dots, so every code scans.

Firmware codes (GS k, GS ( k) are used where the profile has them; otherwise the codes are
pictures (GS v 0) drawn here with whole-dot modules. A code gets the widest module whose
symbol and quiet zones fit the line; a number no module fits goes as a QR instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from tui_pos.config import PrinterConfig
from tui_pos.devices import code128


class Profile(Protocol):
    """What is read of a python-escpos profile (escpos has no type information)."""

    profile_data: dict[str, Any]

    def supports(self, feature: str) -> bool: ...


GS, ESC = b"\x1d", b"\x1b"
BAR_HEIGHT = 60  # dots: 7.5 mm at 203 dpi
FIRMWARE_MODULES = (3, 2)  # GS w: Epson accepts 2-6
PICTURE_MODULES = (3, 2, 1)
QR_MODULE = 5  # dots
QR_QUIET = 4  # modules each side
DOTS_FOR_COLUMNS = {32: 384, 42: 512, 48: 576}  # Font A is 12 dots wide


def dots_per_line(profile_data: dict[str, object], width: int) -> int:
    """The printable dots of a line: the profile's own figure, else what the column width implies."""
    media = profile_data.get("media")
    pixels = media.get("width", {}).get("pixels") if isinstance(media, dict) else None
    if isinstance(pixels, int) and pixels > 0:
        return pixels
    return DOTS_FOR_COLUMNS.get(width, width * 12)


@dataclass(frozen=True)
class BarcodeFit:
    module: int  # dots per module; 0 = does not fit, print a QR instead
    dots: int  # of the line


def barcode_fit(text: str, dots: int, firmware: bool) -> BarcodeFit:
    """The widest module at which the symbol and both quiet zones fit the line."""
    width = code128.modules(text) + 2 * code128.QUIET_MODULES
    for module in FIRMWARE_MODULES if firmware else PICTURE_MODULES:
        if width * module <= dots:
            return BarcodeFit(module, dots)
    return BarcodeFit(0, dots)


def firmware_barcode(text: str, module: int) -> bytes:
    """GS k 73 (CODE128) with the shortest code-set data; no HRI: the caption is printed below
    as text, the readable number where the code carries its payload."""
    data = code128.firmware_data(text)
    setup = GS + b"h" + bytes([BAR_HEIGHT]) + GS + b"w" + bytes([module]) + GS + b"f\x00" + GS + b"H\x00"
    return ESC + b"a\x01" + setup + GS + b"kI" + bytes([len(data)]) + data


def raster(rows: list[list[bool]]) -> bytes:
    """GS v 0: one picture, eight dots a byte, a row after the other."""
    width_bytes = (max(len(row) for row in rows) + 7) // 8
    out = bytearray(GS + b"v0\x00")
    out += bytes([width_bytes % 256, width_bytes // 256, len(rows) % 256, len(rows) // 256])
    for row in rows:
        padded = row + [False] * (width_bytes * 8 - len(row))
        for k in range(0, len(padded), 8):
            byte = 0
            for bit in padded[k : k + 8]:
                byte = byte << 1 | bit
            out.append(byte)
    return bytes(out)


def _centred(row: list[bool], dots: int) -> list[bool]:
    """Left padding that centres the row: a picture is not moved by ESC a on every printer."""
    return [False] * ((dots - len(row)) // 2) + row


def picture_barcode(text: str, module: int, dots: int) -> bytes:
    row = _centred(code128.bars(code128.symbols(text), module), dots)
    return ESC + b"a\x00" + raster([row] * BAR_HEIGHT)


def qr_matrix(text: str) -> list[list[bool]]:
    """The QR's modules without a border (error correction M)."""
    import qrcode

    qr = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(text)
    qr.make(fit=True)
    return [list(map(bool, row)) for row in qr.get_matrix()]


def picture_qr(text: str, dots: int) -> bytes:
    """A QR in whole-dot modules, as large as QR_MODULE allows within the line."""
    matrix = qr_matrix(text)
    module = max(1, min(QR_MODULE, dots // (len(matrix) + 2 * QR_QUIET)))
    quiet = [[False] * (module * len(matrix))] * (QR_QUIET * module)
    rows = [[cell for cell in row for _ in range(module)] for row in matrix]
    scaled = quiet + [row for row in rows for _ in range(module)] + quiet
    return ESC + b"a\x00" + raster([_centred(row, dots) for row in scaled])


def firmware_qr(text: str) -> bytes:
    """GS ( k: model 2, QR_MODULE dots a module, error correction M, store, print."""
    data = text.encode("ascii")
    store = len(data) + 3
    return (
        ESC
        + b"a\x01"
        + GS
        + b"(k\x04\x001A2\x00"
        + GS
        + b"(k\x03\x001C"
        + bytes([QR_MODULE])
        + GS
        + b"(k\x03\x001E1"
        + GS
        + b"(k"
        + bytes([store % 256, store // 256])
        + b"1P0"
        + data
        + GS
        + b"(k\x03\x001Q0"
    )


def qr_bytes(text: str, cfg: PrinterConfig, profile: Profile) -> bytes:
    if profile.supports("qrCode"):
        return firmware_qr(text)
    return picture_qr(text, dots_per_line(profile.profile_data, cfg.width))


def barcode_bytes(text: str, cfg: PrinterConfig, profile: Profile, caption: str = "") -> bytes:
    """CODE128 at the widest module that fits, a QR where no module does; `caption` (else the
    code's text) printed under it in every case."""
    dots = dots_per_line(profile.profile_data, cfg.width)
    firmware = bool(profile.supports("barcodeB"))
    fit = barcode_fit(text, dots, firmware)
    line = ESC + b"a\x01" + (caption or text).encode("ascii", "replace") + b"\n"
    if not fit.module:
        return qr_bytes(text, cfg, profile) + line
    if firmware:
        return firmware_barcode(text, fit.module) + line
    return picture_barcode(text, fit.module, dots) + line


@dataclass(frozen=True)
class CodePlan:
    """How a number's CODE128 comes out on this printer, for the calibration page."""

    dots: int
    module: int  # dots a module; 0 = too wide at any module, printed as a QR
    firmware: bool


def plan(text: str, cfg: PrinterConfig) -> CodePlan:
    from tui_pos.devices.printer import _dummy  # the profile as rendering reads it (and its error)

    profile = _dummy(cfg).profile
    dots = dots_per_line(profile.profile_data, cfg.width)
    firmware = bool(profile.supports("barcodeB"))
    return CodePlan(dots, barcode_fit(text, dots, firmware).module, firmware)
