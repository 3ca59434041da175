"""Reviewer decisions: what each writes, its input rules and who may take it (both backends)."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from db.models import Applicant, Application, AuditEvent, MailOutbox, Notice, ReviewComment, User, UserCode
from db.reference import CODE_FORMATS
from services import audit, clock, notes, secrets
from services.auth import authenticate
from services.authz import ADMIN, DESK, REVIEWER
from services.calendar import add_business_days, is_business_day
from services.deadlines import system_settings_deadline
from services.errors import PermissionDenied, StaleData, ValidationFailed
from services.notes import NoteKind
from services.review import actions, detail
from services.uow import UnitOfWork
from services.workflow import InvalidTransition
from tests.factories import applicant_actor, make_application, make_staff, snapshot, version_of


def next_business_day(after_days: int = 7) -> date:
    return add_business_days(clock.today_jst(), after_days)


def next_weekend_day() -> date:
    day = clock.today_jst() + timedelta(days=1)
    while day.weekday() < 5:
        day += timedelta(days=1)
    return day


@pytest.fixture
def reviewer(db):
    return make_staff("rev1", REVIEWER)


def test_claim_assign_release(reviewer):
    other = make_staff("rev2", REVIEWER)
    app_id, _ = make_application()
    actions.claim(reviewer, app_id, version_of(app_id))
    with UnitOfWork() as u:
        s = u.session
        app = s.get(Application, app_id)
        assert (app.status, app.assignee_id) == ("IN_REVIEW", reviewer.user_id)
    actions.assign(reviewer, app_id, other.user_id, version_of(app_id))
    with UnitOfWork() as u:
        s = u.session
        assert s.get(Application, app_id).assignee_id == other.user_id
    actions.release(other, app_id, version_of(app_id))
    with UnitOfWork() as u:
        s = u.session
        app = s.get(Application, app_id)
        assert (app.status, app.assignee_id) == ("SUBMITTED", None)


def test_assign_only_to_a_reviewer(reviewer):
    desk = make_staff("desk1", DESK)
    app_id, _ = make_application()
    with pytest.raises(ValidationFailed) as exc:
        actions.assign(reviewer, app_id, desk.user_id, version_of(app_id))
    assert exc.value.errors["assignee"].code == "review.assignee_not_reviewer"


def test_approve_issues_codes_logins_notices_and_mail(reviewer):
    app_id, applicant_id = make_application()
    start = next_business_day()
    result = actions.approve(reviewer, app_id, start, version_of(app_id))
    assert len(result.office_code) == CODE_FORMATS["office_code_length"]
    assert not result.office_code.startswith(CODE_FORMATS["temp_login_prefix"])
    with UnitOfWork() as u:
        s = u.session
        app = s.get(Application, app_id)
        applicant = s.get(Applicant, applicant_id)
        assert (app.status, app.start_date) == ("APPROVED", start) and app.decided_at is not None
        assert (applicant.office_code, applicant.status) == (result.office_code, "OFFICE")
        office = s.scalar(select(User).where(User.login_id == result.office_code))
        assert (office.kind, office.applicant_id, office.must_change_password) == ("OFFICE", applicant_id, True)
        assert office.role_names == {"applicant"}
        temp = s.scalar(select(User).where(User.kind == "TEMP", User.applicant_id == applicant_id))
        assert temp.is_active is True  # until the office first logs in: it is how the ID notice is read
        temp_login_id = temp.login_id
        user_codes = list(s.scalars(select(UserCode).where(UserCode.application_id == app_id)))
        assert [len(u.id_numbers) for u in user_codes] == [2, 1]  # from the section rows
        assert {u.system_category for u in user_codes} == {"海上", "航空"}
        notices = {n.kind: n for n in s.scalars(select(Notice).where(Notice.applicant_id == applicant_id))}
        assert set(notices) == {"RECEIPT", "ID_NOTICE", "APPROVED"}  # RECEIPT: the submission
        id_notice = notices["ID_NOTICE"]
        assert id_notice.params["office_code"] == result.office_code
        assert id_notice.params["start_date"] == start.isoformat()
        password = secrets.decrypt(id_notice.secret)
        mail = s.scalar(select(MailOutbox).where(MailOutbox.template == "approval"))
        assert sorted(mail.recipients) == ["clerk@example.jp", "manager@example.jp"]
        assert system_settings_deadline(start).strftime("%Y/%m/%d") in mail.body
        assert "確認完了" in mail.subject
    # The issued password logs in as the office; from then on the 仮ログイン ID no longer does.
    assert authenticate(temp_login_id, "Temp-Pass-123").ok
    assert authenticate(result.office_code, password).ok
    assert not authenticate(temp_login_id, "Temp-Pass-123").ok
    assert len(result.user_ids) == 3
    assert all(len(u) == CODE_FORMATS["user_code_length"] + CODE_FORMATS["id_number_length"]
               for u in result.user_ids)


@pytest.mark.parametrize("start", [
    pytest.param(lambda: clock.today_jst(), id="today"),
    pytest.param(lambda: clock.today_jst() - timedelta(days=3), id="past"),
    pytest.param(next_weekend_day, id="weekend"),
    pytest.param(lambda: date(clock.today_jst().year + 1, 1, 2), id="new-year"),
    pytest.param(lambda: None, id="missing"),
])
def test_start_date_must_be_a_future_business_day(reviewer, start):
    app_id, _ = make_application()
    before = snapshot(app_id)
    with pytest.raises(ValidationFailed) as exc:
        actions.approve(reviewer, app_id, start(), version_of(app_id))
    assert exc.value.errors["start_date"].code.startswith("review.start_date_")
    assert snapshot(app_id) == before


def test_holiday_is_refused_as_not_a_business_day(reviewer):
    app_id, _ = make_application()
    holiday = date(clock.today_jst().year + 1, 5, 3)  # 憲法記念日
    assert not is_business_day(holiday)
    with pytest.raises(ValidationFailed) as exc:
        actions.approve(reviewer, app_id, holiday, version_of(app_id))
    assert exc.value.errors["start_date"].code == "review.start_date_not_business_day"


def test_applicant_desk_and_admin_cannot_approve(reviewer):
    app_id, applicant_id = make_application()
    others = (applicant_actor(applicant_id), make_staff("desk1", DESK), make_staff("adm1", ADMIN))
    before = snapshot(app_id)
    for actor in others:
        with pytest.raises(PermissionDenied):
            actions.approve(actor, app_id, next_business_day(), version_of(app_id))
        with pytest.raises(PermissionDenied):
            actions.reject(actor, app_id, "理由", version_of(app_id))
    assert snapshot(app_id) == before


def test_reviewer_who_entered_data_at_the_desk_cannot_approve(reviewer):
    both = make_staff("deskrev", DESK, REVIEWER)
    app_id, applicant_id = make_application()
    with UnitOfWork() as u:  # the desk screens record their saves like this: staff acting for the applicant
        s = u.session
        audit.record(s, both, "application.section_saved", target_type="application", target_id=app_id,
                     applicant_id=applicant_id)
        s.commit()
    with pytest.raises(PermissionDenied) as exc:
        actions.approve(both, app_id, next_business_day(), version_of(app_id))
    assert exc.value.code == "review.entered_at_desk"
    # Another reviewer may; and a reviewer's own review steps never count as desk entries.
    actions.claim(reviewer, app_id, version_of(app_id))
    actions.approve(reviewer, app_id, next_business_day(), version_of(app_id))


def test_return_needs_a_comment_and_writes_one_per_screen(reviewer):
    app_id, applicant_id = make_application()
    before = snapshot(app_id)
    with pytest.raises(ValidationFailed) as exc:
        actions.return_for_correction(reviewer, app_id, {"office": "  ", "user_code": ""}, version_of(app_id))
    assert exc.value.errors["comments"].code == "review.comment_required"
    with pytest.raises(ValidationFailed):
        actions.return_for_correction(reviewer, app_id, {"nonsense": "x"}, version_of(app_id))
    assert snapshot(app_id) == before
    actions.return_for_correction(reviewer, app_id, {"office": "法人番号をご確認ください。", "user_code": "",
                                                     "fee_plan": "料金プランを選んでください。"}, version_of(app_id))
    with UnitOfWork() as u:
        s = u.session
        assert s.get(Application, app_id).status == "RETURNED"
        comments = {c.section_key: c.body for c in s.scalars(select(ReviewComment))}
        assert comments == {"office": "法人番号をご確認ください。", "fee_plan": "料金プランを選んでください。"}
        notice = s.scalar(select(Notice).where(Notice.applicant_id == applicant_id).order_by(Notice.id.desc()))
        assert notice.kind == "RETURNED" and notice.params["sections"] == ["office", "fee_plan"]
        mail = s.scalar(select(MailOutbox).order_by(MailOutbox.id.desc()))
        assert mail.template == "returned" and "差戻し" in mail.subject


def test_reject_needs_a_reason(reviewer):
    app_id, applicant_id = make_application()
    with pytest.raises(ValidationFailed) as exc:
        actions.reject(reviewer, app_id, "   ", version_of(app_id))
    assert exc.value.errors["reason"].code == "review.reason_required"
    actions.reject(reviewer, app_id, "実在が確認できませんでした。", version_of(app_id))
    with UnitOfWork() as u:
        s = u.session
        app = s.get(Application, app_id)
        assert (app.status, app.decision_reason) == ("REJECTED", "実在が確認できませんでした。")
        assert s.scalar(select(Notice.kind).where(Notice.applicant_id == applicant_id)
                        .order_by(Notice.id.desc())) == "REJECTED"
        mail = s.scalar(select(MailOutbox).order_by(MailOutbox.id.desc()))
        assert mail.template == "rejected" and "実在が確認できませんでした。" in mail.body
        assert s.scalar(select(AuditEvent.action).where(AuditEvent.action == "review.rejected"))


def test_stale_version_is_refused_and_nothing_changes(reviewer):
    app_id, _ = make_application()
    shown = version_of(app_id)
    actions.claim(make_staff("rev2", REVIEWER), app_id, shown)
    before = snapshot(app_id)
    for call in (lambda: actions.approve(reviewer, app_id, next_business_day(), shown),
                 lambda: actions.reject(reviewer, app_id, "理由", shown),
                 lambda: actions.return_for_correction(reviewer, app_id, {"office": "x"}, shown),
                 lambda: actions.claim(reviewer, app_id, shown)):
        with pytest.raises(StaleData):
            call()
    assert snapshot(app_id) == before


def test_decided_application_cannot_be_decided_again(reviewer):
    app_id, _ = make_application()
    actions.approve(reviewer, app_id, next_business_day(), version_of(app_id))
    before = snapshot(app_id)
    with pytest.raises(InvalidTransition):
        actions.reject(reviewer, app_id, "理由", version_of(app_id))
    assert snapshot(app_id) == before


def test_detail_and_internal_notes_are_for_staff_only(reviewer):
    app_id, applicant_id = make_application()
    notes.add_note(reviewer, NoteKind.INTERNAL, app_id, "電話で確認済み")
    assert [n.body for n in detail.application_detail(reviewer, app_id).notes] == ["電話で確認済み"]
    for outsider in (applicant_actor(applicant_id), make_staff("desk1", DESK)):
        with pytest.raises(PermissionDenied):
            detail.application_detail(outsider, app_id)
        with pytest.raises(PermissionDenied):
            notes.add_note(outsider, NoteKind.INTERNAL, app_id, "x")
