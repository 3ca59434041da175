"""Applicants and applications inserted directly, for the desk's search and record tests."""
from __future__ import annotations

import itertools
from datetime import date, timedelta

from sqlalchemy import select

from db.models import Applicant, Application, ApplicationSection, TermsVersion, UserCode
from services.uow import UnitOfWork
from services import clock
from services.fields import phone_digits

_seq = itertools.count(1)


def make_applicant(*, name: str = "山田 太郎", kana: str = "ヤマダ\u3000タロウ", company: str = "山田物流株式会社",
                   phone: str = "03-1234-5678", email: str = "Taro.Yamada@Example.jp",
                   corporate_number: str | None = None, office_code: str | None = None,
                   temp_login_id: str | None = None, expires_in: timedelta = timedelta(hours=48)) -> int:
    n = next(_seq)
    now = clock.now()
    with UnitOfWork() as u:
        s = u.session
        terms_id = s.scalar(select(TermsVersion.id).order_by(TermsVersion.id.desc()))
        a = Applicant(temp_login_id=temp_login_id or f"T{n:09d}",
                      status="OFFICE" if office_code else "TEMP_REGISTERED",
                      contact_name=name, contact_kana=kana, company_name=company, department="業務部",
                      phone=phone, phone_digits=phone_digits(phone), email=email, email_lower=email.lower(),
                      corporate_number=corporate_number, terms_version_id=terms_id, terms_agreed_at=now,
                      terms_agreed_via="WEB", issued_at=now, temp_expires_at=now + expires_in,
                      office_code=office_code)
        s.add(a)
        s.commit()
        return a.id


# Screens that apply whatever the 接続形態 (seven of them), in the order make_application fills them.
ALWAYS_APPLICABLE = ("applicant_contact", "office", "user_code", "line", "logical_terminal", "fee_plan",
                     "billing_address")


def make_application(applicant_id: int, status: str = "DRAFT", *, complete_screens: int = 0,
                     start_date: date | None = None, kind: str = "NEW_USAGE", ref_no: str | None = None,
                     connection_type: str | None = None) -> int:
    """`complete_screens` of ALWAYS_APPLICABLE stored 入力済, the next one 入力中."""
    now = clock.now()
    with UnitOfWork() as u:
        s = u.session
        app = Application(kind=kind, status=status, applicant_id=applicant_id, created_at=now, updated_at=now,
                          start_date=start_date, ref_no=ref_no)
        s.add(app)
        s.flush()
        for i, key in enumerate(ALWAYS_APPLICABLE[:complete_screens + 1]):
            data = {"connection_type": connection_type} if key == "office" and connection_type else {}
            s.add(ApplicationSection(application_id=app.id, section_key=key, data=data,
                                     status="COMPLETE" if i < complete_screens else "PARTIAL", updated_at=now))
        s.commit()
        return app.id


def make_user_code(applicant_id: int, application_id: int, code: str, *, settings_done: bool = False) -> None:
    with UnitOfWork() as u:
        s = u.session
        s.add(UserCode(applicant_id=applicant_id, application_id=application_id, user_code=code,
                       system_category="SEA", industries=["通関業"], id_numbers=["A2A"],
                       settings_completed_at=clock.now() if settings_done else None, created_at=clock.now()))
        s.commit()
