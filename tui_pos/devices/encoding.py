"""Text -> printer bytes, for the two kinds of firmware shops own.

Chinese firmware (Xprinter, Gprinter, most 58 mm printers) prints GB2312/GBK/GB18030
double-byte text once switched into Chinese mode with FS &; Epson-style firmware prints
single bytes from a code page chosen with ESC t n. A job picks one mode right after ESC @
and keeps it (job_start): some Chinese firmware ends the current line at FS &, and one that
starts in Chinese mode eats the byte after a code-page `¥` unless FS . comes first. In
Chinese mode ASCII still prints as single bytes, so no switching inside lines is needed.
python-escpos's own encoder sends a whole string as GB18030 only if it holds a Han character,
so `￥12.50，` alone comes out as `?`: this module is the text path instead.

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
# The code pages a till can be set to; the ESC t number comes from the printer's profile
CODE_PAGES = ("cp437", "cp850", "cp860", "cp863", "cp865", "cp1252", "cp866", "cp852", "cp858")
ENCODINGS = CHINESE_ENCODINGS + CODE_PAGES
FONTS = ("gbk", "gb2312")  # [printer] font: what the Chinese font of the printer holds

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


def code_page_number(pages: dict[str, str], encoding: str) -> int | None:
    """The ESC t number of `encoding` in a profile's code page table ({"16": "CP1252", ...}),
    None if the printer lacks it; the lowest number when a page is listed twice."""
    numbers = [int(n) for n, name in pages.items() if name.lower().replace("_", "-") == encoding.lower()]
    return min(numbers) if numbers else None


def job_start(encoding: str, page: int | None) -> bytes:
    """What follows ESC @ once per job: FS & for Chinese output, FS . and ESC t n for a code page."""
    if is_chinese(encoding):
        return CHINESE_ON
    return CHINESE_OFF + (b"" if page is None else ESC + b"t" + bytes([page]))


def base_letter(ch: str) -> str:
    """Café -> Cafe: the letter without its accents (NFKD, marks dropped); '' if nothing is left."""
    return "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))


def gbk_only(ch: str) -> bool:
    """A character GBK has and GB2312 lacks (喆, 丼): blank on a printer with a GB2312 font."""
    return _try(ch, "gbk") is not None and _try(ch, "gb2312") is None


def gbk_only_chars(text: str) -> str:
    """The characters of `text` a GB2312-only font cannot print, each once, in order."""
    return "".join(dict.fromkeys(ch for ch in text if ord(ch) >= 0x80 and gbk_only(ch)))


def _try(ch: str, encoding: str) -> bytes | None:
    try:
        return ch.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return None


def _printed_cells(data: bytes, chinese: bool) -> int:
    """How wide the printer draws these bytes: in Chinese mode a double-byte code is two cells."""
    return len(data) if chinese else 1


def char_bytes(ch: str, encoding: str, font: str = "gbk") -> bytes:
    """The bytes for one character, taking exactly the cells the layout counted for it;
    a character nothing can stand for becomes '?' (or '??' if it was wide). With a GB2312
    font a GBK-only character becomes □ (which GB2312 has) rather than blank paper."""
    want = char_cells(ch)
    if want == 0:
        return b""  # combining marks: the printer cannot stack them
    chinese = is_chinese(encoding)
    if chinese and font == "gb2312" and ord(ch) >= 0x80 and gbk_only(ch):
        return "□".encode("gbk") if want == 2 else b"?"
    candidates = [ch, LOOK_ALIKES.get(ch, ""), unicodedata.normalize("NFKC", ch), base_letter(ch)]
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


def encode_text(text: str, encoding: str, font: str = "gbk") -> bytes:
    """One line for the printer, in the mode job_start chose; never raises, whatever the text holds.

    Control characters (a name with an ANSI escape, a pasted tab) would be commands to the
    printer, so they print as '?'."""
    if text.isascii() and text.isprintable():
        return text.encode("ascii")
    out = bytearray()
    for ch in text:
        out += b"?" if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") else char_bytes(ch, encoding, font)
    return bytes(out)
