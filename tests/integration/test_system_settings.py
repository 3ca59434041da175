"""システム設定申込 (SPEC §2.4) through its use cases, on SQLite and PostgreSQL: who may start it,
its tabs from the reference data, the first-application rule, survey forms, submission with mail
and queue, 差戻し → correction → resubmission, approval → ○ and the guidance line 済."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from db.models import Application, MailOutbox, Notice, SystemSettingsRegistration, UserCode
from services import guidance
from services.application.read import application_view
from services.application.save import save_section
from services.application.submit import submit_application
from services.authz import REVIEWER, Actor, UserKind
from services.errors import NotFound, PermissionDenied, ValidationFailed
from services.review import actions, detail, queue
from services.system_settings import start
from services.system_settings.registrations import table_for
from services.uow import UnitOfWork
from services.workflow import ApplicationKind, ApplicationStatus
from tests.factories import (
    fill_system_settings,
    make_office,
    make_staff,
    settings_payloads,
    submitted_system_settings,
    version_of,
)

pytestmark = pytest.mark.usefixtures("db")


@pytest.fixture
def reviewer() -> Actor:
    return make_staff("rev-ss", REVIEWER)


def _temp_actor(office) -> Actor:
    from db.models import User
    from services.auth import to_actor
    with UnitOfWork() as u:
        user = u.session.scalar(select(User).where(User.applicant_id == office.applicant_id,
                                                   User.kind == UserKind.TEMP))
        user.must_change_password = False
        u.commit()
        return to_actor(user)


def test_only_the_office_login_starts_it_and_again_opens_the_same(db):
    office = make_office([("通関業",)])
    with pytest.raises(PermissionDenied):
        start.start_system_settings(_temp_actor(office), office.applicant_id, office.user_codes[0])
    other = make_office([("通関業",)], company="別会社")
    with pytest.raises(PermissionDenied):
        start.start_system_settings(other.actor, office.applicant_id, office.user_codes[0])
    with pytest.raises(NotFound):
        start.start_system_settings(office.actor, office.applicant_id, other.user_codes[0])
    first = start.start_system_settings(office.actor, office.applicant_id, office.user_codes[0].lower())
    assert start.start_system_settings(office.actor, office.applicant_id, office.user_codes[0]) == first
    with UnitOfWork() as u:
        assert u.session.scalar(select(func.count()).select_from(Application).where(
            Application.kind == ApplicationKind.SYSTEM_SETTINGS)) == 1


def test_a_temporary_login_cannot_save_the_office_s_application(db):
    office = make_office([("通関業",)])
    app_id = start.start_system_settings(office.actor, office.applicant_id, office.user_codes[0])
    view = application_view(office.actor, app_id)
    with pytest.raises(PermissionDenied):
        save_section(_temp_actor(office), app_id, "ss_name", view.data_of("ss_name"), view.section("ss_name").version)


def test_tabs_follow_the_industries_of_the_user_code_and_names_are_prefilled(db):
    office = make_office([("船会社", "通関業"), ("航空会社",)], company="海洋物流株式会社")
    app_id = start.start_system_settings(office.actor, office.applicant_id, office.user_codes[0])
    view = application_view(office.actor, app_id)
    assert [s.key for s in view.sections] == ["ss_contact", "ss_name", "ss_customs_broker", "ss_shipping_line",
                                              "review_screen"]
    name = view.data_of("ss_name")
    assert name["company_name_ja"] == "海洋物流株式会社"
    assert name["company_name_en"].endswith("Co., Ltd.") and "company_name_en" in name["_suggested"]
    assert view.data_of("ss_contact")["contact_email"] == "clerk@example.jp"
    air = start.start_system_settings(office.actor, office.applicant_id, office.user_codes[1])
    assert [s.key for s in application_view(office.actor, air).sections][2:-1] == ["ss_airline"]


def test_english_fields_convert_full_width_and_name_refused_characters(db):
    office = make_office([("通関業",)])
    app_id = start.start_system_settings(office.actor, office.applicant_id, office.user_codes[0])
    view = application_view(office.actor, app_id)
    data = dict(view.data_of("ss_name"), company_name_en="ＡＢＣ　Ｔｒａｄｉｎｇ", office_name_en="東京 Branch")
    result = save_section(office.actor, app_id, "ss_name", data, view.section("ss_name").version)
    assert result.data["company_name_en"] == "ABC Trading"
    assert result.changes["company_name_en"] == ("ＡＢＣ　Ｔｒａｄｉｎｇ", "ABC Trading")
    assert result.errors["office_name_en"].code == "field.english_chars"
    assert result.errors["office_name_en"].params == {"chars": "「東」「京」"}
    assert result.status == "PARTIAL"


def test_codes_are_half_width_upper_case(db):
    office = make_office([("船会社",)])
    app_id = start.start_system_settings(office.actor, office.applicant_id, office.user_codes[0])
    version = application_view(office.actor, app_id).section("ss_shipping_line").version
    result = save_section(office.actor, app_id, "ss_shipping_line", {"shipping_line_code": "ｍｓｃ１"}, version)
    assert result.data["shipping_line_code"] == "MSC1" and result.status == "COMPLETE"
    bad = save_section(office.actor, app_id, "ss_shipping_line", {"shipping_line_code": "MS-1"}, result.version)
    assert bad.errors["shipping_line_code"].code == "field.code"


def test_first_application_needs_every_tab_and_the_survey_form(db):
    office = make_office([("船会社", "通関業")])
    app_id = start.start_system_settings(office.actor, office.applicant_id, office.user_codes[0])
    with pytest.raises(ValidationFailed) as refused:
        submit_application(office.actor, app_id, version_of(app_id))
    keys = set(refused.value.errors)
    assert "ss_customs_broker.broker_licence_number" in keys
    assert "ss_shipping_line.shipping_line_code" in keys
    assert refused.value.errors["ss_shipping_line.shipping_line_survey"].code == \
        "system_settings.error.survey_form_required"
    fill_system_settings(office.actor, app_id, attach=False)
    with pytest.raises(ValidationFailed) as refused:
        submit_application(office.actor, app_id, version_of(app_id))
    assert set(refused.value.errors) == {"ss_shipping_line.shipping_line_survey"}


def test_submit_mails_both_contacts_and_lists_it_in_the_queue(db, reviewer):
    office = make_office([("船会社",)], clerk="jimu@example.jp", manager="boss@example.jp")
    app_id = submitted_system_settings(office)
    view = application_view(office.actor, app_id)
    assert view.status == ApplicationStatus.SUBMITTED and view.ref_no
    with UnitOfWork() as u:
        mail = u.session.scalar(select(MailOutbox).where(MailOutbox.template == "system_settings_receipt"))
        assert sorted(mail.recipients) == ["boss@example.jp", "jimu@example.jp"]
        assert "システム設定申込" in mail.subject and office.user_codes[0] in mail.body
        assert u.session.scalar(select(Notice.kind).where(Notice.application_id == app_id)) == "RECEIPT"
    total, rows = queue.list_queue(reviewer, queue.QueueFilters(kinds=(ApplicationKind.SYSTEM_SETTINGS,)),
                                   "submitted_at", 0, 50)
    assert total == 1 and rows[0].user_code == office.user_codes[0]
    assert rows[0].company_name == "テスト物流株式会社" and rows[0].industries == ["船会社"]
    d = detail.application_detail(reviewer, app_id)
    assert d.user_code == office.user_codes[0]
    assert [s.key for s in d.view.sections] == ["ss_contact", "ss_name", "ss_shipping_line", "review_screen"]


def test_return_with_a_tab_comment_then_correct_resubmit_and_approve(db, reviewer):
    office = make_office([("船会社", "通関業"), ("通関業",)])
    app_id = submitted_system_settings(office)
    actions.claim(reviewer, app_id, version_of(app_id))
    with pytest.raises(ValidationFailed):  # a screen of the 新規利用申込 is no tab of this one
        actions.return_for_correction(reviewer, app_id, {"office": "x"}, version_of(app_id))
    actions.return_for_correction(reviewer, app_id, {"ss_shipping_line": "船会社コードを確認してください。"},
                                  version_of(app_id))
    with UnitOfWork() as u:
        assert u.session.scalar(select(MailOutbox.template).order_by(MailOutbox.id.desc()).limit(1)) == \
            "system_settings_returned"
    # Starting again opens the returned application, its comment on the tab.
    assert start.start_system_settings(office.actor, office.applicant_id, office.user_codes[0]) == app_id
    view = application_view(office.actor, app_id)
    tab = view.section("ss_shipping_line")
    assert tab.needs_correction and tab.comments[0].body == "船会社コードを確認してください。"
    save_section(office.actor, app_id, "ss_shipping_line", {"shipping_line_code": "ONE1"}, tab.version)
    assert submit_application(office.actor, app_id, version_of(app_id)).resubmitted
    actions.claim(reviewer, app_id, version_of(app_id))
    result = actions.approve(reviewer, app_id, None, version_of(app_id))  # no 利用開始日 for this kind
    assert result.user_ids == [] and result.user_code == office.user_codes[0]
    assert set(result.registered) == {"名称", "船会社", "通関業"}
    with UnitOfWork() as u:
        s = u.session
        code = s.scalar(select(UserCode).where(UserCode.user_code == office.user_codes[0]))
        assert code.settings_completed_at is not None
        assert s.scalar(select(func.count()).select_from(SystemSettingsRegistration)) == 3
        assert s.scalar(select(MailOutbox.template).order_by(MailOutbox.id.desc()).limit(1)) == \
            "system_settings_approval"
        table = table_for(s, office.applicant_id)
    assert {r.user_code: r.complete for r in table.rows} == {office.user_codes[0]: True, office.user_codes[1]: False}
    assert not table.complete
    tasks = [t for t in guidance.guidance(office.actor, office.applicant_id).tasks if t.user_code]
    assert {t.user_code: t.done for t in tasks} == {office.user_codes[0]: True, office.user_codes[1]: False}
    # The second code; then the guidance says NACCS can be used.
    second = submitted_system_settings(office, 1)
    actions.claim(reviewer, second, version_of(second))
    actions.approve(reviewer, second, None, version_of(second))
    assert guidance.guidance(office.actor, office.applicant_id).all_done


def test_a_later_application_registers_what_it_carries(db, reviewer):
    office = make_office([("船会社", "通関業")])
    first = submitted_system_settings(office)
    actions.claim(reviewer, first, version_of(first))
    actions.approve(reviewer, first, None, version_of(first))
    later = start.start_system_settings(office.actor, office.applicant_id, office.user_codes[0])
    assert later != first
    view = application_view(office.actor, later)
    # Only 名称 is pre-filled: the 業種 tabs may stay untouched, no survey form is needed for them.
    result = submit_application(office.actor, later, view.version)
    assert result.ref_no
    payload = settings_payloads(["通関業"])["ss_customs_broker"]
    assert payload  # the factory's tab data comes from the reference file


def test_reject_sends_the_system_settings_mail(db, reviewer):
    office = make_office([("通関業",)])
    app_id = submitted_system_settings(office)
    actions.claim(reviewer, app_id, version_of(app_id))
    actions.reject(reviewer, app_id, "対象外です。", version_of(app_id))
    with UnitOfWork() as u:
        assert u.session.scalar(select(MailOutbox.template).order_by(MailOutbox.id.desc()).limit(1)) == \
            "system_settings_rejected"
    # A rejected one is closed: starting again makes a new one.
    assert start.start_system_settings(office.actor, office.applicant_id, office.user_codes[0]) != app_id


def test_demo_office_has_a_system_settings_application_waiting(demo_on):
    from services.demo import seeding
    from services.demo.system_settings import DEMO_OFFICE_CODE  # the 「none ○」 demo office
    office = seeding.demo_login(DEMO_OFFICE_CODE)
    assert office.kind == UserKind.OFFICE
    choices = start.user_code_choices(office, office.applicant_id)
    waiting = [c for c in choices if c.open_status == ApplicationStatus.SUBMITTED]
    assert len(choices) == 2 and len(waiting) == 1
    reviewer = seeding.demo_login("demo-reviewer")
    total, rows = queue.list_queue(reviewer, queue.QueueFilters(kinds=(ApplicationKind.SYSTEM_SETTINGS,)),
                                   "submitted_at", 0, 50)
    assert total == 1 and rows[0].user_code == waiting[0].user_code


def test_two_starts_at_once_open_one_application(db):
    from tests.integration.test_wizard_concurrency import _twice
    office = make_office([("通関業",)])
    outcomes = _twice(lambda: start.start_system_settings(office.actor, office.applicant_id, office.user_codes[0]))
    assert len(outcomes) == 2 and all(isinstance(o, int) for o in outcomes) and outcomes[0] == outcomes[1]
    with UnitOfWork() as u:
        assert u.session.scalar(select(func.count()).select_from(Application).where(
            Application.kind == ApplicationKind.SYSTEM_SETTINGS)) == 1


def test_survey_forms_keep_their_name_and_unknown_purposes_are_refused(db):
    from services.application.attachments import add_attachment
    from services.errors import DomainError
    from tests.factories import TEST_PDF
    office = make_office([("航空会社",)])
    app_id = start.start_system_settings(office.actor, office.applicant_id, office.user_codes[0])
    info = add_attachment(office.actor, app_id, "航空会社 IF 調査票 v2.pdf", TEST_PDF, purpose="airline_interface_survey")
    assert info.file_name == "航空会社 IF 調査票 v2.pdf" and info.content_type == "application/pdf"
    with pytest.raises(DomainError) as refused:
        add_attachment(office.actor, app_id, "x.pdf", TEST_PDF, purpose="anything")
    assert refused.value.code == "wizard.error.file_purpose"
    with pytest.raises(DomainError) as refused:
        add_attachment(office.actor, app_id, "fake.pdf", b"not a pdf", purpose="airline_interface_survey")
    assert refused.value.code.startswith("wizard.error.")
