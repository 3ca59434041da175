"""AppTest of the desk page: search, open a caller, call notes, new caller, 代理入力中 banner."""
import dataclasses
import types
from datetime import UTC, datetime

import pytest
from streamlit.testing.v1 import AppTest

from services import notes
from services.authz import DESK
from services.notes import NoteKind
from tests.factories import make_caller, make_staff, raw_progress
from tests.ui.harness import TIMEOUT, page, texts
from ui.desk import OPEN_CALLER_KEY
from ui.target import ACTING_FOR_KEY

PAGE = "screens/desk/search.py"
REQUIRED = "入力してください。"


@pytest.fixture
def desk(sqlite_db):
    return make_staff("desk1", DESK)


def search(at, text, button="検索"):
    at.text_input(key="desk_q").input(text)
    next(b for b in at.button if b.label == button).click().run()
    return at


def test_page_renders_with_search_box_and_new_caller_tab(desk):
    at = page(PAGE, desk)
    assert not at.exception
    assert at.title[0].value == "窓口"
    assert [tab.label for tab in at.tabs] == ["申込者を探す", "仮アカウントを発行する"]


def test_search_shows_results_with_next_step(desk):
    caller = make_caller()
    raw_progress(caller, "DRAFT", complete_screens=3)
    make_caller(name="鈴木 花子", kana="スズキ", phone="045-987-6543")
    at = search(page(PAGE, desk), "０３１２３４５６７８")
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["氏名"]) == ["山田 太郎"]
    assert list(table["次の手順"]) == ["入力中 3/7 画面"]
    assert "1 件（1 件を表示）" in texts(at) and "検索項目：電話番号" in texts(at)


@pytest.mark.parametrize("text, message", [("", "検索語を入力してください。"),
                                           ("あ" * 101, "検索語は 100 文字以内で入力してください。")])
def test_empty_or_too_long_query_shows_a_japanese_message(desk, text, message):
    at = search(page(PAGE, desk), text)
    assert [e.value for e in at.error] == [message]


def test_no_results_says_so(desk):
    make_caller()
    at = search(page(PAGE, desk), "存在しない")
    assert "該当する申込者は見つかりませんでした" in texts(at)


def test_open_caller_and_add_a_call_note(desk):
    caller = make_caller(name="山田 太郎")
    at = search(page(PAGE, desk), "山田")
    next(b for b in at.button if b.label == "開く").click().run()
    assert at.session_state[OPEN_CALLER_KEY] == caller
    assert at.header[0].value == "山田 太郎 様"
    assert "まだ申込を始めていません。" in texts(at)
    at.text_area(key="desk_note_body").input("折り返し希望：午後")
    next(b for b in at.button if b.label == "メモを追加").click().run()
    assert not at.exception
    assert "折り返し希望：午後" in texts(at)
    assert [n.body for n in notes.list_notes(desk, NoteKind.CALL_NOTE, caller)] == ["折り返し希望：午後"]
    history = at.dataframe[-1].value
    assert list(history["入力者"]) == ["desk1 name が 山田 太郎 様の代理で入力", "山田 太郎"]  # then: issued on the web


def test_empty_call_note_shows_a_message_and_saves_nothing(desk):
    caller = make_caller()
    at = page(PAGE, desk, **{OPEN_CALLER_KEY: caller})
    next(b for b in at.button if b.label == "メモを追加").click().run()
    assert any("入力してください" in e.value for e in at.error)
    assert notes.list_notes(desk, NoteKind.CALL_NOTE, caller) == []


def test_act_for_button_is_enabled(desk):
    at = page(PAGE, desk, **{OPEN_CALLER_KEY: make_caller()})
    button = next(b for b in at.button if b.label == "この申込者として入力する")
    assert not button.disabled


class _FakeTempAccounts:
    """Stands in for services.temp_accounts' two calls of the desk tab, same signatures."""

    def __init__(self, terms_id):
        self.calls = []
        self.terms_id = terms_id

    def current_terms(self):
        return types.SimpleNamespace(id=self.terms_id, version="1.0", body="第1条 目的")

    def issue_temp_account(self, actor, form, via="WEB"):
        from services.errors import FieldError, ValidationFailed
        data = dataclasses.asdict(form)
        self.calls.append((actor.login_id, data, via))
        if not data["agreed"]:
            raise ValidationFailed({"agreed": FieldError("field.required")})
        applicant_id = make_caller(name=data["contact_name"])
        return types.SimpleNamespace(applicant_id=applicant_id, temp_login_id="T987654321", email=data["email"],
                                     expires_at=datetime(2026, 11, 28, 3, tzinfo=UTC), via=via)


@pytest.fixture
def fake_temp_accounts(desk, monkeypatch):
    fake = _FakeTempAccounts(terms_id=1)
    from services import temp_accounts
    monkeypatch.setattr(temp_accounts, "current_terms", fake.current_terms)
    monkeypatch.setattr(temp_accounts, "issue_temp_account", fake.issue_temp_account)
    return fake


def _fill_new_caller(at, agreed=True):
    values = {"contact_name": "佐藤 一郎", "contact_kana": "さとう いちろう", "company_name": "佐藤海運",
              "phone": "03-5555-0000", "email": "ichiro@sato.example.jp",
              "email_confirm": "ichiro@sato.example.jp", "corporate_number": "7000012050002"}
    for name, value in values.items():
        at.text_input(key=f"desk_new_{name}").input(value)
    if agreed:
        at.checkbox(key="desk_new_agreed").check()
    next(b for b in at.button if b.label == "仮アカウントを発行する").click().run()
    return at


def test_new_caller_gets_a_temp_account_by_phone_and_the_record_opens(fake_temp_accounts, desk):
    at = _fill_new_caller(page(PAGE, desk))
    assert not at.exception
    (login_id, data, via), = fake_temp_accounts.calls
    assert (login_id, via, data["agreed"], data["terms_version_id"]) == ("desk1", "PHONE", True, 1)
    assert data["submission_token"]
    assert "T987654321" in at.success[0].value
    assert at.header[0].value == "佐藤 一郎 様"


def test_new_caller_without_terms_agreement_shows_the_message_by_the_field(fake_temp_accounts, desk):
    at = _fill_new_caller(page(PAGE, desk), agreed=False)
    assert [e.value for e in at.error] == [REQUIRED]
    assert OPEN_CALLER_KEY not in at.session_state


def _banner_script():
    from ui.desk.banner import acting_banner
    from ui.session import current_actor
    acting_banner(current_actor())


def test_banner_names_the_caller_and_stops_acting(desk):
    caller = make_caller(temp_login_id="T555666777")
    at = AppTest.from_function(_banner_script, default_timeout=TIMEOUT)
    at.session_state["nss_actor"] = desk
    at.session_state[ACTING_FOR_KEY] = caller
    at.run()
    assert at.warning[0].value == "山田 太郎 様（仮 ID T555666777）の代理入力中"
    at.button(key="desk_stop_acting").click().run()
    assert ACTING_FOR_KEY not in at.session_state
    assert not at.warning


def test_desk_user_lands_on_the_desk_page_and_sees_the_banner_while_acting(desk):
    import streamlit as st

    from tests.factories import PASSWORD
    from tests.ui.harness import app
    st.cache_resource.clear()
    at = app()
    at.text_input[0].input("desk1")
    at.text_input[1].input(PASSWORD)
    next(b for b in at.button if b.label == "ログイン").click().run()
    assert not at.exception
    assert at.title[0].value == "窓口"
    at.session_state[ACTING_FOR_KEY] = make_caller(temp_login_id="T111222333")
    at.run()
    assert at.warning[0].value == "山田 太郎 様（仮 ID T111222333）の代理入力中"


def test_new_caller_through_the_real_temp_account_service(desk):
    """With services.temp_accounts merged: the account is issued by phone, mailed, and attributed."""
    from services import mail
    from services.desk import callers
    at = _fill_new_caller(page(PAGE, desk))
    assert not at.exception
    applicant_id = at.session_state[OPEN_CALLER_KEY]
    record = callers.get_caller(desk, applicant_id)
    assert (record.contact_name, record.contact_kana, record.terms_agreed_via) == ("佐藤 一郎", "サトウ\u3000イチロウ",
                                                                                   "PHONE")
    assert record.temp_login_id in at.success[0].value
    assert [m.template for m in mail.mails_to("ichiro@sato.example.jp")] == ["temp_account_issued"]
    issued = [h for h in callers.caller_history(desk, applicant_id) if h.action == "temp_account.issued"]
    assert [(h.actor_login_id, h.on_behalf) for h in issued] == [("desk1", True)]
    assert list(at.dataframe[-1].value["操作"]) == ["仮アカウントの発行"]


def test_page_in_english(desk):
    make_caller()
    at = search(page(PAGE, desk, nss_lang="en"), "03-1234", "Search")
    assert not at.exception
    assert at.title[0].value == "Support desk"
    assert list(at.dataframe[0].value["Next step"])[0].startswith("Application not started")


def test_explicit_field_selection(desk):
    make_caller(name="山田 太郎", company="山田物流株式会社")
    at = page(PAGE, desk)
    at.selectbox(key="desk_field").select("company")
    at = search(at, "物流")
    assert list(at.dataframe[0].value["会社名"]) == ["山田物流株式会社"]
    assert "検索項目：会社名（部分一致）" in texts(at)
    at.selectbox(key="desk_field").select("phone")
    at = search(at, "山田")
    assert [e.value for e in at.error] == [
        "選んだ検索項目では、この検索語では検索できません（電話番号は数字、カナはカタカナかひらがなで入力してください）。"]


def test_record_lists_the_callers_applications(desk):
    caller = make_caller()
    raw_progress(caller, "RETURNED", ref_no="NSS-2026-111222")
    at = page(PAGE, desk, **{OPEN_CALLER_KEY: caller})
    apps = next(d.value for d in at.dataframe if "受付番号" in d.value.columns)
    assert list(apps["受付番号"]) == ["NSS-2026-111222"] and list(apps["状況"]) == ["差戻し"]
    assert "申込状況：差戻し" in texts(at) and "審査担当から修正依頼があります。" in texts(at)


def test_history_names_the_screen_entered_for_the_caller(desk):
    from services import audit
    from services.uow import UnitOfWork
    caller = make_caller()
    app_id = raw_progress(caller, "DRAFT")
    with UnitOfWork() as u:
        s = u.session
        audit.record(s, desk, "application.section_saved", target_type="application", target_id=app_id,
                     applicant_id=caller, after={"section": "office", "status": "PARTIAL"})
        s.commit()
    at = page(PAGE, desk, **{OPEN_CALLER_KEY: caller})
    history = at.dataframe[-1].value
    (action, by), (_, issued_by) = zip(history["操作"], history["入力者"], strict=True)
    assert issued_by == "山田 太郎"  # the temporary account, issued on the web by the caller
    assert action.startswith("画面の保存（") and by == "desk1 name が 山田 太郎 様の代理で入力"


def test_focus_is_in_the_search_box_on_arrival_and_on_the_open_button_after_a_search(desk):
    make_caller(name="山田 太郎")
    at = page(PAGE, desk)
    scripts = lambda: "".join(h.proto.body for h in at.get("html"))  # noqa: E731
    assert ".st-key-desk_q input" in scripts() and ".st-key-desk_open" not in scripts()
    at = search(at, "山田")
    assert ".st-key-desk_open input" in scripts() and ".st-key-desk_q input" not in scripts()
    at = search(at, "存在しない")  # no result: the cursor stays in the search box for the next try
    assert ".st-key-desk_q input" in scripts()


def test_a_known_corporate_number_is_flagged_in_the_form_then_issued_on_the_second_click(fake_temp_accounts, desk):
    make_caller(corporate_number="7000012050002", temp_login_id="T900000123")
    at = _fill_new_caller(page(PAGE, desk))
    assert not at.exception and fake_temp_accounts.calls == []  # said first, nothing issued yet
    assert [w.value for w in at.warning] == [
        "同じ法人番号の申込者が既にあります（T900000123）。変更申込または共同利用の可能性があります。"]
    next(b for b in at.button if b.label == "仮アカウントを発行する").click().run()
    assert len(fake_temp_accounts.calls) == 1 and at.header[0].value == "佐藤 一郎 様"


def test_the_caller_card_flags_another_applicant_with_the_same_corporate_number(desk):
    make_caller(corporate_number="7000012050002", temp_login_id="T900000123")
    caller = make_caller(corporate_number="7000012050002", temp_login_id="T900000456", email="b@example.jp")
    at = page(PAGE, desk, **{OPEN_CALLER_KEY: caller})
    assert "同じ法人番号の申込者が既にあります（T900000123）。" in "\n".join(w.value for w in at.warning)
