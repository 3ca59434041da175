"""料金プラン: the monthly estimate of プラン A and プラン B from the fee schedule (SPEC §2.6).

A = ¥basic × (logical terminals + mailboxes) + usage × rate A; B = usage × rate B; both plus the
paid options per 利用者コード (管理統計資料, 保税管理資料保存サービス).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from db.reference import FEE_SCHEDULE
from services.fields import int_or_none


@dataclass(frozen=True)
class FeeEstimate:
    units: int            # logical terminals + mailboxes (plan A's basic fee is per unit)
    usage: int            # expected monthly usage at list price (yen)
    options: int          # paid options per month
    plan_a: int
    plan_b: int

    @property
    def cheaper(self) -> str | None:
        if self.plan_a == self.plan_b:
            return None
        return "A" if self.plan_a < self.plan_b else "B"

    @property
    def break_even_usage(self) -> int:
        """Usage above which plan A becomes the cheaper one."""
        fs = FEE_SCHEDULE
        return math.ceil(fs["basic_per_unit"] * self.units / (fs["rate_b"] - fs["rate_a"]))


def estimate(usage: int, terminals: int, mailboxes: int = 0, user_code_rows: list[dict[str, Any]] | None = None
             ) -> FeeEstimate:
    fs = FEE_SCHEDULE
    units = max(0, terminals) + max(0, mailboxes)
    rows = user_code_rows or []
    options = (sum(1 for r in rows if r.get("management_reports")) * fs["management_reports_per_user_code"]
               + sum(1 for r in rows if r.get("bonded_storage_service")) * fs["bonded_storage_per_user_code"])
    usage = max(0, usage)
    plan_a = round(fs["basic_per_unit"] * units + usage * fs["rate_a"]) + options
    plan_b = round(usage * fs["rate_b"]) + options
    return FeeEstimate(units, usage, options, plan_a, plan_b)


def _int(value: Any) -> int:
    """A saved or typed count or amount for the estimate; 0 for anything that is not a sane
    integer (309 digits of 予想月間利用額 once overflowed the float maths of the plans)."""
    return int_or_none(value) or 0


def estimate_from_sections(sections: dict[str, dict[str, Any]], usage: Any = None, *,
                           mailbox_applies: bool = True) -> FeeEstimate:
    """From the saved screens: 論理端末数 (回線・論理端末), mailboxes, 利用者コード options."""
    line = sections.get("line") or {}
    mailbox_rows = (sections.get("mailbox") or {}).get("mailboxes") or [] if mailbox_applies else []
    fee = sections.get("fee_plan") or {}
    return estimate(_int(fee.get("expected_monthly_usage") if usage is None else usage),
                    _int(line.get("logical_terminal_count")), len(mailbox_rows),
                    (sections.get("user_code") or {}).get("user_codes") or [])
