"""請求内容参照 (SPEC §2.6): an office's fee plan, billing address and monthly charges, computed from
the fee schedule in force each month (services.billing.schedule) and the usage records, with the
fee rule of services.application.fees.monthly_charge; and the plan advisor (beyond NSS): what the
other plan would have cost over the last months of real usage.

The plan, 論理端末数, mailboxes and each 利用者コード's options are read from the approved
新規利用申込 (the contract, as 契約内容確認 reads it); 変更申込 will change them later."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from db.models import Applicant, UsageRecord
from services import clock, contract
from services.application.fees import MonthlyCharge, monthly_charge, option_counts
from services.application.sections import (
    BILLING_ADDRESS,
    FEE_PLAN,
    LINE,
    MAILBOX,
    OFFICE,
    USER_CODE,
    context_of,
    get_section,
)
from services.authz import Actor, require_applicant_access
from services.billing.months import last_months, month_label, month_of
from services.billing.schedule import schedules_for
from services.exports import safe_row
from services.uow import UnitOfWork, get_or_raise

STATEMENT_MONTHS = 12   # the table and the chart: the last 12 months
ADVISOR_MONTHS = 6      # the plan advisor looks at the last 6 months with usage
PLANS = ("A", "B")


@dataclass(frozen=True)
class BillingAddress:
    same_as_office: bool
    name: str
    postal_code: str
    address: str
    department: str
    contact_name: str
    phone: str


@dataclass(frozen=True)
class MonthLine:
    month: date
    usage: int              # list usage of the office's 利用者コード that month (yen)
    charge: MonthlyCharge   # under the office's plan
    other: MonthlyCharge    # what the other plan would have cost
    has_usage: bool         # usage records exist for the month


@dataclass(frozen=True)
class PlanAdvice:
    months: int             # months of usage compared (0: nothing to compare yet)
    current_total: int
    other_total: int
    other_plan: str

    @property
    def saving(self) -> int:
        """What the other plan would have saved over these months (negative: it would have cost more)."""
        return self.current_total - self.other_total

    @property
    def monthly_saving(self) -> int:
        return round(self.saving / self.months) if self.months else 0

    @property
    def change_pays(self) -> bool:
        return self.months > 0 and self.saving > 0


@dataclass(frozen=True)
class Statement:
    applicant_id: int
    in_force: bool          # an approved 新規利用申込 exists
    plan: str | None
    units: int              # logical terminals + mailboxes (plan A's basic fee)
    management_reports: int  # 利用者コード with 管理統計資料
    bonded_storage: int      # 利用者コード with 保税管理資料保存サービス
    billing_address: BillingAddress | None
    months: tuple[MonthLine, ...]
    advice: PlanAdvice | None


def _address(sections: dict[str, dict[str, Any]]) -> BillingAddress:
    billing = sections.get(BILLING_ADDRESS) or {}
    office = sections.get(OFFICE) or {}
    if billing.get("same_as_office") or not billing.get("billing_address"):
        return BillingAddress(True, str(office.get("company_name") or ""), str(office.get("office_postal_code") or ""),
                              str(office.get("office_address") or ""), str(office.get("office_name") or ""), "",
                              str(office.get("office_phone") or ""))
    return BillingAddress(False, *(str(billing.get(k) or "") for k in (
        "billing_name", "billing_postal_code", "billing_address", "billing_department", "billing_contact_name",
        "billing_phone")))


def _units(sections: dict[str, dict[str, Any]]) -> int:
    line = sections.get(LINE) or {}
    try:
        terminals = max(0, int(line.get("logical_terminal_count") or 0))
    except (TypeError, ValueError):
        terminals = 0
    mailbox_applies = get_section(MAILBOX).applies(context_of(sections))
    mailboxes = len((sections.get(MAILBOX) or {}).get("mailboxes") or []) if mailbox_applies else 0
    return terminals + mailboxes


def _terms(sections: dict[str, dict[str, Any]]) -> tuple[str, int, int, int]:
    """(plan, units, 管理統計資料 count, 保税管理資料保存サービス count) of one contract version."""
    plan = (sections.get(FEE_PLAN) or {}).get("plan")
    reports, bonded = option_counts((sections.get(USER_CODE) or {}).get("user_codes"))
    return plan if plan in PLANS else "B", _units(sections), reports, bonded


def _advice(lines: list[MonthLine], plan: str) -> PlanAdvice:
    used = [m for m in lines if m.has_usage][-ADVISOR_MONTHS:]
    other = next(p for p in PLANS if p != plan)
    return PlanAdvice(len(used), sum(m.charge.total for m in used), sum(m.other.total for m in used), other)


def statement(actor: Actor, applicant_id: int, *, months: int = STATEMENT_MONTHS,
              uow: UnitOfWork | None = None) -> Statement:
    """The office itself, or staff for any office (services.authz)."""
    require_applicant_access(actor, applicant_id)
    with (uow or UnitOfWork()) as u:
        s = u.session
        get_or_raise(s, Applicant, applicant_id)
        versions = contract.versions(s, applicant_id)  # an approved 変更申込 changes the terms from its month
        if not versions:
            return Statement(applicant_id, False, None, 0, 0, 0, None, (), None)
        start_date = versions[0].valid_from
        sections = (contract.version_on(versions, clock.today_jst()) or versions[0]).sections
        plan, units, reports, bonded = _terms(sections)
        wanted = last_months(clock.today_jst(), months)
        usage = dict(s.execute(select(UsageRecord.month, func.sum(UsageRecord.usage_amount)).where(
            UsageRecord.applicant_id == applicant_id, UsageRecord.superseded_by_import_id.is_(None),
            UsageRecord.month >= wanted[0], UsageRecord.month <= wanted[-1]).group_by(UsageRecord.month)).all())
        usage = {month_of(m): int(v or 0) for m, v in usage.items()}
        schedules = schedules_for(s, wanted)
        # Billed from the 利用開始日's month, or from the first month with usage if that is earlier.
        starts = [month_of(start_date)] if start_date else []
        starts += [min(usage)] if usage else []
        first = min(starts) if starts else None
        lines = []
        for month in (m for m in wanted if first is not None and m >= first):
            amount = usage.get(month, 0)
            # The terms of the contract version in force on the month's first day (else the first one).
            month_plan, month_units, month_reports, month_bonded = _terms(
                (contract.version_on(versions, month) or versions[0]).sections)
            kwargs = {"units": month_units, "usage": amount, "management_reports": month_reports,
                      "bonded_storage": month_bonded}
            other_plan = next(p for p in PLANS if p != month_plan)
            lines.append(MonthLine(month, amount, monthly_charge(schedules[month], month_plan, **kwargs),
                                   monthly_charge(schedules[month], other_plan, **kwargs), month in usage))
        return Statement(applicant_id, True, plan, units, reports, bonded, _address(sections), tuple(lines),
                         _advice(lines, plan))


CSV_COLUMNS = ("month", "usage", "basic", "usage_charge", "management_reports", "bonded_storage", "total")


def statement_rows(st_: Statement) -> list[list[Any]]:
    """One row per month, newest first, in CSV_COLUMNS order (the table, the CSV)."""
    return [[month_label(m.month), m.usage, m.charge.basic, m.charge.usage_charge, m.charge.management_reports,
             m.charge.bonded_storage, m.charge.total] for m in reversed(st_.months)]


def statement_csv(st_: Statement, headers: dict[str, str] | None = None) -> bytes:
    """UTF-8 with BOM (Excel opens it as UTF-8), every cell through services.exports.safe_row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(safe_row([(headers or {}).get(c, c) for c in CSV_COLUMNS]))
    for row in statement_rows(st_):
        writer.writerow(safe_row(row))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
