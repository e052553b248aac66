"""Logging in and approving (PIN checks with a lockout after repeated failures), and the
manager's staff administration: add, disable, enable, reset a PIN, change a role, rename, set
a personal refund limit. Each change is one transaction with an audit row of before and after."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tui_pos.config import SecurityConfig
from tui_pos.domain.catalog import clean_text
from tui_pos.domain.errors import AuthError, Conflict, InsufficientPermission, InvalidInput, NotFound
from tui_pos.domain.staff import (
    PERMISSIONS,
    Role,
    Staff,
    check_new_pin,
    check_pin_format,
    check_staff_code,
    hash_pin,
    needs_rehash,
    require,
    verify_pin,
)
from tui_pos.labels import permission
from tui_pos.labels import role as role_word
from tui_pos.services.context import Context
from tui_pos.store import audit
from tui_pos.store.db import write
from tui_pos.store.models import StaffRow
from tui_pos.store.staff_queries import active_managers, all_staff, staff_row, to_staff

UNKNOWN_CODE = "?"  # what the audit trail keeps for a staff code nobody has: never what was typed
_dummy_hash: list[str] = []  # made once, with the same scrypt parameters as every stored PIN


def _costly_refusal(pin: str) -> None:
    """Check `pin` against a hash no PIN matches: an unknown or disabled code then takes as long
    as a wrong PIN (about 30 ms of scrypt), so timing does not tell which codes exist."""
    if not _dummy_hash:
        _dummy_hash.append(hash_pin("not a pin"))
    verify_pin(pin or "", _dummy_hash[0])


# What a log in writes. Only these columns, so the outbox's staff trigger (which leaves them out)
# does not fire for a mistyped PIN.
_LOCKOUT = [StaffRow.failed_pins, StaffRow.locked_until, StaffRow.pin_hash]


def login(ctx: Context, code: str, pin: str, *, action: str = "login") -> Staff:
    """Check a staff code and PIN. Every failure counts; the fifth locks the code for a while
    ([security] lockout_minutes, 30 by default as PCI DSS 8.3.4 asks). Something typed as a
    code that is nobody's (often a PIN typed into the wrong box) is audited as "?", never as typed."""
    code = (code or "").strip()[:20]

    def check() -> Staff | AuthError:
        row = staff_row(code)
        now = ctx.now()
        if row is None or not row.active:
            _costly_refusal(pin)
            who, why = (UNKNOWN_CODE, "unknown code") if row is None else (row.code, "disabled")
            audit.append(who, f"{action}_failed", "staff", {"reason": why})
            return AuthError("Wrong staff code or PIN")
        if row.locked_until and row.locked_until > now:
            audit.append(
                code, f"{action}_failed", "staff", {"reason": "locked", "locked_until": row.locked_until.isoformat()}
            )
            return AuthError(
                "Staff code {code} is locked until {until}", code=code, until=row.locked_until.strftime("%H:%M")
            )
        if not verify_pin(pin or "", row.pin_hash):
            row.failed_pins += 1
            detail: dict[str, int | str] = {"failed": row.failed_pins}
            if row.failed_pins >= ctx.config.security.max_failed_pins:
                row.locked_until = now + timedelta(minutes=ctx.config.security.lockout_minutes)
                row.failed_pins = 0
                detail["locked_until"] = row.locked_until.isoformat()
                audit.append(code, "staff_locked", "staff", detail)
            row.save(only=_LOCKOUT)  # the lockout stays in the store: no change for head office
            audit.append(code, f"{action}_failed", "staff", detail)
            return AuthError("Wrong staff code or PIN")
        if row.failed_pins or row.locked_until or needs_rehash(row.pin_hash):
            row.failed_pins, row.locked_until = 0, None
            if needs_rehash(row.pin_hash):
                row.pin_hash = hash_pin(pin)
            row.save(only=_LOCKOUT)
        audit.append(code, action, "staff")
        return to_staff(row)

    # The failure count must be committed even though the caller gets an error.
    result = write(check)
    if isinstance(result, AuthError):
        raise result
    return result


def approve(ctx: Context, code: str, pin: str, minimum: Role, *, for_action: str) -> Staff:
    """A supervisor or manager confirms on the spot with their own code and PIN."""
    staff = login(ctx, code, pin, action=f"approve_{for_action}")
    if staff.must_change_pin:  # whoever reset it knows it: it approves nothing until changed
        raise AuthError("The PIN of {code} was reset; they must log in and choose a new one first", code=staff.code)
    if staff.role < minimum:
        raise InsufficientPermission("Your role may not {action}", action=permission(f"approve_{for_action}"))
    return staff


def create_staff(
    ctx: Context, actor: Staff | None, code: str, name: str, role: Role, pin: str, *, name_en: str = ""
) -> Staff:
    """Managers add staff; `actor=None` only while setting up an empty shop. `name_en` is the
    name with the English UI (and on the Linux console, which cannot draw Chinese)."""
    check_pin_format(pin)
    name_en = clean_text(name_en, 40)

    def create() -> Staff:
        if actor is not None:
            require(actor, "manage_staff")
        elif StaffRow.select().exists():
            raise InsufficientPermission("Your role may not {action}", action=permission("manage_staff"))
        row = StaffRow.create(code=code, name=name, name_en=name_en, role=role.code, pin_hash=hash_pin(pin))
        audit.append(actor.code if actor else "setup", "staff_create", f"staff:{code}", {"role": role.code})
        return to_staff(row)

    return write(create)


# --- the manager's staff administration ---------------------------------------------------------


@dataclass(frozen=True)
class StaffEntry:
    """One line of the staff list."""

    code: str
    name: str
    name_en: str
    role: Role
    active: bool
    locked: bool  # too many wrong PINs: locked for a while (a PIN reset unlocks)
    must_change_pin: bool
    refund_limit: int | None  # cents; None = the role's limit


def _entry(row: StaffRow, now: datetime) -> StaffEntry:
    return StaffEntry(
        code=row.code,
        name=row.name,
        name_en=row.name_en,
        role=Role.parse(row.role),
        active=bool(row.active),
        locked=bool(row.locked_until and row.locked_until > now),
        must_change_pin=bool(row.must_change_pin),
        refund_limit=row.refund_limit,
    )


def _as_audited(row: StaffRow) -> dict[str, Any]:
    """What the audit keeps of a staff member, before and after a change (never the PIN hash)."""
    return {
        "name": row.name,
        "name_en": row.name_en,
        "role": row.role,
        "active": bool(row.active),
        "must_change_pin": bool(row.must_change_pin),
        "refund_limit": row.refund_limit,
        "locked_until": row.locked_until.isoformat() if row.locked_until else None,
    }


def _check_manager(actor: Staff) -> None:
    """The role of the Staff object, and again as the database has it now: a manager demoted or
    disabled on another till since logging in may no longer change anyone."""
    require(actor, "manage_staff")
    row = staff_row(actor.code)
    if row is None or not row.active or Role.parse(row.role) < PERMISSIONS["manage_staff"]:
        raise InsufficientPermission("Your role may not {action}", action=permission("manage_staff"))


def _target(code: str) -> StaffRow:
    code = (code or "").strip()
    row = staff_row(code)
    if row is None:
        raise NotFound("No staff member with code {code}", code=code[:20]).at("code")
    return row


def _keep_a_manager(row: StaffRow, *, active: bool, role: Role) -> None:
    """The shop must keep an active manager: nobody else can add staff or reset a PIN."""
    stays = active and role is Role.MANAGER
    if row.role == Role.MANAGER.code and row.active and not stays and not active_managers(excluding=row.code):
        raise Conflict("{code} is the last active manager: make someone else a manager first", code=row.code)


def check_chosen_pin(security: SecurityConfig, pin: str) -> str:
    """A PIN someone chooses now, by the shop's [security] rules (weak PINs, length): the services,
    `tui-pos setup` and the command line's questions check it alike."""
    return check_new_pin(pin, refuse_weak=security.weak_pins == "refuse", min_length=security.min_pin_length)


def _change(ctx: Context, actor: Staff, code: str, action: str, change: Callable[[StaffRow], None]) -> Staff:
    """Check the manager, apply `change` to the row, save it and audit before/after: one transaction."""

    def run() -> Staff:
        _check_manager(actor)
        row = _target(code)
        before = _as_audited(row)
        change(row)
        after = _as_audited(row)
        if after == before:
            raise InvalidInput("Nothing to change for {code}", code=row.code)
        row.save()
        audit.append(actor.code, action, f"staff:{row.code}", {"before": before, "after": after})
        return to_staff(row)

    return write(run)


def list_staff(ctx: Context, actor: Staff) -> list[StaffEntry]:
    _check_manager(actor)
    now = ctx.now()
    return [_entry(row, now) for row in all_staff()]


def add_staff(ctx: Context, actor: Staff, code: str, name: str, role: Role, pin: str, *, name_en: str = "") -> Staff:
    """A new staff member with a PIN they were told; weak PINs are refused (config [security])."""
    code = check_staff_code(code)
    name, name_en = clean_text(name, 40), clean_text(name_en, 40)
    if not name:
        raise InvalidInput("Enter a name").at("name")
    check_chosen_pin(ctx.config.security, pin)

    def create() -> Staff:
        _check_manager(actor)
        taken = staff_row(code)
        if taken is not None and taken.active:
            raise Conflict("Staff code {code} is already taken by {name}", code=code, name=taken.name).at("code")
        if taken is not None:
            raise Conflict(
                "Staff code {code} belongs to {name}, who is disabled: enable them, or choose another code",
                code=code,
                name=taken.name,
            ).at("code")
        row = StaffRow.create(code=code, name=name, name_en=name_en, role=role.code, pin_hash=hash_pin(pin))
        audit.append(
            actor.code, "staff_create", f"staff:{code}", {"role": role.code, "before": None, "after": _as_audited(row)}
        )
        return to_staff(row)

    return write(create)


def disable_staff(ctx: Context, actor: Staff, code: str) -> Staff:
    """They can no longer log in; their sales, refunds and audit rows stay theirs."""

    def change(row: StaffRow) -> None:
        if not row.active:
            raise InvalidInput("{code} is already disabled", code=row.code)
        _keep_a_manager(row, active=False, role=Role.parse(row.role))
        row.active = False

    return _change(ctx, actor, code, "staff_disable", change)


def enable_staff(ctx: Context, actor: Staff, code: str) -> Staff:
    def change(row: StaffRow) -> None:
        if row.active:
            raise InvalidInput("{code} is already active", code=row.code)
        row.active = True

    return _change(ctx, actor, code, "staff_enable", change)


def reset_pin(ctx: Context, actor: Staff, code: str, new_pin: str) -> Staff:
    """A PIN the manager tells them, to be changed at their next log in; unlocks a locked code."""
    check_chosen_pin(ctx.config.security, new_pin)

    def change(row: StaffRow) -> None:
        row.pin_hash = hash_pin(new_pin)
        row.must_change_pin = True
        row.failed_pins, row.locked_until = 0, None

    # the hash always differs, so a reset is never "nothing to change" even when the flag was set
    def run() -> Staff:
        _check_manager(actor)
        row = _target(code)
        before = _as_audited(row)
        change(row)
        row.save()
        audit.append(actor.code, "staff_reset_pin", f"staff:{row.code}", {"before": before, "after": _as_audited(row)})
        return to_staff(row)

    return write(run)


def change_role(ctx: Context, actor: Staff, code: str, role: Role) -> Staff:
    """A personal refund limit belongs to the old role and is dropped."""

    def change(row: StaffRow) -> None:
        if Role.parse(row.role) is role:
            raise InvalidInput("{code} is already a {role}", code=row.code, role=role_word(role))
        _keep_a_manager(row, active=bool(row.active), role=role)
        row.role = role.code
        row.refund_limit = None

    return _change(ctx, actor, code, "staff_role", change)


def rename_staff(ctx: Context, actor: Staff, code: str, name: str, name_en: str) -> Staff:
    name, name_en = clean_text(name, 40), clean_text(name_en, 40)
    if not name:
        raise InvalidInput("Enter a name").at("name")

    def change(row: StaffRow) -> None:
        row.name, row.name_en = name, name_en

    return _change(ctx, actor, code, "staff_rename", change)


def set_refund_limit(ctx: Context, actor: Staff, code: str, amount: int | None) -> Staff:
    """Cents this person may refund without approval; None = their role's limit again. At most
    the limit of the role above theirs (config [refund_limits])."""

    def change(row: StaffRow) -> None:
        if amount is not None:
            ctx.config.refund_policy.check_limit_override(Role.parse(row.role), amount)
        row.refund_limit = amount

    return _change(ctx, actor, code, "staff_refund_limit", change)


def change_pin(ctx: Context, code: str, current_pin: str, new_pin: str) -> Staff:
    """Anyone changes their own PIN with the current one; required after a manager's reset."""
    check_chosen_pin(ctx.config.security, new_pin)
    if new_pin == current_pin:
        raise InvalidInput("The new PIN must differ from the old one").at("pin")
    staff = login(ctx, code, current_pin, action="change_pin")  # wrong PINs count as at log in

    def run() -> Staff:
        row = _target(staff.code)
        before = _as_audited(row)
        row.pin_hash = hash_pin(new_pin)
        row.must_change_pin = False
        row.save()
        audit.append(row.code, "staff_pin_changed", f"staff:{row.code}", {"before": before, "after": _as_audited(row)})
        return to_staff(row)

    return write(run)
