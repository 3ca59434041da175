"""Issue 8, item 6 in the pages where it crashed: odd digits, 309-digit amounts and refused
characters give the field's message next to the field, never Streamlit's error page."""
from __future__ import annotations

import pytest
import streamlit as st

from tests.factories import fill_all, make_applicant, section_row, started
from tests.ui.harness import page, texts

TEMP_ACCOUNT = "screens/applicant/temp_account.py"
REISSUE = "screens/account/reissue.py"
WIZARD = "screens/applicant/application.py"
# The 法人番号's own messages: format, check digit (①×13 is 1111111111111 after NFKC), characters.
MESSAGES = ("法人番号は 13 桁の数字で入力してください。", "法人番号が正しくありません", "使用できない文字")
ODD_CORPORATE_NUMBERS = ["¹" * 13, "①" * 13, "¹²³", "①", "7000\x00012050002", "9" * 10_000]
GOOD = {"contact_name": "山田 太郎", "contact_kana": "やまだ たろう", "company_name": "山田通関株式会社",
        "phone": "03-1234-5678", "email": "taro@example.co.jp", "email_confirm": "taro@example.co.jp"}


@pytest.fixture(autouse=True)
def fresh_cache():
    st.cache_resource.clear()
    yield


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def _errors(at) -> list[str]:
    return [e.value for e in at.error]


def _has_field_message(errors: list[str]) -> bool:
    return any(m in e for e in errors for m in MESSAGES)


def _ids(value: str) -> str:
    return repr(value[:16])


@pytest.mark.parametrize("typed", ODD_CORPORATE_NUMBERS, ids=_ids)
def test_temp_account_page_corporate_number(sqlite_db, typed):
    at = page(TEMP_ACCOUNT)
    at.checkbox(key="ta_agree").check().run()
    _button(at, "次へ").click().run()
    for name, value in GOOD.items():
        at.text_input(key=f"ta_in_{name}").input(value)
    at.text_input(key="ta_in_corporate").input(typed)
    _button(at, "登録する").click().run()
    assert not at.exception
    errors = _errors(at)
    assert _has_field_message(errors), errors
    assert "仮アカウントの発行が完了しました" not in texts(at)


@pytest.mark.parametrize("typed", ODD_CORPORATE_NUMBERS, ids=_ids)
def test_reissue_page_corporate_number(sqlite_db, typed):
    at = page(REISSUE)
    at.text_input(key="ri_office_code").input("AB12CD34")
    at.text_input(key="ri_email").input("boss@example.co.jp")
    at.text_input(key="ri_corporate_number").input(typed)
    _button(at, "再発行を申し込む").click().run()
    assert not at.exception
    assert _has_field_message(_errors(at)), _errors(at)


def _save(at):
    next(b for b in at.button if b.key == "wiz_save").click().run()


def _text_input(at, label_start):
    return next(w for w in at.text_input if w.label.startswith(label_start))


@pytest.mark.parametrize("typed", ODD_CORPORATE_NUMBERS, ids=_ids)
def test_office_screen_corporate_number(sqlite_db, typed):
    actor = make_applicant()
    app_id = started(actor)
    fill_all(actor, app_id, "NET")
    at = page(WIZARD, actor, wiz_current="office")
    _text_input(at, "法人番号").input(typed)
    _save(at)
    assert not at.exception
    assert _has_field_message(_errors(at)), _errors(at)
    stored = section_row(app_id, "office")["data"]["corporate_number"]
    assert "\x00" not in str(stored) and len(str(stored)) <= 200  # refused values are never stored


def test_office_screen_huge_value_is_refused_next_to_its_field_and_not_saved(sqlite_db):
    actor = make_applicant()
    app_id = started(actor)
    fill_all(actor, app_id, "NET")
    before = section_row(app_id, "office")
    at = page(WIZARD, actor, wiz_current="office")
    _text_input(at, "契約者 役職").input("長" * 1_000_000)
    _save(at)
    assert not at.exception
    assert "50 文字以内で入力してください。" in _errors(at)
    assert section_row(app_id, "office") == before


@pytest.mark.parametrize("typed", ["9" * 309, "9" * 5000, "１" * 400, "1e309", "-" + "9" * 400], ids=_ids)
def test_fee_screen_with_a_huge_expected_usage_keeps_drawing(sqlite_db, typed):
    """Was: OverflowError (int too large to convert to float) and the screen stopped drawing."""
    actor = make_applicant()
    app_id = started(actor)
    fill_all(actor, app_id, "NET")
    at = page(WIZARD, actor, wiz_current="fee_plan")
    _text_input(at, "予想月間利用額").input(typed).run()
    assert not at.exception
    _save(at)
    assert not at.exception
    assert _errors(at)  # a message next to the field
    stored = section_row(app_id, "fee_plan")["data"].get("expected_monthly_usage")
    assert not isinstance(stored, int) or 0 <= stored <= 100_000_000
