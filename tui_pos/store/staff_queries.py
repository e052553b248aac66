"""Staff by code: what logging in needs. Kept apart from store/queries.py so the login screen
does not load the sales model."""

from __future__ import annotations

from tui_pos.domain.staff import Role, Staff
from tui_pos.store.models import StaffRow


def to_staff(row: StaffRow) -> Staff:
    return Staff(
        id=row.id,
        code=row.code,
        name=row.name,
        role=Role.parse(row.role),
        name_en=row.name_en,
        refund_limit=row.refund_limit,
        must_change_pin=bool(row.must_change_pin),
    )


def staff_row(code: str) -> StaffRow | None:
    return StaffRow.get_or_none(StaffRow.code == code)


def all_staff() -> list[StaffRow]:
    """Everyone, active first, by code: the manager's staff list."""
    return list(StaffRow.select().order_by(StaffRow.active.desc(), StaffRow.code))


def active_managers(excluding: str = "") -> int:
    return (
        StaffRow.select()
        .where((StaffRow.role == "manager") & (StaffRow.active == True) & (StaffRow.code != excluding))  # noqa: E712
        .count()
    )
