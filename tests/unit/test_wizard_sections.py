"""Field rules of the 詳細入力画面 definitions (no database)."""
from services.application.fieldspec import Context
from services.application.sections import (
    COMPLETE,
    EMPTY,
    PARTIAL,
    applicable_sections,
    context_of,
    get_section,
    industries_filter_value,
    review_screen_status,
)
from services.demo.testdata import complete_sections, corporate_number

GENERAL = Context("GENERAL", ("SMTP/POP3",))
NET = Context("NET", ("netNACCS",))


def codes(checked):
    return {k: e.code for k, e in checked.errors.items()}


def test_complete_data_is_complete_for_both_connection_types():
    for conn in ("GENERAL", "NET"):
        data = complete_sections(conn)
        ctx = context_of(data)
        for section in applicable_sections(ctx):
            if section.key != "review_screen":
                assert section.status(data.get(section.key), ctx) == COMPLETE, section.key


def test_empty_screen_is_empty_and_required_fields_reported():
    section = get_section("applicant_contact")
    assert section.status({}, GENERAL) == EMPTY
    checked = section.check({"application_clerk_name": "山田"}, GENERAL)
    assert codes(checked)["application_clerk_kana"] == "field.required"
    assert section.status({"application_clerk_name": "山田"}, GENERAL) == PARTIAL


def test_over_long_text_refused_and_kept_as_typed():
    section = get_section("office")
    checked = section.check({"company_name": "あ" * 101}, GENERAL)
    assert checked.errors["company_name"].code == "field.too_long"
    assert checked.errors["company_name"].params == {"max": 100}
    assert checked.data["company_name"] == "あ" * 101  # nothing lost


def test_full_width_phone_and_postal_code_converted_hiragana_to_katakana():
    data = complete_sections()["applicant_contact"] | {
        "application_clerk_phone": "０３－１２３４－５６７８", "application_clerk_kana": "やまだ たろう"}
    checked = get_section("applicant_contact").check(data, GENERAL)
    assert not checked.errors
    assert checked.data["application_clerk_phone"] == "03-1234-5678"
    assert checked.data["application_clerk_kana"] == "ヤマダ\u3000タロウ"
    office = get_section("office").check(complete_sections()["office"] | {"office_postal_code": "１０５００２３"},
                                         GENERAL)
    assert office.data["office_postal_code"] == "105-0023"


def test_bad_phone_kana_and_mail():
    checked = get_section("applicant_contact").check({
        "application_clerk_phone": "12-34", "application_clerk_kana": "Yamada",
        "admin_manager_email": "not-a-mail"}, GENERAL)
    c = codes(checked)
    assert c["application_clerk_phone"] == "field.phone"
    assert c["application_clerk_kana"] == "field.kana"
    assert c["admin_manager_email"] == "field.email"


def test_mismatched_mail_confirmation():
    data = complete_sections()["applicant_contact"] | {"admin_manager_email_confirm": "other@example.jp"}
    assert codes(get_section("applicant_contact").check(data, GENERAL)) == {
        "admin_manager_email_confirm": "field.email_mismatch"}


def test_corporate_number_check_digit_and_optional():
    office = complete_sections()["office"]
    good = corporate_number("234567890123")
    bad = str((int(good[0]) + 1) % 10) + good[1:]
    assert not get_section("office").check(office | {"corporate_number": good}, GENERAL).errors
    assert codes(get_section("office").check(office | {"corporate_number": bad}, GENERAL)) == {
        "corporate_number": "field.corporate_number_check"}
    assert codes(get_section("office").check(office | {"corporate_number": "12345"}, GENERAL)) == {
        "corporate_number": "field.corporate_number_format"}
    assert not get_section("office").check(office | {"corporate_number": ""}, GENERAL).errors


def test_security_checkbox_required():
    office = complete_sections()["office"] | {"security_confirmed": False}
    assert codes(get_section("office").check(office, GENERAL)) == {
        "security_confirmed": "wizard.error.confirm_required"}


def test_processing_methods_limited_to_connection_type():
    line = complete_sections("GENERAL")["line"]
    assert not get_section("line").check(line, GENERAL).errors
    assert codes(get_section("line").check(line, NET)) == {"processing_methods": "wizard.error.choice"}
    # context_of drops methods of the other connection type, so mailbox does not apply for NET
    ctx = context_of({"office": {"connection_type": "NET"}, "line": line})
    assert ctx.processing_methods == ()


def test_connection_type_decides_which_screens_apply():
    general = [s.key for s in applicable_sections(context_of(complete_sections("GENERAL")))]
    net = [s.key for s in applicable_sections(context_of(complete_sections("NET")))]
    assert "line_installation" in general and "mailbox" in general
    assert "line_installation" not in net and "mailbox" not in net
    ebms = context_of({"office": {"connection_type": "NET"}, "line": {"processing_methods": ["ebMS"]}})
    assert "mailbox" in [s.key for s in applicable_sections(ebms)]
    interactive = context_of({"office": {"connection_type": "GENERAL"},
                              "line": {"processing_methods": ["インタラクティブ"]}})
    assert "mailbox" not in [s.key for s in applicable_sections(interactive)]


def test_user_code_rows_rules():
    section = get_section("user_code")
    assert codes(section.check({"user_codes": []}, GENERAL)) == {"user_codes": "wizard.error.min_rows"}
    checked = section.check({"user_codes": [{"system_category": "宇宙", "industries": [],
                                             "id_number_count": "０"}]}, GENERAL)
    assert codes(checked) == {"user_codes.0.system_category": "wizard.error.choice",
                              "user_codes.0.industries": "wizard.error.choose_one",
                              "user_codes.0.id_number_count": "wizard.error.min_value"}
    ok = section.check({"user_codes": [{"system_category": "航空", "industries": ["通関業", "航空会社"],
                                        "id_number_count": "３"}]}, GENERAL)
    assert ok.data["user_codes"][0]["id_number_count"] == 3
    assert industries_filter_value(ok.data) == "|航空会社|通関業|"


def test_billing_address_required_only_when_other():
    section = get_section("billing_address")
    assert section.status({"same_as_office": True}, GENERAL) == COMPLETE
    assert codes(section.check({"same_as_office": False}, GENERAL))["billing_address"] == "field.required"


def test_certificate_only_for_net_and_date_rule():
    section = get_section("line_installation")
    data = complete_sections()["line_installation"] | {"desired_completion_date": "2027-13-40"}
    assert codes(section.check(data, GENERAL)) == {"desired_completion_date": "wizard.error.date"}


def test_draft_save_offered_per_seed_table_in_shared_use():
    offered = {s.key for s in applicable_sections(GENERAL) if s.offers_draft_save(True)}
    assert offered == {"line", "line_installation", "logical_terminal", "billing_address"}
    assert all(s.offers_draft_save(False) for s in applicable_sections(GENERAL))


def test_review_screen_status():
    assert review_screen_status({}, NET) == EMPTY
    assert review_screen_status({"office": PARTIAL}, NET) == PARTIAL
