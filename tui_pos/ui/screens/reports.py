"""The owner's screens: refund analytics with charts and flags, and the day across all tills.

Everything shown comes from services.reports / services.shifts; Ctrl+E writes what is on the
screen to a CSV file in the data folder's exports/ (UTF-8 with BOM, formula-safe).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Static

from tui_pos import labels
from tui_pos.devices.tickets import tender_label
from tui_pos.domain.errors import PosError
from tui_pos.domain.shift import ShiftReport
from tui_pos.i18n import tr
from tui_pos.services import export, reports, shifts
from tui_pos.ui.screens.base import PosScreen
from tui_pos.ui.widgets.bar_chart import BarChart
from tui_pos.ui.widgets.key_footer import KeyFooter
from tui_pos.ui.widgets.money import show_money
from tui_pos.ui.widgets.plain import Plain
from tui_pos.ui.widgets.text_table import TextTable

VIEW_TITLES = {
    "product": "By product",
    "category": "By category",
    "reason": "By reason",
    "cashier": "By cashier",
    "level": "By member level",
    "member": "By member",
    "week": "By week",
    "cashiers": "Cashier handling",
    "approvers": "Approvals",
    "flags": "Worth a look",
}


# what a report hands to Ctrl+E: file name, what for the audit trail, headers, rows
CsvExport = tuple[str, str, Sequence[str], Sequence[Sequence[object]]]


def save_csv(screen: PosScreen[None], build: Callable[[], CsvExport]) -> None:
    """Ctrl+E on a report: `build` gives (file name, what for the audit trail, headers, rows);
    the file goes to exports/ in the data folder and the status line says where."""
    try:
        name, what, headers, rows = build()
        path = export.write_csv(screen.pos.user, screen.pos.config.data_dir / "exports" / name, what, headers, rows)
    except (PosError, OSError) as exc:
        screen.say(getattr(exc, "message", str(exc)), problem=True)
        return
    screen.say(tr("Saved {path}", path=str(path)))


class RefundReportScreen(PosScreen[None]):
    CSS_PATH = "../styles/reports.tcss"
    AUTO_FOCUS = "#rows"
    HELP = (
        "Refund analytics for the dates shown (From/To, Enter to apply). F5/F6 switch between views: by product, "
        "category, reason, cashier, member level, member, week, cashier handling, approvals and flags. "
        "Ctrl+E saves the view as a CSV file."
    )
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("f5", "view(-1)", "Prev view"),
        Binding("f6", "view(1)", "Next view"),
        Binding("f7", "dates", "Dates"),
        Binding("ctrl+e", "export", "Export CSV", priority=True),  # also from the date fields
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view = 0

    def compose(self) -> ComposeResult:
        today = self.pos.ctx.now()
        yield from self.compose_chrome()
        yield Plain("", id="report-title", classes="step-title")
        with Horizontal(id="range"):
            yield Input(f"{today - timedelta(days=89):%Y-%m-%d}", id="since", max_length=10)
            yield Input(f"{today:%Y-%m-%d}", id="until", max_length=10)
        yield Plain("", id="summary")
        yield BarChart("", id="chart")
        yield TextTable(id="rows", cursor_type="row", zebra_stripes=True)
        yield Plain("", id="status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.reload()

    def _range(self) -> tuple[datetime, datetime]:
        return reports.date_range(self.query_one("#since", Input).value, self.query_one("#until", Input).value)

    def current_table(self) -> reports.Table:
        since, until = self._range()
        return reports.table(self.pos.ctx, self.pos.user, reports.TABLES[self.view], since, until)

    def reload(self) -> None:
        name = reports.TABLES[self.view]
        self.query_one("#report-title", Static).update(
            f"{tr('Refund reports')}{labels.dash()}{tr(VIEW_TITLES[name])} ({self.view + 1}/{len(reports.TABLES)})"
        )
        try:
            since, until = self._range()
            s = reports.summary(self.pos.ctx, self.pos.user, since, until)
            table = self.current_table()
        except PosError as exc:
            self.say(exc.message, problem=True)
            return
        self.say("")
        hours = "-" if s.median_hours_to_refund is None else f"{s.median_hours_to_refund:.1f}"
        self.query_one("#summary", Static).update(
            tr(
                "{count} refunds {amount} of {sales} sales: rate {rate}; without receipt {nr}; "
                "median {hours} h from sale to refund",
                count=s.refunds,
                amount=show_money(s.refund_amount),
                sales=show_money(s.sales_amount),
                rate=reports.pct(s.rate_bp),
                nr=s.no_receipt,
                hours=hours,
            )
        )
        # at 80 columns the figures (the refund rate last) stay whole; names give way, ending in '…';
        # what is worth a look is a sentence: it goes on to more lines
        self.query_one("#rows", TextTable).show_table(table.headers, table.rows, wrap=name == "flags")
        chart = self.query_one("#chart", BarChart)
        if table.chart:
            chart.show(list(table.chart))
            chart.display = True
        else:
            chart.display = False

    def on_input_submitted(self) -> None:
        self.reload()
        self.query_one("#rows", DataTable).focus()

    def action_dates(self) -> None:
        self.query_one("#since", Input).focus()

    def action_view(self, step: int) -> None:
        self.view = (self.view + step) % len(reports.TABLES)
        self.reload()

    def action_export(self) -> None:
        def table() -> CsvExport:
            since, until = self._range()
            shown = self.current_table()
            return (
                f"refunds-{shown.title}-{since:%Y%m%d}-{until - timedelta(days=1):%Y%m%d}.csv",
                f"refunds:{shown.title}",
                shown.headers,
                list(shown.rows),
            )

        save_csv(self, table)

    def action_back(self) -> None:
        self.app.pop_screen()


class DaySummaryScreen(PosScreen[None]):
    """Every till's shifts of one day with the totals: the owner's end of day."""

    CSS_PATH = "../styles/reports.tcss"
    AUTO_FOCUS = "#day"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+e", "export", "Export CSV", priority=True),  # also from the date fields
    ]

    HEADERS = ("Till", "Shift", "Opened", "Closed", "Sales", "Refunds", "Net", "Expected cash", "Counted", "Variance")
    # Ctrl+E writes every column above. The screen leaves out Closed (an open shift says so under
    # Counted) and Net (sales - refunds; the day's net is on the line below), so that a shift's
    # figures fit on one line at 80 columns in both languages, up to 99999.99 each.
    SHOWN = ("Till", "Shift", "Opened", "Sales", "Refunded", "Expected", "Counted", "Variance")

    def compose(self) -> ComposeResult:
        yield from self.compose_chrome()
        yield Plain(tr("Day summary, all tills"), classes="step-title")
        yield Input(f"{self.pos.ctx.now():%Y-%m-%d}", id="day", max_length=10)
        yield TextTable(id="rows", cursor_type="row")
        yield Plain("", id="summary")
        yield Plain("", id="status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.reload()

    def rows(self) -> list[tuple[str, ...]]:
        day = shifts.day_summary(self.pos.ctx, self.pos.user, shifts.parse_day(self.query_one("#day", Input).value))
        out: list[tuple[str, ...]] = []
        for r in day.shifts:
            out.append(
                (
                    r.till_code,
                    str(r.shift_id),
                    f"{r.opened_at:%H:%M} {r.opened_by}",
                    f"{r.closed_at:%H:%M}" if r.closed_at else tr("open"),
                    reports.yuan(r.sales_total),
                    reports.yuan(r.refunds_total),
                    reports.yuan(r.net_total),
                    reports.yuan(r.expected_cash),
                    "" if r.counted is None else reports.yuan(r.counted),
                    "" if r.variance is None else reports.yuan(r.variance),
                )
            )
        self.day = day
        return out

    def reload(self) -> None:
        table = self.query_one("#rows", DataTable)
        try:
            self.rows()  # reads the day (and checks the date typed) for the table and Ctrl+E
        except PosError as exc:
            self.say(exc.message, problem=True)
            return
        table.clear(columns=True)
        table.add_columns(*(tr(h) for h in self.SHOWN))
        table.add_rows(self.shown_row(r) for r in self.day.shifts)
        day = self.day
        tenders = "  ".join(f"{tender_label(t)} {reports.yuan(s - r)}" for t, (s, r) in day.tender_net().items())
        sales, refunds = day.total("sales_total"), day.total("refunds_total")
        totals = tr(
            "Day: sales {sales}, refunds {refunds}, net {net}",
            sales=reports.yuan(sales),
            refunds=reports.yuan(refunds),
            net=reports.yuan(sales - refunds),
        )
        self.query_one("#summary", Static).update(
            Text(totals + "\n" + tr("Net by tender: {tenders}", tenders=tenders or "-"))
        )
        self.say("")

    @staticmethod
    def shown_row(r: ShiftReport) -> tuple[Text, ...]:
        """A shift as the screen shows it (see SHOWN): text cells, figures to the right."""

        def figure(cents: int | None, sign: str = "") -> Text:
            shown = "" if cents is None else (sign if cents > 0 else "") + reports.yuan(cents)
            return Text(shown, justify="right")

        return (
            Text(r.till_code),
            Text(str(r.shift_id)),
            Text(f"{r.opened_at:%H:%M} {r.opened_by}"),
            figure(r.sales_total),
            figure(r.refunds_total),
            figure(r.expected_cash),
            figure(r.counted) if r.is_closed else Text(tr("open")),
            figure(r.variance, "+"),
        )

    def on_input_submitted(self) -> None:
        self.reload()

    def action_export(self) -> None:
        save_csv(self, lambda: (f"day-{self.day.day:%Y%m%d}.csv", "day", [tr(h) for h in self.HEADERS], self.rows()))

    def action_back(self) -> None:
        self.app.pop_screen()
