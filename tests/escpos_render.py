"""An ESC/POS raster renderer for scan-back tests: the bytes of a job become the picture the
paper would show, and a real decoder (zxing-cpp) reads the codes off it.

Codes are drawn as the firmware would: GS k CODE128 from its `{A`/`{B`/`{C` data at the GS w
module width and GS h height (and refused, as Epson-type firmware does, when it does not fit
the line with its quiet zones); GS ( k QR from the stored data at the GS ( k module size, with
the `qrcode` library; GS v 0 and ESC * bit images dot for dot. Text is blank cells: only the
codes matter here. An unknown control sequence is an error, so nothing slips through.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import qrcode
import zxingcpp
from PIL import Image

from tui_pos.devices import code128

ESC, GS, FS, LF = 0x1B, 0x1D, 0x1C, 0x0A
TEXT_LINE = 30  # dots a text line takes (24-dot font plus spacing)
HRI_LINE = 30
QUIET = 10  # modules each side a CODE128 needs to scan
ESC_FIXED = {ord(c): n for c, n in {"@": 2, "a": 3, "E": 3, "d": 3, "p": 5, "!": 3, "t": 3, "3": 3, "2": 2}.items()}
ESC_FIXED.update({ord(c): 3 for c in "RM-G"})
GS_FIXED = {ord(c): 3 for c in "!hwfHB"}
FS_FIXED = {ord("&"): 2, ord("."): 2, ord("C"): 3, ord("!"): 3}
QR_LEVELS = {48: qrcode.constants.ERROR_CORRECT_L, 49: qrcode.constants.ERROR_CORRECT_M}
QR_LEVELS.update({50: qrcode.constants.ERROR_CORRECT_Q, 51: qrcode.constants.ERROR_CORRECT_H})


class RenderError(AssertionError):
    pass


@dataclass
class Paper:
    dots: int
    rows: list[bytearray] = field(default_factory=list)
    y: int = 0
    align: int = 0
    bar_height: int = 162
    bar_module: int = 3
    hri: int = 0
    spacing: int = TEXT_LINE
    band: int = 0  # height of an ESC * band on the current line
    qr_module: int = 3
    qr_level: int = qrcode.constants.ERROR_CORRECT_L
    qr_data: bytes = b""
    dropped: list[str] = field(default_factory=list)  # codes the firmware would not print

    def _x(self, width: int) -> int:
        if self.align == 1:
            return max(0, (self.dots - width) // 2)
        if self.align == 2:
            return max(0, self.dots - width)
        return 0

    def draw(self, x: int, y: int, bits: list[list[bool]]) -> None:
        """Black where True; the paper grows downwards, the line clips at its dots."""
        while len(self.rows) < y + len(bits):
            self.rows.append(bytearray(b"\xff" * self.dots))
        for dy, row in enumerate(bits):
            line = self.rows[y + dy]
            for dx, black in enumerate(row):
                if black and x + dx < self.dots:
                    line[x + dx] = 0

    def image(self) -> Image.Image:
        """The paper with a white margin round it, as a scanner sees it against the counter."""
        height = max(len(self.rows), self.y, 1)
        paper = Image.new("L", (self.dots, height), 255)
        if self.rows:
            paper.paste(Image.frombytes("L", (self.dots, len(self.rows)), b"".join(self.rows)), (0, 0))
        framed = Image.new("L", (self.dots + 80, height + 80), 255)
        framed.paste(paper, (40, 40))
        return framed


def _code128_values(data: bytes) -> list[int]:
    """GS k 73 data as the firmware reads it: `{B`/`{C`/`{A` choose the set, `{{` is a brace."""
    values: list[int] = []
    current = ""
    i = 0
    while i < len(data):
        if data[i] == ord("{") and data[i + 1] != ord("{"):
            wanted = chr(data[i + 1])
            if wanted not in "ABC":
                raise RenderError(f"CODE128 function {wanted!r} not rendered")
            if not values:
                values.append({"A": 103, "B": 104, "C": 105}[wanted])
            elif wanted != current:
                values.append({"A": 101, "B": 100, "C": 99}[wanted])
            current = wanted
            i += 2
            continue
        if not values:
            raise RenderError("CODE128 data must start with a code set ({A, {B or {C)")
        byte = data[i]
        i += 2 if byte == ord("{") else 1
        if current == "C":
            if byte > 99:
                raise RenderError(f"code set C byte {byte} > 99")
            values.append(byte)
        elif current == "B":
            values.append(byte - 32)
        else:
            values.append(byte - 32 if byte >= 32 else byte + 64)
    check = (values[0] + sum(k * v for k, v in enumerate(values[1:], 1))) % 103
    return [*values, check, code128.STOP]


def _barcode(paper: Paper, m: int, data: bytes) -> None:
    if m != 73:
        raise RenderError(f"GS k {m}: only CODE128 (73) is rendered")
    values = _code128_values(data)
    row = code128.bars(values, paper.bar_module)
    needed = (len(row) // paper.bar_module + 2 * QUIET) * paper.bar_module
    if needed > paper.dots:  # Epson-type firmware ignores a code wider than the line
        paper.dropped.append(f"CODE128 {needed} dots on a {paper.dots}-dot line")
        return
    paper.draw(paper._x(len(row)), paper.y, [row] * paper.bar_height)
    paper.y += paper.bar_height + (HRI_LINE if paper.hri in (1, 2, 3, 49, 50, 51) else 0)


def _qr_print(paper: Paper) -> None:
    qr = qrcode.QRCode(border=0, error_correction=paper.qr_level)
    qr.add_data(paper.qr_data)
    qr.make(fit=True)
    m = paper.qr_module
    rows = [[cell for cell in row for _ in range(m)] for row in qr.get_matrix()]
    bits = [row for row in rows for _ in range(m)]
    paper.draw(paper._x(len(bits[0])), paper.y, bits)
    paper.y += len(bits)


def _qr_block(paper: Paper, block: bytes) -> None:
    cn, fn, args = block[0], block[1], block[2:]
    if cn != 49:
        raise RenderError(f"GS ( k cn={cn}: only QR (49) is rendered")
    if fn == 65:
        pass  # model
    elif fn == 67:
        paper.qr_module = args[0]
    elif fn == 69:
        paper.qr_level = QR_LEVELS[args[0]]
    elif fn == 80:
        paper.qr_data = bytes(args[1:])
    elif fn == 81:
        _qr_print(paper)
    else:
        raise RenderError(f"GS ( k fn={fn} not rendered")


def _bits(data: bytes, width_bytes: int, height: int) -> list[list[bool]]:
    return [
        [bool(data[r * width_bytes + k // 8] & (0x80 >> k % 8)) for k in range(width_bytes * 8)] for r in range(height)
    ]


def _scaled(bits: list[list[bool]], sx: int, sy: int) -> list[list[bool]]:
    wide = [[b for b in row for _ in range(sx)] for row in bits]
    return [row for row in wide for _ in range(sy)]


def _esc_star(paper: Paper, m: int, columns: int, data: bytes) -> None:
    tall = 3 if m in (32, 33) else 1
    sx = 2 if m in (0, 32) else 1
    sy = 1 if m in (32, 33) else 3
    bits = [[False] * columns for _ in range(8 * tall)]
    for c in range(columns):
        for k in range(tall):
            byte = data[c * tall + k]
            for b in range(8):
                bits[k * 8 + b][c] = bool(byte & (0x80 >> b))
    picture = _scaled(bits, sx, sy)
    paper.draw(paper._x(len(picture[0])), paper.y, picture)
    paper.band = max(paper.band, len(picture))


def render(data: bytes, dots: int) -> Paper:
    """Run the job's bytes on a paper `dots` wide."""
    paper = Paper(dots)
    i = 0
    while i < len(data):
        byte = data[i]
        if byte == LF:
            paper.y += paper.spacing if paper.band else TEXT_LINE
            paper.band = 0
            i += 1
        elif byte == ESC:
            cmd = data[i + 1]
            if cmd == ord("*"):
                m, columns = data[i + 2], data[i + 3] + data[i + 4] * 256
                size = columns * (3 if m in (32, 33) else 1)
                _esc_star(paper, m, columns, data[i + 5 : i + 5 + size])
                i += 5 + size
                continue
            if cmd not in ESC_FIXED:
                raise RenderError(f"ESC {cmd:#x} at {i}")
            n = data[i + 2] if ESC_FIXED[cmd] == 3 else 0
            if cmd == ord("@"):
                paper.align, paper.bar_height, paper.bar_module, paper.hri = 0, 162, 3, 0
                paper.spacing = TEXT_LINE
            elif cmd == ord("a"):
                paper.align = n % 48 if n >= 48 else n
            elif cmd == ord("d"):
                paper.y += n * TEXT_LINE
            elif cmd == ord("3"):
                paper.spacing = n
            elif cmd == ord("2"):
                paper.spacing = TEXT_LINE
            i += ESC_FIXED[cmd]
        elif byte == GS:
            cmd = data[i + 1]
            if cmd in GS_FIXED:
                n = data[i + 2]
                if cmd == ord("h"):
                    paper.bar_height = n
                elif cmd == ord("w"):
                    paper.bar_module = n
                elif cmd == ord("H"):
                    paper.hri = n
                i += 3
            elif cmd == ord("V"):
                i += 4 if data[i + 2] in (65, 66, 97, 98) else 3
            elif cmd == ord("k"):
                m = data[i + 2]
                if m < 65:
                    raise RenderError("GS k function A (NUL-terminated) not rendered")
                n = data[i + 3]
                _barcode(paper, m, data[i + 4 : i + 4 + n])
                i += 4 + n
            elif cmd == ord("(") and data[i + 2] == ord("k"):
                size = data[i + 3] + data[i + 4] * 256
                _qr_block(paper, data[i + 5 : i + 5 + size])
                i += 5 + size
            elif cmd == ord("v") and data[i + 2] == ord("0"):
                m = data[i + 3]
                width_bytes = data[i + 4] + data[i + 5] * 256
                height = data[i + 6] + data[i + 7] * 256
                body = data[i + 8 : i + 8 + width_bytes * height]
                picture = _scaled(_bits(body, width_bytes, height), 1 + (m & 1), 1 + (m >> 1 & 1))
                paper.draw(paper._x(len(picture[0])), paper.y, picture)
                paper.y += len(picture)
                i += 8 + width_bytes * height
            else:
                raise RenderError(f"GS {cmd:#x} at {i}")
        elif byte == FS:
            cmd = data[i + 1]
            if cmd not in FS_FIXED:
                raise RenderError(f"FS {cmd:#x} at {i}")
            i += FS_FIXED[cmd]
        else:
            i += 1  # a text byte: a blank cell
    return paper


def scan(data: bytes, dots: int) -> list[str]:
    """Every code a scanner reads off the printed job, top to bottom."""
    paper = render(data, dots)
    found = zxingcpp.read_barcodes(paper.image())
    found.sort(key=lambda code: (code.position.top_left.y, code.position.top_left.x))
    return [code.text for code in found]
