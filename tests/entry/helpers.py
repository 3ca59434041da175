"""Shared set-up for the applicant-entry tests: valid forms, issued accounts, approved offices."""
from __future__ import annotations

import re
import uuid
from datetime import date

from sqlalchemy import select

from db.models import Applicant, Application, ApplicationSection, MailOutbox, User
from db.uow import uow
from services import clock, codes
from services.auth import create_user
from services.authz import APPLICANT
from services.fields import corporate_number_check_digit
from services.temp_accounts import TempAccountForm, current_terms, issue_temp_account

BASE12 = "700110005901"
CORPORATE_NUMBER = f"{corporate_number_check_digit(BASE12)}{BASE12}"
OFFICE_PASSWORD = "Office-Pass-123"


def valid_form(**overrides) -> TempAccountForm:
    values = dict(contact_name="山田 太郎", contact_kana="ヤマダ タロウ", company_name="山田通関株式会社",
                  department="業務部", phone="03-1234-5678", email="taro@example.co.jp",
                  email_confirm="taro@example.co.jp", corporate_number=CORPORATE_NUMBER,
                  terms_version_id=current_terms().id, agreed=True, submission_token=uuid.uuid4().hex)
    values.update(overrides)
    return TempAccountForm(**values)


def last_mail(template: str) -> MailOutbox:
    with uow() as s:
        row = s.scalar(select(MailOutbox).where(MailOutbox.template == template)
                       .order_by(MailOutbox.id.desc()).limit(1))
        s.expunge(row)
        return row


def password_in(body: str, label: str) -> str:
    return re.search(rf"{label}\s*:\s*(\S+)", body).group(1)


def issue(**overrides):
    """A WEB temporary account; returns (result, temp password read from the mail)."""
    result = issue_temp_account(None, valid_form(**overrides))
    return result, password_in(last_mail("temp_account_issued").body, "仮パスワード")


def start_application(applicant_id: int, *, status: str = "DRAFT", start_date: date | None = None,
                      connection_type: str | None = None, admin_manager_email: str | None = None) -> int:
    with uow() as s:
        now = clock.now()
        app = Application(kind="NEW_USAGE", status=status, applicant_id=applicant_id, start_date=start_date,
                          connection_type=connection_type, created_at=now, updated_at=now)
        s.add(app)
        s.flush()
        if admin_manager_email is not None:
            s.add(ApplicationSection(application_id=app.id, section_key="applicant_contact",
                                     data={"admin_manager_email": admin_manager_email}, status="COMPLETE",
                                     updated_at=now))
        s.commit()
        return app.id


def approve_office(applicant_id: int, start_date: date, *, admin_manager_email: str = "boss@example.co.jp"
                   ) -> str:
    """What the review branch does on approval, reduced to what these tests need: an OFFICE login."""
    start_application(applicant_id, status="APPROVED", start_date=start_date,
                      admin_manager_email=admin_manager_email)
    with uow() as s:
        applicant = s.get(Applicant, applicant_id)
        applicant.office_code = codes.new_office_code(s)
        applicant.status = "OFFICE"
        create_user(s, login_id=applicant.office_code, display_name=applicant.company_name,
                    password=OFFICE_PASSWORD, roles={APPLICANT}, kind="OFFICE", email=admin_manager_email,
                    applicant_id=applicant_id, must_change_password=False)
        s.commit()
        return applicant.office_code


def user_by_login(login_id: str) -> User:
    with uow() as s:
        user = s.scalar(select(User).where(User.login_id == login_id))
        s.expunge(user)
        return user


def at_jst(day: date, hour: int = 12):
    """clock.shifted to noon (or `hour`) JST of `day`."""
    from datetime import datetime, time
    target = datetime.combine(day, time(hour), tzinfo=clock.JST)
    return clock.shifted(target - clock.now())


def add_id_notice(applicant_id: int, start_date: date, password: str = OFFICE_PASSWORD,
                  office_code: str = "K7ABCD23") -> int:
    """The 「ID 通知内容」 the review branch writes on approval."""
    from services.notices import NoticeKind, add_notice
    from services.secrets import encrypt
    with uow() as s:
        notice = add_notice(s, applicant_id, NoticeKind.ID_NOTICE,
                            {"office_code": office_code, "start_date": start_date.isoformat()},
                            secret=encrypt(password))
        s.commit()
        return notice.id
