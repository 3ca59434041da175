"""パスワードの再発行 page and the パスワードの再設定 page its mail links to."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from services import auth, clock, ratelimit
from tests.factories import CORPORATE_NUMBER, OFFICE_PASSWORD, issue, last_mail, mail_as_sent, raw_office
from tests.ui.harness import page, texts

PAGE = "screens/account/reissue.py"
RESET_PAGE = "screens/account/reset_password.py"
DONE = "受け付けました"
BOSS = "boss@example.co.jp"
NEW_PASSWORD = "Brand-New-Pass-77"


def _submit(code, email, corporate_number):
    at = page(PAGE)
    at.text_input(key="ri_office_code").input(code)
    at.text_input(key="ri_email").input(email)
    at.text_input(key="ri_corporate_number").input(corporate_number)
    next(b for b in at.button if b.label == "再発行を申し込む").click().run()
    return at


def _office() -> str:
    result, _ = issue()
    return raw_office(result.applicant_id, clock.today_jst(), admin_manager_email=BOSS)


def _token() -> str:
    url = next(w for w in mail_as_sent("password_reset_link").split() if "token=" in w)
    return parse_qs(urlparse(url).query)["token"][0]


def _reset_page(token: str | None):
    from streamlit.testing.v1 import AppTest

    from tests.ui.harness import ROOT, TIMEOUT
    at = AppTest.from_file(str(ROOT / RESET_PAGE), default_timeout=TIMEOUT)
    if token is not None:
        at.query_params["token"] = token
    return at.run()


def test_renders_the_three_credentials(sqlite_db):
    at = page(PAGE)
    assert not at.exception and len(at.text_input) == 3
    assert "パスワードの再発行" in texts(at) and "仮ログイン ID" in texts(at)


def test_match_and_no_match_show_the_identical_page(sqlite_db):
    code = _office()
    hit = _submit(code, BOSS, CORPORATE_NUMBER)
    miss = _submit("NOSUCH99", BOSS, CORPORATE_NUMBER)
    wrong_mail = _submit(code, "other@example.co.jp", CORPORATE_NUMBER)
    assert not hit.exception and DONE in texts(hit)
    assert texts(hit) == texts(miss) == texts(wrong_mail)  # every text on the page, not only the message
    assert last_mail("password_reset_link").recipients == [BOSS]
    assert auth.authenticate(code, OFFICE_PASSWORD).ok  # nothing changed yet


def test_over_the_client_limit_says_so_and_keeps_the_form(sqlite_db):
    for i in range(ratelimit.REISSUE_PER_CLIENT.limit):  # AppTest connects from loopback
        _submit(f"NOPE{i:04d}", BOSS, CORPORATE_NUMBER)
    at = _submit("NOPE9999", BOSS, CORPORATE_NUMBER)
    errors = "\n".join(e.value for e in at.error)
    assert "同じ接続元から短時間に多くのパスワード再発行のお申込み" in errors and "60 分" in errors
    assert DONE not in texts(at) and len(at.text_input) == 3


def test_malformed_input_gets_messages_under_the_fields(sqlite_db):
    at = _submit("", "boss@", "12")
    errors = [e.value for e in at.error]
    assert len(errors) == 3 and DONE not in texts(at)
    assert any("入力してください" in e for e in errors) and any("メールアドレス" in e for e in errors)


def test_english_labels(sqlite_db):
    at = page(PAGE, nss_lang="en")
    assert not at.exception and "Password re-issue" in texts(at)
    assert [w.label for w in at.text_input][0] == "Office code"


def test_the_link_page_sets_the_password_once(sqlite_db):
    code = _office()
    _submit(code, BOSS, CORPORATE_NUMBER)
    token = _token()
    at = _reset_page(token)
    assert not at.exception and code in texts(at)
    at.text_input(key="rp_new").input(NEW_PASSWORD)
    at.text_input(key="rp_repeat").input(NEW_PASSWORD)
    next(b for b in at.button if b.label == "パスワードを設定する").click().run()
    assert not at.exception and "新しいパスワードを設定しました" in texts(at)
    assert auth.authenticate(code, NEW_PASSWORD).ok and not auth.authenticate(code, OFFICE_PASSWORD).ok
    again = _reset_page(token)
    assert "このリンクは使えません" in "\n".join(e.value for e in again.error)
    assert not again.text_input


def test_the_link_page_names_wrong_fields(sqlite_db):
    _submit(_office(), BOSS, CORPORATE_NUMBER)
    at = _reset_page(_token())
    at.text_input(key="rp_new").input("short")
    at.text_input(key="rp_repeat").input("different")
    next(b for b in at.button if b.label == "パスワードを設定する").click().run()
    errors = [e.value for e in at.error]
    assert len(errors) == 2 and any("確認用のパスワードが一致しません" in e for e in errors)


def test_a_missing_or_forged_token_gets_one_message(sqlite_db):
    for token in (None, "forged-token-value"):
        at = _reset_page(token)
        assert not at.exception and "このリンクは使えません" in at.error[0].value and not at.text_input
