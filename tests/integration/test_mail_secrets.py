"""Passwords are never readable at rest (issue 8, item 2): the outbox shows ********, the password a
mail carries is kept encrypted only until it is sent, staff never open the ID notice's password, and
no table, audit row or log line holds one in plain text (both backends)."""
import json
import logging
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from db.models import Base, MailOutbox
from services import clock, mail
from services.authz import ADMIN, DESK, REVIEWER
from services.errors import DomainError, PermissionDenied
from services.notices import NoticeKind, list_notices, open_id_notice
from services.reissue import request_reissue, reset_password
from services.review import actions
from services.uow import UnitOfWork
from tests.factories import (
    CORPORATE_NUMBER,
    applicant_actor,
    issue,
    last_mail,
    make_application,
    make_staff,
    next_start_date,
    password_in,
    raw_office,
    version_of,
)


@pytest.fixture(autouse=True)
def by_hand(monkeypatch):
    """Delivery is driven by the tests: no background send after the queueing commit."""
    monkeypatch.setattr(mail, "deliver_in_background", lambda: None)


def _row(mail_id: int) -> MailOutbox:
    with UnitOfWork() as u:
        row = u.session.get(MailOutbox, mail_id)
        u.session.expunge(row)
        return row


def test_the_outbox_keeps_the_temporary_password_masked_and_encrypted_only_until_sent(db, smtp):
    result, password = issue()
    stored = last_mail("temp_account_issued")
    assert "仮パスワード  : ********" in stored.body and password not in stored.body
    assert stored.has_secret and stored.secret and password not in stored.secret
    assert mail.deliver_pending() == 1
    [received] = smtp.wait_for("taro@example.co.jp")
    assert password_in(received.get_content(), "仮パスワード") == password  # the applicant gets it
    sent = _row(stored.id)
    assert sent.status == "SENT" and sent.secret is None  # erased once sent
    assert sent.body == stored.body


def test_a_mail_that_fails_for_good_loses_its_password_and_cannot_be_resent(db, smtp):
    issue()
    stored = last_mail("temp_account_issued")
    smtp.fail_next = mail.MAX_ATTEMPTS
    for attempt in range(mail.MAX_ATTEMPTS):
        with clock.shifted(timedelta(hours=5 * attempt)):
            mail.deliver_pending()
    row = _row(stored.id)
    assert row.status == "FAILED" and row.attempts == mail.MAX_ATTEMPTS and row.secret is None
    with pytest.raises(DomainError) as refused:
        mail.retry(make_staff("admin1", ADMIN), stored.id)
    assert refused.value.code == "outbox.secret_erased"
    assert smtp.messages == []


def test_a_password_that_cannot_be_decrypted_is_never_sent_as_asterisks(db, smtp):
    issue()
    stored = last_mail("temp_account_issued")
    with UnitOfWork() as u:
        u.session.get(MailOutbox, stored.id).secret = "not-a-token"  # e.g. the key was rotated
        u.commit()
    assert mail.deliver_pending() == 0
    row = _row(stored.id)
    assert (row.status, row.last_error, row.secret) == ("FAILED", "secret unavailable", None)
    assert smtp.messages == []


def test_typed_text_cannot_take_the_passwords_place(db, smtp):
    """A company name with asterisks (or anything else) stays as typed; the password goes only where
    the template puts it."""
    _, password = issue(company_name="********株式会社")
    mail.deliver_pending()
    body = smtp.wait_for("taro@example.co.jp")[0].get_content()
    assert "********株式会社" in body and body.count(password) == 1
    assert password_in(body, "仮パスワード") == password


def test_a_secret_never_goes_into_a_subject_and_every_secret_is_shown(db):
    approval = {"company_name": "c", "contact_name": "n", "start_date": "d", "settings_deadline": "e"}
    with UnitOfWork() as u:
        with pytest.raises(ValueError, match="subject"):
            mail.enqueue(u.session, "approval", ["a@example.jp"], approval, secrets={"ref_no": "x"})
        with pytest.raises(ValueError, match="every secret"):
            mail.enqueue(u.session, "test", ["a@example.jp"], {"name": "n"}, secrets={"unused": "x"})
        with pytest.raises(ValueError, match="either"):
            mail.enqueue(u.session, "test", ["a@example.jp"], {"name": "n"}, secrets={"name": "x"})


def test_only_the_applicant_opens_the_id_notice_password(db):
    app_id, applicant_id = make_application()
    actions.approve(make_staff("rev1", REVIEWER), app_id, next_start_date(), version_of(app_id))
    me = applicant_actor(applicant_id)
    notice_id = next(n.id for n in list_notices(me, applicant_id) if n.kind == NoticeKind.ID_NOTICE)
    for staff in (make_staff("desk1", DESK), make_staff("rev2", REVIEWER), make_staff("admin1", ADMIN)):
        view = open_id_notice(staff, notice_id)
        assert view.office_password is None and view.password_masked and not view.no_longer_shown
    mine = open_id_notice(me, notice_id)
    assert mine.office_password and not mine.password_masked


def test_desk_and_reviewers_see_one_applicants_delivery_status_never_bodies(db):
    result, password = issue()
    other, _ = issue(email="jiro@example.co.jp", email_confirm="jiro@example.co.jp")
    for staff in (make_staff("desk1", DESK), make_staff("rev1", REVIEWER)):
        [delivery] = mail.deliveries_for(staff, result.applicant_id)
        assert delivery.recipients == ["taro@example.co.jp"] and delivery.status == "PENDING"
        assert "仮アカウント登録完了" in delivery.subject and not hasattr(delivery, "body")
        with pytest.raises(PermissionDenied):
            mail.list_outbox(staff)  # the whole outbox is for administrators
    with pytest.raises(PermissionDenied):
        mail.deliveries_for(applicant_actor(result.applicant_id), result.applicant_id)


def _plain_text_holders(secrets: list[str]) -> list[str]:
    """table.column of every value in the database that contains one of `secrets`."""
    found = []
    with UnitOfWork() as u:
        for table in Base.metadata.sorted_tables:
            for row in u.session.execute(select(table)).mappings():
                for column, value in row.items():
                    text = value if isinstance(value, str) else json.dumps(value, default=str, ensure_ascii=False)
                    found += [f"{table.name}.{column}" for s in secrets if s in text]
    return found


def test_no_table_audit_row_or_log_line_holds_a_password_in_plain_text(db, smtp, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")  # every statement and its parameters
    # 1. a temporary account (web) and an approval that issues the 事業所パスワード
    app_id, applicant_id = make_application()
    actions.approve(make_staff("rev1", REVIEWER), app_id, next_start_date(), version_of(app_id))
    me = applicant_actor(applicant_id)
    notice_id = next(n.id for n in list_notices(me, applicant_id) if n.kind == NoticeKind.ID_NOTICE)
    office_password = open_id_notice(me, notice_id).office_password
    # 2. another temporary account, turned into an office whose password is re-issued
    result, temp_password = issue()
    office = raw_office(result.applicant_id, clock.today_jst(), admin_manager_email="boss@example.co.jp")
    request_reissue(office, "boss@example.co.jp", CORPORATE_NUMBER)
    passwords = {"temp (factory)": "Temp-Pass-123", "temp (web)": temp_password, "office": office_password}
    assert all(passwords.values())
    assert mail.deliver_pending() >= 3
    link = smtp.wait_for("boss@example.co.jp")[0].get_content()
    token = re.search(r"token=([\w-]+)", link).group(1)
    reset_password(token, "Reset-Pass-Kujira-2026", "Reset-Pass-Kujira-2026")
    passwords["reset link"], passwords["reset to"] = token, "Reset-Pass-Kujira-2026"
    assert password_in(smtp.wait_for("taro@example.co.jp")[0].get_content(), "仮パスワード") == temp_password
    assert any(r.name.startswith("sqlalchemy.engine") for r in caplog.records)  # statements were logged
    assert _plain_text_holders([office]) != []  # the scan does read every table (the code is in users)
    assert _plain_text_holders(list(passwords.values())) == []
    assert [name for name, p in passwords.items() if p in caplog.text] == []
