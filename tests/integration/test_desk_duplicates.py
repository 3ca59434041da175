"""services.desk.duplicates: a 法人番号 or company address another applicant already has is found
(for a warning on the caller card and the temporary-account form), the caller itself is not."""
from services.application.read import application_view
from services.application.save import save_section
from services.authz import DESK
from services.demo.testdata import corporate_number
from services.desk.duplicates import DuplicateReason, caller_duplicates, corporate_number_duplicates
from tests.factories import make_applicant, make_application, make_caller, make_staff, section_payloads, started

SHARED_NUMBER = corporate_number("234567890123")   # the factory application's 事業所・企業
SHARED_ADDRESS = "東京都港区芝浦1-2-3"


def _office_screen(address: str, corp_base12: str) -> int:
    caller = make_applicant(None, "other@example.jp")
    app_id = started(caller)
    office = section_payloads()["office"] | {"head_office_address": address, "office_address": address,
                                             "corporate_number": corporate_number(corp_base12)}
    save_section(caller, app_id, "office", office, application_view(caller, app_id).section("office").version)
    return caller.applicant_id


def test_a_corporate_number_already_on_an_application_is_found_for_the_form(db):
    desk = make_staff("desk1", DESK)
    _, first = make_application()
    full_width = SHARED_NUMBER.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert [(h.reason, h.applicant_id) for h in corporate_number_duplicates(desk, full_width)] == [
        (DuplicateReason.CORPORATE_NUMBER, first)]
    assert corporate_number_duplicates(desk, corporate_number("999999999999")) == []
    assert corporate_number_duplicates(desk, "") == [] and corporate_number_duplicates(desk, "123") == []


def test_the_caller_card_finds_the_others_not_the_caller(db):
    desk = make_staff("desk1", DESK)
    _, first = make_application()
    caller = make_caller(corporate_number=SHARED_NUMBER, temp_login_id="T111111111")
    hits = caller_duplicates(desk, caller)
    assert [(h.reason, h.applicant_id) for h in hits] == [(DuplicateReason.CORPORATE_NUMBER, first)]
    assert hits[0].code.startswith("T") or hits[0].code  # its 仮ログイン ID (or 事業所コード once approved)
    assert [(h.reason, h.applicant_id) for h in caller_duplicates(desk, first)] == [
        (DuplicateReason.CORPORATE_NUMBER, caller)]
    assert caller_duplicates(desk, make_caller(temp_login_id="T222222222", email="x@example.jp")) == []


def test_the_same_address_with_another_corporate_number_is_found(db):
    desk = make_staff("desk1", DESK)
    _, first = make_application()
    same_place = _office_screen(SHARED_ADDRESS, "111111111111")
    elsewhere = _office_screen("大阪府大阪市北区梅田1-1-1", "222222222222")
    assert [(h.reason, h.applicant_id) for h in caller_duplicates(desk, same_place)] == [
        (DuplicateReason.ADDRESS, first)]
    assert caller_duplicates(desk, elsewhere) == []
