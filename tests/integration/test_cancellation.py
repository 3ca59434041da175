"""解約申込 (issue 12 item 4) through its use cases, on SQLite and PostgreSQL: who may start it, what
「申込む」 checks (the 解約日, the reason, the 利用者コード), the review (承認 / 差戻し / 却下) with its
mails, and the 解約日: logins stop from 00:00 JST of that day and not before (the due job), a single
利用者コード is retired instead, and staff still read the whole history."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from db.models import Applicant, Application, AuditEvent, MailOutbox, Notice, User, UserCode
from services import auth, clock, contract, guidance, jobs
from services.application.read import application_view
from services.application.save import save_section
from services.application.submit import submit_application
from services.audit import AuditAction
from services.authz import DESK, REVIEWER, Actor
from services.calendar import add_business_days
from services.cancellation import effect, request
from services.cancellation.sections import REQUEST
from services.desk.card import caller_card
from services.errors import DomainError, PermissionDenied, ValidationFailed
from services.notices import NoticeKind
from services.review import actions, detail, queue
from services.secrets import decrypt
from services.system_settings.registrations import table_for
from services.temp_accounts import ApplicantStatus
from services.uow import UnitOfWork
from services.workflow import ApplicationKind, ApplicationStatus
from tests.factories import at_jst, last_mail, make_office, make_staff, submitted_cancellation, version_of

pytestmark = pytest.mark.usefixtures("db")


@pytest.fixture
def reviewer() -> Actor:
    return make_staff("rev-cx", REVIEWER)


def _approve(reviewer: Actor, app_id: int) -> actions.ApprovalResult:
    actions.claim(reviewer, app_id, version_of(app_id))
    return actions.approve(reviewer, app_id, None, version_of(app_id))


def _office_password(applicant_id: int) -> str:
    with UnitOfWork() as u:
        return decrypt(u.session.scalar(select(Notice.secret).where(Notice.applicant_id == applicant_id,
                                                                    Notice.kind == NoticeKind.ID_NOTICE)))


def _errors(office, data: dict) -> dict:
    app_id = request.start_cancellation(office.actor, office.applicant_id)
    save_section(office.actor, app_id, REQUEST, data, application_view(office.actor, app_id).section(REQUEST).version)
    with pytest.raises(ValidationFailed) as refused:
        submit_application(office.actor, app_id, version_of(app_id))
    return {k: e.code for k, e in refused.value.errors.items()}


def test_only_the_office_starts_it_and_starting_again_opens_the_same():
    office, other = make_office(), make_office(company="別会社")
    with pytest.raises(PermissionDenied):
        request.start_cancellation(other.actor, office.applicant_id)
    first = request.start_cancellation(office.actor, office.applicant_id)
    assert request.start_cancellation(office.actor, office.applicant_id) == first
    with UnitOfWork() as u:
        app = u.session.get(Application, first)
        assert (app.kind, app.status, app.company_name) == (ApplicationKind.CANCELLATION, ApplicationStatus.DRAFT,
                                                            "テスト物流株式会社")


def test_submitting_checks_the_date_the_reason_and_the_code():
    office = make_office([("通関業",), ("航空会社",)])
    today = clock.today_jst()
    base = {"scope": "CONTRACT", "cancel_date": (today + timedelta(days=10)).isoformat(), "reason": "統合のため"}
    assert _errors(office, {**base, "cancel_date": today.isoformat()}) == {
        f"{REQUEST}.cancel_date": "cancellation.error.date_not_future"}
    assert _errors(office, {**base, "cancel_date": (today - timedelta(days=3)).isoformat()}) == {
        f"{REQUEST}.cancel_date": "cancellation.error.date_not_future"}
    assert _errors(office, {**base, "cancel_date": (today + timedelta(days=400)).isoformat()}) == {
        f"{REQUEST}.cancel_date": "cancellation.error.date_too_far"}
    assert _errors(office, {**base, "reason": ""}) == {f"{REQUEST}.reason": "field.required"}
    assert f"{REQUEST}.reason" in _errors(office, {**base, "reason": "長" * 201})
    assert _errors(office, {**base, "scope": "USER_CODE", "user_code": "ZZZZZZZ"}) == {
        f"{REQUEST}.user_code": "cancellation.error.unknown_user_code"}
    assert _errors(office, {**base, "scope": "USER_CODE", "user_code": ""}) == {f"{REQUEST}.user_code": "field.required"}
    with UnitOfWork() as u:  # nothing was submitted: no reference number, no mail
        assert u.session.scalar(select(func.count()).select_from(MailOutbox)
                                .where(MailOutbox.template == request.RECEIPT_TEMPLATE)) == 0


def test_the_last_user_code_is_cancelled_with_the_whole_contract_only():
    office = make_office([("通関業",)])
    data = {"scope": "USER_CODE", "user_code": office.user_codes[0],
            "cancel_date": (clock.today_jst() + timedelta(days=5)).isoformat(), "reason": "不要になったため"}
    assert _errors(office, data) == {f"{REQUEST}.user_code": "cancellation.error.last_user_code"}


def test_submission_reaches_the_queue_with_a_receipt_mail(reviewer):
    office = make_office()
    app_id = submitted_cancellation(office, clock.today_jst() + timedelta(days=7))
    with UnitOfWork() as u:
        app = u.session.get(Application, app_id)
        assert app.status == ApplicationStatus.SUBMITTED and app.ref_no
        ref_no = app.ref_no
    mail = last_mail(request.RECEIPT_TEMPLATE)
    assert "契約全体" in mail.body and ref_no in mail.subject
    total, rows = queue.list_queue(reviewer, queue.QueueFilters(kinds=(ApplicationKind.CANCELLATION,)))
    assert total == 1 and [r.id for r in rows] == [app_id]


def test_whole_contract_stops_logins_on_its_date_and_not_before(reviewer):
    office = make_office()
    with UnitOfWork() as u:
        office_code = u.session.get(Applicant, office.applicant_id).office_code
    password = _office_password(office.applicant_id)
    day = clock.today_jst() + timedelta(days=20)
    app_id = submitted_cancellation(office, day)
    result = _approve(reviewer, app_id)
    assert result.cancel_date == day and result.user_code is None
    assert "解約日: " + day.strftime("%Y/%m/%d") in last_mail("cancellation_approval").body
    with at_jst(day - timedelta(days=1), 23):  # the evening before: the job changes nothing
        assert effect.run_due().applied == []
        logged_in = auth.authenticate(office_code, password)
        assert logged_in.ok
        started = clock.now()
    with at_jst(day, 0):  # 00:00 JST of the 解約日
        assert effect.run_due().applied == [app_id]
        assert auth.session_actor(office_code, started) is None        # the open session ends
        assert auth.authenticate(office_code, password).code == auth.CONTRACT_ENDED
        assert auth.authenticate(office_code, "Wrong-Pass-123").code == auth.INVALID
        assert effect.run_due().applied == []                           # a second run: nothing
    with UnitOfWork() as u:
        s = u.session
        assert s.get(Applicant, office.applicant_id).status == ApplicantStatus.CONTRACT_ENDED
        assert not s.scalar(select(func.count()).select_from(User).where(
            User.applicant_id == office.applicant_id, User.is_active.is_(True)))
        assert s.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == AuditAction.CANCELLATION_APPLIED)) == 1
    # Staff still read it all: the reviewer's detail (its screen, its history) and the desk's card.
    shown = detail.application_detail(reviewer, app_id)
    assert shown.status == ApplicationStatus.APPROVED
    assert shown.view.section(REQUEST).data["reason"] == "事業所の統合のため"
    assert AuditAction.CANCELLATION_APPLIED in [h.action for h in shown.history]
    assert shown.contract_ended and shown.cancelled_on == day
    desk = make_staff("desk-cx", DESK)
    card = caller_card(desk, office.applicant_id)
    assert card.tell == "contract_ended" and card.params["cancelled_on"] == day
    shown_guidance = guidance.guidance(desk, office.applicant_id)
    assert shown_guidance.contract_ended and shown_guidance.cancelled_on == day


def test_the_due_job_is_registered_and_runs_with_the_others(reviewer):
    assert "contract_cancellation" in [j.name for j in jobs.JOBS]
    # Far enough from its 利用開始日 that the system-settings cut-off (run first) leaves it alone.
    office = make_office(start_date=add_business_days(clock.today_jst(), 30))
    day = clock.today_jst() + timedelta(days=3)
    _approve(reviewer, submitted_cancellation(office, day))
    with at_jst(day, 9):
        runs = {r.name: r for r in jobs.run_due_jobs()}
        assert runs["contract_cancellation"].outcome == jobs.Outcome.RAN
        assert runs["contract_cancellation"].result["applied"] == 1
    with UnitOfWork() as u:
        assert u.session.get(Applicant, office.applicant_id).status == ApplicantStatus.CONTRACT_ENDED


def test_one_user_code_is_retired_and_left_out_while_the_office_keeps_its_login(reviewer):
    office = make_office([("通関業",), ("航空会社",)])
    gone, kept = office.user_codes
    day = clock.today_jst() + timedelta(days=4)
    app_id = submitted_cancellation(office, day, user_code=gone)
    assert request.choices(office.actor, office.applicant_id).open_application_id == app_id
    result = _approve(reviewer, app_id)
    assert result.user_code == gone
    pending = request.choices(office.actor, office.applicant_id)
    assert pending.codes_ending == {gone: day} and pending.user_codes == (kept,)
    with at_jst(day - timedelta(days=1), 18):
        assert effect.run_due().applied == []
        assert [c.retired_on for c in contract.contract(office.actor, office.applicant_id).user_codes] == [None, None]
    with at_jst(day, 0):
        assert effect.run_due().applied == [app_id]
        shown = {c.user_code: c.retired_on for c in contract.contract(office.actor, office.applicant_id).user_codes}
        assert shown == {gone: day, kept: None}  # still listed, as 解約
        with UnitOfWork() as u:
            assert [r.user_code for r in table_for(u.session, office.applicant_id).rows] == [kept]
        tasks = guidance.guidance(office.actor, office.applicant_id).tasks
        assert gone not in [t.user_code for t in tasks] and kept in [t.user_code for t in tasks]
        assert request.choices(office.actor, office.applicant_id).user_codes == (kept,)
    with UnitOfWork() as u:
        s = u.session
        assert s.get(Applicant, office.applicant_id).status == ApplicantStatus.OFFICE
        assert s.scalar(select(UserCode.retired_at).where(UserCode.user_code == gone)) is not None
        assert s.scalar(select(User.is_active).where(User.id == office.actor.user_id)) is True


def test_a_date_reached_during_the_review_applies_on_approval(reviewer):
    office = make_office([("通関業",), ("航空会社",)])
    day = clock.today_jst() + timedelta(days=2)
    app_id = submitted_cancellation(office, day, user_code=office.user_codes[0])
    actions.claim(reviewer, app_id, version_of(app_id))
    with at_jst(day + timedelta(days=1), 10):
        actions.approve(reviewer, app_id, None, version_of(app_id))
        with UnitOfWork() as u:
            assert u.session.scalar(select(UserCode.retired_at)
                                    .where(UserCode.user_code == office.user_codes[0])) is not None
        assert effect.run_due().applied == []


def test_return_then_correct_and_resubmit_then_reject_keeps_the_contract(reviewer):
    office = make_office([("通関業",), ("航空会社",)])
    app_id = submitted_cancellation(office, clock.today_jst() + timedelta(days=9))
    actions.claim(reviewer, app_id, version_of(app_id))
    with pytest.raises(ValidationFailed):  # a comment on a screen this kind does not have
        actions.return_for_correction(reviewer, app_id, {"office": "x"}, version_of(app_id))
    actions.return_for_correction(reviewer, app_id, {REQUEST: "解約日をご確認ください。"}, version_of(app_id))
    assert last_mail("cancellation_returned").subject.startswith("【NACCS 利用申込ポータル】解約申込 差戻し")
    view = application_view(office.actor, app_id)
    assert view.status == ApplicationStatus.RETURNED and view.section(REQUEST).needs_correction
    assert request.start_cancellation(office.actor, office.applicant_id) == app_id  # the returned one opens
    data = {**view.section(REQUEST).data, "cancel_date": (clock.today_jst() + timedelta(days=30)).isoformat()}
    save_section(office.actor, app_id, REQUEST, data, view.section(REQUEST).version)
    assert submit_application(office.actor, app_id, version_of(app_id)).resubmitted
    actions.claim(reviewer, app_id, version_of(app_id))
    actions.reject(reviewer, app_id, "契約の継続をご相談ください。", version_of(app_id))
    assert "契約の継続をご相談ください。" in last_mail("cancellation_rejected").body
    assert effect.run_due(today=clock.today_jst() + timedelta(days=60)).applied == []
    with UnitOfWork() as u:
        assert u.session.get(Applicant, office.applicant_id).status == ApplicantStatus.OFFICE
    # A rejected one is closed: a new 解約申込 can start.
    assert request.start_cancellation(office.actor, office.applicant_id) != app_id


def test_a_contract_already_ending_takes_no_second_cancellation(reviewer):
    office = make_office([("通関業",), ("航空会社",)])
    _approve(reviewer, submitted_cancellation(office, clock.today_jst() + timedelta(days=15)))
    assert request.choices(office.actor, office.applicant_id).contract_ends_on is not None
    with pytest.raises(DomainError) as refused:
        request.start_cancellation(office.actor, office.applicant_id)
    assert refused.value.code == "cancellation.error.contract_already_ending"
