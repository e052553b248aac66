"""The `tui-pos` command: start the till, set up a shop, load the demo, import CSV files.

Only argument parsing and printing live here; the work is done by the services.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from tui_pos import commands_central, i18n, labels
from tui_pos.commands_doctor import doctor_command
from tui_pos.config import Config, ConfigError, load_config
from tui_pos.domain.errors import AuthError, PosError
from tui_pos.domain.money import format_money
from tui_pos.domain.text import without_controls
from tui_pos.i18n import tr

if TYPE_CHECKING:
    from datetime import datetime

    from textual.app import App
    from textual.pilot import Pilot

    from tui_pos.domain.shift import ShiftReport
    from tui_pos.domain.staff import Staff
    from tui_pos.services.context import Context
    from tui_pos.services.shifts import DaySummary

EXAMPLES = """\
examples:
  tui-pos                              start the till (same as: tui-pos run)
  tui-pos --training                   practise on the demo shop (training.db; made on first start)
  tui-pos setup                        the guided first run: store, till, first manager, printer
                                       (test page, drawer), product and member CSV imports
  tui-pos setup printer                choose the printer again (also: setup store|manager|import)
  tui-pos setup --store-name 好邻居便利店 --till-code 02 --manager-name 王姐 --manager-pin 2580
        --printer usb:0416:5011 --width 58 --yes --products goods.csv    the same, scripted
  tui-pos init                         create an empty shop and its first manager
  tui-pos demo                         create or refresh the demo shop in the selected database
  tui-pos --training demo              ... in the training database
  tui-pos import products goods.csv --staff 002   add or update products (barcode,name,name_en,
                                       category,price,member_price,stock,refund_policy; prices in yuan
                                       like 3.50; a supervisor, PIN asked, or --pin, or on stdin)
  tui-pos import members members.csv --staff 003   add members (card_no,phone,name,level,points,
                                       balance,joined; points or balance need a manager)
  tui-pos report refunds --staff 003 --by reason --from 2026-11-01 --to 2026-11-30 --csv r.csv
                                       refund analytics (product, category, reason, cashier, level,
                                       member, week, cashiers, approvers, flags), to screen or CSV
  tui-pos report shift --staff 001     X report of this till's open shift (--shift N: a stored Z)
  tui-pos report day --staff 002 --date 2026-11-23   every till's shifts of a day
  tui-pos report refunds --staff 003 --central --store 02   head office's figures for store 02
                                       (every store, with a line per store, without --store)
  tui-pos price 6901234567890 3.50 --staff 002   change a price (recorded in the audit trail)
  tui-pos staff add 004 --name 小陈 --name-en "Chen" --staff 003   add a cashier (PINs asked)
  tui-pos staff list|disable 004|enable 004|reset-pin 004|role 004 supervisor --staff 003
  tui-pos backup --to /media/usb --staff 002   a consistent copy of the database, safe while tills run
  tui-pos restore FILE --staff 003     put a backup back (a manager; tills closed; asks first)
  tui-pos audit verify                 check the audit trail's hash chain
  tui-pos printer list                 USB devices this PC sees, with the ids for the config file
  tui-pos printer test --drawer        print a test page (and open the cash drawer)
  tui-pos example systemd --user till  the till on tty1 at boot, restarted if it stops (also: ssh, udev)
  tui-pos doctor                       check this till: versions, files, disk, backups, printer, terminal, clock
  tui-pos central init --url postgresql://hq.example/chain   head office: make its tables in PostgreSQL
  tui-pos central product set 6901 --price 12.50   a price for every store (also level set, policy set,
                                       stores, grant, changes, migrate; --url or [central] url)
  tui-pos sync --once                  upload to head office ([central] url) and pull its prices, once
CSV files may be UTF-8 (with or without BOM) or GBK, as Excel saves them.
"""


def _global_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    # On the sub-commands the defaults are SUPPRESS, so `tui-pos --training demo` and
    # `tui-pos demo --training` both work and neither position overwrites the other.
    default: object = argparse.SUPPRESS
    parser.add_argument(
        "--training",
        action="store_true",
        default=False if top else default,
        help="training mode: the separate training database and no real printer",
    )
    parser.add_argument(
        "--db",
        type=Path,
        metavar="PATH",
        default=None if top else default,
        help="use this database file instead of the default one",
    )
    parser.add_argument(
        "--config",
        type=Path,
        metavar="PATH",
        default=None if top else default,
        help="read settings from this TOML file",
    )


def _staff_options(parser: argparse.ArgumentParser, who: str) -> None:
    parser.add_argument("--staff", required=True, metavar="CODE", help=f"your staff code ({who})")
    parser.add_argument("--pin", metavar="PIN", help="asked for in a terminal; a script gives it on stdin")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tui-pos",
        description="A keyboard-only terminal cashier for small shops.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _global_options(parser, top=True)
    commands = parser.add_subparsers(dest="command", title="commands", metavar="COMMAND")

    run = commands.add_parser("run", help="start the till (the default when no command is given)")
    _global_options(run, top=False)
    # For install checks (CI, a packager): start headless, wait for the login screen, exit 0.
    run.add_argument("--check-start", action="store_true", help=argparse.SUPPRESS)

    from tui_pos.setup_wizard import PARTS, add_answer_flags

    setup = commands.add_parser("setup", help="the guided first run, or one part of it again (setup printer)")
    _global_options(setup, top=False)
    setup.add_argument("part", nargs="?", choices=PARTS, help="only this part: store, manager, printer or import")
    add_answer_flags(setup)
    init = commands.add_parser("init", help="create an empty shop database with its first manager")
    _global_options(init, top=False)
    add_answer_flags(init, init=True)

    demo = commands.add_parser(
        "demo", help="create or refresh the demo shop: staff, products, members, 60 days of sales"
    )
    _global_options(demo, top=False)

    imp = commands.add_parser("import", help="import products or members from a CSV file")
    _global_options(imp, top=False)
    kinds = imp.add_subparsers(dest="kind", title="what to import", metavar="{products,members}", required=True)
    for kind, text in (
        ("products", "add new barcodes, update known ones (name, price, stock ...)"),
        ("members", "add members with their points and stored value"),
    ):
        sub = kinds.add_parser(kind, help=text)
        _global_options(sub, top=False)
        sub.add_argument("csv", type=Path, metavar="CSV", help="the CSV file (header row first)")
        _staff_options(sub, "a supervisor; a manager for members' points or stored value")

    report = commands.add_parser("report", help="refund analytics, shift (X/Z) and day reports, to screen or CSV")
    _global_options(report, top=False)
    kinds = report.add_subparsers(dest="report", title="reports", metavar="{refunds,shift,day}", required=True)
    for name, text in (
        ("refunds", "refund analytics for a date range"),
        ("shift", "X report of the open shift, or a closed shift's Z report"),
        ("day", "every till's shifts of one day"),
    ):
        sub = kinds.add_parser(name, help=text)
        _global_options(sub, top=False)
        sub.add_argument("--staff", required=True, metavar="CODE", help="your staff code (reports need a manager)")
        sub.add_argument("--pin", metavar="PIN", help="asked for when run in a terminal")
        sub.add_argument("--csv", type=Path, metavar="FILE", help="write the table to this CSV file (UTF-8 with BOM)")
        sub.add_argument("--central", action="store_true", help="head office's figures: every store, or --store CODE")
        sub.add_argument("--store", metavar="CODE", help="with --central: one store (its store_code, e.g. 02)")
        sub.add_argument("--url", metavar="URL", help="with --central: head office's postgresql:// URL ([central] url)")
        if name == "refunds":
            sub.add_argument(
                "--by",
                default="reason",
                metavar="VIEW",
                help="product, category, reason, cashier, level, member, week, cashiers, approvers, flags",
            )
            sub.add_argument(
                "--from", dest="since", metavar="DATE", help="first day, e.g. 2026-11-01 (default: 30 days ago)"
            )
            sub.add_argument("--to", dest="until", metavar="DATE", help="last day (default: today)")
        elif name == "shift":
            sub.add_argument("--shift", type=int, metavar="N", help="a shift number (default: the open one)")
        else:
            sub.add_argument("--date", metavar="DATE", help="the day (default: today)")

    price = commands.add_parser("price", help="change a product's price (supervisor; recorded in the audit trail)")
    _global_options(price, top=False)
    price.add_argument("barcode")
    price.add_argument("price", help="new price in yuan, e.g. 3.50")
    price.add_argument("--member-price", metavar="PRICE", help="new member price (default: none)")
    price.add_argument("--staff", required=True, metavar="CODE", help="your staff code (a supervisor or manager)")
    price.add_argument("--pin", metavar="PIN", help="asked for when run in a terminal")
    backup = commands.add_parser("backup", help="copy the database with SQLite's online backup (safe while tills run)")
    _global_options(backup, top=False)
    backup.add_argument(
        "--to", type=Path, metavar="DIR", help="folder for the copy (default: backups/ in the data folder)"
    )
    backup.add_argument("--keep", type=int, default=14, metavar="N", help="keep the newest N copies there (0 = all)")
    _staff_options(backup, "a supervisor or manager")
    restore = commands.add_parser("restore", help="replace the database with a backup (close the tills first)")
    _global_options(restore, top=False)
    restore.add_argument("file", type=Path, metavar="FILE")
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    restore.add_argument(
        "--other-store", action="store_true", help="restore a backup of another store (its store code differs)"
    )
    _staff_options(restore, "a manager")
    audit_cmd = commands.add_parser("audit", help="check the audit trail")
    _global_options(audit_cmd, top=False)
    audit_cmd.add_argument("action", choices=["verify"])
    audit_cmd.add_argument(
        "--anchor",
        action="append",
        type=_anchor,
        metavar="COUNT:HASH",
        help="the audit line of a printed X or Z report (e.g. 1234:9f3a1c2e); may be repeated",
    )
    staff = commands.add_parser("staff", help="list, add, disable, enable staff, reset a PIN, change a role (manager)")
    _global_options(staff, top=False)
    staff_actions = staff.add_subparsers(dest="action", title="actions", metavar="ACTION", required=True)
    for action, text in (
        ("list", "everyone, with role, active, locked and refund limit"),
        ("add", "a new staff member: CODE --name NAME [--name-en] [--role cashier] (PIN asked twice)"),
        ("disable", "CODE can no longer log in"),
        ("enable", "CODE can log in again"),
        ("reset-pin", "CODE gets a PIN you give, to be changed at their next log in (also unlocks)"),
        ("role", "CODE ROLE: cashier, supervisor or manager"),
        ("rename", "CODE --name NAME and/or --name-en NAME"),
        ("limit", "CODE AMOUNT: what they may refund without approval, in yuan ('default' = their role's)"),
    ):
        sub = staff_actions.add_parser(action, help=text)
        _global_options(sub, top=False)
        sub.add_argument("--staff", required=True, metavar="CODE", help="your staff code (a manager)")
        sub.add_argument("--pin", metavar="PIN", help="your PIN (asked for when not given)")
        if action != "list":
            sub.add_argument("code", metavar="CODE", help="the staff member's code")
        if action in ("add", "rename"):
            sub.add_argument("--name", required=action == "add", metavar="NAME")
            sub.add_argument("--name-en", default="" if action == "add" else None, metavar="NAME")
        if action in ("add", "reset-pin"):
            sub.add_argument("--new-pin", metavar="PIN", help="their new PIN (asked twice when not given)")
        if action == "add":
            sub.add_argument("--role", default="cashier", metavar="ROLE", help="cashier (default), supervisor, manager")
        if action == "role":
            sub.add_argument("role", metavar="ROLE")
        if action == "limit":
            sub.add_argument("amount", metavar="AMOUNT")

    printer = commands.add_parser("printer", help="find the receipt printer and print a test page")
    _global_options(printer, top=False)
    actions = printer.add_subparsers(dest="action", title="actions", metavar="{list,test}", required=True)
    listing = actions.add_parser("list", help="USB devices pyusb can see (ids, maker, name) and printer nodes")
    _global_options(listing, top=False)
    test = actions.add_parser("test", help="print a test page on the configured printer and say what failed")
    _global_options(test, top=False)
    test.add_argument("--drawer", action="store_true", help="also kick the cash drawer")
    commands_central.add_parser(commands, lambda sub: _global_options(sub, top=False))
    example = commands.add_parser(
        "example", help="files that start the till at boot (systemd), serve it over SSH, give it the USB printer (udev)"
    )
    _global_options(example, top=False)
    example.add_argument("kind", choices=["systemd", "ssh", "udev"])
    example.add_argument("--user", default="", metavar="NAME", help="the Linux user the till runs as (default: you)")
    example.add_argument("--till", default="", metavar="CODE", help="its till code (default: the config's)")
    example.add_argument("--to", type=Path, metavar="DIR", help="write the files into DIR instead of printing them")
    doctor = commands.add_parser("doctor", help="check what breaks a till in the field and say how to fix it")
    _global_options(doctor, top=False)
    sync = commands.add_parser("sync", help="upload this store's sales to head office and pull its prices ([central])")
    _global_options(sync, top=False)
    sync.add_argument("--once", action="store_true", help="one round, then exit (2 when head office is unreachable)")
    sync.add_argument("--url", metavar="URL", help="head office's postgresql:// URL instead of [central] url")
    return parser


# Commands that work on an existing shop; only init, demo, setup and run make a database.
NEEDS_SHOP = ("import", "report", "backup", "audit", "price", "staff", "sync")


def _sync(config: Config, args: argparse.Namespace) -> int:
    from tui_pos.commands_sync import sync_command  # psycopg loads only for a chain's store

    return sync_command(config, args)


def _anchor(text: str) -> object:
    from tui_pos.commands_audit import anchor_argument

    return anchor_argument(text)


def _central(config: Config, args: argparse.Namespace) -> int:
    from tui_pos.commands_central import central_command  # psycopg loads only at head office

    return central_command(config, args)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "setup" and args.config is not None and not args.config.exists():
        from tui_pos.files import create_owner_only

        create_owner_only(args.config)  # setup writes the file it is given; every other command needs it
    try:
        config = load_config(args.config, training=args.training, db_path=args.db)
    except ConfigError as exc:
        print(f"tui-pos: {exc}", file=sys.stderr)
        return 2
    i18n.set_language(i18n.resolve_language(config.language))
    if config.training and config.db_path.resolve() == (config.data_dir / "shop.db").resolve():
        _err(tr("Training mode never opens the live database {path}", path=config.db_path))
        return 2
    if args.command in NEEDS_SHOP and not config.db_path.exists():  # never create one by a typo in --db
        _err(tr("No shop database at {path}: check --db, or create a shop with `tui-pos init`", path=config.db_path))
        return 2
    handlers: dict[str, Callable[[Config, argparse.Namespace], int]] = {
        "run": run_till,
        "central": _central,
        "setup": setup_command,
        "init": init_shop,
        "demo": demo_shop,
        "import": import_file,
        "printer": printer_command,
        "report": report_command,
        "backup": backup_command,
        "restore": restore_command,
        "audit": audit_command,
        "price": price_command,
        "staff": staff_command,
        "example": example_command,
        "doctor": doctor_command,
        "sync": _sync,
    }
    try:
        return handlers[args.command or "run"](config, args)
    except PosError as exc:
        _err(exc.message)
        return 1
    except KeyboardInterrupt:
        _err("")
        return 130


def _ask(prompt: str, *, secret: bool = False) -> str:
    """One answer: typed at a terminal (a PIN without echo), or the next line of a script's stdin."""
    if sys.stdin.isatty():
        return (getpass.getpass(prompt) if secret else input(prompt)).strip()
    print(prompt, file=sys.stderr)
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line.strip()


def _err(text: str) -> None:
    print(text, file=sys.stderr)


# --- run -------------------------------------------------------------------------------------


def run_till(config: Config, args: argparse.Namespace) -> int:
    from tui_pos.services import demo

    state = demo.shop_state(config)
    if config.training and state != "ready":
        _err(tr("Training: setting up the demo shop in {path} ...", path=config.db_path))
        demo.seed_shop(config)
    elif state != "ready":
        _err(
            tr(
                "No shop set up in {path}. Create one with `tui-pos init`, "
                "or practise on the demo shop with `tui-pos --training`.",
                path=config.db_path,
            )
        )
        return 2
    if not config.training:
        from tui_pos.services.maintenance import refuse_exposed

        refuse_exposed(config)
    from tui_pos.ui.app import make_app

    app = make_app(config)
    if getattr(args, "check_start", False):
        return _check_start(app)
    app.run()
    return 0


def _check_start(app: App[Any]) -> int:
    """Run the real till headless until its login screen is drawn: proof that an install works."""
    from tui_pos.ui.screens.login import LoginScreen

    async def reach_login(pilot: Pilot[object]) -> None:
        await pilot.pause()
        pilot.app.exit(isinstance(pilot.app.screen, LoginScreen))

    reached = app.run(headless=True, size=(80, 24), auto_pilot=reach_login)
    if reached is not True:
        _err(f"the till did not reach its login screen: {app.return_code=}, screen {app.screen!r}")
        return 1
    print("tui-pos: the till started and showed its login screen")
    return 0


# --- init ------------------------------------------------------------------------------------


def init_shop(config: Config, args: argparse.Namespace) -> int:
    from tui_pos import setup_wizard

    return setup_wizard.init(config, args, _ask)


def setup_command(config: Config, args: argparse.Namespace) -> int:
    from tui_pos import setup_wizard

    return setup_wizard.setup(config, args, _ask)


# --- demo ------------------------------------------------------------------------------------


def demo_shop(config: Config, args: argparse.Namespace) -> int:
    from tui_pos.services import demo

    summary = demo.seed_shop(config)
    print(tr("Demo shop ready in {path}", path=summary.db_path))
    print(
        tr(
            "Staff added: {staff}; products: {new} new, {updated} updated; members: {members} new; "
            "past sales: {sales}; stock topped up: {restocked}",
            staff=summary.staff_created,
            new=summary.products.imported,
            updated=summary.products.updated,
            members=summary.members.imported,
            sales=summary.sales_created,
            restocked=summary.restocked,
        )
    )
    for error in summary.products.errors + summary.members.errors:
        print("  " + str(error))
    print(tr("Log in with (staff code / PIN):"))
    for staff in summary.staff:
        print(f"  {staff.code} / {staff.pin}  {staff.name}")
    start = "tui-pos --training" if config.training else f"tui-pos --db {config.db_path}"
    print(tr("Start the till with: {command}", command=start))
    return 0


# --- import ----------------------------------------------------------------------------------


class TextProgress:
    """A plain text bar on one line, redrawn when the import reports progress."""

    def __init__(self, stream: TextIO, width: int = 30) -> None:
        self.stream, self.width = stream, width
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        filled = self.width * done // total if total else self.width
        self.stream.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] {done}/{total} ")
        self.stream.flush()
        self.drawn = True

    def finish(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False


def import_file(config: Config, args: argparse.Namespace) -> int:
    from tui_pos.services import imports

    if not config.db_path.exists():
        _err(tr("No shop database at {path}; create it first with `tui-pos init`", path=config.db_path))
        return 2
    run = imports.import_products if args.kind == "products" else imports.import_members
    pin = _pin(args)
    if pin is None:
        return 2
    bar = TextProgress(sys.stderr)
    with _signed_in(config, args.staff, pin) as (ctx, actor):
        try:
            # a bar redrawn with \r is for a terminal; in a log or a pipe it is one long line of bars
            report = run(ctx, actor, args.csv, progress=bar if sys.stderr.isatty() else None)
        except imports.ImportFileError as exc:
            _err(f"{args.csv}: {exc.message}")
            _err(tr("Nothing was imported."))
            return 2
        finally:
            bar.finish()
    print(
        tr(
            "{file}: {imported} new, {updated} updated, {unchanged} unchanged, {rejected} rejected",
            file=args.csv,
            imported=report.imported,
            updated=report.updated,
            unchanged=report.unchanged,
            rejected=report.rejected,
        )
    )
    for error in report.errors:
        print(str(error))
    for warning in report.warnings:
        print(warning)
    return 1 if report.errors else 0


# --- printer ---------------------------------------------------------------------------------


def printer_command(config: Config, args: argparse.Namespace) -> int:
    from tui_pos.services import printing

    cfg = config.printer
    if args.action == "list":
        nodes = printing.printer_nodes()
        try:
            devices = printing.usb_devices()
        except PosError as exc:
            _err(f"{exc.message}\n  {getattr(exc, 'hint', '')}")
            devices = None
        if devices is not None:
            print(tr("USB devices (vendor:product, maker, name):"))
            for d in devices:
                mark = "  <- " + tr("printer") if d.is_printer else ""
                if (d.vendor, d.product) == (cfg.usb_vendor, cfg.usb_product):
                    mark += "  (" + tr("configured") + ")"
                print(f"  {d.vendor:04x}:{d.product:04x}  {d.manufacturer or '-'}  {d.name or '-'}{mark}")
            if not devices:
                print("  " + tr("none"))
        print(tr("Printer nodes (backend device): {nodes}", nodes=", ".join(nodes) or tr("none")))
        print(
            tr(
                "Configured: backend {backend}, usb {vendor:04x}:{product:04x}, width {width}, encoding {encoding}",
                backend=cfg.backend,
                vendor=cfg.usb_vendor,
                product=cfg.usb_product,
                width=cfg.width,
                encoding=cfg.encoding,
            )
        )
        print(
            tr(
                "To use a USB printer set usb_vendor = 0x.... and usb_product = 0x.... under [printer] in {path}",
                path=config_path_hint(config),
            )
        )
        return 0
    result = printing.print_test_page(config, kick_drawer=args.drawer)
    if cfg.backend == "training":
        from tui_pos.devices.tickets import printer_test_page

        print(printer_test_page(config).preview())
    if result.ok:
        print(
            tr(
                "Test page sent to the {printer} ({size} bytes)",
                printer=labels.printer(cfg.backend),
                size=len(result.data),
            )
        )
    else:
        _err(tr("Test page failed: {error}", error=result.message))
        if result.hint:
            _err("  " + result.hint)
    if args.drawer:
        if result.drawer_error:
            _err(tr("Cash drawer did not open: {error}", error=result.drawer_error))
        else:
            print(tr("Cash drawer kicked (pin {pin})", pin=cfg.drawer_pin))
    return 0 if result.ok and not result.drawer_error else 1


def config_path_hint(config: Config) -> str:
    import os

    from tui_pos.config import default_config_path

    return str(default_config_path(os.environ))


# --- report ----------------------------------------------------------------------------------


def _pin(args: argparse.Namespace) -> str | None:
    """--pin, or asked: without echo in a terminal, else the first line of a script's stdin;
    None (after saying so) when there is none."""
    pin: str | None = args.pin
    if pin is not None:
        return pin
    try:
        pin = _ask(tr("PIN of {code}: ", code=args.staff), secret=True)
    except (EOFError, OSError):  # OSError: a stdin that may not be read (a test runner's)
        pin = ""
    if not pin:
        _err(tr("Give --pin, the PIN on stdin, or run in a terminal to be asked for it"))
        return None
    return pin


@contextmanager
def _signed_in(config: Config, code: str, pin: str) -> Iterator[tuple[Context, Staff]]:
    """The shop open and the staff code + PIN checked (a wrong PIN counts, as at the till)."""
    from tui_pos.services import staff as staff_service
    from tui_pos.services.context import close_shop, open_shop

    ctx = open_shop(config)
    try:
        staff = staff_service.login(ctx, code, pin)
        if staff.must_change_pin:  # a manager's reset: the PIN is known to them until changed
            raise AuthError("Your PIN was reset: log in at the till and choose a new one first")
        yield ctx, staff
    finally:
        close_shop()


def staff_command(config: Config, args: argparse.Namespace) -> int:
    from tui_pos.commands_staff import staff_command as run

    return run(config, args)


def price_command(config: Config, args: argparse.Namespace) -> int:
    from tui_pos.services import catalog

    pin = _pin(args)
    if pin is None:
        return 2
    with _signed_in(config, args.staff, pin) as (ctx, actor):
        product = catalog.change_price(ctx, actor, args.barcode, args.price, args.member_price)
    member = (
        "" if product.member_price is None else tr(", member price {price}", price=format_money(product.member_price))
    )
    print(
        tr(
            "{name} ({barcode}) now costs {price}{member}",
            name=product.name,
            barcode=product.barcode,
            price=format_money(product.price),
            member=member,
        )
    )
    return 0


def report_command(config: Config, args: argparse.Namespace) -> int:
    from tui_pos.services import shifts

    if not args.central and (args.store or args.url):  # else this store's figures would pass for another's
        _err(tr("--store and --url ask for head office's figures: add --central"))
        return 2
    pin = _pin(args)
    if pin is None:
        return 2
    headers: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]
    with _signed_in(config, args.staff, pin) as (ctx, actor):
        if args.central:  # head office's figures: the same reports, run on its PostgreSQL
            from tui_pos.commands_report_central import central_report

            headers, rows = central_report(config, args, ctx, actor)
        elif args.report == "shift":
            headers, rows = print_shift_report(config, shifts.report_for(ctx, actor, args.shift))
        elif args.report == "day":
            day = shifts.day_summary(ctx, actor, shifts.parse_day(args.date) if args.date else None)
            headers, rows = print_day_report(day)
        else:
            headers, rows = print_refund_report(ctx, actor, args)
        if args.csv:
            from tui_pos.services import export

            path = export.write_csv(actor, args.csv, f"report:{args.report}", headers, rows)
            print(tr("Saved {path}", path=str(path)))
    return 0


ReportTable = tuple[tuple[str, ...], list[tuple[str, ...]]]  # (headers, rows) of a report, for the screen and CSV


def print_shift_report(config: Config, report: ShiftReport) -> ReportTable:
    """The X/Z report printed to the screen as the till prints it; its figures as a table."""
    from tui_pos.devices.tickets import shift_ticket

    print("\n".join(without_controls(line) for line in shift_ticket(config, report).preview().split("\n")))
    rows: list[tuple[str, ...]] = list(_shift_rows(report))
    return (tr("Entry"), tr("Amount")), rows


DAY_HEADS = ("Till", "Shift", "Opened", "Closed", "Sales", "Refunds", "Net", "Expected cash", "Counted", "Variance")


def day_rows(day: DaySummary) -> list[tuple[str, ...]]:
    from tui_pos.services.reports import yuan

    return [
        (
            r.till_code,
            str(r.shift_id),
            f"{r.opened_at:%Y-%m-%d %H:%M}",
            f"{r.closed_at:%Y-%m-%d %H:%M}" if r.closed_at else labels.status("open"),
            yuan(r.sales_total),
            yuan(r.refunds_total),
            yuan(r.net_total),
            yuan(r.expected_cash),
            "" if r.counted is None else yuan(r.counted),
            "" if r.variance is None else yuan(r.variance),
        )
        for r in day.shifts
    ]


def print_day_report(day: DaySummary) -> ReportTable:
    headers, rows = tuple(tr(h) for h in DAY_HEADS), day_rows(day)
    _print_table(headers, rows)
    return headers, rows


def refund_range(ctx: Context, args: argparse.Namespace) -> tuple[datetime, datetime]:
    """--from..--to as [since, until), by default the last 30 days."""
    from datetime import timedelta

    from tui_pos.services import reports

    today = ctx.now()
    return reports.date_range(args.since or f"{today - timedelta(days=29):%Y-%m-%d}", args.until or f"{today:%Y-%m-%d}")


def print_refund_report(ctx: Context, actor: Staff, args: argparse.Namespace) -> ReportTable:
    """Refund analytics of --from..--to (default the last 30 days), --by one view: the summary
    line, then the table."""
    from tui_pos.services import reports

    since, until = refund_range(ctx, args)
    table = reports.table(ctx, actor, args.by, since, until)
    s = reports.summary(ctx, actor, since, until)
    print(
        tr(
            "{count} refunds {amount} of {sales} sales: rate {rate}",
            count=s.refunds,
            amount=reports.yuan(s.refund_amount),
            sales=reports.yuan(s.sales_amount),
            rate=reports.pct(s.rate_bp),
        )
    )
    _print_table(table.headers, table.rows)
    return table.headers, list(table.rows)


def _shift_rows(report: ShiftReport) -> list[tuple[str, str]]:
    """The X/Z report's figures, one per row, named as the printed report names them."""
    from tui_pos.services.reports import yuan

    rows = [(tr("Opening float"), yuan(report.opening_float))]
    for t in report.tenders:
        name = labels.tender(t.tender)
        rows += [(f"{name} {tr('Sales')}", yuan(t.sales)), (f"{name} {tr('Refunds')}", yuan(t.refunds))]
    rows += [
        (tr("Paid in"), yuan(report.paid_in)),
        (tr("Paid out"), yuan(report.paid_out)),
        (tr("Expected cash"), yuan(report.expected_cash)),
        (tr("Sales count"), str(report.sales_count)),
        (tr("Refund count"), str(report.refund_count)),
        (tr("Voids"), str(report.voids)),
        (tr("Discounts"), yuan(report.discounts)),
        (tr("Points issued"), str(report.points_issued)),
        (tr("Points taken back"), str(report.points_taken_back)),
    ]
    if report.counted is not None:
        rows += [
            (tr("Counted cash"), yuan(report.counted)),
            (tr("Variance"), yuan(report.variance or 0)),
            (tr("Note"), report.note),
        ]
    return rows


def _print_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Columns of plain text; names (products, members, staff) are printed as they are, less any
    control character, which the terminal would obey instead of showing."""
    from tui_pos.devices.layout import cells, pad

    table = [[without_controls(str(c)) for c in row] for row in [headers, *rows]]
    widths = [max(cells(row[i]) for row in table) for i in range(len(headers))]
    for row in table:
        print("  ".join(pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip())


# --- backup, restore, audit ----------------------------------------------------------------------


def backup_command(config: Config, args: argparse.Namespace) -> int:
    from tui_pos.domain.staff import require
    from tui_pos.services import maintenance

    if not config.db_path.exists():  # signing in would create an empty database
        _err(tr("No shop database at {path}; create it first with `tui-pos init`", path=config.db_path))
        return 2
    pin = _pin(args)
    if pin is None:
        return 2
    with _signed_in(config, args.staff, pin) as (_, actor):
        require(actor, "backup")
    done = maintenance.backup(config, args.to, args.keep)
    print(tr("Backup written: {path}", path=str(done.path)))
    if done.copy is not None:
        print(tr("Copied to {path}", path=str(done.copy)))
    if done.copy_error:
        _err(tr("The second copy (copy_to) failed: {error}; the backup above is kept", error=done.copy_error))
        return 1
    return 0


def restore_command(config: Config, args: argparse.Namespace) -> int:
    from tui_pos.services import maintenance

    maintenance.check_file(args.file)
    who = _restorer(config, args) if config.db_path.exists() else args.staff
    if who is None:
        return 2
    if not args.yes:
        if not sys.stdin.isatty():
            _err(tr("Restore replaces {db}: add --yes to confirm", db=str(config.db_path)))
            return 2
        answer = input(
            tr(
                "Replace {db} with {file}? Close every till first. Type yes: ",
                db=str(config.db_path),
                file=str(args.file),
            )
        )
        if answer.strip().lower() != "yes":
            _err(tr("Nothing restored"))
            return 1
    done = maintenance.restore(config, args.file, other_store=args.other_store, actor=who or "")
    kept = done.broken or done.kept
    if done.broken is not None:
        print(tr("Restored {file}; the damaged database is kept aside as {kept}", file=str(args.file), kept=str(kept)))
    elif kept is not None:
        print(tr("Restored {file}; the database it replaced is kept as {kept}", file=str(args.file), kept=str(kept)))
    else:
        print(tr("Restored {file}", file=str(args.file)))
    return 0


def _restorer(config: Config, args: argparse.Namespace) -> str | None:
    """The code of a manager of the database being replaced, signed in. One that cannot be opened
    at all (damaged) has nobody to ask: whoever can write its folder can replace it anyway."""
    import sqlite3

    import peewee

    from tui_pos.domain.staff import require

    pin = _pin(args)
    if pin is None:
        return None
    try:
        with _signed_in(config, args.staff, pin) as (_, actor):
            require(actor, "restore")
            return actor.code
    except (sqlite3.DatabaseError, peewee.DatabaseError) as exc:
        _err(tr("{path} cannot be opened ({error}); restoring without a sign-in", path=config.db_path, error=exc))
    return str(args.staff)


def audit_command(config: Config, args: argparse.Namespace) -> int:
    from tui_pos.commands_audit import audit_command as verify

    return verify(config, args)


def example_command(config: Config, args: argparse.Namespace) -> int:
    from tui_pos import deploy

    files = deploy.render(args.kind, deploy.this_install(config, user=args.user, till=args.till))
    if args.to is None:
        print("\n".join(text for _, text in files), end="")
        return 0
    args.to.mkdir(parents=True, exist_ok=True)
    for name, text in files:
        (args.to / name).write_text(text, encoding="utf-8")
        print(args.to / name)
    return 0
