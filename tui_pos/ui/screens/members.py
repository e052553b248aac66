"""Member lookup: search as you type, see the profile, attach the member to the sale."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Static

from tui_pos import labels
from tui_pos.domain.catalog import Member, mask_phone
from tui_pos.domain.errors import PosError
from tui_pos.i18n import tr
from tui_pos.services import members
from tui_pos.services.members import MemberProfile
from tui_pos.ui.screens.base import PosScreen
from tui_pos.ui.screens.member_form import MemberFormScreen
from tui_pos.ui.screens.member_profile import MemberProfileScreen
from tui_pos.ui.widgets.key_footer import KeyFooter
from tui_pos.ui.widgets.money import show_money
from tui_pos.ui.widgets.plain import Plain, plain
from tui_pos.ui.widgets.text_table import TextTable


class MembersScreen(PosScreen[bool]):
    """Dismisses with True when a member was attached to the current sale."""

    CSS_PATH = "../styles/members.tcss"
    AUTO_FOCUS = "#member-search"
    HELP = (
        "Type a card no., at least 4 digits of a phone (4 digits = the last four) or the start of a name. "
        "Up and Down pick a member; Enter attaches the member to the sale."
    )
    BINDINGS = [
        Binding("enter", "attach", "Attach", priority=True),
        Binding("f2", "attach", "Attach", show=False),
        Binding("f3,ctrl+n", "create", "New member"),
        Binding("f4", "open_profile", "Profile"),
        Binding("escape", "back", "Back"),
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.results: list[Member] = []
        self.profile: MemberProfile | None = None
        self.notice = ""  # shown once, by the next search (e.g. "member created")

    def compose(self) -> ComposeResult:
        yield from self.compose_chrome()
        yield Input(placeholder=tr("Card no., phone (4+ digits) or name"), id="member-search", max_length=40)
        yield Plain("", id="member-error", classes="error")
        with Horizontal(id="member-main"):
            yield TextTable(id="member-results", cursor_type="row", zebra_stripes=True)
            yield Plain("", id="member-profile")
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#member-results", DataTable)
        table.can_focus = False
        table.add_column(tr("Card no."), key="card", width=8)
        table.add_column(tr("Name"), key="name", width=8)
        table.add_column(tr("Phone"), key="phone", width=11)
        table.add_column(tr("Level"), key="level", width=8)
        self.query_one("#member-profile", Static).border_title = tr("Profile")

    def on_screen_resume(self) -> None:
        if self.profile is not None:  # back from the full profile: refunds may have moved on
            self.show_profile(self.profile.member)

    @property
    def search_input(self) -> Input:
        return self.query_one("#member-search", Input)

    def show_error(self, message: str, *, notice: bool = False) -> None:
        line = self.query_one("#member-error", Static)
        line.update(message)
        line.set_class(notice, "notice")

    # -- searching --------------------------------------------------------------
    @on(Input.Changed, "#member-search")
    def search(self, event: Input.Changed) -> None:
        try:
            self.results = members.search(event.value)
        except PosError as exc:
            self.show_error(exc.message)
            return
        self.show_error(self.notice, notice=bool(self.notice))
        self.notice = ""
        self.show_results(self.results)

    def show_results(self, found: list[Member]) -> None:
        self.results = found
        table = self.query_one("#member-results", DataTable)
        table.clear()
        config = self.pos.ctx.config
        for member in self.results:
            table.add_row(
                member.card_no,
                labels.member(member.name),
                mask_phone(member.phone),
                labels.level(config, member.level),
                key=str(member.id),
            )
        self.show_profile(self.results[0] if self.results else None)

    @on(DataTable.RowHighlighted, "#member-results")
    def highlighted(self, event: DataTable.RowHighlighted) -> None:
        if 0 <= event.cursor_row < len(self.results):
            self.show_profile(self.results[event.cursor_row])

    def show_profile(self, member: Member | None) -> None:
        panel = self.query_one("#member-profile", Static)
        if member is None:
            self.profile = None
            panel.update("")
            return
        try:
            profile = members.profile(self.pos.ctx, member.id)
        except PosError as exc:
            self.show_error(exc.message)
            return
        self.profile = profile
        symbol = self.pos.ctx.config.currency_symbol
        m = profile.member
        level = labels.level(self.pos.config, m.level) + (
            f" -{profile.discount_bp / 100:g}%" if profile.discount_bp else ""
        )
        rows = [
            (tr("Name"), labels.member(m.name, "-")),  # the card no. is on the next line
            (tr("Card no."), m.card_no),
            (tr("Phone"), mask_phone(m.phone)),
            (tr("Level"), level),
            (tr("Joined"), m.joined.strftime("%Y-%m-%d") if m.joined else "-"),
            (tr("Points"), str(m.points)),
            (tr("Balance"), show_money(m.balance, symbol)),
            (tr("Purchases"), f"{profile.sale_count} / {show_money(profile.sale_total, symbol)}"),
        ]
        refunded = Text.assemble(
            (tr("Refunded"), "bold"),
            " ",
            tr(
                "{count} / {amount} ({rate}%)",
                count=profile.refund_count,
                amount=show_money(profile.refund_total, symbol),
                rate=f"{profile.refund_rate_bp / 100:.1f}",
            ),
        )
        refunded.no_wrap, refunded.overflow = True, "ellipsis"
        # Orders, refunds and the refund line go on lines of their own (order and refund numbers
        # hold the date), so that neither they nor the labels are cut at 80 columns; F4 shows all.
        parts: list[Table | Text] = [self._grid(rows)]
        parts += [self._line(f"{sale.order_no} {show_money(sale.total, symbol)}") for sale in profile.recent[:3]]
        parts.append(refunded)
        parts += [
            self._line(f"{r.refund_no} {show_money(r.amount, symbol)} {labels.status(r.status)}")
            for r in profile.refunds[:2]
        ]
        panel.update(Group(*parts))

    @staticmethod
    def _grid(rows: list[tuple[str, str]]) -> Table:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(no_wrap=True, overflow="ellipsis")
        for label, value in rows:
            grid.add_row(label, plain(value))  # names and levels are shop data: text
        return grid

    @staticmethod
    def _line(text: str) -> Text:
        return Text(" " + text, no_wrap=True, overflow="ellipsis")

    def action_move(self, step: int) -> None:
        table = self.query_one("#member-results", DataTable)
        if self.results:
            table.move_cursor(row=max(0, min(len(self.results) - 1, table.cursor_row + step)))

    # -- attaching and creating ---------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "attach":
            focused = self.focused
            return focused is None or focused.id == "member-search"
        return True

    def action_attach(self) -> None:
        """Attach the highlighted member; with no list match the text is looked up (in a chain,
        at head office too: several found there are listed to pick from)."""
        profile = self.profile
        if profile is None:
            try:
                found = members.lookup(self.pos.ctx, self.pos.user, self.search_input.value)
            except PosError as exc:
                self.show_error(exc.message)
                return
            if len(found) > 1:
                self.show_results(found)
                self.show_error(tr("Found at head office: pick one, Enter attaches"), notice=True)
                return
            try:
                profile = members.profile(self.pos.ctx, found[0].id)
            except PosError as exc:
                self.show_error(exc.message)
                return
        self.attach(profile)

    def attach(self, profile: MemberProfile) -> None:
        """The member onto the sale, with head office's balance and points in a chain."""
        member = members.refreshed(self.pos.ctx, self.pos.user, profile.member)
        self.pos.basket.attach(member, profile.discount_bp)
        self.dismiss(True)

    def action_open_profile(self) -> None:
        """F4: the full profile of the highlighted member: purchases, refunds, refund rate."""
        profile = self.profile
        if profile is None:
            self.show_error(tr("Find a member first"))
            return

        def closed(attach: bool | None) -> None:
            if attach:
                self.attach(profile)

        self.app.push_screen(MemberProfileScreen(profile.member.id), closed)

    def action_create(self) -> None:
        query = self.search_input.value.strip()

        def created(member: Member | None) -> None:
            if member is not None:
                self.notice = tr("Member {card} created; Enter attaches", card=member.card_no)
                self.search_input.value = member.card_no

        self.app.push_screen(MemberFormScreen(phone=query if query.isdigit() else ""), created)

    def action_back(self) -> None:
        self.dismiss(False)
