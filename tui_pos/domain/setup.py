"""What an owner types while setting up a till, checked the moment it is typed.

Each function takes the text as typed and returns the value to keep, or raises InvalidInput
saying what is wrong and what to type instead: `tui-pos setup` and `tui-pos init` ask again
at once, a flag is refused before anything is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tui_pos.domain.catalog import clean_text
from tui_pos.domain.errors import InvalidInput

NAME_LIMIT = 40
LANGUAGES = {"zh": "zh", "中文": "zh", "en": "en", "english": "en", "英文": "en", "auto": "auto", "自动": "auto"}
WIDTHS = {"58": 32, "32": 32, "80": 48, "48": 48, "42": 42}  # paper in mm (or cells) -> cells a line holds
_PLACE_CODE = re.compile(r"[0-9A-Za-z]{1,8}")  # a till code also names its boot unit (tui-pos@02)
_HOST = re.compile(r"[0-9A-Za-z]([0-9A-Za-z.-]{0,252})")
_YES = {"y", "yes", "是", "是的", "对", "好"}
_NO = {"n", "no", "否", "不", "不是"}


def _typed(text: str) -> str:
    return clean_text(text, 1000)


def store_name(text: str) -> str:
    name = _typed(text)
    if not name:
        raise InvalidInput("Enter the store's name: it heads every receipt")
    if len(name) > NAME_LIMIT:
        raise InvalidInput("A name has at most {limit} characters", limit=NAME_LIMIT)
    return name


def english_name(text: str) -> str:
    """The name the Linux console draws, which has no Chinese glyphs: ASCII and Latin-1 only. "" = none."""
    name = _typed(text)
    if len(name) > NAME_LIMIT:
        raise InvalidInput("A name has at most {limit} characters", limit=NAME_LIMIT)
    if any(ord(ch) > 0xFF for ch in name):
        raise InvalidInput("The English name is shown on the Linux console: use Latin letters, digits and spaces")
    return name


def store_code(text: str) -> str:
    code = _typed(text)
    if not _PLACE_CODE.fullmatch(code):
        raise InvalidInput("A store code is 1 to 8 letters or digits, e.g. 01")
    return code


def till_code(text: str) -> str:
    """Each till sharing a database needs its own: it keeps the tills' shifts and print queues apart."""
    code = _typed(text)
    if not _PLACE_CODE.fullmatch(code):
        raise InvalidInput("A till code is 1 to 8 letters or digits, e.g. 01 or 02")
    return code


def language(text: str) -> str:
    code = LANGUAGES.get(_typed(text).lower())
    if code is None:
        raise InvalidInput("Type zh (Chinese), en (English) or auto (Chinese, English on the Linux console)")
    return code


def person_name(text: str) -> str:
    name = _typed(text)
    if not name:
        raise InvalidInput("Enter a name")
    if len(name) > NAME_LIMIT:
        raise InvalidInput("A name has at most {limit} characters", limit=NAME_LIMIT)
    return name


def yes_no(text: str) -> bool:
    answer = _typed(text).lower()
    if answer in _YES:
        return True
    if answer in _NO:
        return False
    raise InvalidInput("Type y (yes) or n (no)")


def paper_width(text: str) -> int:
    """58 mm paper holds 32 characters a line, 80 mm 48 (42 with the small font some need)."""
    width = WIDTHS.get(_typed(text).lower().removesuffix("mm").strip())
    if width is None:
        raise InvalidInput("Type the paper width: 58 or 80 (mm)")
    return width


@dataclass(frozen=True)
class PrinterChoice:
    """Where the tickets go: the [printer] keys it sets. backend "none" = no printer yet."""

    backend: str
    usb_vendor: int = 0
    usb_product: int = 0
    device: str = ""
    host: str = ""
    port: int = 9100

    def spec(self) -> str:
        """The form the --printer flag takes, e.g. usb:0416:5011."""
        if self.backend == "usb":
            return f"usb:{self.usb_vendor:04x}:{self.usb_product:04x}"
        if self.backend in ("device", "file"):
            return f"{self.backend}:{self.device}"
        if self.backend == "network":
            return f"network:{self.host}:{self.port}"
        return "none"


NO_PRINTER = PrinterChoice("none")


def printer_choice(text: str) -> PrinterChoice:
    """usb:VVVV:PPPP, device:/dev/usb/lp0, network:HOST[:PORT], file:PATH (a copy in a file) or none."""
    spec = _typed(text)
    kind, _, rest = spec.partition(":")
    kind = kind.lower()
    if kind in ("none", "no", "-", "无"):
        return NO_PRINTER
    if kind == "usb":
        vendor, _, product = rest.partition(":")
        try:
            ids = int(vendor, 16), int(product, 16)
        except ValueError:
            raise InvalidInput(
                "A USB printer is usb: and its two ids from `tui-pos printer list`, e.g. usb:0416:5011"
            ) from None
        if not all(0 < i <= 0xFFFF for i in ids):
            raise InvalidInput("A USB printer is usb: and its two ids from `tui-pos printer list`, e.g. usb:0416:5011")
        return PrinterChoice("usb", usb_vendor=ids[0], usb_product=ids[1])
    if kind in ("device", "file"):
        if not rest.startswith("/"):
            raise InvalidInput("Give the full path, e.g. device:/dev/usb/lp0")
        return PrinterChoice(kind, device=rest)
    if kind == "network":
        host, _, port_text = rest.partition(":")
        port = 9100
        if port_text:
            port = int(port_text) if port_text.isdigit() else 0
        if not _HOST.fullmatch(host) or not 0 < port < 65536:
            raise InvalidInput("A network printer is network:ADDRESS:PORT, e.g. network:192.168.1.50:9100")
        return PrinterChoice("network", host=host, port=port)
    raise InvalidInput(
        "Type the number of a printer above, or usb:VVVV:PPPP, device:/dev/usb/lp0, network:ADDRESS:9100 or none"
    )
