"""`tui-pos setup` (and `tui-pos init`): the questions of a shop's first run.

Each answer is checked the moment it is typed and asked again until it is right (the rules are in
tui_pos/domain/setup.py); nothing is written until every question is answered. Every answer also
has a flag for scripted installs: without a terminal and with flags, only a missing answer that
has no default is read from stdin, and none there is an error naming its flag.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol, TextIO, TypeVar

from tui_pos import config_file, i18n
from tui_pos.config import Config, ConfigError, default_config_path, load_config
from tui_pos.domain import setup as answers
from tui_pos.domain.errors import AuthError, Conflict, InvalidInput, PosError
from tui_pos.domain.setup import NO_PRINTER, PrinterChoice
from tui_pos.domain.staff import Staff, check_staff_code
from tui_pos.i18n import tr

T = TypeVar("T")
PARTS = ("store", "manager", "printer", "import")
# dest of each answer's flag: any of them given without a terminal makes the run a scripted one
ANSWER_FLAGS = (
    "store_name",
    "store_name_en",
    "store_code",
    "till_code",
    "language",
    "manager_code",
    "manager_name",
    "manager_pin",
    "printer",
    "width",
    "profile",
    "products",
    "members",
    "yes",
    "staff",
    "pin",
)
PROGRESS_EVERY = 500  # rows between two progress lines of an import


class Ask(Protocol):
    def __call__(self, prompt: str, *, secret: bool = False) -> str: ...


class SetupError(Exception):
    """The run stops: a flag that cannot be used, or no answer where one is needed. Nothing is written."""


def add_answer_flags(parser: argparse.ArgumentParser, *, init: bool = False) -> None:
    """The flags of `setup` (all of them) or `init` (store name and manager)."""
    parser.add_argument("--store-name", metavar="NAME", help="the store's name as on the receipt")
    if not init:
        parser.add_argument("--store-name-en", metavar="NAME", help="its English form (English UI, Linux console)")
        parser.add_argument("--store-code", metavar="CODE", help="1 to 8 letters or digits (default 01)")
        parser.add_argument("--till-code", metavar="CODE", help="this till's code; each till of a shop its own")
        parser.add_argument("--language", metavar="LANG", help="zh, en or auto (Chinese; English on the Linux console)")
    parser.add_argument("--manager-code", metavar="CODE", help="staff code of the first manager (e.g. 001)")
    parser.add_argument("--manager-name", metavar="NAME", help="name of the first manager")
    parser.add_argument(
        "--manager-pin",
        metavar="PIN",
        help="4 to 8 digit PIN (asked for when run in a terminal; an option shows up in shell history)",
    )
    if init:
        return
    parser.add_argument(
        "--printer",
        metavar="WHERE",
        help="usb:0416:5011, device:/dev/usb/lp0, network:192.168.1.50:9100, file:PATH or none",
    )
    parser.add_argument("--width", metavar="MM", help="paper width: 58 or 80 (mm)")
    parser.add_argument("--profile", metavar="NAME", help="python-escpos profile: default, simple, POS-5890 ...")
    parser.add_argument("--products", metavar="CSV", help="import these products")
    parser.add_argument("--members", metavar="CSV", help="import these members")
    parser.add_argument("--staff", metavar="CODE", help="your staff code, to import into a shop set up before")
    parser.add_argument("--pin", metavar="PIN", help="your PIN (asked for; a script gives it on stdin)")
    parser.add_argument("--yes", action="store_true", default=None, help="accept the test page without asking")


@dataclass
class Asker:
    """Asks one question at a time: at a terminal, or a line of stdin each (tests, scripts)."""

    ask: Ask
    scripted: bool  # no terminal and answers given as flags: ask only what has no default
    out: TextIO
    err: TextIO

    def say(self, text: str = "") -> None:
        print(text, file=self.out)

    def warn(self, text: str) -> None:
        print(text, file=self.err)

    def asks(self, given: object, default: str | None) -> bool:
        """Whether the question will be put (for a list of choices shown before it)."""
        return given is None and not (self.scripted and default is not None)

    def answer(
        self,
        check: Callable[[str], T],
        question: str,
        flag: str,
        given: str | None,
        *,
        default: str | None = None,
        secret: bool = False,
    ) -> T:
        """The checked answer: from its flag, else asked (again after each wrong one); Enter takes `default`."""
        if given is not None:
            try:
                return check(given)
            except InvalidInput as exc:
                raise SetupError(f"{flag}: {exc.message}") from None
        if self.scripted and default is not None:
            return check(default)
        prompt = (
            tr("{question} [{default}]: ", question=question, default=default)
            if default
            else tr("{question}: ", question=question)
        )
        while True:
            try:
                text = self.ask(prompt, secret=secret)
            except EOFError:
                raise SetupError(tr("No answer to '{question}': give {flag}", question=question, flag=flag)) from None
            if not text and default is not None:
                text = default
            try:
                return check(text)
            except InvalidInput as exc:
                self.warn(exc.message)


def asker(args: argparse.Namespace, ask: Ask, *, flags: tuple[str, ...] = ANSWER_FLAGS) -> Asker:
    scripted = not sys.stdin.isatty() and any(getattr(args, name, None) is not None for name in flags)
    return Asker(ask, scripted, sys.stdout, sys.stderr)


def config_path(args: argparse.Namespace) -> Path:
    """The file this run reads its settings from: --config, else the user's config file."""
    path: Path | None = getattr(args, "config", None)
    return path or default_config_path(os.environ)


# --- the store --------------------------------------------------------------------------------


def store_part(a: Asker, args: argparse.Namespace, mine: Mapping[str, Any]) -> dict[str, config_file.Value]:
    """Store name (required unless the file has one: the packaged 好邻居便利店 is a demo's), codes, language."""
    name = a.answer(
        answers.store_name,
        tr("Store name, as on the receipt"),
        "--store-name",
        args.store_name,
        default=_text(mine.get("store_name")),
    )
    name_en = a.answer(
        answers.english_name,
        tr("Its English form, for the English screens and the Linux console (Enter: none)"),
        "--store-name-en",
        args.store_name_en,
        default=_text(mine.get("store_name_en")) or "",
    )
    store_code = a.answer(
        answers.store_code,
        tr("Store code"),
        "--store-code",
        args.store_code,
        default=_text(mine.get("store_code")) or "01",
    )
    till_code = a.answer(
        answers.till_code,
        tr("Till code (each till sharing the database needs its own)"),
        "--till-code",
        args.till_code,
        default=_text(mine.get("till_code")) or "01",
    )
    language = a.answer(
        answers.language,
        tr("Language: zh, en or auto (Chinese; English on the Linux console)"),
        "--language",
        args.language,
        default=_text(mine.get("language")) or "auto",
    )
    i18n.set_language(i18n.resolve_language(language))  # the rest of the questions in the shop's language
    return {
        "store_name": name,
        "store_name_en": name_en,
        "store_code": store_code,
        "till_code": till_code,
        "language": language,
    }


def _text(value: object) -> str | None:
    return None if value is None else str(value)


# --- the first manager --------------------------------------------------------------------------


@dataclass(frozen=True)
class Manager:
    code: str
    name: str
    pin: str


def manager_part(a: Asker, args: argparse.Namespace, config: Config) -> Manager:
    """The first manager: a weak PIN (1111, 1234) is refused as for any new PIN, unless [security] allows it."""
    code = a.answer(
        check_staff_code, tr("Staff code of the first manager"), "--manager-code", args.manager_code, default="001"
    )
    name = a.answer(answers.person_name, tr("Name of the manager"), "--manager-name", args.manager_name)

    def new_pin(pin: str) -> str:
        from tui_pos.services.staff import check_chosen_pin

        return check_chosen_pin(config.security, pin)

    if args.manager_pin is not None:
        return Manager(code, name, a.answer(new_pin, "PIN", "--manager-pin", args.manager_pin))
    while True:
        pin = a.answer(new_pin, tr("PIN (4 to 8 digits)"), "--manager-pin", None, secret=True)
        if a.answer(str, tr("Type the PIN again"), "--manager-pin", None, secret=True) == pin:
            return Manager(code, name, pin)
        a.warn(tr("The two PINs differ; type the PIN again"))


# --- the printer ----------------------------------------------------------------------------------


def found_printers(a: Asker) -> list[tuple[str, PrinterChoice]]:
    """What `tui-pos printer list` finds: USB printers (by their printer-class interface) and /dev/usb/lp*."""
    from tui_pos.services import printing

    found: list[tuple[str, PrinterChoice]] = []
    try:
        devices = printing.usb_devices()
    except PosError as exc:
        a.warn(tr("USB devices cannot be listed: {error}", error=exc.message))
        devices = []
    for d in devices:
        if d.is_printer:
            label = f"USB {d.vendor:04x}:{d.product:04x}  {d.manufacturer or '-'}  {d.name or '-'}"
            found.append((label, PrinterChoice("usb", usb_vendor=d.vendor, usb_product=d.product)))
    for node in printing.printer_nodes():
        found.append((node, PrinterChoice("device", device=node)))
    return found


def pick_printer(found: list[tuple[str, PrinterChoice]]) -> Callable[[str], PrinterChoice]:
    def check(text: str) -> PrinterChoice:
        text = text.strip()
        if text.isdigit() and 1 <= int(text) <= len(found):
            return found[int(text) - 1][1]
        choice = answers.printer_choice(text)
        if choice.backend == "device" and not Path(choice.device).exists():
            raise InvalidInput(
                "Nothing at {path}: is the printer plugged in and switched on? "
                "`tui-pos printer list` shows what this PC sees",
                path=choice.device,
            )
        if choice.backend == "file" and not Path(choice.device).parent.is_dir():
            raise InvalidInput("No folder {path}", path=str(Path(choice.device).parent))
        return choice

    return check


def profile(text: str) -> str:
    """A python-escpos capability profile: which barcodes and QR codes the printer's firmware draws."""
    from escpos.capabilities import CAPABILITIES  # only here: escpos loads with printing

    names: dict[str, str] = {str(name).lower(): str(name) for name in CAPABILITIES["profiles"]}
    name = names.get(text.strip().lower())
    if name is None:
        raise InvalidInput(
            "Unknown printer profile {name}: try default, or simple, POS-5890 or ZJ-5870 for a cheap 58 mm printer",
            name=text.strip()[:30],
        )
    return name


def _current_printer(mine: Mapping[str, Any]) -> str | None:
    """The --printer form of the printer the owner's file names, if it names one."""
    section = mine.get("printer", {})
    backend = section.get("backend")
    try:
        if backend == "usb":
            return PrinterChoice("usb", int(section["usb_vendor"]), int(section["usb_product"])).spec()
        if backend in ("device", "file"):
            return PrinterChoice(backend, device=str(section["device"])).spec()
        if backend == "network":
            return PrinterChoice("network", host=str(section["host"]), port=int(section.get("port", 9100))).spec()
    except (KeyError, TypeError, ValueError):
        return None
    return "none" if backend in ("none", "training") else None


def printer_part(
    a: Asker, args: argparse.Namespace, config: Config, mine: Mapping[str, Any]
) -> dict[str, config_file.Value]:
    """Choose, print a test page and kick the drawer, and ask whether it came out right; a no asks again."""
    section = mine.get("printer", {})
    width_now = {32: "58", 48: "80", 42: "42"}.get(section.get("width", 32), "58")
    profile_now = str(section.get("profile", "default"))
    given: tuple[str | None, str | None, str | None] = (args.printer, args.width, args.profile)
    for round_no in itertools.count():
        if round_no and a.scripted:  # the flags' printer did not work out: a script cannot be asked again
            raise SetupError(tr("The printer did not work out: give another --printer, or --printer none"))
        found = found_printers(a) if given[0] is None else []  # a flag's printer needs no search
        default = _current_printer(mine) or ("1" if found else None)
        if a.asks(given[0], default):
            a.say(tr("Printers found:") if found else tr("No printer found on USB or /dev/usb/lp*."))
            for number, (label, _) in enumerate(found, 1):
                a.say(f"  {number}  {label}")
            a.say(tr("Or type usb:VVVV:PPPP, device:/dev/usb/lp0, network:ADDRESS:9100, or none (no printer yet)"))
        choice = a.answer(pick_printer(found), tr("Printer"), "--printer", given[0], default=default)
        if choice == NO_PRINTER:
            a.say(tr("No printer yet: tickets wait in the print queue; run `tui-pos setup printer` when it is here."))
            return {"backend": None}
        width = a.answer(answers.paper_width, tr("Paper width in mm, 58 or 80"), "--width", given[1], default=width_now)
        name = a.answer(
            profile,
            tr("Printer profile (default; a cheap 58 mm printer may need simple or POS-5890)"),
            "--profile",
            given[2],
            default=profile_now,
        )
        given = (None, None, None)  # a second round asks again, offering what was just tried
        width_now, profile_now = {32: "58", 48: "80"}.get(width, str(width)), name
        keys = _printer_keys(choice, width, name)
        if _test_page(a, config, keys) and (
            args.yes
            or a.answer(
                answers.yes_no,
                tr("Did the page come out right (Chinese readable, barcode, QR code, cut)? y/n"),
                "--yes",
                None,
            )
        ):
            return keys | ({} if args.yes else _drawer(a, config, keys))
        a.say(tr("Then choose again: another printer, width or profile."))
    raise AssertionError("unreachable")


def _drawer(a: Asker, config: Config, keys: Mapping[str, config_file.Value]) -> dict[str, config_file.Value]:
    """Did the drawer open? If not, kick it on the other pin (drawers are wired to pin 2 or 5) and keep
    the one that opens it; {} when the pin stays as it is."""
    opened = a.answer(
        _drawer_answer, tr("Did the cash drawer open? y/n (Enter: this till has no drawer)"), "--yes", None, default=""
    )
    if opened is not False:
        return {}
    other = 5 if config.printer.drawer_pin == 2 else 2
    a.say(tr("Trying the drawer on pin {pin} ...", pin=other))
    error = _kick(config, keys, other)
    if not error and a.answer(answers.yes_no, tr("Did it open now? y/n"), "--yes", None):
        return {"drawer_pin": other}
    a.warn(
        error
        or tr(
            "The drawer stays shut on both pins: check that its cable is in the printer's drawer (DK) port; "
            "`tui-pos printer test --drawer` tries again"
        )
    )
    return {}


def _drawer_answer(text: str) -> bool | None:
    return None if not text.strip() else answers.yes_no(text)


def _kick(config: Config, keys: Mapping[str, config_file.Value], pin: int) -> str:
    """Open the drawer through the printer on this pin: "" or what went wrong."""
    from tui_pos.devices.printer import PrinterError, open_printer

    values: dict[str, Any] = {k: int(v) if isinstance(v, int) else v for k, v in keys.items()}
    device = open_printer(replace(config.printer, **values, drawer_pin=pin))
    try:
        device.kick_drawer()
        return ""
    except PrinterError as exc:
        return tr("Cash drawer did not open: {error}", error=exc.message)
    finally:
        device.close()


def _test_page(a: Asker, config: Config, keys: Mapping[str, config_file.Value]) -> bool:
    """Print the test page and kick the drawer with these settings; False (after saying why) if it failed."""
    from tui_pos.services import printing

    values: dict[str, Any] = {k: int(v) if isinstance(v, int) else v for k, v in keys.items()}
    a.say(tr("Printing a test page and opening the cash drawer ..."))
    result = printing.print_test_page(replace(config, printer=replace(config.printer, **values)), kick_drawer=True)
    if not result.ok:
        a.warn(tr("Test page failed: {error}", error=result.message))
        if result.hint:
            a.warn("  " + result.hint)
        return False
    if result.drawer_error:
        a.warn(tr("Cash drawer did not open: {error}", error=result.drawer_error))
    return True


def _printer_keys(choice: PrinterChoice, width: int, name: str) -> dict[str, config_file.Value]:
    keys: dict[str, config_file.Value] = {"backend": choice.backend, "width": width, "profile": name}
    if choice.backend == "usb":
        keys |= {"usb_vendor": config_file.Hex(choice.usb_vendor), "usb_product": config_file.Hex(choice.usb_product)}
    elif choice.backend in ("device", "file"):
        keys["device"] = choice.device
    elif choice.backend == "network":
        keys |= {"host": choice.host, "port": choice.port}
    return keys


# --- imports --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CsvFile:
    kind: str  # products or members
    path: Path
    table: Any  # imports.Table, read once when the name was typed


def csv_check(kind: str) -> Callable[[str], CsvFile | None]:
    from tui_pos.services import imports

    known, required = (
        (imports.PRODUCT_COLUMNS, imports.PRODUCT_REQUIRED)
        if kind == "products"
        else (imports.MEMBER_COLUMNS, imports.MEMBER_REQUIRED)
    )

    def check(text: str) -> CsvFile | None:
        if not text.strip():
            return None
        path = Path(text.strip()).expanduser()
        if not path.is_file():
            raise InvalidInput("No file {path}", path=str(path))
        return CsvFile(kind, path, imports.read_table(path, known, required))

    return check


def import_part(a: Asker, args: argparse.Namespace) -> list[CsvFile]:
    files = [
        a.answer(
            csv_check("products"),
            tr("Products CSV file to import (Enter: none)"),
            "--products",
            args.products,
            default="",
        ),
        a.answer(
            csv_check("members"), tr("Members CSV file to import (Enter: none)"), "--members", args.members, default=""
        ),
    ]
    return [f for f in files if f is not None]


class _Progress:
    """A line every PROGRESS_EVERY rows and one at the end: a 20,000-row file shows it is moving."""

    def __init__(self, a: Asker, path: Path) -> None:
        self.a, self.path, self.shown = a, path, 0

    def __call__(self, done: int, total: int) -> None:
        if done == total or done // PROGRESS_EVERY > self.shown // PROGRESS_EVERY:
            self.shown = done
            self.a.say(tr("  {file}: {done} of {total} rows", file=self.path.name, done=done, total=total))


def signed_in(a: Asker, args: argparse.Namespace, config: Config) -> Staff:
    """Who imports into a shop set up before: a supervisor, or a manager for members' money
    (the import checks the role); a shop set up in this run imports as its new manager."""
    from tui_pos.services import staff as staff_service
    from tui_pos.services.context import close_shop, open_shop

    code = a.answer(str, tr("Your staff code"), "--staff", args.staff)
    pin = a.answer(str, tr("Your PIN"), "--pin", args.pin, secret=True)
    ctx = open_shop(config)
    try:
        staff = staff_service.login(ctx, code, pin)
    finally:
        close_shop()
    if staff.must_change_pin:
        raise AuthError("Your PIN was reset: log in at the till and choose a new one first")
    return staff


def run_imports(a: Asker, config: Config, files: list[CsvFile], actor: Staff) -> bool:
    from tui_pos.services import imports
    from tui_pos.services.context import close_shop, open_shop

    clean = True
    for f in files:
        a.say(tr("Importing {file} ...", file=str(f.path)))
        run = imports.import_products if f.kind == "products" else imports.import_members
        ctx = open_shop(config)
        try:
            report = run(ctx, actor, f.table, progress=_Progress(a, f.path))
        finally:
            close_shop()
        a.say(
            tr(
                "{file}: {imported} new, {updated} updated, {unchanged} unchanged, {rejected} rejected",
                file=str(f.path),
                imported=report.imported,
                updated=report.updated,
                unchanged=report.unchanged,
                rejected=report.rejected,
            )
        )
        for error in report.errors[:20]:
            a.warn("  " + str(error))
        if len(report.errors) > 20:
            a.warn(tr("  ... and {count} more; `tui-pos import` lists them all", count=len(report.errors) - 20))
        clean = clean and not report.errors
    return clean


# --- the commands ---------------------------------------------------------------------------------


def _write(a: Asker, path: Path, changes: config_file.Changes) -> None:
    config_file.update(path, changes, check=lambda tmp: load_config(tmp, env={}))
    a.say(tr("Settings saved in {path}", path=str(path)))


def setup(config: Config, args: argparse.Namespace, ask: Ask) -> int:
    """`tui-pos setup [part]`: the whole first run, or one part of it again."""
    from tui_pos.services import demo

    if config.training:
        print(tr("setup sets up the live till; run it without --training"), file=sys.stderr)
        return 2
    part = args.part or "all"
    a = asker(args, ask)
    path = config_path(args)
    try:
        mine = config_file.read(path)
        state = demo.shop_state(config) if part in ("all", "manager", "import") else "ready"
        if part == "manager" and state == "ready":
            a.warn(tr("This shop has its staff already: `tui-pos staff` adds and changes them"))
            return 1
        if part == "import" and state != "ready":
            raise SetupError(tr("No shop in {path} yet: run `tui-pos setup` first", path=config.db_path))
        changes: dict[str, dict[str, config_file.Value]] = {}
        if part in ("all", "store"):
            changes[""] = store_part(a, args, mine)
        manager = manager_part(a, args, config) if state != "ready" else None
        if part in ("all", "printer"):
            changes["printer"] = printer_part(a, args, config, mine)
        files = import_part(a, args) if part in ("all", "import") else []
        if changes:
            _write(a, path, changes)
            config = load_config(args.config, training=config.training, db_path=args.db)
    except (SetupError, ConfigError) as exc:
        a.warn(tr("setup: {error}", error=str(exc)))
        return 2
    if manager is not None:
        staff = demo.init_shop(config, manager.code, manager.name, manager.pin)
        a.say(tr("Shop created in {path}", path=config.db_path))
        a.say(tr("Manager {code} {name} can now log in.", code=staff.code, name=staff.name))
    elif part == "all":
        a.say(tr("This shop has its staff already: `tui-pos staff` adds and changes them"))
    if files and manager is None:
        try:
            staff = signed_in(a, args, config)
        except SetupError as exc:
            a.warn(tr("setup: {error}", error=str(exc)))
            return 2
    clean = run_imports(a, config, files, staff) if files else True
    if part == "all":
        a.say(tr("Start the till with: {command}", command="tui-pos"))
    return 0 if clean else 1


def init(config: Config, args: argparse.Namespace, ask: Ask) -> int:
    """`tui-pos init`: the store's name and the first manager, each answer checked as it is typed."""
    from tui_pos.services import demo

    if demo.shop_state(config) == "ready":
        raise Conflict("This shop is already set up: {path}", path=str(config.db_path))
    a = asker(args, ask, flags=("store_name", "manager_code", "manager_name", "manager_pin"))
    path = config_path(args)
    try:
        mine = config_file.read(path)
        name = None
        if args.store_name is not None or not a.scripted:  # a script that gives no name keeps today's
            name = a.answer(
                answers.store_name,
                tr("Store name, as on the receipt"),
                "--store-name",
                args.store_name,
                default=_text(mine.get("store_name")),
            )
        manager = manager_part(a, args, config)
        if name is not None and name != mine.get("store_name"):
            _write(a, path, {"": {"store_name": name}})
            config = load_config(args.config, training=config.training, db_path=args.db)
    except (SetupError, ConfigError) as exc:
        a.warn(tr("init: {error}", error=str(exc)))
        return 2
    staff = demo.init_shop(config, manager.code, manager.name, manager.pin)
    a.say(tr("Shop created in {path}", path=config.db_path))
    a.say(tr("Manager {code} {name} can now log in.", code=staff.code, name=staff.name))
    return 0
