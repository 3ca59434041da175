"""The demo seed creates applicants at each wizard stage, with working demo logins."""

from services import guidance, notices
from services.application.read import application_view, new_usage_id
from services.demo import seeding as demo
from services.demo.applicants import APPROVED_ID, DRAFT_ID, RETURNED_ID, SAVED_ID, SUBMITTED_ID
from services.notices import NoticeKind


def _view(login_id):
    actor = demo.demo_login(login_id)
    return actor, application_view(actor, new_usage_id(actor, actor.applicant_id))


def test_each_stage_seeded(demo_on):
    _, draft = _view(DRAFT_ID)
    assert draft.status == "DRAFT" and draft.section("line").status == "PARTIAL"
    assert draft.section("office").status == "COMPLETE"
    _, saved = _view(SAVED_ID)
    assert saved.shared_use and saved.connection_type == "NET"
    _, submitted = _view(SUBMITTED_ID)
    assert submitted.status == "SUBMITTED" and submitted.ref_no
    _, returned = _view(RETURNED_ID)
    assert returned.status == "RETURNED" and returned.section("office").needs_correction
    assert returned.attachments[0].file_name == "システム構成図 2026 版.pdf"
    assert [k for k, _ in demo.DEMO_BUTTONS if k.startswith("wizard.demo.")] == [
        "wizard.demo.draft", "wizard.demo.saved", "wizard.demo.submitted", "wizard.demo.returned",
        "wizard.demo.approved"]


def test_the_approved_demo_applicant_reads_its_id_notice_and_guidance(demo_on):
    """One click shows the best part of a demo: the ID notice with the office password, then guidance."""
    actor, approved = _view(APPROVED_ID)
    assert approved.status == "APPROVED"
    [id_notice] = [n for n in notices.list_notices(actor, actor.applicant_id) if n.kind == NoticeKind.ID_NOTICE]
    opened = notices.open_id_notice(actor, id_notice.id)
    assert opened.office_code and opened.office_password and not opened.no_longer_shown
    g = guidance.guidance(actor, actor.applicant_id)
    assert g.start_date is not None and any(d.key == "system_settings" for d in g.deadlines)
