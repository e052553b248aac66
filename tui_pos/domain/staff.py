"""Staff, roles and what each role may do; PIN hashing (salted scrypt, constant-time check)."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from enum import IntEnum

from tui_pos.domain.errors import InsufficientPermission, InvalidInput
from tui_pos.labels import permission


class Role(IntEnum):
    CASHIER = 1
    SUPERVISOR = 2
    MANAGER = 3

    @classmethod
    def parse(cls, text: str) -> Role:
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
    name_en: str = ""  # shown with the English UI; "" = name (on the Linux console: the code)
    # cents this person may refund without approval, set by a manager; None = their role's limit
    refund_limit: int | None = None
    must_change_pin: bool = False  # the PIN was reset by a manager: a new one before the till opens


# action -> lowest role that may do it. Services check this; screens only hide keys.
PERMISSIONS: dict[str, Role] = {
    "sell": Role.CASHIER,
    "void_sale": Role.CASHIER,
    "create_member": Role.CASHIER,
    "refund": Role.CASHIER,
    "approve_refund": Role.SUPERVISOR,
    "reject_refund": Role.SUPERVISOR,
    "manage_staff": Role.MANAGER,
    "import_products": Role.SUPERVISOR,
    "import_members": Role.SUPERVISOR,
    "import_balances": Role.MANAGER,  # members' opening points and stored value are money
    "backup": Role.SUPERVISOR,
    "restore": Role.MANAGER,
    "reports": Role.MANAGER,
    "discard_ticket": Role.SUPERVISOR,
    "shift": Role.CASHIER,
    "cash_move": Role.CASHIER,
    "day_summary": Role.SUPERVISOR,
    "change_price": Role.SUPERVISOR,
    "open_drawer": Role.CASHIER,  # allowed, but every opening without a sale is in the audit trail
    "resolve_conflict": Role.MANAGER,  # head office's refusals are money
}


def require(staff: Staff, action: str) -> None:
    needed = PERMISSIONS[action]
    if staff.role < needed:
        raise InsufficientPermission("Your role may not {action}", action=permission(action))


# n=2^12, r=8, p=4: the work of the former n=2^14, p=1 per guess, but 4 MiB of memory instead of
# 16 MiB, which a 60 MiB till cannot spare. A PIN's strength is its lockout and the 0600 file;
# the hash only makes a stolen file slower to read.
_SCRYPT = {"n": 2**12, "r": 8, "p": 4}
_LEGACY = {"n": 2**14, "r": 8, "p": 1}  # hashes written before the parameters were stored
_DKLEN = 32


def check_pin_format(pin: str) -> str:
    if not re.fullmatch(r"\d{4,8}", pin or ""):
        raise InvalidInput("PIN must be 4 to 8 digits")
    return pin


def check_staff_code(code: str) -> str:
    code = (code or "").strip()
    if not re.fullmatch(r"[0-9A-Za-z]{1,20}", code):
        raise InvalidInput("Staff code must be 1 to 20 letters or digits").at("code")
    return code


def is_weak_pin(pin: str) -> bool:
    """One digit repeated (1111) or a run up or down (1234, 4321, 7890, 123456): the PINs
    tried first by anyone who picks up a lost badge or watches a till from the queue."""
    if len(set(pin)) == 1:
        return True
    steps = {(int(b) - int(a)) % 10 for a, b in zip(pin, pin[1:], strict=False)}
    return steps in ({1}, {9})


def check_new_pin(pin: str, *, refuse_weak: bool = True, min_length: int = 4) -> str:
    """A PIN someone is choosing now (new staff, a reset, a change). PINs already stored,
    such as the demo's 1111, are never checked again."""
    check_pin_format(pin)
    if len(pin) < min_length:
        raise InvalidInput("A new PIN needs at least {count} digits", count=min_length).at("pin")
    if refuse_weak and is_weak_pin(pin):
        raise InvalidInput("PIN too easy to guess (one digit repeated or a run like 1234); choose another").at("pin")
    return pin


def hash_pin(pin: str) -> str:
    """scrypt$n$r$p$salt$digest: the parameters travel with the hash, so they can change later."""
    salt = secrets.token_bytes(16)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${salt.hex()}${_digest(pin, salt, _SCRYPT).hex()}"


def _digest(pin: str, salt: bytes, params: dict[str, int]) -> bytes:
    """Hashing and checking must treat the PIN alike (same truncation), or a stored PIN never verifies."""
    return hashlib.scrypt((pin or "").encode()[:64], salt=salt, dklen=_DKLEN, **params)


def _parse(stored: str) -> tuple[dict[str, int], bytes, str] | None:
    parts = (stored or "").split("$")
    try:
        if len(parts) == 3 and parts[0] == "scrypt":
            return _LEGACY, bytes.fromhex(parts[1]), parts[2]
        if len(parts) == 6 and parts[0] == "scrypt":
            n, r, p = (int(x) for x in parts[1:4])
            if not (2 <= n <= 2**16 and n & (n - 1) == 0 and 1 <= r <= 16 and 1 <= p <= 16):
                return None  # a damaged or hostile row must not make the till allocate gigabytes
            return {"n": n, "r": r, "p": p}, bytes.fromhex(parts[4]), parts[5]
    except ValueError:  # a damaged row is a failed check, not a crash at the login screen
        return None
    return None


def verify_pin(pin: str, stored: str) -> bool:
    parsed = _parse(stored)
    if parsed is None:
        return False
    params, salt, digest_hex = parsed
    return hmac.compare_digest(_digest(pin, salt, params).hex().encode(), digest_hex.encode())


def needs_rehash(stored: str) -> bool:
    """True for a hash made with other parameters: rewritten at the next good log in."""
    parsed = _parse(stored)
    return parsed is not None and parsed[0] != _SCRYPT
