"""Refund policy: windows, per-category/product rules, fees and who may approve what.

The policy is data (config [refund_policy]); these classes only read it and say, in plain
words, why a refund is allowed, needs approval or is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tui_pos import labels
from tui_pos.domain.errors import InvalidInput
from tui_pos.domain.money import apply_bp, format_money
from tui_pos.domain.refund_tenders import DEFAULT_TENDER_ORDER, DEFAULT_TENDER_WAYS, policy_words
from tui_pos.domain.staff import Role
from tui_pos.i18n import language, tr

# Codes; what they are called on screen and paper: tui_pos.labels.REASONS / DISPOSITIONS.
REASONS = ("quality", "wrong_item", "changed_mind", "service", "price_error", "other")
DISPOSITIONS = ("restock", "damaged", "scrap")


@dataclass(frozen=True)
class PolicyRule:
    code: str
    description: str
    description_zh: str = ""
    refundable: bool = True
    window_hours: int | None = None  # None: the default window (with member-level extension)
    unopened_only: bool = False

    def text(self) -> str:
        return self.description_zh if language() == "zh" and self.description_zh else self.description


DEFAULT_RULE = PolicyRule("", "Standard refund window", "标准退货期限内可退")


@dataclass(frozen=True)
class RefundPolicy:
    window_days: int = 7
    level_window_days: Mapping[str, int] = field(default_factory=dict)
    approval_outside_window: bool = True
    no_receipt_role: Role = Role.MANAGER
    fee_bp: Mapping[str, int] = field(default_factory=dict)
    categories: Mapping[str, str] = field(default_factory=dict)
    rules: Mapping[str, PolicyRule] = field(default_factory=dict)
    limits: Mapping[Role, int | None] = field(default_factory=dict)  # None = unlimited
    spent_points: str = "deduct"  # refund_tenders.SPENT_POINTS
    tender_ways: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_TENDER_WAYS))
    tender_order: tuple[str, ...] = DEFAULT_TENDER_ORDER
    # [refund_limits]: the limits count a person's refunds of the shift together too (always those
    # of one order), and above self_approval_max nobody approves their own refund
    limit_per_shift: bool = False
    self_approval_max: int = 50000

    def rule_for(self, product_code: str, category: str) -> PolicyRule:
        code = product_code or self.categories.get(category, "")
        return self.rules.get(code, DEFAULT_RULE)

    def window(self, rule: PolicyRule, member_level: str | None) -> timedelta:
        if rule.window_hours is not None:
            return timedelta(hours=rule.window_hours)
        days = max(self.window_days, self.level_window_days.get(member_level or "", 0))
        return timedelta(days=days)

    def fee(self, tender: str, amount: int) -> int:
        return apply_bp(amount, self.fee_bp.get(tender, 0))

    def limit(self, role: Role) -> int | None:
        return self.limits.get(role, 0)

    def limit_override_cap(self, role: Role) -> int | None:
        """The most a manager may let one person of `role` refund without approval: the limit
        of the role above (None = any amount, when that role has no limit). The top role has
        nobody above to approve, so its limit stays what the config says."""
        if role is Role.MANAGER:
            raise InvalidInput("A manager's refund limit is set in the config, not per person")
        return self.limit(Role(role + 1))

    def check_limit_override(self, role: Role, amount: int) -> int:
        if amount < 0:
            raise InvalidInput("The amount cannot be negative")
        cap = self.limit_override_cap(role)
        if cap is not None and amount > cap:
            raise InvalidInput(
                "A {role}'s refund limit can be at most {amount} (the {above}'s limit)",
                role=labels.role(role),
                amount=format_money(cap, "￥"),
                above=labels.role(Role(role + 1)),
            )
        return amount

    def role_for_amount(self, amount: int) -> Role:
        """The lowest role whose limit covers `amount`."""
        for role in Role:
            limit = self.limit(role)
            if limit is None or amount <= limit:
                return role
        return Role.MANAGER

    def plain_words(
        self,
        level_name: Callable[[str], str] = str,
        category_name: Callable[[str], str] = str,
        money: Callable[[int], str] = lambda cents: format_money(cents, "￥"),
    ) -> list[str]:
        """Every rule as a sentence a cashier can read out to a customer. Member levels and
        categories are the shop's own codes: `level_name` and `category_name` say what they
        are called (the config knows, the policy does not); `money` writes an amount."""
        lines = [tr("Refunds within {days} days of the sale, with the receipt.", days=self.window_days)]
        for level, days in sorted(self.level_window_days.items()):
            lines.append(tr("{level} members: within {days} days.", level=level_name(level), days=days))
        if self.approval_outside_window:
            lines.append(tr("Later than that only with a supervisor's approval."))
        else:
            lines.append(tr("Later than that: no refund."))
        approver = labels.role(self.no_receipt_role)
        lines.append(tr("Without the receipt: only with a {role}'s approval, and flagged.", role=approver))
        lines.extend(policy_words(self.spent_points, self.tender_ways, self.tender_order))
        for tender, bp in sorted(self.fee_bp.items()):
            if bp:
                lines.append(
                    tr("Refunds to {tender} carry a fee of {pct}%.", tender=labels.tender(tender), pct=f"{bp / 100:g}")
                )
        for role in Role:
            limit = self.limit(role)
            lines.append(
                tr("A {role} may refund up to {amount} without approval.", role=labels.role(role), amount=money(limit))
                if limit is not None
                else tr("A {role} may refund any amount.", role=labels.role(role))
            )
        lines.append(
            tr("The limits count every refund of one order together, and each person's refunds of a shift.")
            if self.limit_per_shift
            else tr("The limits count every refund of one order together.")
        )
        lines.append(
            tr(
                "Above {amount} nobody approves their own refund: a second person enters their code and PIN.",
                amount=money(self.self_approval_max),
            )
        )
        # each rule once, with the categories it covers: a rule's words often start with a name
        # of its own ("Services: ..."), so "Category Services: Services: ..." said it twice
        comma = "、" if language() == "zh" else ", "
        for code, rule in self.rules.items():
            covered = [category_name(c) for c, rule_code in sorted(self.categories.items()) if rule_code == code]
            lines.append(
                tr("{rule} (categories: {categories})", rule=rule.text(), categories=comma.join(covered))
                if covered
                else rule.text()
            )
        for category, code in sorted(self.categories.items()):
            if code not in self.rules:  # a code the config does not define: the standard window
                lines.append(
                    tr("Category {category}: {rule}", category=category_name(category), rule=DEFAULT_RULE.text())
                )
        return lines


def within_window(
    policy: RefundPolicy, rule: PolicyRule, sold_at: datetime, now: datetime, member_level: str | None
) -> bool:
    return now - sold_at <= policy.window(rule, member_level)
