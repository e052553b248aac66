"""Text -> printer bytes, for the two kinds of firmware shops own.

Chinese firmware (Xprinter, Gprinter, most 58 mm printers) prints GB2312/GBK/GB18030
double-byte text once switched into Chinese mode with FS &; Epson-style firmware prints
single bytes from a code page chosen with ESC t n. python-escpos's own encoder sends a
whole string as GB18030 only if it holds a Han character, so `￥12.50，` alone comes out
as `?`: this module is the text path instead.

What the paper shows must keep the columns the layout counted (devices.layout: a wide
character takes two cells), so every replacement takes the same number of cells as the
character it stands for, and a double-byte character the layout counted as narrow (`·`,
`…`, `×`: "ambiguous" width) is printed as its one-byte look-alike.
"""

from __future__ import annotations

import unicodedata

from tui_pos.devices.layout import char_cells

FS, ESC = b"\x1c", b"\x1b"
CHINESE_ON, CHINESE_OFF = FS + b"&", FS + b"."
CHINESE_ENCODINGS = ("gbk", "gb2312", "gb18030")
# Python codec -> ESC t n page number on Epson-compatible firmware
CODE_PAGES = {
    "cp437": 0,
    "cp850": 2,
    "cp860": 3,
    "cp863": 4,
    "cp865": 5,
    "cp1252": 16,
    "cp866": 17,
    "cp852": 18,
    "cp858": 19,
}
ENCODINGS = CHINESE_ENCODINGS + tuple(CODE_PAGES)

# Look-alikes for characters a printer cannot print, or would print wider than counted.
LOOK_ALIKES = {
    "¥": "￥",
    "￥": "¥",  # GBK has only the full-width yen, code pages only the half-width one
    "·": ".",
    "…": ".",
    "×": "x",
    "—": "-",
    "–": "-",
    "―": "-",
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "°": "o",
    "÷": "/",
    "±": "+",
    "§": "S",
    "¨": '"',
}


def is_chinese(encoding: str) -> bool:
    return encoding.lower() in CHINESE_ENCODINGS


def code_page_select(encoding: str) -> bytes:
    """ESC t n for code-page firmware; nothing for Chinese firmware (FS & does the work)."""
    page = CODE_PAGES.get(encoding.lower())
    return b"" if page is None else ESC + b"t" + bytes([page])


def _try(ch: str, encoding: str) -> bytes | None:
    try:
        return ch.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return None


def _printed_cells(data: bytes, chinese: bool) -> int:
    """How wide the printer draws these bytes: in Chinese mode a double-byte code is two cells."""
    return len(data) if chinese else 1


def char_bytes(ch: str, encoding: str) -> bytes:
    """The bytes for one character, taking exactly the cells the layout counted for it;
    a character nothing can stand for becomes '?' (or '??' if it was wide)."""
    want = char_cells(ch)
    if want == 0:
        return b""  # combining marks: the printer cannot stack them
    chinese = is_chinese(encoding)
    candidates = [ch, LOOK_ALIKES.get(ch, ""), unicodedata.normalize("NFKC", ch)]
    for candidate in candidates:
        if len(candidate) != 1:
            continue
        data = _try(candidate, encoding)
        if data is None or (candidate.isprintable() is False):
            continue
        got = _printed_cells(data, chinese)
        if got == want:
            return data
        if got < want:  # a narrow look-alike of a wide character: pad so columns stay put
            return b" " * (want - got) + data
    return b"?" * want


def encode_text(text: str, encoding: str) -> bytes:
    """One line for the printer; never raises, whatever the text holds.

    Control characters (a name with an ANSI escape, a pasted tab) would be commands to the
    printer, so they print as '?'."""
    chinese = is_chinese(encoding)
    out = bytearray()
    in_chinese = False
    for ch in text:
        data = b"?" if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") else char_bytes(ch, encoding)
        if not data:
            continue
        wide = chinese and data[0] >= 0x80
        if chinese and wide != in_chinese:
            out += CHINESE_ON if wide else CHINESE_OFF
            in_chinese = wide
        out += data
    if in_chinese:
        out += CHINESE_OFF
    return bytes(out)
