"""Submitting, double submit, 差戻し and resubmission (SQLite and PostgreSQL)."""
import pytest
from sqlalchemy import func, select

from db.models import Application, MailOutbox, Notice, ReviewComment
from services import clock
from services.application.attachments import add_attachment
from services.application.read import application_view
from services.application.save import save_section
from services.application.submit import submit_application
from services.authz import REVIEWER
from services.errors import DomainError, StaleData, ValidationFailed
from services.uow import UnitOfWork
from tests.factories import TEST_PDF, fill_all, make_applicant, make_staff, started

PDF = TEST_PDF


def _ready(connection_type="GENERAL"):
    actor = make_applicant()
    app_id = started(actor)
    fill_all(actor, app_id, connection_type)
    if connection_type == "GENERAL":
        add_attachment(actor, app_id, "構成図 v1.pdf", PDF)
    return actor, app_id


def test_submit_lists_missing_screens_and_fields(db):
    actor = make_applicant()
    app_id = started(actor)
    version = application_view(actor, app_id).section("office").version
    save_section(actor, app_id, "office", {"connection_type": "GENERAL"}, version)
    view = application_view(actor, app_id)
    with pytest.raises(ValidationFailed) as err:
        submit_application(actor, app_id, view.version)
    keys = set(err.value.errors)
    assert "office.security_confirmed" in keys
    assert "user_code.user_codes" in keys
    assert "line_installation.site_address" in keys
    assert "office.system_diagram" in keys
    assert "applicant_contact.admin_manager_email" in keys
    assert application_view(actor, app_id).status == "DRAFT"


def test_general_needs_the_system_diagram(db):
    actor = make_applicant()
    app_id = started(actor)
    fill_all(actor, app_id, "GENERAL")
    with pytest.raises(ValidationFailed) as err:
        submit_application(actor, app_id, application_view(actor, app_id).version)
    assert set(err.value.errors) == {"office.system_diagram"}


def test_terminal_rows_must_match_the_count(db):
    actor, app_id = _ready("NET")
    view = application_view(actor, app_id)
    save_section(actor, app_id, "line", view.data_of("line") | {"logical_terminal_count": 3},
                 view.section("line").version)
    with pytest.raises(ValidationFailed) as err:
        submit_application(actor, app_id, application_view(actor, app_id).version)
    assert err.value.errors["logical_terminal.terminals"].code == "wizard.error.terminal_count_mismatch"


def test_submit_success_status_ref_notice_and_mails(db):
    actor, app_id = _ready()
    result = submit_application(actor, app_id, application_view(actor, app_id).version)
    view = application_view(actor, app_id)
    assert view.status == "SUBMITTED" and view.ref_no == result.ref_no
    assert result.ref_no.startswith("NSS-")
    assert view.submitted_at is not None and view.first_submitted_at == view.submitted_at
    assert not view.editable
    with UnitOfWork() as u:
        s = u.session
        notice = s.scalar(select(Notice).where(Notice.applicant_id == actor.applicant_id))
        assert notice.kind == "RECEIPT" and notice.params["ref_no"] == result.ref_no
        mails = s.scalars(select(MailOutbox).where(MailOutbox.template != "temp_account_issued")).all()
        assert len(mails) == 1
        assert mails[0].recipients == ["clerk@example.jp", "manager@example.jp"]
        assert result.ref_no in mails[0].subject and "受付完了" in mails[0].subject
        assert "海洋物流株式会社" in mails[0].body


def test_double_submit_submits_once(db):
    actor, app_id = _ready("NET")
    version = application_view(actor, app_id).version
    submit_application(actor, app_id, version)
    with pytest.raises((StaleData, DomainError)):
        submit_application(actor, app_id, version)
    with UnitOfWork() as u:
        s = u.session
        assert s.scalar(select(func.count()).select_from(MailOutbox).where(MailOutbox.template != "temp_account_issued")) == 1
        assert s.scalar(select(func.count()).select_from(Notice)) == 1


def test_stale_version_refused(db):
    actor, app_id = _ready("NET")
    old = application_view(actor, app_id).version
    view = application_view(actor, app_id)
    save_section(actor, app_id, "fee_plan", view.data_of("fee_plan") | {"plan": "A"},
                 view.section("fee_plan").version)
    with pytest.raises(StaleData):
        submit_application(actor, app_id, old)


def test_returned_corrected_and_resubmitted(db):
    actor, app_id = _ready()
    first = submit_application(actor, app_id, application_view(actor, app_id).version)
    reviewer = make_staff("rev1", REVIEWER)
    with UnitOfWork() as u:
        s = u.session
        app = s.get(Application, app_id)
        app.status = "RETURNED"
        s.add(ReviewComment(application_id=app_id, section_key="office", body="事業所の住所を確認してください",
                            author_user_id=reviewer.user_id, created_at=clock.now()))
        u.commit()
    view = application_view(actor, app_id)
    assert view.editable
    assert view.section("office").needs_correction
    assert view.section("office").comments[0].author_name == "rev1 name"
    assert not view.section("line").needs_correction
    save_section(actor, app_id, "office", view.data_of("office") | {"office_address": "東京都港区芝浦9-9-9"},
                 view.section("office").version)
    corrected = application_view(actor, app_id).section("office")
    assert corrected.corrected and not corrected.needs_correction  # 修正済, no longer red 要修正
    assert corrected.comments  # the reviewer's comment stays readable until resubmission
    again = submit_application(actor, app_id, application_view(actor, app_id).version)
    assert again.resubmitted and again.ref_no == first.ref_no
    view = application_view(actor, app_id)
    assert view.status == "SUBMITTED"
    assert not view.section("office").needs_correction
    assert view.first_submitted_at < view.submitted_at
    with UnitOfWork() as u:
        s = u.session
        assert s.scalar(select(ReviewComment.resolved_at)) is not None


def test_reviewer_cannot_submit(db):
    actor, app_id = _ready("NET")
    reviewer = make_staff("rev1", REVIEWER)
    from services.errors import PermissionDenied
    with pytest.raises(PermissionDenied):
        submit_application(reviewer, app_id, application_view(actor, app_id).version)
