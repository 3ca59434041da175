"""Password re-issue: only a matching office from its start date, mailed to the 管理責任者 only."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from db.models import AuditEvent, MailOutbox
from services import auth, clock
from services.errors import ValidationFailed
from services.fields import corporate_number_check_digit
from services.reissue import GLOBAL_LIMIT, PER_CODE_LIMIT, admin_manager_email, request_reissue
from services.uow import UnitOfWork
from tests.factories import (
    CORPORATE_NUMBER,
    OFFICE_PASSWORD,
    issue,
    last_mail,
    mail_as_sent,
    password_in,
    raw_office,
    user_by_login,
)

BOSS = "boss@example.co.jp"


def _mails() -> int:
    with UnitOfWork() as u:
        s = u.session
        return s.scalar(select(func.count()).select_from(MailOutbox).where(MailOutbox.template == "password_reissued"))


@pytest.fixture
def office(db):
    result, _ = issue()
    code = raw_office(result.applicant_id, clock.today_jst(), admin_manager_email=BOSS)
    return code


def test_match_mails_a_new_password_to_the_registered_admin_manager(office):
    request_reissue(office.lower(), "Boss@Example.co.jp", CORPORATE_NUMBER)
    mail = last_mail("password_reissued")
    assert mail.recipients == [BOSS] and office in mail.body
    assert "再発行パスワード : ********" in mail.body  # never readable in the outbox
    new_password = password_in(mail_as_sent("password_reissued"), "再発行パスワード")
    assert not auth.authenticate(office, OFFICE_PASSWORD).ok
    login = auth.authenticate(office, new_password)
    assert login.ok and login.actor.must_change_password is True  # forced change at next login
    with UnitOfWork() as u:
        s = u.session
        assert s.scalar(select(AuditEvent).where(AuditEvent.action == "auth.password_reissued")) is not None


def test_reissue_ends_open_sessions(office):
    before = clock.now() - timedelta(seconds=1)
    request_reissue(office, BOSS, CORPORATE_NUMBER)
    assert auth.session_actor(office, before) is None


OTHER_CORPORATE_NUMBER = f"{corporate_number_check_digit('111122223333')}111122223333"


@pytest.mark.parametrize("email, corporate_number", [
    ("someone@example.co.jp", CORPORATE_NUMBER),   # the mail typed is not the registered one
    (BOSS, OTHER_CORPORATE_NUMBER),                 # a valid 法人番号, but not this office's
])
def test_non_matching_data_changes_nothing(office, email, corporate_number):
    request_reissue(office, email, corporate_number)
    assert _mails() == 0
    assert auth.authenticate(office, OFFICE_PASSWORD).ok


def test_unknown_office_code_answers_the_same_and_mails_nobody(office):
    assert request_reissue("ZZZZ9999", BOSS, CORPORATE_NUMBER) is None
    assert _mails() == 0


def test_not_before_the_start_date(db):
    result, _ = issue()
    tomorrow = clock.today_jst() + timedelta(days=1)
    code = raw_office(result.applicant_id, tomorrow, admin_manager_email=BOSS)
    request_reissue(code, BOSS, CORPORATE_NUMBER)
    assert _mails() == 0
    with clock.shifted(timedelta(days=1)):
        request_reissue(code, BOSS, CORPORATE_NUMBER)
    assert _mails() == 1


def test_never_for_a_temp_login_id(db):
    result, password = issue()
    request_reissue(result.temp_login_id, "taro@example.co.jp", CORPORATE_NUMBER)
    assert _mails() == 0
    assert auth.authenticate(result.temp_login_id, password).ok


def test_per_code_rate_limit_answers_the_same_and_sends_nothing(office):
    for _ in range(PER_CODE_LIMIT):
        request_reissue(office, "someone@example.co.jp", CORPORATE_NUMBER)
    request_reissue(office, BOSS, CORPORATE_NUMBER)  # right data, but limited
    assert _mails() == 0
    with clock.shifted(timedelta(hours=1, seconds=1)):
        request_reissue(office, BOSS, CORPORATE_NUMBER)
    assert _mails() == 1


def test_global_rate_limit(office):
    for i in range(GLOBAL_LIMIT):
        request_reissue(f"NOPE{i:04d}", BOSS, CORPORATE_NUMBER)
    request_reissue(office, BOSS, CORPORATE_NUMBER)
    assert _mails() == 0


def test_per_client_rate_limit(office):
    for i in range(10):
        request_reissue(f"NOPE{i:04d}", BOSS, CORPORATE_NUMBER, client_key="browser-1")
    request_reissue(office, BOSS, CORPORATE_NUMBER, client_key="browser-1")
    assert _mails() == 0
    request_reissue(office, BOSS, CORPORATE_NUMBER, client_key="browser-2")
    assert _mails() == 1


def test_bad_input_is_named_per_field(db):
    with pytest.raises(ValidationFailed) as exc:
        request_reissue("", "not-a-mail", "123")
    assert {k: v.code for k, v in exc.value.errors.items()} == {
        "office_code": "field.required", "email": "field.email", "corporate_number": "field.corporate_number_format"}
    with pytest.raises(ValidationFailed) as exc:
        request_reissue("AB-12", BOSS, CORPORATE_NUMBER)
    assert exc.value.errors["office_code"].code == "reissue.code_format"


def test_admin_manager_email_reads_the_approved_applicant_contact(office):
    applicant_id = user_by_login(office).applicant_id
    with UnitOfWork() as u:
        s = u.session
        assert admin_manager_email(s, applicant_id) == BOSS
        assert admin_manager_email(s, applicant_id + 999) is None


def test_corporate_number_from_the_approved_office_screen_also_matches(db):
    from db.models import Application, ApplicationSection
    result, _ = issue(corporate_number="", sole_proprietor=True)  # none given at the temporary account
    code = raw_office(result.applicant_id, clock.today_jst(), admin_manager_email=BOSS)
    with UnitOfWork() as u:
        s = u.session
        app_id = s.scalar(select(Application.id).where(Application.applicant_id == result.applicant_id))
        s.add(ApplicationSection(application_id=app_id, section_key="office_company",
                                 data={"corporate_number": OTHER_CORPORATE_NUMBER}, status="COMPLETE",
                                 updated_at=clock.now()))
        u.commit()
    request_reissue(code, BOSS, CORPORATE_NUMBER)
    assert _mails() == 0
    request_reissue(code, BOSS, OTHER_CORPORATE_NUMBER)
    assert _mails() == 1
