"""Demo usage records: the last 12 months of 利用額 for the demo offices (D0000001–3) and the
approved demo applicant (T900000005), so 請求内容参照 and its plan advisor have data. One import
row and one executemany: cheap at every cold start."""
from __future__ import annotations

import random

from faker import Faker
from sqlalchemy import insert, or_, select

from db.models import Applicant, UsageImport, UsageRecord, UserCode
from services import clock
from services.billing.months import last_months
from services.demo.applicants import APPROVED_ID
from services.demo.offices import ALL_ID, NONE_ID, SOME_ID
from services.uow import UnitOfWork

DEMO_FILE_NAME = "demo-usage.csv"
# A typical monthly 利用額 per office (list price): around the plans' break-even, so the advisor
# recommends a change for some offices and not for others.
_LEVELS = {NONE_ID: 8_000, SOME_ID: 30_000, ALL_ID: 60_000, APPROVED_ID: 15_000}


def seed_demo_usage(u: UnitOfWork, _fake: Faker) -> None:
    s = u.session
    rnd = random.Random(2028)
    found = s.execute(select(UserCode.id, UserCode.applicant_id, Applicant.office_code, Applicant.temp_login_id)
                      .join(Applicant, Applicant.id == UserCode.applicant_id)
                      .where(or_(Applicant.office_code.in_([NONE_ID, SOME_ID, ALL_ID]),
                                 Applicant.temp_login_id == APPROVED_ID))
                      .order_by(UserCode.id)).all()
    if not found:
        return
    record = UsageImport(file_name=DEMO_FILE_NAME, row_count=0, replace=False, imported_at=clock.now(),
                         imported_by_user_id=None, imported_by_login_id=None)
    s.add(record)
    s.flush()
    rows = []
    for code_id, applicant_id, office_code, temp_id in found:
        level = _LEVELS.get(office_code or "", _LEVELS[APPROVED_ID] if temp_id == APPROVED_ID else 10_000)
        for month in last_months(clock.today_jst(), 12):
            rows.append({"user_code_id": code_id, "applicant_id": applicant_id, "month": month,
                         "usage_amount": round(level * rnd.uniform(0.6, 1.4) / 100) * 100, "import_id": record.id})
    s.execute(insert(UsageRecord), rows)
    record.row_count = len(rows)
