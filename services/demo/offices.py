"""Demo offices at each stage of system settings (none ○, some ○, all ○), each with a fixed 事業所コード
for a one-click login that opens its guidance and 契約内容確認. They are made like the review queue's
approved applications (rows in bulk, the demo password's one hash), not through the approval use case:
three more approvals would cost three bcrypt hashes and ~400 statements at every cold start.
A fixed code holds a 0 or 1, which generated codes never do."""
from __future__ import annotations

import random
from datetime import timedelta

from faker import Faker
from sqlalchemy import select

from db.models import Application, ApplicationSection, IssuedCode, User, UserCode
from services import clock
from services.application.connection import ConnectionType
from services.application.sections import OFFICE
from services.calendar import add_business_days
from services.codes import CodeKind
from services.demo.accounts import demo_password_hash
from services.demo.review_queue import approve_rows, demo_applicant, demo_screens
from services.system_settings.registrations import NAME_ITEM, record_all, record_approval
from services.temp_accounts import terms_in_force
from services.uow import UnitOfWork, insert_rows
from services.workflow import ApplicationKind, ApplicationStatus

NONE_ID, SOME_ID, ALL_ID = "D0000001", "D0000002", "D0000003"
OFFICE_DEMO_BUTTONS = [
    ("demo.button.office_settings_none", NONE_ID),
    ("demo.button.office_settings_some", SOME_ID),
    ("demo.button.office_settings_all", ALL_ID),
]
# Two 利用者コード each, so "some ○" can have one finished and one not.
_USER_CODES = [
    {"system_category": "海上", "industries": ["通関業", "海貨業"], "id_number_count": 2,
     "management_reports": True, "bonded_storage_service": False},
    {"system_category": "航空", "industries": ["航空貨物代理店"], "id_number_count": 1,
     "management_reports": False, "bonded_storage_service": False},
]
_START_IN_BUSINESS_DAYS = {NONE_ID: 6, SOME_ID: 8, ALL_ID: 9}  # inside the staff matrix's default horizon


def make_office(u: UnitOfWork, fake: Faker, rnd: random.Random, office_code: str, start_in: int = 6) -> None:
    """One approved demo office logging in with `office_code` (its 利用開始日 `start_in` business
    days ahead unless it is one of the three above); services.demo.changes makes two more."""
    s = u.session
    now = clock.now()
    applicant = demo_applicant(fake, s, terms_in_force(s).id, now - timedelta(days=12))
    s.add(applicant)
    s.flush()
    screens = demo_screens(fake, rnd, applicant, ConnectionType.NET, ["通関業"]) | {"user_code": {"user_codes": _USER_CODES}}
    app = Application(kind=ApplicationKind.NEW_USAGE, shared_use=False, status=ApplicationStatus.APPROVED,
                      applicant_id=applicant.id, connection_type=ConnectionType.NET, industries="|通関業|海貨業|航空貨物代理店|",
                      created_at=now - timedelta(days=11), updated_at=now, submitted_at=now - timedelta(days=10),
                      first_submitted_at=now - timedelta(days=10), decided_at=now - timedelta(days=7),
                      company_name=screens[OFFICE].get("company_name") or None)
    s.add(app)
    s.flush()
    insert_rows(s, ApplicationSection, [
        {"application_id": app.id, "section_key": key, "data": data, "status": "COMPLETE",
         "updated_at": app.submitted_at, "updated_by_user_id": None, "version": 1} for key, data in screens.items()])
    start = add_business_days(clock.today_jst(), _START_IN_BUSINESS_DAYS.get(office_code, start_in))
    approve_rows(s, app, screens, applicant, demo_password_hash(), start, [False] * len(_USER_CODES))
    s.flush()
    user = s.scalar(select(User).where(User.applicant_id == applicant.id, User.login_id == applicant.office_code))
    assert user is not None
    s.add(IssuedCode(code=office_code, kind=CodeKind.OFFICE, issued_at=now))
    applicant.office_code = office_code
    user.login_id, user.login_key = office_code, office_code.lower()
    codes = list(s.scalars(select(UserCode).where(UserCode.applicant_id == applicant.id).order_by(UserCode.id)))
    if office_code == ALL_ID:
        for uc in codes:
            record_all(s, uc, app.id)
    elif office_code == SOME_ID:
        record_all(s, codes[0], app.id)               # the first 利用者コード done,
        record_approval(s, codes[1], app.id, [NAME_ITEM])  # the second with only its 名称


def seed_settings_offices(u: UnitOfWork, fake: Faker) -> None:
    rnd = random.Random(2027)
    for office_code in (NONE_ID, SOME_ID, ALL_ID):
        make_office(u, fake, rnd, office_code)
    u.flush()
