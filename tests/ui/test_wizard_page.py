"""AppTest: the 新規の利用申込 page and 申込内容確認."""
import types

import pytest
import streamlit as st

from services.application.attachments import add_attachment
from services.application.read import application_view, new_usage_id
from services.application.submit import submit_application
from tests.ui.harness import page, texts
from tests.wizard_factories import fill_all, make_applicant, section_row, started

WIZARD = "pages/applicant/application.py"
VIEW = "pages/applicant/application_view.py"


@pytest.fixture(autouse=True)
def fresh_cache():
    st.cache_resource.clear()
    yield


def _button(at, key):
    return next(b for b in at.button if b.key == key)


def _text_input(at, label_start):
    return next(w for w in at.text_input if w.label.startswith(label_start))


def test_start_screen_starts_the_application(sqlite_db):
    actor = make_applicant()
    at = page(WIZARD, actor)
    assert not at.exception
    assert "新規利用申込(共同利用)" in [at.radio[0].format_func(o) for o in at.radio[0].options]
    _button(at, "wiz_start").click().run()
    assert not at.exception
    assert new_usage_id(actor, actor.applicant_id) is not None
    assert "申込担当者" in texts(at) and "入力中" in texts(at)


def test_save_screen_with_bad_input_shows_message_and_keeps_it(sqlite_db):
    actor = make_applicant()
    app_id = started(actor)
    at = page(WIZARD, actor)
    assert not at.exception
    _text_input(at, "管理責任者 氏名カナ").input("さとう はなこ")
    _text_input(at, "管理責任者 電話番号").input("０３－９９９９－８８８８")
    _text_input(at, "管理責任者 メールアドレス *").input("boss@example.jp")
    _text_input(at, "管理責任者 メールアドレス（確認）").input("bos@example.jp")
    _button(at, "wiz_next").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert "確認用のメールアドレスが一致しません。" in errors
    assert "入力してください。" in errors  # 管理責任者 氏名 still empty
    stored = section_row(app_id, "applicant_contact")["data"]
    assert stored["admin_manager_kana"] == "サトウ\u3000ハナコ"
    assert stored["admin_manager_phone"] == "03-9999-8888"
    assert "変換しました" in texts(at)
    # still on the same screen, redrawn from the database
    assert _text_input(at, "管理責任者 電話番号").value == "03-9999-8888"


def test_next_moves_on_when_screen_complete(sqlite_db):
    actor = make_applicant()
    app_id = started(actor)
    at = page(WIZARD, actor)
    for label, value in [("管理責任者 氏名 *", "佐藤 花子"), ("管理責任者 氏名カナ", "サトウ ハナコ"),
                         ("管理責任者 電話番号", "03-9999-8888"), ("管理責任者 メールアドレス *", "boss@example.jp"),
                         ("管理責任者 メールアドレス（確認）", "boss@example.jp")]:
        _text_input(at, label).input(value)
    _button(at, "wiz_next").click().run()
    assert not at.exception
    assert section_row(app_id, "applicant_contact")["status"] == "COMPLETE"
    assert at.session_state["wiz_current"] == "office"
    assert "上記を確認しました。 *" in [c.label for c in at.checkbox]


def test_draft_save_asks_then_saves_and_logs_out(sqlite_db):
    actor = make_applicant()
    app_id = started(actor)
    at = page(WIZARD, actor, _nss_authenticator=types.SimpleNamespace())
    _text_input(at, "管理責任者 氏名 *").input("佐藤 花子")
    _button(at, "wiz_draft").click().run()
    assert "同時にログアウトします" in texts(at)
    assert section_row(app_id, "applicant_contact")["data"].get("admin_manager_name") in (None, "")
    _button(at, "wiz_draft_confirm").click().run()
    assert not at.exception
    assert section_row(app_id, "applicant_contact")["data"]["admin_manager_name"] == "佐藤 花子"
    assert "nss_actor" not in at.session_state


def test_draft_save_cancel_keeps_session(sqlite_db):
    actor = make_applicant()
    started(actor)
    at = page(WIZARD, actor)
    _button(at, "wiz_draft").click().run()
    _button(at, "wiz_draft_cancel").click().run()
    assert "同時にログアウトします" not in texts(at)
    assert at.session_state["nss_actor"] == actor


def test_review_screen_submit_and_read_only(sqlite_db):
    actor = make_applicant()
    app_id = started(actor)
    fill_all(actor, app_id, "NET")
    at = page(WIZARD, actor, wiz_current="review_screen")
    assert not at.exception
    assert "海洋物流株式会社" in str([t.value for t in at.table])
    _button(at, "wiz_submit").click().run()
    assert not at.exception
    view = application_view(actor, app_id)
    assert view.status == "SUBMITTED"
    assert view.ref_no in texts(at)
    assert not [b for b in at.button if b.key == "wiz_submit"]


def test_review_screen_lists_missing_items(sqlite_db):
    actor = make_applicant()
    started(actor)
    at = page(WIZARD, actor, wiz_current="review_screen")
    _button(at, "wiz_submit").click().run()
    assert not at.exception
    assert "未入力または誤りのある項目があります" in texts(at)
    assert any("事業所・企業：上記を確認しました。" in t.value for t in at.text)


def test_view_page_shows_application_and_download(sqlite_db):
    actor = make_applicant()
    app_id = started(actor)
    fill_all(actor, app_id, "GENERAL")
    add_attachment(actor, app_id, "構成図 最終版.pdf", b"%PDF-1.4\n%%EOF\n")
    submit_application(actor, app_id, application_view(actor, app_id).version)
    at = page(VIEW, actor)
    assert not at.exception
    assert "申込受付" in texts(at)
    assert "構成図 最終版.pdf" in [t.value for t in at.text]
    assert "海洋物流株式会社" in str([t.value for t in at.table])
