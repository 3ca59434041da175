"""The wizard and the review meet: submit → 差戻し → correction → resubmit → 承認 → office login
with the ID notice, through the real services of both sides (SQLite and PostgreSQL)."""
import pytest

from services import clock, notices
from services.application.read import application_view
from services.application.save import save_section
from services.application.submit import submit_application
from services.auth import authenticate
from services.authz import DESK, REVIEWER
from services.calendar import add_business_days
from services.errors import PermissionDenied
from services.review import actions
from services.review.queue import QueueFilters, list_queue
from tests.factories import PASSWORD, fill_all, make_applicant, make_staff, started


def test_submit_return_resubmit_approve_and_log_in_as_the_office(db):
    applicant = make_applicant()
    app_id = started(applicant)
    fill_all(applicant, app_id, "NET", clerk_email="clerk@example.jp", manager_email="boss@example.jp")
    submit_application(applicant, app_id, application_view(applicant, app_id).version)
    reviewer = make_staff("rev1", REVIEWER)

    total, rows = list_queue(reviewer, QueueFilters(statuses=("SUBMITTED",), connection_type="NET",
                                                    industry="通関業"))
    assert total == 1 and rows[0].id == app_id
    actions.claim(reviewer, app_id, rows[0].version)
    view = application_view(reviewer, app_id)
    actions.return_for_correction(reviewer, app_id, {"office": "事業所の電話番号をご確認ください。"}, view.version)

    # The applicant sees the comment on that screen, corrects it and submits again.
    view = application_view(applicant, app_id)
    assert view.status == "RETURNED" and view.editable
    assert [c.body for c in view.section("office").comments] == ["事業所の電話番号をご確認ください。"]
    save_section(applicant, app_id, "office", view.data_of("office") | {"office_phone": "03-9999-0000"},
                 view.section("office").version)
    submit_application(applicant, app_id, application_view(applicant, app_id).version)
    assert not application_view(applicant, app_id).section("office").comments  # resolved on resubmit

    start = add_business_days(clock.today_jst(), 5)
    result = actions.approve(reviewer, app_id, start, application_view(reviewer, app_id).version)

    # The applicant reads the ID notice with the 仮ログイン ID, logs in as the office, and from then on
    # the 仮ログイン ID no longer works.
    assert authenticate(applicant.login_id, PASSWORD).ok
    items = notices.list_notices(applicant, applicant.applicant_id)
    id_notice = next(n for n in items if n.kind == notices.NoticeKind.ID_NOTICE)
    shown = notices.open_id_notice(applicant, id_notice.id)
    assert shown.office_code == result.office_code and shown.start_date == start
    login = authenticate(result.office_code, shown.office_password)
    assert login.ok and login.actor.kind == "OFFICE" and login.actor.must_change_password
    assert login.actor.applicant_id == applicant.applicant_id
    assert not authenticate(applicant.login_id, PASSWORD).ok


def test_desk_reviewer_who_entered_a_screen_for_the_caller_cannot_approve(db):
    applicant = make_applicant()
    app_id = started(applicant)
    fill_all(applicant, app_id, "NET")
    desk_reviewer = make_staff("deskrev", DESK, REVIEWER)
    view = application_view(desk_reviewer, app_id)
    # On the phone: the desk corrects one screen for the caller (recorded as acting for them).
    save_section(desk_reviewer, app_id, "fee_plan", view.data_of("fee_plan") | {"plan": "A"},
                 view.section("fee_plan").version)
    submit_application(applicant, app_id, application_view(applicant, app_id).version)
    with pytest.raises(PermissionDenied) as exc:
        actions.approve(desk_reviewer, app_id, add_business_days(clock.today_jst(), 5),
                        application_view(desk_reviewer, app_id).version)
    assert exc.value.code == "review.entered_at_desk"
    other = make_staff("rev2", REVIEWER)
    actions.approve(other, app_id, add_business_days(clock.today_jst(), 5), application_view(other, app_id).version)
