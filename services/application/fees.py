"""料金プラン: the monthly estimate of プラン A and プラン B from the fee schedule (SPEC §2.6).

A = ¥basic × (logical terminals + mailboxes) + usage × rate A; B = usage × rate B; both plus the
paid options per 利用者コード (管理統計資料, 保税管理資料保存サービス).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from db.reference import FEE_SCHEDULE, FeeSchedule
from services.fields import int_or_none


@dataclass(frozen=True)
class MonthlyCharge:
    """One month's bill under one plan: the line items of SPEC §2.6."""
    plan: str
    basic: int              # plan A: basic fee × units; plan B: 0
    usage_charge: int       # list usage × the plan's rate
    management_reports: int
    bonded_storage: int

    @property
    def options(self) -> int:
        return self.management_reports + self.bonded_storage

    @property
    def total(self) -> int:
        return self.basic + self.usage_charge + self.options


def monthly_charge(schedule: FeeSchedule, plan: str, *, units: int, usage: int, management_reports: int,
                   bonded_storage: int) -> MonthlyCharge:
    """The fee rule, the one copy: the wizard's estimate and 請求内容参照 both compute with it.
    `management_reports` / `bonded_storage` count the 利用者コード that take each option."""
    usage = max(0, usage)
    if plan == "A":
        basic, rate = schedule["basic_per_unit"] * max(0, units), schedule["rate_a"]
    else:
        basic, rate = 0, schedule["rate_b"]
    return MonthlyCharge(plan, basic, round(usage * rate),
                         management_reports * schedule["management_reports_per_user_code"],
                         bonded_storage * schedule["bonded_storage_per_user_code"])


@dataclass(frozen=True)
class FeeEstimate:
    units: int            # logical terminals + mailboxes (plan A's basic fee is per unit)
    usage: int            # expected monthly usage at list price (yen)
    options: int          # paid options per month
    plan_a: int
    plan_b: int
    schedule: FeeSchedule = field(default_factory=lambda: FEE_SCHEDULE)

    @property
    def cheaper(self) -> str | None:
        if self.plan_a == self.plan_b:
            return None
        return "A" if self.plan_a < self.plan_b else "B"

    @property
    def break_even_usage(self) -> int | None:
        """Usage above which plan A becomes the cheaper one (None when rate B is not above rate A:
        then plan A never is, a schedule an administrator may set)."""
        fs = self.schedule
        if fs["rate_b"] <= fs["rate_a"]:
            return None
        return math.ceil(fs["basic_per_unit"] * self.units / (fs["rate_b"] - fs["rate_a"]))


def option_counts(user_code_rows: list[dict[str, Any]] | None) -> tuple[int, int]:
    """(管理統計資料, 保税管理資料保存サービス): how many 利用者コード rows of the screen take each."""
    rows = [r for r in user_code_rows or [] if isinstance(r, dict)]
    return (sum(1 for r in rows if r.get("management_reports")),
            sum(1 for r in rows if r.get("bonded_storage_service")))


def estimate(usage: int, terminals: int, mailboxes: int = 0, user_code_rows: list[dict[str, Any]] | None = None,
             *, schedule: FeeSchedule = FEE_SCHEDULE) -> FeeEstimate:
    """Both plans for one month. The wizard passes the schedule in force this month
    (services.billing.schedule.in_force); the default is the seed, for a pure computation."""
    units = max(0, terminals) + max(0, mailboxes)
    reports, bonded = option_counts(user_code_rows)
    usage = max(0, usage)
    a, b = (monthly_charge(schedule, plan, units=units, usage=usage, management_reports=reports,
                           bonded_storage=bonded) for plan in ("A", "B"))
    return FeeEstimate(units, usage, a.options, a.total, b.total, schedule)


def _int(value: Any) -> int:
    """A saved or typed count or amount for the estimate; 0 for anything that is not a sane
    integer (309 digits of 予想月間利用額 once overflowed the float maths of the plans)."""
    return int_or_none(value) or 0


def estimate_from_sections(sections: dict[str, dict[str, Any]], usage: Any = None, *,
                           mailbox_applies: bool = True, schedule: FeeSchedule = FEE_SCHEDULE) -> FeeEstimate:
    """From the saved screens: 論理端末数 (回線・論理端末), mailboxes, 利用者コード options."""
    line = sections.get("line") or {}
    mailbox_rows = (sections.get("mailbox") or {}).get("mailboxes") or [] if mailbox_applies else []
    fee = sections.get("fee_plan") or {}
    return estimate(_int(fee.get("expected_monthly_usage") if usage is None else usage),
                    _int(line.get("logical_terminal_count")), len(mailbox_rows),
                    (sections.get("user_code") or {}).get("user_codes") or [], schedule=schedule)
