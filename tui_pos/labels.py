"""What each internal code is called where people read it: screens, tickets, the command line.

Codes stay codes in the database and between the layers (cash, over_limit, gold,
pending_approval, edge, reports ...); they turn into words only here, one table per kind.
Each table maps a code to an English catalogue key that `tui_pos.i18n` translates, and the
catalogue test checks that every key has its Chinese. A code missing from its table (a row
written by a newer release) is shown as it is: better a code than nothing.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from tui_pos.i18n import console, language, tr

if TYPE_CHECKING:
    from tui_pos.config import Config

# How the money was taken or goes back (domain.tenders.TenderKind, refund tenders).
TENDERS: dict[str, str] = {
    "cash": "Cash",
    "card": "Card",
    "wechat": "WeChat Pay",
    "alipay": "Alipay",
    "stored_value": "Stored value",
    "points": "Points",
    "exchange": "Exchange credit",
}

# Staff roles (domain.staff.Role.code), as a sentence names them: "a supervisor must approve".
ROLES: dict[str, str] = {"cashier": "cashier", "supervisor": "supervisor", "manager": "manager"}

# What a role may do (domain.staff.PERMISSIONS), as in "Your role may not {action}".
PERMISSIONS: dict[str, str] = {
    "sell": "sell",
    "void_sale": "void a sale",
    "create_member": "add members",
    "refund": "make refunds",
    "approve_refund": "approve refunds",
    "reject_refund": "reject refunds",
    "manage_staff": "manage staff",
    "import_products": "import products",
    "import_members": "import members",
    "import_balances": "import members' points and stored value",
    "backup": "back up the database",
    "restore": "restore a backup",
    "reports": "see the reports",
    "discard_ticket": "discard tickets",
    "shift": "open or close a shift",
    "cash_move": "pay cash in or out",
    "day_summary": "see the day summary",
    "change_price": "change prices",
    "open_drawer": "open the drawer",
    "resolve_conflict": "resolve head office's conflicts",
}

# Why someone above the cashier must approve a refund (domain.refund RefundQuote.approvals).
APPROVALS: dict[str, str] = {
    "over_limit": "Amount over your refund limit",
    "outside_window": "Outside the refund window",
    "no_receipt": "No receipt",
    "override": "Amount lowered by the cashier",
    "cash_for_non_cash": "Cash back for money not paid in cash",
    "second_person": "Above what one person may refund alone",
}

# Why the customer brings goods back (domain.policy.REASONS).
REASONS: dict[str, str] = {
    "quality": "Quality problem",
    "wrong_item": "Wrong item",
    "changed_mind": "Changed mind",
    "service": "Service problem",
    "price_error": "Price error",
    "other": "Other",
}

# What happens to goods that come back (domain.policy.DISPOSITIONS).
DISPOSITIONS: dict[str, str] = {"restock": "Back to stock", "damaged": "Damaged", "scrap": "Scrap"}

# Where a refund, a sale or a shift stands.
STATUSES: dict[str, str] = {
    "pending_approval": "awaiting approval",
    "paid": "paid",
    "completed": "completed",
    "rejected": "rejected",
    "cancelled": "cancelled",
    "voided": "voided",
    "elsewhere": "sold at another store",  # a mirror of another store's order (refunds across the chain)
    "open": "open",
    "closed": "closed",
}

# What happened to a refund, in its history (store RefundEventRow.event).
EVENTS: dict[str, str] = {
    "created": "created",
    "parked": "parked for approval",
    "approved": "approved",
    "rejected": "rejected",
    "cancelled": "cancelled",
    "paid": "paid out",
    "completed": "completed",
    "reprint": "voucher reprinted",
    "exchange": "exchanged",
}

# What the owner's refund analytics point out (services.reports.Flag.kind).
FLAGS: dict[str, str] = {
    "member": "Member",
    "cashier": "Cashier",
    "edge": "Near shift open/close",
    "just_under": "Just under the limit",
    "order_run": "One order, several refunds",
    "cash_for_non_cash": "Cash for non-cash",
    "forgiven": "Spent points forgiven",
}

# Cash into or out of the drawer that is not a sale (domain.shift.check_cash_move).
CASH_MOVES: dict[str, str] = {"paid_in": "Paid in", "paid_out": "Paid out"}

# What a print job holds (store PrintJobRow.kind).
PRINT_JOBS: dict[str, str] = {"receipt": "Sales receipt", "refund": "Refund voucher", "report": "Report"}

# Where tickets go (config [printer] backend), as `tui-pos printer test` names it.
PRINTERS: dict[str, str] = {
    "usb": "USB printer",
    "device": "printer device",
    "network": "network printer",
    "serial": "serial printer",
    "file": "printer file",
    "training": "on-screen training printer",
    "none": "no printer",
}

# What head office's conflicts are about (central/conflicts.py, Conflict.kind).
CONFLICTS: dict[str, str] = {
    "refund": "Refund refused",
    "stored_value": "Stored value refused",
    "points": "Points refused",
    "member": "Duplicate member",
    "payment": "Payment refused",
    "sale": "Sale refused",
    "alias": "Copy of an unknown row",
    "claim": "Refund claim not settled",
    "hold": "Online debit not settled",
    "refused": "Other refusal",
}

# The notes events carry as codes: an approval's reasons, the tender a refund was paid by.
_NOTE_KINDS = {"approved": APPROVALS, "parked": APPROVALS}

# Every table above, for the catalogue test and for anything that lists the codes.
TABLES: dict[str, dict[str, str]] = {
    "tender": TENDERS,
    "printer": PRINTERS,
    "role": ROLES,
    "permission": PERMISSIONS,
    "approval": APPROVALS,
    "reason": REASONS,
    "disposition": DISPOSITIONS,
    "status": STATUSES,
    "event": EVENTS,
    "flag": FLAGS,
    "cash_move": CASH_MOVES,
    "print_job": PRINT_JOBS,
    "conflict": CONFLICTS,
}


def word(table: dict[str, str], code: str) -> str:
    """The code's words in the cashier's language; an unknown code as it is."""
    key = table.get(code)
    return tr(key) if key is not None else code


def tender(code: str) -> str:
    return word(TENDERS, str(code))


def printer(code: str) -> str:
    return word(PRINTERS, code)


def role(code: object) -> str:
    """A Role or its code: 'cashier' -> 收银员."""
    return word(ROLES, str(getattr(code, "code", code)))


def permission(action: str) -> str:
    return word(PERMISSIONS, action)


def approval(code: str) -> str:
    return word(APPROVALS, code)


def approvals(codes: Iterable[str] | str) -> list[str]:
    """The reasons an approval is needed; a stored 'over_limit,no_receipt' is split first."""
    if isinstance(codes, str):
        codes = [c for c in codes.split(",") if c]
    return [approval(code.strip()) for code in codes]


def reason(code: str) -> str:
    return word(REASONS, code)


def disposition(code: str) -> str:
    return word(DISPOSITIONS, code)


def status(code: str) -> str:
    return word(STATUSES, code)


def event(code: str) -> str:
    return word(EVENTS, code)


def event_note(code: str, note: str) -> str:
    """An event's note: approval reasons and tenders are codes and get their words; a rejection
    reason or an order no. is shop data and stays as typed."""
    if code in _NOTE_KINDS:
        return "; ".join(approvals(note))
    if code == "paid":
        return tender(note)
    if code == "completed":
        return tr(note) if note else ""  # written as an English template; older rows in their words
    return console_text(note)  # a rejection reason, an order no.: as typed


def flag(kind: str) -> str:
    return word(FLAGS, kind)


def cash_move(kind: str) -> str:
    return word(CASH_MOVES, kind)


def conflict(kind: str) -> str:
    return word(CONFLICTS, kind)


def print_job(kind: str) -> str:
    return word(PRINT_JOBS, kind)


def level(config: Config, code: str | None) -> str:
    """A member level by the name the shop gave it in its config ([member_levels]); with the
    English UI its English name there. No level: not a member."""
    if not code:
        return tr("(no member)")
    found = config.level(code)
    return _english(found.name, found.name_en, code.title())


# --- names in the reader's script ----------------------------------------------------------------
# With the English UI every name has an English form where the shop gave one (a product's name_en,
# store_name_en, a staff member's name_en, [categories_en] in the config). In console mode (the
# bare Linux console, whose font has ASCII, Latin-1 and box lines only) a name it cannot draw
# falls back to the code people also know it by: barcode, staff code, card no., store code.

# Punctuation and signs with a drawable stand-in; anything else undrawable becomes "?".
_STAND_INS = str.maketrans(
    {
        "￥": "CNY",  # 'CNY3.00': a ticket's 32 columns hold a line's figures on one line
        "…": "...",
        "—": "-",
        "–": "-",
        "•": "*",
        "✂": "8<",
        "→": "->",
        "←": "<-",
        "↑": "^",
        "↓": "v",
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        "、": ",",
        "。": ".",
        "【": "[",
        "】": "]",
        "「": '"',
        "」": '"',
    }
)
# The box lines and blocks of code page 437, which every Linux console font has (the VGA font
# built into the kernel, Terminus): no rounded corners, heavy lines or eighth blocks.
CONSOLE_BOX = frozenset("─│┌┐└┘├┤┬┴┼═║╒╓╔╕╖╗╘╙╚╛╜╝╞╟╠╡╢╣╤╥╦╧╨╩╪╫╬█▄▌▐▀░▒▓")


def drawable(ch: str) -> bool:
    """Can the Linux console's font draw this character: printable ASCII, Latin-1, box lines."""
    code = ord(ch)
    return 0x20 <= code < 0x7F or 0xA0 <= code <= 0xFF or ch in CONSOLE_BOX or ch in "\n\t"


def all_drawable(text: str) -> bool:
    return text.isascii() or all(drawable(ch) for ch in text)


def console_text(text: str) -> str:
    """In console mode, `text` with what the console cannot draw replaced: full-width forms by
    their ASCII (NFKC), known signs by stand-ins, anything else by '?'. Unchanged otherwise."""
    if not console() or text.isascii():
        return text
    return _drawable_form(text)


@lru_cache(maxsize=4096)  # ticket lines and names come back on every sale
def _drawable_form(text: str) -> str:
    if all_drawable(text):
        return text
    out = []
    for ch in text.translate(_STAND_INS):
        if not drawable(ch):
            folded = unicodedata.normalize("NFKC", ch)
            ch = folded if all_drawable(folded) else "?"
        out.append(ch)
    return "".join(out)


def _english(name: str, name_en: str, fallback: str) -> str:
    """The English form if there is one; console mode: else the name if drawable, else `fallback`."""
    if language() != "en":
        return name
    if name_en:
        return console_text(name_en)
    if console() and not all_drawable(name):
        return fallback
    return name


def product(name: str, name_en: str = "", barcode: str = "") -> str:
    """A product as the reader knows it: 可口可乐 330ml, Coca-Cola 330ml, or on the console
    without an English name its barcode."""
    return _english(name, name_en, barcode or console_text(name))


class Named(Protocol):
    """A product as the catalogue, a basket, a sale line or a refund line knows it."""

    @property
    def name(self) -> str: ...
    @property
    def name_en(self) -> str: ...
    @property
    def barcode(self) -> str: ...


def item(thing: Named) -> str:
    """labels.product for anything that carries a product's names and barcode."""
    return product(thing.name, thing.name_en, thing.barcode)


def staff(name: str, name_en: str = "", code: str = "") -> str:
    """A staff member's name; on the console without an English one, `code` (or nothing, where
    the code stands beside it anyway)."""
    return _english(name, name_en, code)


def member(name: str, card_no: str = "") -> str:
    """Members have no English name: on the console a name it cannot draw gives way to the card
    no. (or to nothing, where the card no. stands beside it anyway)."""
    return _english(name, "", card_no)


def with_code(code: str, name: str) -> str:
    """'001 小李', 'M000001 张三'; just the code when the name gave way to it (see staff, member)."""
    return f"{code} {name}" if name and name != code else code


def store(config: Config) -> str:
    """The store's name for the title bar and the tickets' head (store_name_en with English)."""
    return _english(config.store_name, config.store_name_en, tr("Store {code}", code=config.store_code))


def category(config: Config, code: str) -> str:
    """A product category ([categories_en] in the config has English names for them)."""
    return _english(code, config.categories_en.get(code, ""), console_text(code))


def money_symbol(configured: str = "￥") -> str:
    """The currency sign on screen: the configured one, or CNY where the console cannot draw ￥."""
    return "CNY " if console() and not all_drawable(configured) else configured


def bullet() -> str:
    """What starts a line of a list."""
    return "* " if console() else "• "


def dash() -> str:
    """What joins a title and what it is about: 'Refund reports — By reason'."""
    return " - " if console() else " — "
