"""Roles, permissions and PIN hashing (named test_domain_staff to stay distinct from the service tests)."""

from __future__ import annotations

import pytest

from tui_pos import labels
from tui_pos.domain.errors import InsufficientPermission, InvalidInput
from tui_pos.domain.staff import PERMISSIONS, Role, Staff, check_pin_format, hash_pin, needs_rehash, require, verify_pin


def test_hash_is_salted_and_verifies():
    first, second = hash_pin("1234"), hash_pin("1234")
    assert first != second
    assert first.startswith("scrypt$")
    assert "1234" not in first.split("$", 1)[1]
    assert verify_pin("1234", first)
    assert verify_pin("1234", second)


def test_wrong_pin_fails():
    stored = hash_pin("1234")
    for wrong in ("1235", "4321", "12345", "", "０１２３", " 1234"):
        assert not verify_pin(wrong, stored)
    assert not verify_pin(None, stored)  # type: ignore[arg-type]


def test_long_pin_round_trips():
    # whatever is hashed must verify: hashing and checking must treat the PIN the same way
    pin = "9" * 100
    assert verify_pin(pin, hash_pin(pin))
    assert not verify_pin("8" + "9" * 99, hash_pin(pin))


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "garbage",
        "scrypt$",
        "scrypt$$",
        "scrypt$00",
        "scrypt$zz$00",  # salt is not hex
        "scrypt$0$00",  # odd-length hex
        "md5$00$00",
        "scrypt$00$00$00",
        "scrypt$\u4e2d$00",
        "scrypt$00$\u4e2d",  # digest is not ASCII
        "scrypt$1048576$8$1$00$00",  # parameters that would need a gigabyte
        "scrypt$1000$8$1$00$00",  # n not a power of two
        "scrypt$4096$x$4$00$00",
    ],
)
def test_malformed_stored_value_returns_false(stored):
    assert verify_pin("1234", stored) is False


def test_role_ordering_and_parsing():
    assert Role.CASHIER < Role.SUPERVISOR < Role.MANAGER
    assert max(Role) is Role.MANAGER
    assert Role.parse(" Manager ") is Role.MANAGER
    assert Role.parse("cashier") is Role.CASHIER
    assert Role.SUPERVISOR.code == "supervisor"
    with pytest.raises(InvalidInput):
        Role.parse("boss")


@pytest.mark.parametrize("action", sorted(PERMISSIONS))
@pytest.mark.parametrize("role", list(Role))
def test_require_matches_permission_table(role, action):
    staff = Staff(1, "001", "x", role)
    if role >= PERMISSIONS[action]:
        require(staff, action)
    else:
        with pytest.raises(InsufficientPermission):
            require(staff, action)


def test_cashier_may_do_no_manager_action():
    cashier = Staff(1, "001", "Li", Role.CASHIER)
    manager_actions = [a for a, r in PERMISSIONS.items() if r is Role.MANAGER]
    assert manager_actions
    for action in manager_actions:
        with pytest.raises(InsufficientPermission) as info:
            require(cashier, action)
        assert str(info.value) == f"Your role may not {labels.permission(action)}"


def test_unknown_action_is_a_programming_error():
    with pytest.raises(KeyError):
        require(Staff(1, "003", "x", Role.MANAGER), "no_such_action")


@pytest.mark.parametrize("pin", ["1234", "12345678", "0000"])
def test_pin_format_ok(pin):
    assert check_pin_format(pin) == pin


@pytest.mark.parametrize("pin", ["", "123", "123456789", "12a4", "12 34", None])
def test_pin_format_rejected(pin):
    with pytest.raises(InvalidInput):
        check_pin_format(pin)


def test_hashes_from_before_the_parameters_were_stored_still_verify():
    import hashlib

    salt = bytes(range(16))
    legacy = "scrypt$" + salt.hex() + "$" + hashlib.scrypt(b"2468", salt=salt, n=2**14, r=8, p=1, dklen=32).hex()
    assert verify_pin("2468", legacy) and not verify_pin("2469", legacy)
    assert needs_rehash(legacy) and not needs_rehash(hash_pin("2468"))
    assert hash_pin("2468").startswith("scrypt$4096$8$4$")
