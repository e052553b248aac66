"""Logging in and approving: PIN checks, lockout after repeated failures (fake clock), audit."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from tui_pos.config import SecurityConfig
from tui_pos.domain.errors import AuthError, InsufficientPermission, InvalidInput
from tui_pos.domain.staff import Role
from tui_pos.services import staff as staff_service
from tui_pos.services.context import Context
from tui_pos.store import audit
from tui_pos.store.models import AuditRow, StaffRow

from conftest import PINS


class FakeClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock():
    return FakeClock(datetime(2026, 11, 22, 9, 0))


@pytest.fixture
def fctx(ctx, clock):
    return Context(ctx.config, clock=clock)


def failed(code: str) -> int:
    return StaffRow.get(StaffRow.code == code).failed_pins


def test_login_ok(fctx):
    staff = staff_service.login(fctx, "001", PINS["001"])
    assert (staff.code, staff.name, staff.role) == ("001", "Cashier Li", Role.CASHIER)
    assert staff_service.login(fctx, " 003 ", PINS["003"]).role is Role.MANAGER
    assert AuditRow.select().where((AuditRow.action == "login") & (AuditRow.staff_code == "001")).exists()


def test_wrong_pin_raises_and_counts(fctx):
    with pytest.raises(AuthError, match="Wrong staff code or PIN"):
        staff_service.login(fctx, "001", "9999")
    assert failed("001") == 1
    with pytest.raises(AuthError):
        staff_service.login(fctx, "001", "")
    assert failed("001") == 2
    assert AuditRow.select().where(AuditRow.action == "login_failed").count() == 2
    # a good login resets the count
    staff_service.login(fctx, "001", PINS["001"])
    assert failed("001") == 0


def test_unknown_or_inactive_code(fctx):
    with pytest.raises(AuthError, match="Wrong staff code or PIN"):
        staff_service.login(fctx, "999", "1234")
    StaffRow.update(active=False).where(StaffRow.code == "001").execute()
    with pytest.raises(AuthError, match="Wrong staff code or PIN"):
        staff_service.login(fctx, "001", PINS["001"])


def test_five_wrong_pins_lock_then_unlock(fctx, clock):
    for _ in range(5):
        with pytest.raises(AuthError):
            staff_service.login(fctx, "001", "0000")
        clock.advance(seconds=5)
    row = StaffRow.get(StaffRow.code == "001")
    assert row.locked_until is not None and row.locked_until > clock.now

    # while locked even the right PIN fails, and says so
    with pytest.raises(AuthError, match="locked") as info:
        staff_service.login(fctx, "001", PINS["001"])
    assert "001" in str(info.value)
    clock.advance(minutes=10)
    with pytest.raises(AuthError, match="locked"):
        staff_service.login(fctx, "001", PINS["001"])

    # other staff are unaffected
    assert staff_service.login(fctx, "002", PINS["002"]).code == "002"

    # after the lockout the right PIN works again and clears the lock
    clock.now = row.locked_until + timedelta(seconds=1)
    assert staff_service.login(fctx, "001", PINS["001"]).code == "001"
    row = StaffRow.get(StaffRow.code == "001")
    assert row.locked_until is None and row.failed_pins == 0


def test_lock_lasts_the_configured_time(fctx, clock):
    start = clock.now
    for _ in range(5):
        with pytest.raises(AuthError):
            staff_service.login(fctx, "001", "0000")
    # 30 minutes by default: PCI DSS 8.3.4 asks for at least 30
    assert StaffRow.get(StaffRow.code == "001").locked_until == start + timedelta(minutes=30)


def test_lockout_threshold_and_length_come_from_the_config(fctx, clock):
    strict = Context(replace(fctx.config, security=SecurityConfig(max_failed_pins=3, lockout_minutes=60)), clock=clock)
    for _ in range(2):
        with pytest.raises(AuthError, match="Wrong"):
            staff_service.login(strict, "001", "0000")
    assert StaffRow.get(StaffRow.code == "001").locked_until is None
    with pytest.raises(AuthError, match="Wrong"):
        staff_service.login(strict, "001", "0000")
    assert StaffRow.get(StaffRow.code == "001").locked_until == clock.now + timedelta(minutes=60)


def test_four_wrong_pins_do_not_lock(fctx):
    for _ in range(4):
        with pytest.raises(AuthError):
            staff_service.login(fctx, "001", "0000")
    assert StaffRow.get(StaffRow.code == "001").locked_until is None
    assert staff_service.login(fctx, "001", PINS["001"]).code == "001"


def test_lockout_is_audited(fctx):
    for _ in range(5):
        with pytest.raises(AuthError):
            staff_service.login(fctx, "001", "0000")
    entry = AuditRow.select().where(AuditRow.action == "staff_locked").get()
    assert entry.staff_code == "001"
    assert "locked_until" in entry.detail
    assert audit.verify() is None


def test_approve(fctx):
    supervisor = staff_service.approve(fctx, "002", PINS["002"], Role.SUPERVISOR, for_action="refund")
    assert supervisor.role is Role.SUPERVISOR
    assert AuditRow.select().where((AuditRow.action == "approve_refund") & (AuditRow.staff_code == "002")).exists()
    assert staff_service.approve(fctx, "003", PINS["003"], Role.SUPERVISOR, for_action="refund").role is Role.MANAGER


def test_approve_with_a_cashier_code_is_refused(fctx):
    with pytest.raises(InsufficientPermission):
        staff_service.approve(fctx, "001", PINS["001"], Role.SUPERVISOR, for_action="refund")
    with pytest.raises(InsufficientPermission):
        staff_service.approve(fctx, "002", PINS["002"], Role.MANAGER, for_action="refund")


def test_approve_with_wrong_pin_counts_as_failure(fctx):
    with pytest.raises(AuthError):
        staff_service.approve(fctx, "002", "0000", Role.SUPERVISOR, for_action="refund")
    assert failed("002") == 1
    assert AuditRow.select().where(AuditRow.action == "approve_refund_failed").exists()


def test_create_staff_rules(fctx, manager, cashier):
    created = staff_service.create_staff(fctx, manager, "004", "New Zhou", Role.CASHIER, "4444")
    assert created.role is Role.CASHIER
    assert staff_service.login(fctx, "004", "4444").id == created.id
    with pytest.raises(InsufficientPermission):
        staff_service.create_staff(fctx, cashier, "005", "x", Role.CASHIER, "5555")
    with pytest.raises(InsufficientPermission):
        staff_service.create_staff(fctx, None, "005", "x", Role.MANAGER, "5555")  # set-up only on an empty shop
    with pytest.raises(InvalidInput):
        staff_service.create_staff(fctx, manager, "005", "x", Role.CASHIER, "12")
    assert not StaffRow.select().where(StaffRow.code == "005").exists()
    assert "4444" not in StaffRow.get(StaffRow.code == "004").pin_hash


def test_an_old_hash_is_rewritten_at_the_next_good_log_in(fctx):
    import hashlib

    salt = bytes(16)
    legacy = "scrypt$" + salt.hex() + "$" + hashlib.scrypt(b"1111", salt=salt, n=2**14, r=8, p=1, dklen=32).hex()
    StaffRow.update(pin_hash=legacy).where(StaffRow.code == "001").execute()
    with pytest.raises(AuthError):
        staff_service.login(fctx, "001", "9999")
    assert StaffRow.get(StaffRow.code == "001").pin_hash == legacy  # a wrong PIN changes nothing
    staff_service.login(fctx, "001", "1111")
    upgraded = StaffRow.get(StaffRow.code == "001").pin_hash
    assert upgraded.startswith("scrypt$4096$8$4$")
    assert staff_service.login(fctx, "001", "1111").code == "001"


# --- staff-code hygiene (issue 19) ---------------------------------------------------------------


def test_a_pin_typed_as_the_staff_code_is_never_stored(fctx):
    """The PIN typed into the code box by mistake: the audit keeps "?", not the digits."""
    with pytest.raises(AuthError, match="Wrong staff code or PIN"):
        staff_service.login(fctx, "987654", "")
    with pytest.raises(AuthError, match="Wrong staff code or PIN"):
        staff_service.approve(fctx, "987654", "987654", Role.SUPERVISOR, for_action="refund")
    rows = list(
        AuditRow.select().where(AuditRow.action.in_(["login_failed", "approve_refund_failed"])).order_by(AuditRow.id)
    )
    assert [(r.staff_code, r.action) for r in rows] == [("?", "login_failed"), ("?", "approve_refund_failed")]
    assert (
        not AuditRow.select()
        .where(
            AuditRow.staff_code.contains("987654")
            | AuditRow.detail.contains("987654")
            | AuditRow.entity.contains("987654")
        )
        .exists()
    )
    assert audit.verify() is None


def test_a_disabled_code_is_audited_by_its_code(fctx):
    StaffRow.update(active=False).where(StaffRow.code == "001").execute()
    with pytest.raises(AuthError, match="Wrong staff code or PIN"):
        staff_service.login(fctx, "001", PINS["001"])
    entry = AuditRow.select().where(AuditRow.action == "login_failed").get()
    assert entry.staff_code == "001" and "disabled" in entry.detail


def test_an_unknown_code_checks_a_pin_as_a_wrong_pin_does(fctx, monkeypatch):
    """The same scrypt work for an unknown code as for a wrong PIN, so the time taken does not
    tell which codes exist (counted, not timed)."""
    checked: list[str] = []
    real = staff_service.verify_pin

    def spy(pin: str, stored: str) -> bool:
        checked.append(stored.split("$")[0])
        return real(pin, stored)

    monkeypatch.setattr(staff_service, "verify_pin", spy)
    with pytest.raises(AuthError):
        staff_service.login(fctx, "001", "0000")  # a known code, wrong PIN
    with pytest.raises(AuthError):
        staff_service.login(fctx, "999", "0000")  # nobody's code
    StaffRow.update(active=False).where(StaffRow.code == "002").execute()
    with pytest.raises(AuthError):
        staff_service.login(fctx, "002", "0000")  # a disabled one
    assert checked == ["scrypt", "scrypt", "scrypt"]
    # the stand-in hash has the parameters stored PINs have (a cheaper one would give it away)
    params = staff_service._dummy_hash[0].split("$")[1:4]
    assert params == StaffRow.get(StaffRow.code == "001").pin_hash.split("$")[1:4]


def test_an_attempt_on_a_locked_code_is_audited(fctx, clock):
    for _ in range(5):
        with pytest.raises(AuthError):
            staff_service.login(fctx, "001", "0000")
    before = AuditRow.select().where(AuditRow.action == "login_failed").count()
    with pytest.raises(AuthError, match="locked"):
        staff_service.login(fctx, "001", PINS["001"])
    with pytest.raises(AuthError, match="locked"):
        staff_service.approve(fctx, "001", PINS["001"], Role.CASHIER, for_action="refund")
    assert AuditRow.select().where(AuditRow.action == "login_failed").count() == before + 1
    entries = list(AuditRow.select().where(AuditRow.detail.contains('"locked"')).order_by(AuditRow.id))
    assert [(e.staff_code, e.action) for e in entries] == [("001", "login_failed"), ("001", "approve_refund_failed")]
    assert "locked_until" in entries[0].detail
    # the attempt does not lengthen or lift the lock
    assert StaffRow.get(StaffRow.code == "001").locked_until == clock.now + timedelta(minutes=30)
