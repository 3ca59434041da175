"""Issue 8, item 4, for every mail about an application (受付完了, 差戻し, 確認完了, 審査結果): the
fixed wording comes first, and what the applicant typed (company, name) follows as inert text."""
from __future__ import annotations

from db.models import Applicant, Application
from services.authz import REVIEWER
from services.review import actions
from services.uow import UnitOfWork
from tests.factories import last_mail, make_application, make_staff, next_start_date, version_of

PHISH = "【重要】本人確認はこちら http://phish.example/login"


def _body_lines(template: str) -> list[str]:
    return [line for line in last_mail(template).body.splitlines() if line.strip()]


def _assert_inert(template: str, first_line: str) -> None:
    mail = last_mail(template)
    lines = _body_lines(template)
    assert lines[0] == first_line
    assert "【重要】" not in mail.subject and "【重要】" not in lines[0]
    assert "http://phish" not in mail.body and "http[:]//phish[.]example/login" in mail.body


def _typed_company(app_id: int) -> None:
    """The temporary account's 会社名 as a hostile applicant typed it (the review mails use it)."""
    with UnitOfWork() as u:
        applicant = u.session.get(Applicant, u.session.get(Application, app_id).applicant_id)
        applicant.company_name = PHISH
        u.commit()


def test_receipt_mail_starts_with_the_fixed_wording(db):
    make_application(company=PHISH)
    _assert_inert("receipt", "NACCS 利用申込ポータルから、利用申込の受付をお知らせします（受付番号 "
                  + last_mail("receipt").subject.rsplit("受付番号 ", 1)[1].rstrip("）") + "）。")


def test_returned_and_approval_mails_start_with_the_fixed_wording(db):
    reviewer = make_staff("rev1", REVIEWER)
    returned_id, _ = make_application()
    _typed_company(returned_id)
    actions.claim(reviewer, returned_id, version_of(returned_id))
    actions.return_for_correction(reviewer, returned_id, {"office": "電話番号をご確認ください。"}, version_of(returned_id))
    ref_no = last_mail("returned").subject.rsplit("受付番号 ", 1)[1].rstrip("）")
    _assert_inert("returned", f"NACCS 利用申込ポータルから、受付番号 {ref_no} の新規利用申込についてお知らせします。")

    approved_id, _ = make_application()
    _typed_company(approved_id)
    actions.approve(reviewer, approved_id, next_start_date(), version_of(approved_id))
    ref_no = last_mail("approval").subject.rsplit("受付番号 ", 1)[1].rstrip("）")
    _assert_inert("approval", f"NACCS 利用申込ポータルから、受付番号 {ref_no} の新規利用申込の審査結果をお知らせします。")
