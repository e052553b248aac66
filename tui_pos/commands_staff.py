"""`tui-pos staff ...`: the manager's staff administration from a shell, for the first cashiers
of a new shop and for a till whose screen is busy. The work is done by services.staff; this
module asks for PINs (without echo at a terminal, or one line each from a script's stdin) and
prints what changed."""

from __future__ import annotations

import argparse

from tui_pos import labels
from tui_pos.cli import _ask, _err, _print_table, _signed_in
from tui_pos.config import Config
from tui_pos.domain.errors import InvalidInput
from tui_pos.domain.money import format_money, parse_money
from tui_pos.domain.staff import Role, Staff
from tui_pos.i18n import tr
from tui_pos.services import staff as staff_service
from tui_pos.services.context import Context

ACTIONS = ("list", "add", "disable", "enable", "reset-pin", "role", "rename", "limit")


def _new_pin(ctx: Context, args: argparse.Namespace) -> str:
    """--new-pin, or asked twice (a typo in a PIN nobody sees would lock its owner out); a PIN
    the shop's rules refuse, or a second entry that differs, is said at once and asked again."""
    if args.new_pin is not None:
        return str(args.new_pin)
    for _try in range(3):
        pin = _ask(tr("New PIN for {code} (4 to 8 digits): ", code=args.code), secret=True)
        try:
            staff_service.check_chosen_pin(ctx.config.security, pin)
        except InvalidInput as exc:
            _err(exc.message)
            continue
        if _ask(tr("New PIN again: "), secret=True) == pin:
            return pin
        _err(tr("The two PINs differ: type the new PIN again"))
    raise InvalidInput("No new PIN after three tries; nothing was changed")


def _shown(staff: Staff) -> str:
    return labels.with_code(staff.code, labels.staff(staff.name, staff.name_en))


def _limit(ctx: Context, role: Role, cents: int | None) -> str:
    if cents is not None:
        return format_money(cents, ctx.config.currency_symbol)
    role_limit = ctx.config.refund_policy.limit(role)
    return tr("any amount") if role_limit is None else format_money(role_limit, ctx.config.currency_symbol)


def staff_command(config: Config, args: argparse.Namespace) -> int:
    try:
        pin = args.pin if args.pin is not None else _ask(tr("PIN of {code}: ", code=args.staff), secret=True)
    except EOFError:
        _err(tr("staff: the answers ended early; give --pin (and --new-pin) or one line for each"))
        return 2
    with _signed_in(config, args.staff, pin) as (ctx, actor):
        try:
            return _run(ctx, actor, args)
        except EOFError:
            _err(tr("staff: the answers ended early; give --pin (and --new-pin) or one line for each"))
            return 2


def _run(ctx: Context, actor: Staff, args: argparse.Namespace) -> int:
    action = args.action
    if action == "list":
        rows = [
            (
                e.code,
                labels.staff(e.name, e.name_en, e.code),
                labels.role(e.role),
                tr("Yes") if e.active else tr("No"),
                tr("Locked") if e.locked else (tr("New PIN due") if e.must_change_pin else ""),
                _limit(ctx, e.role, e.refund_limit) + ("" if e.refund_limit is None else " *"),
            )
            for e in staff_service.list_staff(ctx, actor)
        ]
        _print_table((tr("Code"), tr("Name"), tr("Role"), tr("Active"), tr("PIN"), tr("Refund limit")), rows)
        if any(r[5].endswith(" *") for r in rows):
            print(tr("* a limit set for this person; the others have their role's"))
        return 0
    if action == "add":
        role = Role.parse(args.role)
        staff = staff_service.add_staff(
            ctx, actor, args.code, args.name, role, _new_pin(ctx, args), name_en=args.name_en
        )
        print(
            tr(
                "{staff} added as {role}; they log in with the PIN you gave",
                staff=_shown(staff),
                role=labels.role(role),
            )
        )
    elif action == "disable":
        print(tr("{staff} can no longer log in", staff=_shown(staff_service.disable_staff(ctx, actor, args.code))))
    elif action == "enable":
        print(tr("{staff} can log in again", staff=_shown(staff_service.enable_staff(ctx, actor, args.code))))
    elif action == "reset-pin":
        staff = staff_service.reset_pin(ctx, actor, args.code, _new_pin(ctx, args))
        print(tr("PIN of {staff} reset; they choose a new one at their next log in", staff=_shown(staff)))
    elif action == "role":
        staff = staff_service.change_role(ctx, actor, args.code, Role.parse(args.role))
        print(tr("{staff} is now a {role}", staff=_shown(staff), role=labels.role(staff.role)))
    elif action == "rename":
        current = next((e for e in staff_service.list_staff(ctx, actor) if e.code == args.code.strip()), None)
        name = args.name if args.name is not None else (current.name if current else "")
        name_en = args.name_en if args.name_en is not None else (current.name_en if current else "")
        staff = staff_service.rename_staff(ctx, actor, args.code, name, name_en)
        print(tr("{code} is now called {name} / {name_en}", code=staff.code, name=staff.name, name_en=staff.name_en))
    elif action == "limit":
        cents = None if args.amount.strip().lower() == "default" else parse_money(args.amount)
        staff = staff_service.set_refund_limit(ctx, actor, args.code, cents)
        print(
            tr(
                "{staff} may refund up to {amount} without approval",
                staff=_shown(staff),
                amount=_limit(ctx, staff.role, staff.refund_limit),
            )
        )
    return 0
