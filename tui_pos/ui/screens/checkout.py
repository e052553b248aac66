"""The home screen of the till: scan, see the basket and totals, then pay.

The scan box keeps the focus the whole time, so a barcode scanner (which types the code
and presses Enter) always lands there; every other action is a function key.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from tui_pos import labels
from tui_pos.domain.basket import Totals
from tui_pos.domain.catalog import Product, split_quantity
from tui_pos.domain.errors import InvalidInput, PosError
from tui_pos.i18n import tr
from tui_pos.services import catalog, checkout, printing
from tui_pos.services.checkout import SaleResult
from tui_pos.services.exchange import ExchangeResult
from tui_pos.ui.messages import PrintFinished
from tui_pos.ui.screens.base import PosScreen
from tui_pos.ui.screens.confirm import ConfirmScreen
from tui_pos.ui.screens.members import MembersScreen
from tui_pos.ui.screens.pay import PayScreen
from tui_pos.ui.screens.product_search import ProductSearchScreen
from tui_pos.ui.screens.quantity import QuantityScreen
from tui_pos.ui.widgets.basket_table import BasketTable
from tui_pos.ui.widgets.key_footer import KeyFooter
from tui_pos.ui.widgets.member_panel import MemberPanel
from tui_pos.ui.widgets.money import show_money
from tui_pos.ui.widgets.plain import Plain
from tui_pos.ui.widgets.scan_input import ScanInput
from tui_pos.ui.widgets.ticket_preview import TicketPreview
from tui_pos.ui.widgets.totals import TotalsPanel


class CheckoutScreen(PosScreen[None]):
    """Ring up a sale. Lines, totals and the member come from the app's basket."""

    CSS_PATH = "../styles/checkout.tcss"
    AUTO_FOCUS = "#scan"
    HELP = (
        "Scan, or type a barcode and press Enter; 3*barcode rings up three. "
        "Up and Down pick the line for F5 and F6. PageUp and PageDown scroll the ticket preview."
    )
    BINDINGS = [
        Binding("f2", "members", "Member"),
        Binding("f3", "find", "Find"),
        Binding("f4", "pay", "Pay"),
        Binding("f5", "quantity", "Qty"),
        Binding("f6", "void_line", "Void line"),
        Binding("delete", "void_line", "Void line", show=False, priority=True),
        Binding("f7", "void_sale", "Void sale"),
        Binding("f8", "refund", "Refund"),
        Binding("f9", "reprint", "Reprint"),
        Binding("f10", "logout", "Log out"),
        Binding("ctrl+p", "print_queue", "Print queue"),
        Binding("ctrl+o", "shift", "Shift"),
        Binding("ctrl+d", "detach", "Detach", priority=True),
        Binding("escape", "clear", "Clear", show=False),
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        # in the footer while a ticket preview (training mode) is shown; the scan box binds them too
        Binding("pagedown", "scroll_preview(1)", "Page down", priority=True),
        Binding("pageup", "scroll_preview(-1)", "Page up", priority=True),
    ]

    def compose(self) -> ComposeResult:
        yield from self.compose_chrome()
        with Horizontal(id="checkout-main"):
            with Vertical(id="basket-area"):
                yield BasketTable(self.pos.basket, id="basket")
                yield TicketPreview(id="preview")
            with Vertical(id="sidebar"):
                yield MemberPanel(id="member")
                yield TotalsPanel(id="totals")
        yield ScanInput(placeholder=tr("Scan or type a barcode, then Enter"), id="scan", max_length=80)
        yield Plain("", id="scan-error", classes="error")
        yield Plain("", id="status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.show_member()
        self.show_totals()
        self.show_exchange()
        # A new checkout screen is a new session (log in, shift opened): it shows the basket as it
        # is, empty or kept, never the previous session's last sale; F9 still reprints that one.

    # -- helpers --------------------------------------------------------------
    @property
    def symbol(self) -> str:
        return self.pos.ctx.config.currency_symbol

    @property
    def table(self) -> BasketTable:
        return self.query_one(BasketTable)

    @property
    def scan_input(self) -> ScanInput:
        return self.query_one("#scan", ScanInput)

    def show_error(self, message: str) -> None:
        self.query_one("#scan-error", Static).update(message)

    def show_status(self, message: str, *, problem: bool = False) -> None:
        status = self.query_one("#status", Static)
        status.update(message)
        status.set_class(problem, "problem")

    def move_on(self) -> None:
        """The cashier goes on to something else (a scan, another screen): what the status line said
        about the last action ("Line voided", "Sale recorded"...) goes; an exchange still under way
        is said again."""
        self.show_status("")
        self.show_exchange()

    def show_totals(self, totals: Totals | None = None) -> None:
        """The sums, with an exchange's credit and what is left to pay or give back from the moment
        the exchange starts."""
        credit = self.pos.exchange_credit
        self.query_one(TotalsPanel).show_totals(
            totals if totals is not None else self.pos.basket.totals(),
            self.symbol,
            credit=None if credit is None else credit.amount,
        )

    def show_member(self) -> None:
        self.query_one(MemberPanel).show_member(self.pos.basket.member, self.pos.ctx.config)
        self.refresh_bindings()

    def basket_changed(self, index: int | None = None) -> None:
        """One line changed (or none): update that row and the totals, not the whole table."""
        totals = self.pos.basket.totals()
        self.table.show(totals, index)
        self.show_totals(totals)
        self.show_error("")
        self.show_preview(False)

    def show_preview(self, shown: bool) -> None:
        """The ticket preview in place of the basket (training mode, after a sale), with its keys."""
        if self.has_class("-preview") != shown:
            self.set_class(shown, "-preview")
            self.refresh_bindings()

    def selected_line(self) -> int | None:
        index = self.table.selected_index
        if index is None or not self.pos.basket.lines:
            self.show_error(tr("The basket is empty"))
            return None
        return index

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "detach":
            return self.pos.basket.member is not None
        if action == "scroll_preview":
            return self.has_class("-preview")
        return True

    # -- scanning -------------------------------------------------------------
    @on(ScanInput.Scanned, "#scan")
    def scanned(self, event: ScanInput.Scanned) -> None:
        self.move_on()
        try:
            qty, code = split_quantity(event.code)
            product = catalog.product_for_scan(code)
            index = self.pos.basket.add(product, qty)
        except PosError as exc:
            self.show_error(exc.message)
            self.scan_input.keep(event.code)
            return
        self.basket_changed(index)

    def add_product(self, product: Product, qty: int = 1) -> None:
        self.move_on()
        try:
            index = self.pos.basket.add(product, qty)
        except PosError as exc:
            self.show_error(exc.message)
            return
        self.basket_changed(index)

    def action_clear(self) -> None:
        self.scan_input.clear()
        self.show_error("")
        self.move_on()

    def action_move(self, step: int) -> None:
        table = self.table
        if table.row_count:
            table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + step)))

    def action_scroll_preview(self, pages: int) -> None:
        preview = self.query_one(TicketPreview)
        if pages < 0:
            preview.scroll_page_up(animate=False)
        else:
            preview.scroll_page_down(animate=False)

    # -- lines ----------------------------------------------------------------
    def action_find(self) -> None:
        self.move_on()

        def chosen(product: Product | None) -> None:
            if product is not None:
                self.add_product(product)

        self.app.push_screen(ProductSearchScreen(), chosen)

    def action_quantity(self) -> None:
        index = self.selected_line()
        if index is None:
            return
        self.move_on()
        line = self.pos.basket.lines[index]

        def done(qty: int | None) -> None:
            if qty is not None:
                self.basket_changed(index)

        self.app.push_screen(
            QuantityScreen(labels.item(line.product), line.qty, lambda qty: self.pos.basket.set_qty(index, qty)), done
        )

    def action_void_line(self) -> None:
        scan = self.scan_input
        if scan.value:  # Delete while typing a code edits the code
            scan.action_delete_right()
            return
        index = self.selected_line()
        if index is None:
            return
        line = self.pos.basket.void_line(index)
        self.table.remove_line(index, line.product.id)
        self.basket_changed()
        self.show_status(tr("Line voided: {item} x {qty}", item=labels.item(line.product), qty=line.qty))

    def action_void_sale(self) -> None:
        self.move_on()
        basket = self.pos.basket
        if not basket.lines and self.pos.exchange_credit is not None:
            self.drop_exchange()
            return
        if not basket.lines:
            self.show_error(tr("The basket is empty"))
            return
        totals = basket.totals()
        detail = tr(
            "{items} items, total {total}", items=totals.item_count, total=show_money(totals.total, self.symbol)
        )

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                checkout.void_basket(self.pos.ctx, self.pos.user, basket)
            except PosError as exc:
                self.show_error(exc.message)
                return
            self.pos.exchange_credit = None
            self.table.rebuild()
            self.show_member()
            self.basket_changed()
            self.show_status(tr("Sale voided"))

        self.app.push_screen(ConfirmScreen(tr("Void the whole sale?"), detail), answered)

    def on_screen_resume(self) -> None:
        if self.pos.exchange_credit is not None:  # back from the wizard with an exchange
            self.member_changed()
            self.show_exchange()

    def drop_exchange(self) -> None:
        """The customer changed their mind about the exchange: nothing was recorded yet."""

        def answered(yes: bool | None) -> None:
            if yes:
                self.pos.exchange_credit = None
                self.show_totals()
                self.show_exchange()
                self.show_status(tr("Exchange dropped; nothing was recorded"))

        self.app.push_screen(ConfirmScreen(tr("Drop the exchange?"), ""), answered)

    def show_exchange(self) -> None:
        credit = self.pos.exchange_credit
        if credit is not None:
            self.show_status(
                tr(
                    "Exchange: credit {amount} from {order}. Scan the new goods, F4 pays; F7 drops the exchange",
                    amount=show_money(credit.amount, self.symbol),
                    order=credit.order_no or tr("No receipt"),
                )
            )

    # -- member ---------------------------------------------------------------
    def action_members(self) -> None:
        self.move_on()

        def back(attached: bool | None) -> None:
            if attached:
                self.member_changed()

        self.app.push_screen(MembersScreen(), back)

    def action_detach(self) -> None:
        self.pos.basket.attach(None)
        self.member_changed()
        self.show_status(tr("Member removed from this sale"))

    def member_changed(self) -> None:
        """Member prices apply to every line, so this is the one time the table is redrawn."""
        self.table.rebuild()
        self.show_member()
        self.basket_changed()

    # -- paying and printing --------------------------------------------------
    def action_pay(self) -> None:
        if not self.pos.basket.lines:
            self.show_error(tr("The basket is empty"))
            return
        self.show_error("")
        self.move_on()
        self.app.push_screen(PayScreen(), self.paid)

    def paid(self, result: SaleResult | ExchangeResult | None) -> None:
        if result is None:
            return
        swap = result if isinstance(result, ExchangeResult) else None
        sale = result.sale if isinstance(result, ExchangeResult) else result
        self.pos.last_sale = sale
        self.pos.basket.clear()
        self.table.rebuild()
        self.show_member()
        self.show_totals()
        self.query_one(TotalsPanel).show_done(sale, self.symbol)
        self.show_status(
            tr(
                "Sale {order} recorded. Change {change}",
                order=sale.order_no,
                change=show_money(sale.change, self.symbol),
            )
        )
        cash_back = swap is not None and swap.given_back > 0 and swap.back_tender == "cash"
        self.pos.start_print(sale.print_job_id, kick_drawer=sale.paid_cash or cash_back, reply_to=self)
        if swap is not None:
            self.show_status(
                tr(
                    "Exchange {refund} for {order} recorded. Give back {amount}",
                    refund=swap.refund.refund_no,
                    order=sale.order_no,
                    amount=show_money(swap.given_back, self.symbol),
                )
            )
            if swap.refund.print_job_id is not None:  # an exchange always queues its voucher
                self.pos.start_print(swap.refund.print_job_id, reply_to=self)

    def on_print_finished(self, message: PrintFinished) -> None:
        outcome = message.outcome
        if outcome.ok:
            if message.preview:
                preview = self.query_one(TicketPreview)
                preview.show_ticket(message.preview)
                self.show_preview(not self.pos.basket.lines)
            if message.waiting:
                self.show_status(tr("Ticket printed; {count} tickets waiting", count=message.waiting))
            else:
                self.show_status(tr("Ticket printed"))
        elif not self.pos.has_printer:  # nothing to print on: say it waits, never that it printed
            receipt = outcome.job_id and printing.get_job(outcome.job_id).kind == "receipt"
            count = message.waiting
            self.show_status(
                tr("Receipt queued, not printed: no printer ({count} waiting, Ctrl+P lists them)", count=count)
                if receipt
                else tr("Ticket queued, not printed: no printer ({count} waiting, Ctrl+P lists them)", count=count),
                problem=True,
            )
        else:
            self.show_status(
                tr(
                    "{error} - {count} tickets waiting (F9 prints again, Ctrl+P lists them)",
                    error=outcome.error,
                    count=message.waiting,
                ),
                problem=True,
            )
        if outcome.drawer_error:
            self.app.notify(tr("Cash drawer did not open: {error}", error=outcome.drawer_error), severity="error")

    def action_reprint(self) -> None:
        ctx = self.pos.ctx
        last = self.pos.last_sale
        order_no: str | None
        try:
            if last is not None and printing.get_job(last.print_job_id).status == "queued":
                job_id = last.print_job_id  # never printed: try the same ticket again
                order_no = last.order_no
            else:
                order_no = last.order_no if last is not None else checkout.last_order_no(ctx)
                if order_no is None:
                    raise InvalidInput("No sale to reprint yet")
                job_id = printing.reprint(ctx, self.pos.user, order_no)
        except PosError as exc:
            self.show_error(exc.message)
            return
        self.show_status(tr("Printing {order} again", order=order_no))
        self.pos.start_print(job_id, reply_to=self)

    def action_shift(self) -> None:
        self.move_on()
        from tui_pos.ui.screens.shift import ShiftScreen

        self.app.push_screen(ShiftScreen())

    def action_print_queue(self) -> None:
        self.move_on()
        from tui_pos.ui.screens.print_queue import PrintQueueScreen

        self.app.push_screen(PrintQueueScreen())

    # -- elsewhere ------------------------------------------------------------
    def action_refund(self) -> None:
        self.move_on()
        from tui_pos.ui.screens.refund import open_refund_wizard

        open_refund_wizard(self.app)

    def action_logout(self) -> None:
        self.pos.logout()
