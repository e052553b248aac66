"""Staff, roles and what each role may do; PIN hashing (salted scrypt, constant-time check)."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from enum import IntEnum

from tui_pos.domain.errors import InsufficientPermission, InvalidInput


class Role(IntEnum):
    CASHIER = 1
    SUPERVISOR = 2
    MANAGER = 3

    @classmethod
    def parse(cls, text: str) -> "Role":
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise InvalidInput("Unknown role: {role}", role=text[:20]) from None

    @property
    def code(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Staff:
    id: int
    code: str
    name: str
    role: Role


# action -> lowest role that may do it. Services check this; screens only hide keys.
PERMISSIONS: dict[str, Role] = {
    "sell": Role.CASHIER,
    "void_sale": Role.CASHIER,
    "create_member": Role.CASHIER,
    "refund": Role.CASHIER,
    "approve_refund": Role.SUPERVISOR,
    "reject_refund": Role.SUPERVISOR,
    "manage_staff": Role.MANAGER,
    "import": Role.MANAGER,
    "reports": Role.MANAGER,
    "discard_ticket": Role.SUPERVISOR,
    "shift": Role.CASHIER,
    "cash_move": Role.CASHIER,
    "day_summary": Role.SUPERVISOR,
    "change_price": Role.SUPERVISOR,
    "open_drawer": Role.CASHIER,  # allowed, but every opening without a sale is in the audit trail
}


def require(staff: Staff, action: str) -> None:
    needed = PERMISSIONS[action]
    if staff.role < needed:
        raise InsufficientPermission("Your role may not {action}", action=action.replace("_", " "))


_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


def check_pin_format(pin: str) -> str:
    if not re.fullmatch(r"\d{4,8}", pin or ""):
        raise InvalidInput("PIN must be 4 to 8 digits")
    return pin


def hash_pin(pin: str) -> str:
    salt = secrets.token_bytes(16)
    return f"scrypt${salt.hex()}${_digest(pin, salt).hex()}"


def _digest(pin: str, salt: bytes) -> bytes:
    """Hashing and checking must treat the PIN alike (same truncation), or a stored PIN never verifies."""
    return hashlib.scrypt((pin or "").encode()[:64], salt=salt, **_SCRYPT)


def verify_pin(pin: str, stored: str) -> bool:
    try:
        scheme, salt_hex, digest_hex = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    try:
        salt = bytes.fromhex(salt_hex)
    except ValueError:  # a damaged row is a failed check, not a crash at the login screen
        return False
    return hmac.compare_digest(_digest(pin, salt).hex().encode(), digest_hex.encode())
