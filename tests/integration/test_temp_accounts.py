"""仮アカウントの発行: validation, the issued account, its mail, the double-click guard, the desk path."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from config import settings
from db.models import Applicant, AuditEvent, MailOutbox, TermsVersion, User
from services import clock
from services.authz import DESK, REVIEWER
from services.errors import DomainError, PermissionDenied, ValidationFailed
from services.temp_accounts import Channel, issue_temp_account
from services.uow import UnitOfWork
from tests.factories import CORPORATE_NUMBER, issue, last_mail, mail_as_sent, make_staff, valid_form


def _errors(**overrides) -> dict:
    with pytest.raises(ValidationFailed) as exc:
        issue_temp_account(None, valid_form(**overrides))
    return {k: v.code for k, v in exc.value.errors.items()}


def _count(model) -> int:
    with UnitOfWork() as u:
        s = u.session
        return s.scalar(select(func.count()).select_from(model))


def test_issues_applicant_user_and_mail_in_one_go(db):
    result, password = issue()
    assert result.temp_login_id.startswith("T") and len(result.temp_login_id) == 10
    with UnitOfWork() as u:
        s = u.session
        applicant = s.get(Applicant, result.applicant_id)
        user = s.scalar(select(User).where(User.applicant_id == applicant.id))
        assert applicant.status == "TEMP_REGISTERED"
        assert applicant.terms_agreed_via == "WEB" and applicant.terms_version_id is not None
        assert applicant.temp_expires_at - applicant.issued_at == timedelta(hours=48)
        assert user.kind == "TEMP" and user.role_names == {"applicant"} and user.login_id == result.temp_login_id
        assert user.must_change_password is True  # the mailed 仮パスワード must be changed first (SPEC §6)
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "temp_account.issued"))
        assert event.actor_login_id == result.temp_login_id and event.after["via"] == "WEB"
    body = last_mail("temp_account_issued").body
    assert result.temp_login_id in body and password not in body and settings().base_url in body
    assert "仮パスワード  : ********" in body  # never readable in the outbox
    assert password in mail_as_sent("temp_account_issued")
    assert len(password) >= 10


def test_mail_states_the_deadline_in_jst_and_goes_to_the_entered_address(db):
    result, _ = issue()
    mail = last_mail("temp_account_issued")
    assert mail.recipients == ["taro@example.co.jp"] and "仮アカウント登録完了" in mail.subject
    local = result.expires_at.astimezone(clock.JST)
    assert f"{local:%Y/%m/%d %H:%M}（日本時間）" in mail.body and "48 時間" in mail.body


def test_mail_uses_configured_base_url_not_a_host_header(db, monkeypatch):
    monkeypatch.setenv("NSS_BASE_URL", "https://nss.example.jp/portal/")
    settings.cache_clear()
    issue()
    assert "https://nss.example.jp/portal\n" in last_mail("temp_account_issued").body


def test_values_are_normalised(db):
    result, _ = issue(contact_kana="やまだ たろう", phone="０３－１２３４－５６７８",
                      email="Taro@Example.co.jp", email_confirm="taro@example.co.jp",
                      corporate_number=" " + CORPORATE_NUMBER)
    with UnitOfWork() as u:
        s = u.session
        applicant = s.get(Applicant, result.applicant_id)
        assert applicant.contact_kana == "ヤマダ\u3000タロウ"
        assert applicant.phone == "03-1234-5678" and applicant.phone_digits == "0312345678"
        assert applicant.email_lower == "taro@example.co.jp"
        assert applicant.corporate_number == CORPORATE_NUMBER


def test_empty_form_names_every_required_field(db):
    errors = _errors(contact_name="", contact_kana="", company_name="", phone="", email="",
                     email_confirm="", corporate_number="")
    assert errors == {k: "field.required" for k in
                      ("contact_name", "contact_kana", "company_name", "phone", "email", "email_confirm",
                       "corporate_number")}
    assert _count(Applicant) == 0 and _count(MailOutbox) == 0 and _count(User) == 0


@pytest.mark.parametrize("overrides, field, code", [
    ({"contact_name": "山" * 101}, "contact_name", "field.too_long"),
    ({"company_name": "社" * 201}, "company_name", "field.too_long"),
    ({"contact_kana": "Yamada"}, "contact_kana", "field.kana"),
    ({"phone": "12-34"}, "phone", "field.phone"),
    ({"email": "taro@"}, "email", "field.email"),
    ({"email_confirm": "jiro@example.co.jp"}, "email_confirm", "field.email_mismatch"),
    ({"corporate_number": "1" + CORPORATE_NUMBER[1:] if CORPORATE_NUMBER[0] != "1" else "2" + CORPORATE_NUMBER[1:]},
     "corporate_number", "field.corporate_number_check"),
    ({"corporate_number": "12345"}, "corporate_number", "field.corporate_number_format"),
    ({"agreed": False}, "agreed", "temp_account.must_agree"),
])
def test_bad_input_gets_its_message_and_saves_nothing(db, overrides, field, code):
    assert _errors(**overrides) == {field: code}
    assert _count(Applicant) == 0 and _count(MailOutbox) == 0


def test_sole_proprietor_may_leave_corporate_number_empty(db):
    result, _ = issue(corporate_number="", sole_proprietor=True, department="")
    with UnitOfWork() as u:
        s = u.session
        applicant = s.get(Applicant, result.applicant_id)
        assert applicant.corporate_number is None and applicant.department is None


def test_terms_newer_than_the_shown_ones_are_refused(db):
    shown = valid_form()
    with UnitOfWork() as u:
        s = u.session
        s.add(TermsVersion(version="2.0", body="new terms", created_at=clock.now(), effective_from=clock.now()))
        s.commit()
    with pytest.raises(DomainError) as exc:
        issue_temp_account(None, shown)
    assert exc.value.code == "temp_account.terms_changed" and _count(Applicant) == 0


def test_double_submit_of_one_form_creates_one_account(db):
    form = valid_form()
    first = issue_temp_account(None, form)
    second = issue_temp_account(None, form)
    assert first == second
    assert _count(Applicant) == 1 and _count(User) == 1 and _count(MailOutbox) == 1


def test_concurrent_double_click_creates_one_account(db):
    form = valid_form()
    results, errors = [], []

    def submit():
        try:
            results.append(issue_temp_account(None, form))
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors and len(results) == 2 and results[0] == results[1]
    assert _count(Applicant) == 1 and _count(MailOutbox) == 1


def test_two_form_instances_create_two_accounts(db):
    issue()
    issue()
    assert _count(Applicant) == 2
    with UnitOfWork() as u:
        s = u.session
        ids = s.scalars(select(Applicant.temp_login_id)).all()
    assert len(set(ids)) == 2


def test_desk_issues_by_phone_and_audit_says_so(db):
    desk = make_staff("desk1", DESK)
    result = issue_temp_account(desk, valid_form(), via=Channel.PHONE)
    assert result.via == Channel.PHONE
    with UnitOfWork() as u:
        s = u.session
        applicant = s.get(Applicant, result.applicant_id)
        assert applicant.terms_agreed_via == Channel.PHONE and applicant.issued_by_user_id == desk.user_id
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "temp_account.issued"))
        assert event.actor_login_id == "desk1" and event.on_behalf_of_applicant_id == applicant.id
        assert event.after["terms_agreed_by_phone"] is True
    assert last_mail("temp_account_issued").recipients == ["taro@example.co.jp"]


@pytest.mark.parametrize("who", [None, "reviewer"])
def test_phone_channel_needs_the_desk_role(db, who):
    actor = make_staff("rev1", REVIEWER) if who else None
    with pytest.raises(PermissionDenied):
        issue_temp_account(actor, valid_form(), via=Channel.PHONE)
    assert _count(Applicant) == 0
