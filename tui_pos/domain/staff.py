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
    digest = hashlib.scrypt(pin.encode(), salt=salt, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    try:
        scheme, salt_hex, digest_hex = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    digest = hashlib.scrypt((pin or "").encode()[:64], salt=bytes.fromhex(salt_hex), **_SCRYPT)
    return hmac.compare_digest(digest.hex(), digest_hex)
