"""The entry features on data written by the real approval (services.review.actions.approve):
ID notice params, OFFICE login, user codes and the applicant_contact section as the review branch
leaves them."""
from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select

from db.models import ApplicationSection, MailOutbox, User
from services import auth, clock
from services.auth import to_actor
from services.authz import REVIEWER
from services.calendar import add_business_days
from services.guidance import GuidanceTask, guidance
from services.notices import NoticeKind, list_notices, open_id_notice
from services.reissue import request_reissue
from services.review import actions
from services.uow import UnitOfWork
from tests.factories import CORPORATE_NUMBER, at_jst, make_application, make_staff, version_of


def _approved_office():
    reviewer = make_staff("rev1", REVIEWER)
    app_id, applicant_id = make_application(status="SUBMITTED", connection_type="NET")
    with UnitOfWork() as u:
        s = u.session
        office = s.scalar(select(ApplicationSection).where(ApplicationSection.application_id == app_id,
                                                          ApplicationSection.section_key == "office"))
        office.data = {**office.data, "corporate_number": CORPORATE_NUMBER}
        s.commit()
    actions.claim(reviewer, app_id, version_of(app_id))
    start = add_business_days(clock.today_jst(), 3)
    result = actions.approve(reviewer, app_id, start, version_of(app_id))
    with UnitOfWork() as u:
        s = u.session
        user = s.scalar(select(User).where(User.login_id == result.office_code))
        # The issued 事業所パスワード must be changed first (SPEC §6); these tests read as the office after that.
        return replace(to_actor(user), must_change_password=False), applicant_id, start


def _reissue_mails() -> int:
    with UnitOfWork() as u:
        s = u.session
        return s.scalar(select(func.count()).select_from(MailOutbox).where(MailOutbox.template == "password_reset_link"))


def test_guidance_after_approval(db):
    office, applicant_id, start = _approved_office()
    g = guidance(office, applicant_id)
    assert next(t for t in g.tasks if t.key == GuidanceTask.NEW_USAGE).done
    assert len([t for t in g.tasks if t.key == GuidanceTask.SYSTEM_SETTINGS_APPLICATION and t.user_code]) == 2
    assert (g.done_count, g.total) == (2, 4) and g.start_date == start
    assert {d.key for d in g.deadlines} == {"system_settings", "id_notice", "certificate"}


def test_id_notice_written_by_the_approval_opens_and_logs_in(db):
    office, applicant_id, start = _approved_office()
    kinds = [n.kind for n in list_notices(office, applicant_id)]
    assert NoticeKind.ID_NOTICE in kinds and NoticeKind.APPROVED in kinds
    notice_id = next(n.id for n in list_notices(office, applicant_id) if n.kind == NoticeKind.ID_NOTICE)
    view = open_id_notice(office, notice_id)
    assert view.office_code == office.login_id and view.office_password
    assert auth.authenticate(office.login_id, view.office_password).ok


def test_reissue_for_the_approved_office_from_its_start_date(db):
    office, applicant_id, start = _approved_office()
    request_reissue(office.login_id, "manager@example.jp", CORPORATE_NUMBER)
    assert _reissue_mails() == 0  # before the 利用開始日
    with at_jst(start, hour=9):
        request_reissue(office.login_id, "manager@example.jp", CORPORATE_NUMBER)
    assert _reissue_mails() == 1
    with UnitOfWork() as u:
        s = u.session
        recipients = s.scalar(select(MailOutbox.recipients).where(MailOutbox.template == "password_reset_link"))
        assert recipients == ["manager@example.jp"]
