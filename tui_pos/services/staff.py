"""Logging in and approving: PIN checks with a lockout after repeated failures."""

from __future__ import annotations

from datetime import timedelta

from tui_pos.domain.catalog import clean_text
from tui_pos.domain.errors import AuthError, InsufficientPermission
from tui_pos.domain.staff import Role, Staff, check_pin_format, hash_pin, needs_rehash, require, verify_pin
from tui_pos.labels import permission
from tui_pos.services.context import Context
from tui_pos.store import audit
from tui_pos.store.db import write
from tui_pos.store.models import StaffRow
from tui_pos.store.staff_queries import staff_row, to_staff


def login(ctx: Context, code: str, pin: str, *, action: str = "login") -> Staff:
    """Check a staff code and PIN. Every failure counts; the fifth locks the code for a while."""
    code = (code or "").strip()[:20]

    def check() -> Staff | AuthError:
        row = staff_row(code)
        now = ctx.now()
        if row is None or not row.active:
            audit.append(code, f"{action}_failed", "staff", {"reason": "unknown code"})
            return AuthError("Wrong staff code or PIN")
        if row.locked_until and row.locked_until > now:
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
            row.save()
            audit.append(code, f"{action}_failed", "staff", detail)
            return AuthError("Wrong staff code or PIN")
        if row.failed_pins or row.locked_until or needs_rehash(row.pin_hash):
            row.failed_pins, row.locked_until = 0, None
            if needs_rehash(row.pin_hash):
                row.pin_hash = hash_pin(pin)
            row.save()
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
