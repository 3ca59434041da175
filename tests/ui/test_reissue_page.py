"""パスワードの再発行 page: one answer for every outcome, field messages for malformed input."""
from __future__ import annotations

from services import auth, clock
from tests.factories import CORPORATE_NUMBER, issue, last_mail, mail_as_sent, password_in, raw_office
from tests.ui.harness import page, texts

PAGE = "pages/account/reissue.py"
DONE = "受け付けました"


def _submit(code, email, corporate_number):
    at = page(PAGE)
    at.text_input(key="ri_office_code").input(code)
    at.text_input(key="ri_email").input(email)
    at.text_input(key="ri_corporate_number").input(corporate_number)
    next(b for b in at.button if b.label == "再発行を申し込む").click().run()
    return at


def test_renders_the_three_credentials(sqlite_db):
    at = page(PAGE)
    assert not at.exception and len(at.text_input) == 3
    assert "パスワードの再発行" in texts(at) and "仮ログイン ID" in texts(at)


def test_match_and_no_match_look_the_same(sqlite_db):
    result, _ = issue()
    code = raw_office(result.applicant_id, clock.today_jst(), admin_manager_email="boss@example.co.jp")
    hit = _submit(code, "boss@example.co.jp", CORPORATE_NUMBER)
    miss = _submit("NOSUCH99", "boss@example.co.jp", CORPORATE_NUMBER)
    assert not hit.exception and DONE in texts(hit)
    assert [s.value for s in hit.success] == [s.value for s in miss.success]
    assert last_mail("password_reissued").recipients == ["boss@example.co.jp"]
    login = auth.authenticate(code, password_in(mail_as_sent("password_reissued"), "再発行パスワード"))
    assert login.ok and login.actor.must_change_password


def test_malformed_input_gets_messages_under_the_fields(sqlite_db):
    at = _submit("", "boss@", "12")
    errors = [e.value for e in at.error]
    assert len(errors) == 3 and DONE not in texts(at)
    assert any("入力してください" in e for e in errors) and any("メールアドレス" in e for e in errors)


def test_english_labels(sqlite_db):
    at = page(PAGE, nss_lang="en")
    assert not at.exception and "Password re-issue" in texts(at)
    assert [w.label for w in at.text_input][0] == "Office code"
