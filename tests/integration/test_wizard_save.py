"""Starting, saving and 一時保存 of the 新規利用申込 (SQLite and PostgreSQL)."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from db.models import Application, AuditEvent
from services import audit, auth, clock
from services.application.read import application_view, new_usage_id
from services.application.save import save_draft, save_section
from services.application.start import start_application
from services.authz import DESK, REVIEWER
from services.demo.testdata import complete_sections
from services.errors import DomainError, PermissionDenied, StaleData
from services.uow import UnitOfWork
from tests.factories import PASSWORD, fill_all, make_applicant, make_staff, section_row, started


def test_start_creates_draft_with_all_screens_prefilled(db):
    actor = make_applicant()
    app_id = started(actor)
    view = application_view(actor, app_id)
    assert view.status == "DRAFT" and view.kind == "NEW_USAGE" and view.shared_use is False
    assert len(view.sections) == 10
    assert view.data_of("applicant_contact")["application_clerk_email"] == "clerk@example.jp"
    assert view.section("applicant_contact").status == "PARTIAL"
    assert view.section("user_code").status == "EMPTY"
    assert new_usage_id(actor, actor.applicant_id) == app_id


def test_only_one_new_usage_per_applicant(db):
    actor = make_applicant()
    started(actor)
    with pytest.raises(DomainError) as err:
        started(actor, shared_use=True)
    assert err.value.code == "wizard.error.already_started"


def test_starting_stops_the_48_hour_expiry(db):
    actor = make_applicant()
    with clock.shifted(timedelta(hours=47)):
        started(actor)
    with clock.shifted(timedelta(hours=72)):
        assert auth.authenticate(actor.login_id, PASSWORD).ok


def test_save_normalises_and_keeps_partial_input_with_errors(db):
    actor = make_applicant()
    app_id = started(actor)
    view = application_view(actor, app_id)
    data = {"application_clerk_name": "山田 太郎", "application_clerk_kana": "やまだ",
            "application_clerk_phone": "０３１２３４５６７８", "admin_manager_email": "bad@"}
    result = save_section(actor, app_id, "applicant_contact", data, view.section("applicant_contact").version)
    assert result.status == "PARTIAL"
    assert result.data["application_clerk_kana"] == "ヤマダ"
    assert result.data["application_clerk_phone"] == "0312345678"
    assert result.errors["admin_manager_email"].code == "field.email"
    stored = section_row(app_id, "applicant_contact")
    assert stored["data"]["admin_manager_email"] == "bad@"  # kept as typed
    assert stored["status"] == "PARTIAL"


def test_complete_fill_denormalises_connection_type_and_industries(db):
    actor = make_applicant()
    app_id = started(actor)
    fill_all(actor, app_id, "GENERAL")
    view = application_view(actor, app_id)
    assert view.connection_type == "GENERAL"
    assert view.industries == "|通関業|海貨業|"
    assert all(s.status == "COMPLETE" for s in view.applicable() if s.key != "review_screen")
    assert view.section("review_screen").status == "COMPLETE"


def test_net_hides_line_installation_and_mailbox(db):
    actor = make_applicant()
    app_id = started(actor)
    fill_all(actor, app_id, "NET")
    view = application_view(actor, app_id)
    assert not view.section("line_installation").applies
    assert not view.section("mailbox").applies
    assert view.section("review_screen").status == "COMPLETE"


def test_stale_save_from_second_tab_refused(db):
    actor = make_applicant()
    app_id = started(actor)
    version = application_view(actor, app_id).section("office").version
    save_section(actor, app_id, "office", {"company_name": "タブ1"}, version)
    with pytest.raises(StaleData):
        save_section(actor, app_id, "office", {"company_name": "タブ2"}, version)
    assert section_row(app_id, "office")["data"]["company_name"] == "タブ1"


def test_crash_between_two_screens_keeps_the_first(db, monkeypatch):
    actor = make_applicant()
    app_id = started(actor)
    view = application_view(actor, app_id)
    data = complete_sections()
    save_section(actor, app_id, "office", data["office"], view.section("office").version)
    real = audit.record

    def crash(*args, **kwargs):
        raise RuntimeError("server died")
    monkeypatch.setattr(audit, "record", crash)
    with pytest.raises(RuntimeError):
        save_section(actor, app_id, "user_code", data["user_code"], view.section("user_code").version)
    monkeypatch.setattr(audit, "record", real)
    assert section_row(app_id, "office")["data"]["company_name"] == "海洋物流株式会社"
    assert section_row(app_id, "user_code")["data"] == {}
    assert section_row(app_id, "user_code")["status"] == "EMPTY"


def test_other_applicant_cannot_read_or_save(db):
    owner = make_applicant()
    other = make_applicant("T987654321", "other@example.jp")
    app_id = started(owner)
    with pytest.raises(PermissionDenied):
        application_view(other, app_id)
    with pytest.raises(PermissionDenied):
        save_section(other, app_id, "office", {"company_name": "x"}, 1)
    with pytest.raises(PermissionDenied):
        start_application(other, owner.applicant_id, False)


def test_reviewer_reads_but_cannot_save(db):
    owner = make_applicant()
    app_id = started(owner)
    reviewer = make_staff("rev1", REVIEWER)
    view = application_view(reviewer, app_id)
    with pytest.raises(PermissionDenied):
        save_section(reviewer, app_id, "office", {"company_name": "x"}, view.section("office").version)


def test_desk_entry_is_attributed_to_the_applicant(db):
    owner = make_applicant()
    desk = make_staff("desk1", DESK)
    app_id = start_application(desk, owner.applicant_id, False)
    view = application_view(desk, app_id)
    save_section(desk, app_id, "office", {"company_name": "電話受付"}, view.section("office").version)
    with UnitOfWork() as u:
        s = u.session
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "application.section_saved")).all()
        assert [(e.actor_login_id, e.on_behalf_of_applicant_id) for e in events] == [("desk1", owner.applicant_id)]


def test_save_draft_saves_screen_and_records_it(db):
    actor = make_applicant()
    app_id = started(actor)
    version = application_view(actor, app_id).section("line").version
    save_draft(actor, app_id, "line", {"line_type": "インターネット"}, version)
    assert section_row(app_id, "line")["data"]["line_type"] == "インターネット"
    with UnitOfWork() as u:
        s = u.session
        assert s.scalar(select(AuditEvent.id).where(AuditEvent.action == "application.save_draft"))


def test_save_draft_not_offered_on_marked_screens_in_shared_use(db):
    actor = make_applicant()
    app_id = started(actor, shared_use=True)
    version = application_view(actor, app_id).section("office").version
    with pytest.raises(DomainError) as err:
        save_draft(actor, app_id, "office", {"company_name": "x"}, version)
    assert err.value.code == "wizard.error.draft_save_not_offered"
    assert section_row(app_id, "office")["data"]["company_name"] == "海洋物流株式会社"


def test_not_editable_once_submitted(db):
    actor = make_applicant()
    app_id = started(actor)
    with UnitOfWork() as u:
        s = u.session
        s.get(Application, app_id).status = "SUBMITTED"
        u.commit()
    version = application_view(actor, app_id).section("office").version
    with pytest.raises(DomainError) as err:
        save_section(actor, app_id, "office", {"company_name": "x"}, version)
    assert err.value.code == "wizard.error.not_editable"


def test_changing_connection_type_restatuses_the_line_screen(db):
    actor = make_applicant()
    app_id = started(actor)
    fill_all(actor, app_id, "GENERAL")
    assert section_row(app_id, "line")["status"] == "COMPLETE"
    view = application_view(actor, app_id)
    save_section(actor, app_id, "office", view.data_of("office") | {"connection_type": "NET"},
                 view.section("office").version)
    assert section_row(app_id, "line")["status"] == "PARTIAL"  # SMTP/POP3 is not a netNACCS method
    view = application_view(actor, app_id)
    assert view.connection_type == "NET"
    assert view.section("line").status == "PARTIAL"
    assert not view.section("line_installation").applies and not view.section("mailbox").applies
