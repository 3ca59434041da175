"""AppTest: the 新規の利用申込 page and 申込内容確認."""
import types

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from locales import catalog
from services.application.attachments import add_attachment
from services.application.read import application_view, new_usage_id
from services.application.submit import submit_application
from tests.factories import TEST_PDF, fill_all, make_applicant, section_row, started
from tests.ui.harness import ROOT, page, shown, texts

WIZARD = "screens/applicant/application.py"
VIEW = "screens/applicant/application_view.py"


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
    notes = [shown(i.value) for i in at.info if "変換しました" in i.value]
    assert notes == ["「さとう はなこ」を「サトウ　ハナコ」に変換しました。",
                     "「０３－９９９９－８８８８」を「03-9999-8888」に変換しました。"]  # each once, nothing else
    # still on the same screen, redrawn from the database
    assert _text_input(at, "管理責任者 電話番号").value == "03-9999-8888"
    at.run()  # the next run of the page (any click) no longer shows them
    assert not [i.value for i in at.info if "変換しました" in i.value]


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
    # The login page the applicant lands on says that the entries were saved.
    login = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    login.session_state["nss_flash"] = at.session_state["nss_flash"]
    login.run()
    assert not login.exception
    assert [s.value for s in login.success] == ["入力内容を一時保存し、ログアウトしました。次にログインすると、続きから入力できます。"]


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
    assert f"申込を受け付けました。受付番号：{view.ref_no}" in texts(at)
    assert not [b for b in at.button if b.key == "wiz_submit"]
    at.run()  # shown again later: the reference number, without claiming it was just received
    assert f"受付番号：{view.ref_no}" in texts(at) and "申込を受け付けました" not in texts(at)


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
    add_attachment(actor, app_id, "構成図 最終版.pdf", TEST_PDF)
    submit_application(actor, app_id, application_view(actor, app_id).version)
    at = page(VIEW, actor)
    assert not at.exception
    assert "申込受付" in texts(at)
    assert "構成図 最終版.pdf" in [t.value for t in at.text]
    assert "海洋物流株式会社" in str([t.value for t in at.table])


def test_second_tab_save_is_refused_with_message(sqlite_db):
    from services.application.save import save_section
    actor = make_applicant()
    app_id = started(actor)
    tab1 = page(WIZARD, actor)
    # the other tab saves the same screen first
    view = application_view(actor, app_id)
    save_section(actor, app_id, "applicant_contact",
                 view.data_of("applicant_contact") | {"admin_manager_name": "別タブ"},
                 view.section("applicant_contact").version)
    _text_input(tab1, "管理責任者 氏名 *").input("古いタブ")
    _button(tab1, "wiz_save").click().run()
    assert not tab1.exception
    assert "別のタブ" in texts(tab1)
    assert section_row(app_id, "applicant_contact")["data"]["admin_manager_name"] == "別タブ"
    assert _text_input(tab1, "管理責任者 氏名 *").value == "別タブ"


def test_desk_enters_for_caller_and_draft_save_keeps_staff_logged_in(sqlite_db):
    from services.authz import DESK
    from tests.factories import make_staff
    owner = make_applicant()
    app_id = started(owner)
    desk = make_staff("desk1", DESK)
    at = page(WIZARD, desk, nss_acting_for=owner.applicant_id)
    assert not at.exception
    _text_input(at, "管理責任者 氏名 *").input("電話 受付")
    _button(at, "wiz_draft").click().run()
    assert "ログアウトはしません" in texts(at)
    assert _button(at, "wiz_draft_confirm").label == "一時保存する"  # not 「…してログアウトする」: staff stay in
    _button(at, "wiz_draft_confirm").click().run()
    assert not at.exception
    assert at.session_state["nss_actor"] == desk
    assert section_row(app_id, "applicant_contact")["data"]["admin_manager_name"] == "電話 受付"


def test_submitted_application_points_to_the_view_page_for_the_applicant_only(sqlite_db):
    from services.authz import DESK
    from tests.factories import make_staff
    owner = make_applicant()
    app_id = started(owner)
    fill_all(owner, app_id, "NET")
    submit_application(owner, app_id, application_view(owner, app_id).version)
    assert "「申込内容確認」でご確認いただけます" in texts(page(WIZARD, owner))
    at = page(WIZARD, make_staff("desk1", DESK), nss_acting_for=owner.applicant_id)
    assert not at.exception
    assert "内容の変更はできません" in texts(at) and "「申込内容確認」" not in texts(at)


def test_page_in_english(sqlite_db):
    actor = make_applicant()
    started(actor)
    at = page(WIZARD, actor, nss_lang="en")
    assert not at.exception
    assert "New usage application" in texts(at)
    assert "Administrator in charge: name *" in [w.label for w in at.text_input]


def test_returned_application_shows_comments_on_screen(sqlite_db):
    from db.models import Application, ReviewComment
    from services import clock
    from services.authz import REVIEWER
    from services.uow import UnitOfWork
    from tests.factories import make_staff
    actor = make_applicant()
    app_id = started(actor)
    fill_all(actor, app_id, "NET")
    submit_application(actor, app_id, application_view(actor, app_id).version)
    reviewer = make_staff("rev1", REVIEWER)
    with UnitOfWork() as u:
        s = u.session
        s.get(Application, app_id).status = "RETURNED"
        s.add(ReviewComment(application_id=app_id, section_key="office", body="住所を確認してください",
                            author_user_id=reviewer.user_id, created_at=clock.now()))
        u.commit()
    at = page(WIZARD, actor, wiz_current="office")
    assert not at.exception
    assert "差戻し" in texts(at)
    assert any("住所を確認してください" in w.value for w in at.warning)
    _button(at, "wiz_nav_review_screen").click().run()
    _button(at, "wiz_submit").click().run()
    assert not at.exception
    assert application_view(actor, app_id).status == "SUBMITTED"


SCREENS = ["applicant_contact", "office", "user_code", "line", "line_installation", "mailbox",
           "logical_terminal", "fee_plan", "billing_address", "review_screen"]


@pytest.mark.parametrize("screen", SCREENS)
def test_every_screen_renders_with_saved_values(sqlite_db, screen):
    actor = make_applicant()
    app_id = started(actor)
    fill_all(actor, app_id, "GENERAL")
    at = page(WIZARD, actor, wiz_current=screen)
    assert not at.exception
    assert at.header[0].value == catalog("ja")[f"wizard.section.{screen}"]
    assert not at.error
    if screen != "review_screen":  # the stored values are back in the widgets
        shown = [w.value for w in at.text_input] + [w.value for w in at.selectbox] + [w.value for w in at.checkbox]
        assert any(v not in (None, "", False) for v in shown)


def test_office_bad_corporate_number_and_unticked_security(sqlite_db):
    actor = make_applicant()
    app_id = started(actor)
    fill_all(actor, app_id, "NET")
    at = page(WIZARD, actor, wiz_current="office")
    _text_input(at, "法人番号").input("1234567890123")
    next(c for c in at.checkbox if c.label.startswith("上記を確認しました。")).uncheck()
    _button(at, "wiz_save").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("チェックデジット" in e for e in errors)
    assert any("上記を確認しました。" in e for e in errors)
    assert section_row(app_id, "office")["status"] == "PARTIAL"


def test_user_code_rows_add_and_bad_count(sqlite_db):
    actor = make_applicant()
    app_id = started(actor)
    fill_all(actor, app_id, "NET")
    at = page(WIZARD, actor, wiz_current="user_code")
    next(b for b in at.button if b.label == "行を追加").click().run()
    assert len([w for w in at.text_input if w.label.startswith("識別番号の数")]) == 2
    _text_input(at, "識別番号の数").input("１００")  # full-width, over the limit
    _button(at, "wiz_save").click().run()
    assert not at.exception
    assert "99 以下の数を入力してください。" in [e.value for e in at.error]
    rows = section_row(app_id, "user_code")["data"]["user_codes"]
    assert len(rows) == 2 and rows[0]["id_number_count"] == "１００"  # kept as typed


def test_fee_plan_shows_comparison(sqlite_db):
    actor = make_applicant()
    app_id = started(actor)
    fill_all(actor, app_id, "NET")
    at = page(WIZARD, actor, wiz_current="fee_plan")
    _text_input(at, "予想月間利用額").input("100000").run()
    assert "プラン A がお得です。" in texts(at)
    assert [m.value for m in at.metric] == ["¥71,000", "¥81,000"]  # 2 terminals, 1 paid option


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_review_screen_has_no_missing_labels(sqlite_db, lang):
    actor = make_applicant()
    app_id = started(actor)
    fill_all(actor, app_id, "GENERAL")
    at = page(WIZARD, actor, wiz_current="review_screen", nss_lang=lang)
    assert not at.exception
    shown = texts(at) + str([t.value for t in at.table]) + str([b.label for b in at.button])
    assert "wizard." not in shown
