"""システム設定の申込 page (AppTest): refusal for a temporary login, choosing the 利用者コード, each
step, a field error next to its field in Japanese, a refused English character, the survey form
shown as missing, and the completion with its 受付番号."""
from __future__ import annotations

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from db.models import User
from services.application.attachments import add_attachment
from services.auth import to_actor
from services.authz import UserKind
from services.system_settings import start
from services.uow import UnitOfWork
from tests.factories import TEST_PDF, fill_system_settings, make_office
from tests.ui.harness import ROOT, TIMEOUT, page, texts
from ui.session import ACTOR_KEY

PAGE = "screens/applicant/system_settings.py"


def _open(actor, user_code: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / PAGE), default_timeout=TIMEOUT)
    at.session_state[ACTOR_KEY] = actor
    if user_code:
        at.query_params["user_code"] = user_code
    return at.run()


def _button(at: AppTest, label: str, key_prefix: str | None = None):
    return next(b for b in at.button if b.label == label and (key_prefix is None or (b.key or "").startswith(key_prefix)))


def test_a_temporary_login_is_told_it_is_for_offices(sqlite_db):
    office = make_office([("通関業",)])
    with UnitOfWork() as u:
        user = u.session.scalar(select(User).where(User.applicant_id == office.applicant_id,
                                                   User.kind == UserKind.TEMP))
        user.must_change_password = False
        u.commit()
        temp = to_actor(user)
    at = page(PAGE, temp)
    assert not at.exception
    assert "事業所コードでログインした事業所のみ" in texts(at)


def test_the_journey_through_the_four_steps(sqlite_db):
    office = make_office([("船会社",)])
    code = office.user_codes[0]
    at = _open(office.actor)
    assert not at.exception
    text = texts(at)
    assert "申請コード選択" in text and "利用種別コード" in at.dataframe[0].value.columns
    assert at.dataframe[0].value.iloc[0].tolist()[:3] == [code, "海上", "船会社"]
    _button(at, "申込を始める").click().run()
    # Step 1: the 申込担当者, pre-filled from the 新規利用申込.
    assert at.header[0].value == "申込担当者の入力"
    assert at.text_input(key=next(k for k in _keys(at) if k.endswith("contact_email"))).value == "clerk@example.jp"
    _button(at, "次へ", "ss_next_1").click().run()
    assert not at.exception
    # Step 2: the tabs, each with its 入力状況, and the survey form required by 船会社.
    assert [t.label for t in at.tabs] == ["名称（入力済）", "船会社（未入力）"]
    assert "船会社受委託関係登録兼船会社コード付与調査票　未添付" in texts(at)
    assert any("候補" in i.value for i in at.info)
    en = next(k for k in _keys(at) if k.endswith("company_name_en"))
    at.text_input(key=en).input("ABC商事")
    _button(at, "保存", "ss_save_ss_name").click().run()
    assert not at.exception
    assert "使用できない文字：「商」「事」" in texts(at)
    en = next(k for k in _keys(at) if k.endswith("company_name_en"))
    at.text_input(key=en).input("ＡＢＣ Ｔｒａｄｉｎｇ")
    ship = next(k for k in _keys(at) if k.endswith("shipping_line_code"))
    at.text_input(key=ship).input("ＯＮＥ１")
    _button(at, "次へ（入力内容の確認）").click().run()
    assert not at.exception
    # Step 3: read-only; submission is refused while the survey form is missing.
    tables = "\n".join(tb.value.to_string() for tb in at.table)
    assert at.header[0].value == "入力内容の確認" and "ABC Trading" in tables and "ONE1" in tables
    _button(at, "申込む").click().run()
    assert "船会社：船会社受委託関係登録兼船会社コード付与調査票" in texts(at)
    app_id = start.start_system_settings(office.actor, office.applicant_id, code)
    add_attachment(office.actor, app_id, "調査票 2026.pdf", TEST_PDF, purpose="shipping_line_survey")
    at.run()
    assert "調査票 2026.pdf" in texts(at)
    _button(at, "申込む").click().run()
    assert not at.exception
    text = texts(at)
    assert at.header[0].value == "申請完了" and "システム設定申込を受け付けました。受付番号：NSS-" in text


def test_a_field_error_shows_under_its_field(sqlite_db):
    office = make_office([("通関業",)])
    app_id = start.start_system_settings(office.actor, office.applicant_id, office.user_codes[0])
    fill_system_settings(office.actor, app_id)
    at = _open(office.actor, office.user_codes[0])
    phone = next(k for k in _keys(at) if k.endswith("contact_phone"))
    at.text_input(key=phone).input("")
    _button(at, "次へ", "ss_next_1").click().run()
    assert not at.exception
    assert at.header[0].value == "申込担当者の入力"  # stays on the step with the error
    assert [e.value for e in at.error] == ["入力してください。"]


def _keys(at: AppTest) -> list[str]:
    return [w.key for w in at.text_input if w.key]


def test_typed_text_shows_literally(sqlite_db):
    from services.application.read import application_view
    from tests.ui.harness import MARKDOWN_KINDS, left_active
    hostile = "[本人確認はこちら](http://phish.example)"
    office = make_office([("保税蔵置場",)], company=hostile)
    app_id = start.start_system_settings(office.actor, office.applicant_id, office.user_codes[0])
    from services.application.save import save_section
    view = application_view(office.actor, app_id)
    save_section(office.actor, app_id, "ss_bonded_warehouse", {"bonded_area_code": "1AB23", "storage_place": hostile},
                 view.section("ss_bonded_warehouse").version)
    at = _open(office.actor, office.user_codes[0])
    at.session_state["ss_step"] = {app_id: 3}
    at.run()
    assert not at.exception and at.header[0].value == "入力内容の確認"
    cells = [str(v) for tb in at.table for v in tb.value.to_numpy().ravel()]
    assert sum("phish" in c for c in cells) >= 2  # 企業名(和) and 蔵置場所 (and the 英 suggestion)
    for kind in MARKDOWN_KINDS:
        for element in getattr(at, kind):
            assert not left_active(str(element.value)), (kind, element.value)
    assert all(not left_active(c) for c in cells)


def test_draft_save_asks_then_saves_every_tab_and_logs_out(sqlite_db):
    import types

    from services.application.read import application_view
    office = make_office([("通関業",)])
    app_id = start.start_system_settings(office.actor, office.applicant_id, office.user_codes[0])
    at = AppTest.from_file(str(ROOT / PAGE), default_timeout=TIMEOUT)
    at.session_state[ACTOR_KEY] = office.actor
    at.session_state["_nss_authenticator"] = types.SimpleNamespace()
    at.session_state["ss_step"] = {app_id: 2}
    at.query_params["user_code"] = office.user_codes[0]
    at.run()
    at.text_input(key=next(k for k in _keys(at) if k.endswith("broker_licence_number"))).input("ｋ１２３")
    next(b for b in at.button if b.key == "ss_draft_2").click().run()
    assert "同時にログアウトします" in texts(at)
    assert application_view(office.actor, app_id).data_of("ss_customs_broker") == {}
    next(b for b in at.button if b.key == "ss_draft_confirm").click().run()
    assert not at.exception
    assert application_view(office.actor, app_id).data_of("ss_customs_broker")["broker_licence_number"] == "K123"
    assert ACTOR_KEY not in at.session_state


def test_a_returned_application_opens_at_the_tabs_with_the_comment(sqlite_db):
    from services.authz import REVIEWER
    from services.review import actions
    from tests.factories import make_staff, submitted_system_settings, version_of
    office = make_office([("通関業",)])
    at = _open(office.actor)
    app_id = submitted_system_settings(office)
    at.session_state["ss_step"] = {app_id: 4}  # this browser saw the completion before the 差戻し
    at.session_state["ss_user_code"] = office.user_codes[0]
    reviewer = make_staff("rev-page", REVIEWER)
    actions.claim(reviewer, app_id, version_of(app_id))
    actions.return_for_correction(reviewer, app_id, {"ss_customs_broker": "許可番号を確認してください。"},
                                  version_of(app_id))
    at.run()
    assert not at.exception and at.header[0].value == "システム設定情報の登録"
    assert "修正の依頼があります" in texts(at) and "許可番号を確認してください。" in texts(at)
    assert [t.label for t in at.tabs] == ["名称（入力済）", "通関業（要修正）"]
