"""The desk's caller card (services.desk.card): the one thing to tell the caller, the deadlines
with their dates, and the wizard screen the caller is on — per status."""
from services import deadlines
from services.authz import DESK
from services.desk.card import CardDeadline, caller_card
from services.workflow import ApplicationStatus
from tests.factories import make_application, make_caller, make_staff, partly_entered


def test_not_started_counts_down_the_temporary_account(db):
    desk = make_staff("desk1", DESK)
    caller = make_caller()
    card = caller_card(desk, caller)
    assert card.tell == "not_started" and card.application_status is None
    assert [d.kind for d in card.deadlines] == [CardDeadline.TEMP_ACCOUNT]
    assert card.deadlines[0].due == card.params["expires"] and card.wizard_screen is None


def test_a_draft_says_how_many_screens_are_left_and_opens_on_the_one_in_progress(db):
    desk = make_staff("desk1", DESK)
    card = caller_card(desk, partly_entered())
    assert card.tell == "drafting" and card.params["done"] == 3
    assert card.params["left"] == card.params["total"] - 3 > 0
    assert card.wizard_screen == "line" and card.wizard_screen_label_key == "wizard.section.line"


def test_a_returned_application_opens_on_the_screen_to_correct(db):
    desk = make_staff("desk1", DESK)
    _, applicant_id = make_application(status=ApplicationStatus.RETURNED)
    card = caller_card(desk, applicant_id)
    assert card.tell == "returned" and card.params == {"to_fix": 1}
    assert card.wizard_screen == "office"


def test_in_review_gives_the_review_due_date(db):
    desk = make_staff("desk1", DESK)
    app_id, applicant_id = make_application()
    card = caller_card(desk, applicant_id)
    assert card.tell == "in_review" and card.wizard_screen is None
    assert [d.kind for d in card.deadlines] == [CardDeadline.REVIEW_DUE]
    assert card.deadlines[0].due == card.params["due"]


def test_approved_lists_the_settings_start_id_notice_and_certificate_deadlines(db):
    desk = make_staff("desk1", DESK)
    start = deadlines.default_start_date()
    _, applicant_id = make_application(status=ApplicationStatus.APPROVED, connection_type="NET", start_date=start)
    card = caller_card(desk, applicant_id)
    assert card.tell == "settings_pending" and card.params["pending"] >= 1
    assert {d.kind: d.due for d in card.deadlines} == {
        CardDeadline.SYSTEM_SETTINGS: deadlines.system_settings_deadline(start),
        CardDeadline.START_DATE: start,
        CardDeadline.ID_NOTICE: deadlines.id_notice_display_until(start),
        CardDeadline.CERTIFICATE: deadlines.certificate_deadline(start),
    }
    assert card.params["office_code"]
