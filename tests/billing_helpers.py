"""Test data for billing: an approved office with its 利用者コード, a chosen plan, usage files."""
from __future__ import annotations

import io
from datetime import date

from sqlalchemy import select, update

from db.models import ApplicationSection, UserCode
from services import clock
from services.billing.months import add_months, month_label, month_of
from services.uow import UnitOfWork
from services.workflow import ApplicationStatus
from tests.factories import make_application


def office(plan: str = "A") -> tuple[int, int, list[str]]:
    """An approved NET office (2 logical terminals, no mailbox; 2 利用者コード: the first with
    管理統計資料, the second with 保税管理資料保存サービス) on `plan`: (application, applicant, codes)."""
    app_id, applicant_id = make_application(status=ApplicationStatus.APPROVED)
    with UnitOfWork() as u:
        s = u.session
        row = s.scalar(select(ApplicationSection).where(ApplicationSection.application_id == app_id,
                                                        ApplicationSection.section_key == "fee_plan"))
        s.execute(update(ApplicationSection).where(ApplicationSection.id == row.id)
                  .values(data={**row.data, "plan": plan}))
        codes = list(s.scalars(select(UserCode.user_code).where(UserCode.applicant_id == applicant_id)
                               .order_by(UserCode.id)))
        u.commit()
    return app_id, applicant_id, codes


def this_month() -> date:
    return month_of(clock.today_jst())


def months_ago(n: int) -> date:
    return add_months(this_month(), -n)


def csv_file(rows: list[tuple[str, str, object]], *, encoding: str = "utf-8-sig", sep: str = "-") -> io.BytesIO:
    lines = ["利用者コード,年月,利用額"] + [f"{c},{m.replace('-', sep)},{a}" for c, m, a in rows]
    return io.BytesIO(("\r\n".join(lines) + "\r\n").encode(encoding))


def label(month: date) -> str:
    return month_label(month)
