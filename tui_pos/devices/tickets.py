"""Receipts and vouchers as printable items: pure, testable, no printer needed.

A ticket is a list of items already laid out to the paper width in display cells; the
device layer turns it into ESC/POS bytes, the preview into text for the screen.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tui_pos import labels
from tui_pos.config import Config
from tui_pos.devices.layout import columns, pad, wrap
from tui_pos.domain.catalog import mask_phone
from tui_pos.domain.money import format_money
from tui_pos.domain.numbers import scan_payload
from tui_pos.domain.refund_tenders import TenderPart
from tui_pos.domain.sales import SaleDetail
from tui_pos.domain.shift import ShiftReport
from tui_pos.domain.tenders import TenderKind
from tui_pos.i18n import console, tr

if TYPE_CHECKING:  # for the annotation only: a voucher is laid out from what the store read
    from tui_pos.store.refund_queries import RefundDetail


def on_paper(text: str) -> str:
    """Tickets use the full-width yen (GBK has no half-width one; code-page printers get it
    back as ' ¥'), so the layout counts the cells the printer will draw. A till in console mode
    lays its tickets out in what the Linux console draws (CNY for ￥, English names), so that the
    preview on its screen is the paper."""
    return labels.console_text(text.replace("\u00a5", "￥"))


def training_mark() -> str:
    """On every training ticket, top and bottom; its Chinese is left out where the console draws it."""
    return "*** TRAINING ***" if console() else "*** TRAINING 培训 ***"


@dataclass(frozen=True)
class Item:
    kind: str  # text / barcode / qr / cut / feed
    text: str = ""
    bold: bool = False
    double: bool = False  # double width and height: takes twice the cells
    align: str = "left"
    # a code's readable line (the number with its dashes) where the code carries a payload;
    # "" = the code's own text, as tickets queued before the payloads were made
    caption: str = ""


@dataclass
class Ticket:
    width: int
    items: list[Item] = field(default_factory=list)

    def text(self, text: str, *, bold: bool = False, double: bool = False, align: str = "left") -> None:
        room = self.width // 2 if double else self.width
        for line in wrap(on_paper(text), room):
            self.items.append(Item("text", line, bold, double, align))

    def pair(self, left: str, right: str, *, bold: bool = False) -> None:
        for line in columns(on_paper(left), on_paper(right), self.width):
            self.items.append(Item("text", line, bold))

    def rule(self, char: str = "-") -> None:
        self.items.append(Item("text", char * self.width))

    def barcode(self, code: str, caption: str = "") -> None:
        """`code` is what is scanned, `caption` the line printed under it."""
        self.items.append(Item("barcode", code, align="center", caption=caption))

    def qr(self, code: str, caption: str = "") -> None:
        """`caption` only names the QR in the preview: paper shows no text with it."""
        self.items.append(Item("qr", code, align="center", caption=caption))

    def number_codes(self, number: str, *, qr: bool = False) -> None:
        """An order's or refund's number as codes: they carry its scan payload, the readable
        number is printed under the barcode (and read back by domain.numbers.read_number)."""
        self.barcode(scan_payload(number), number)
        if qr:
            self.qr(scan_payload(number), number)

    def feed(self) -> None:
        self.items.append(Item("feed"))

    def cut(self) -> None:
        self.items.append(Item("cut"))

    def to_json(self) -> str:
        # written inside every sale's and refund's transaction: each item as a plain list, a third
        # of the size (and the time) of named fields
        items = [[i.kind, i.text, i.bold, i.double, i.align, *([i.caption] if i.caption else [])] for i in self.items]
        return json.dumps({"width": self.width, "items": items}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Ticket:
        """Also reads tickets queued by earlier versions, whose items have named fields."""
        data = json.loads(text)
        return cls(data["width"], [Item(**i) if isinstance(i, dict) else Item(*i) for i in data["items"]])

    def preview(self) -> str:
        """What the paper would show, for the on-screen preview and for tests."""
        out: list[str] = []
        for item in self.items:
            room = self.width // 2 if item.double else self.width
            if item.kind == "text":
                out.append(pad(item.text, room, item.align).rstrip() if item.align != "left" else item.text)
            elif item.kind == "barcode":
                out.append(pad(f"|||| {item.caption or item.text} ||||", self.width, "center").rstrip())
            elif item.kind == "qr":
                out.append(pad(f"[QR {item.caption or item.text}]", self.width, "center").rstrip())
            elif item.kind == "feed":
                out.append("")
            elif item.kind == "cut":
                out.append(labels.console_text("- " * (self.width // 2) + "✂"))
        return "\n".join(out)


def money(cents: int) -> str:
    return format_money(cents, "￥")  # full-width yen: GBK can encode it, ¥ it cannot


def taken(cents: int) -> str:
    """An amount that leaves the till: -￥3.00, but ￥0.00 when nothing left (not -￥0.00)."""
    return "-" + money(cents) if cents else money(0)


def header(config: Config, title: str) -> Ticket:
    ticket = Ticket(config.printer.width)
    if config.training:
        ticket.text(training_mark(), bold=True, align="center")
    ticket.text(labels.store(config), double=True, align="center", bold=True)
    ticket.text(title, align="center")
    return ticket


def tender_label(tender: str) -> str:
    return labels.tender(tender)


def receipt(config: Config, sale: SaleDetail, *, copy: str = "") -> Ticket:
    t = header(config, tr("Sales receipt") + (f" ({copy})" if copy else ""))
    t.pair(tr("Order no."), sale.order_no)
    t.pair(tr("Time"), sale.created_at.strftime("%Y-%m-%d %H:%M"))
    t.pair(tr("Cashier"), labels.with_code(sale.staff_code, labels.staff(sale.staff_name, sale.staff_name_en)))
    t.rule()
    # As the till's screen shows them: qty x list price, the line's discount (member price and its
    # share of the level discount), and at the right what was paid for the line, which is also what
    # a refund of the whole line gives back. The right column sums to the total; the discounts are
    # in it already, so "saved" is said, not taken off again.
    for line in sale.lines:
        t.text(labels.product(line.name, line.name_en, line.barcode))
        discount = f" -{money(line.discount)}" if line.discount else ""
        t.pair(f"  {line.qty} x {money(line.list_price)}{discount}", money(line.paid))
    t.rule()
    t.pair(tr("Items"), str(sum(line.qty for line in sale.lines)))
    if sale.discount:
        t.pair(tr("Saved"), money(sale.discount))
    t.pair(tr("Total"), money(sale.total), bold=True)
    for p in sale.payments:
        label = tender_label(p.tender)
        if p.tender == TenderKind.CASH and p.given:
            t.pair(label, money(p.given))
            if p.change:
                t.pair(tr("Change"), money(p.change))
        elif p.tender == TenderKind.POINTS:
            t.pair(f"{label} ({p.points})", money(p.amount))
        else:
            t.pair(label + (f" {p.reference}" if p.reference else ""), money(p.amount))
    if sale.member_id:
        t.rule()
        t.pair(tr("Member"), sale.member_card)
        t.pair(tr("Phone"), mask_phone(sale.member_phone))
        if sale.points_earned:
            t.pair(tr("Points earned"), f"+{sale.points_earned}")
    t.feed()
    t.number_codes(sale.order_no)
    t.text(tr("Keep this receipt for refunds"), align="center")
    t.text(tr("Thank you!"), align="center")
    if config.training:
        t.text(training_mark(), bold=True, align="center")
    t.feed()
    t.cut()
    return t


def refund_voucher(config: Config, refund: RefundDetail, sale: SaleDetail | None) -> Ticket:
    """退款单据: a customer copy and a store copy with a signature line, in one job. Both copies
    carry the same body, laid out once."""
    s = refund.summary
    body = Ticket(config.printer.width)
    body.pair(tr("Refund no."), s.refund_no)
    if s.order_no:
        body.pair(tr("Original order"), s.order_no)
    if sale is not None:
        body.pair(tr("Sold"), sale.created_at.strftime("%Y-%m-%d %H:%M"))
    body.pair(tr("Time"), (refund.paid_at or s.created_at).strftime("%Y-%m-%d %H:%M"))
    body.rule()
    for line in refund.lines:
        body.text(labels.product(line.name, line.name_en, line.barcode))
        body.pair(f"  x{line.qty} {labels.disposition(line.disposition)}", money(line.amount))
    body.rule()
    body.pair(tr("Reason"), labels.reason(s.reason))
    if refund.note:
        body.text(refund.note)
    if refund.fee:
        body.pair(tr("Fee"), taken(refund.fee))
    if refund.points_returned:
        body.pair(tr("Points returned"), f"+{refund.points_returned}")
    if refund.points_reversed:
        body.pair(tr("Points taken back"), f"-{refund.points_reversed}")
    if refund.spent.deducted:  # earned points the member already spent: [refund_policy] spent_points
        body.pair(tr("Points already spent"), taken(refund.spent.deducted))
    elif refund.spent.points:
        body.pair(tr("Points already spent, forgiven"), str(refund.spent.points))
    body.pair(tr("Refund amount"), money(s.amount), bold=True)
    ways = [p for p in refund.parts if p.amount] or [TenderPart("", s.tender, s.amount, 0, refund.reference)]
    for way in ways:  # a split refund: each tender with its part
        reference = way.reference or refund.reference
        via = tender_label(way.tender) + (f" {reference}" if reference else "")
        body.pair(tr("Refund via"), via if len(ways) == 1 else f"{via} {money(way.amount)}")
    if any(w.tender == "stored_value" for w in ways):
        body.text(tr("Credited to the member's stored value"))
    if any(w.tender not in ("cash", "stored_value") for w in ways):
        body.text(tr("To be refunded through the terminal/app"))
    body.pair(tr("Cashier"), s.staff_code)
    if refund.approver_code:
        body.pair(tr("Approved by"), refund.approver_code)
    if s.member_card:
        body.pair(tr("Member"), s.member_card)
    body.feed()
    body.number_codes(s.refund_no, qr=True)
    t = Ticket(config.printer.width)
    for copy, signed in ((tr("Customer copy"), False), (tr("Store copy"), True)):
        part = header(config, tr("Refund voucher") + f" ({copy})")
        part.items.extend(body.items)
        if signed:
            part.feed()
            part.text(tr("Customer signature:"))
            part.feed()
            part.text("_" * (config.printer.width - 2))
        if config.training:
            part.text(training_mark(), bold=True, align="center")
        part.feed()
        part.cut()
        t.items.extend(part.items)
    return t


def ruler(width: int) -> str:
    """`....+....1....+....2..`: one cell per column, the tens digit at every tenth; its last
    character must end the printed line (a wrap or a gap means the width does not fit)."""
    return "".join(str(i // 10 % 10) if i % 10 == 0 else "+" if i % 5 == 0 else "." for i in range(1, width + 1))


# Letters the code pages a till can use are chosen for; each page prints those it has.
CODE_PAGE_TEST = "àáâäçèéêëíïñóôöúüÀÄÉÑÖÜß£¥€"
GBK_ONLY_TEST = "喆丼"  # in GBK, not in GB2312: a GB2312-only font prints blank (font = "gb2312": □)


def code_page_test_chars(encoding: str) -> str:
    """The test letters this printer encoding holds; for Chinese output, the full-width signs
    of receipts instead (accented letters print as plain ones there)."""
    from tui_pos.devices.encoding import is_chinese

    if is_chinese(encoding):
        return "￥，。：；！？（）【】"  # full-width signs a Chinese font holds
    out = []
    for ch in CODE_PAGE_TEST:
        try:
            ch.encode(encoding)
        except UnicodeEncodeError:
            continue
        out.append(ch)
    return "".join(out)


def printer_test_page(config: Config) -> Ticket:
    """What `tui-pos printer test` prints: a calibration page. A ruler at the configured width,
    the barcode and QR code drawn by the same blocks and at the same sizes as on receipts and
    vouchers, a line of GBK text and the code page's own letters, so one print shows whether
    the width, the encoding, the font and the profile fit the printer."""
    p = config.printer
    t = header(config, tr("Printer test page"))
    t.pair("backend", p.backend)
    t.pair("width / encoding", f"{p.width} / {p.encoding}")
    t.pair("profile / font", f"{p.profile} / {p.font}")
    t.rule()
    t.text(tr("Ruler: its last digit must end the line"))
    t.items.append(Item("text", ruler(p.width)))
    t.rule("=")
    t.text("中文：打印机测试，退款凭证。")
    t.text(f"GBK: {GBK_ONLY_TEST} " + tr("(blank: font = gb2312)"))
    t.text(tr("Code page letters") + ":")
    t.text(code_page_test_chars(p.encoding))
    t.text("English: the quick brown fox 0123456789")
    t.pair("可口可乐 330ml", money(350))
    t.pair("Long name wraps: 农夫山泉天然饮用水 550ml 整箱 x24", money(123456))
    t.pair(tr("Total"), money(123806), bold=True)
    t.rule("=")
    t.text("|" + "-" * (p.width - 2) + "|")
    t.feed()
    t.barcode("TEST-0123")
    t.qr("TEST-0123")
    t.text(code_fit_line(config), align="center")
    t.text(tr("If this page looks right, the printer is set up."), align="center")
    t.feed()
    t.cut()
    return t


def code_fit_line(config: Config) -> str:
    """Says how the longest code the till makes (a training refund's number with the store code,
    as its scan payload) is printed, so a narrower module or a QR instead of the barcode is seen
    on the page, not found out at the scanner."""
    from tui_pos.devices import codes

    fit = codes.plan(scan_payload(f"TR{config.store_code.upper()}-20261122-0001"), config.printer)
    if not fit.module:
        return tr("CODE128 too wide: QR instead")
    where = tr("printer-drawn") if fit.firmware else tr("picture")
    return tr("CODE128 {module} dots/module, {where}", module=fit.module, where=where)


def shift_ticket(config: Config, report: ShiftReport) -> Ticket:
    """X report (shift still open) or Z report (closed): what the drawer should hold and why."""
    z = report.is_closed
    t = header(config, tr("Z report (shift closed)") if z else tr("X report (shift open)"))
    t.pair(tr("Till"), report.till_code)
    t.pair(tr("Shift"), str(report.shift_id))
    t.pair(tr("Opened"), f"{report.opened_at:%Y-%m-%d %H:%M} {report.opened_by}")
    if z:
        t.pair(tr("Closed"), f"{report.closed_at:%Y-%m-%d %H:%M} {report.closed_by}")
    t.rule()
    t.pair(tr("Sales"), str(report.sales_count))
    t.pair(tr("Refunds"), str(report.refund_count))
    t.pair(tr("Voids"), str(report.voids))
    t.pair(tr("Discounts"), money(report.discounts))
    t.rule()
    for tender in report.tenders:
        t.text(tender_label(tender.tender))
        t.pair("  " + tr("Sales"), money(tender.sales))
        t.pair("  " + tr("Refunds"), taken(tender.refunds))
        t.pair("  " + tr("Net"), money(tender.net))
    t.pair(tr("Net total"), money(report.net_total), bold=True)
    t.rule()
    t.pair(tr("Opening float"), money(report.opening_float))
    t.pair(tr("Cash sales"), money(report.tender("cash").sales))
    t.pair(tr("Cash refunds"), taken(report.tender("cash").refunds))
    t.pair(tr("Paid in"), money(report.paid_in))
    t.pair(tr("Paid out"), taken(report.paid_out))
    t.pair(tr("Expected cash"), money(report.expected_cash), bold=True)
    if report.counted is not None:
        t.pair(tr("Counted cash"), money(report.counted))
        variance = report.variance or 0
        t.pair(tr("Variance"), ("+" if variance > 0 else "-" if variance < 0 else "") + money(abs(variance)), bold=True)
        if report.note:
            t.text(tr("Note") + ": " + report.note)
    t.rule()
    t.pair(tr("Points issued"), str(report.points_issued))
    t.pair(tr("Points taken back"), str(report.points_taken_back))
    if report.late_refunds:
        t.text(
            tr(
                "{count} refunds of orders from earlier shifts ({amount}) are in this shift",
                count=report.late_refunds,
                amount=money(report.late_refund_amount),
            )
        )
    if report.pending_refunds:
        t.text(tr("Waiting for approval, carried over: {nos}", nos=", ".join(report.pending_refunds)))
    if report.audit_anchor:  # what `tui-pos audit verify --anchor` checks the trail against later
        count, _, short = report.audit_anchor.partition(":")
        t.pair(tr("Audit trail"), f"{count} · {short}")
    if z:
        t.feed()
        t.text(tr("Cashier signature:"))
        t.feed()
        t.text("_" * (config.printer.width - 2))
    t.feed()
    t.cut()
    return t
