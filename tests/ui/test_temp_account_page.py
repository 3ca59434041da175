"""仮アカウントの発行 page: terms → form → completion; messages under wrong fields."""
from __future__ import annotations

from sqlalchemy import func, select

from db.models import Applicant
from services.uow import UnitOfWork
from tests.factories import CORPORATE_NUMBER, last_mail
from tests.ui.harness import page, texts

PAGE = "screens/applicant/temp_account.py"
GOOD = {"contact_name": "山田 太郎", "contact_kana": "やまだ たろう", "company_name": "山田通関株式会社",
        "department": "業務部", "phone": "０３－１２３４－５６７８", "email": "taro@example.co.jp",
        "email_confirm": "taro@example.co.jp"}


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def _to_form(at):
    at.checkbox(key="ta_agree").check().run()
    _button(at, "次へ").click().run()
    return at


def _fill(at, values, corporate_number=CORPORATE_NUMBER):
    for name, value in values.items():
        at.text_input(key=f"ta_in_{name}").input(value)
    at.text_input(key="ta_in_corporate").input(corporate_number)
    _button(at, "登録する").click().run()
    return at


def _applicants() -> int:
    with UnitOfWork() as u:
        s = u.session
        return s.scalar(select(func.count()).select_from(Applicant))


def test_shows_terms_and_refuses_to_go_on_without_agreement(sqlite_db):
    at = page(PAGE)
    assert not at.exception
    assert "システム利用規程" in texts(at) and "仮ログイン登録" in texts(at)
    _button(at, "次へ").click().run()
    assert "同意いただけない場合" in "\n".join(e.value for e in at.error)
    assert not [w for w in at.text_input if w.key == "ta_in_contact_name"]


def test_main_path_issues_the_account_and_mails_it(sqlite_db):
    at = _fill(_to_form(page(PAGE)), GOOD)
    assert not at.exception and not at.error
    text = texts(at)
    assert "仮アカウントの発行が完了しました" in text and "taro@example.co.jp" in text
    assert "仮ログイン登録完了" in text
    mail = last_mail("temp_account_issued")
    with UnitOfWork() as u:
        s = u.session
        applicant = s.scalar(select(Applicant))
        assert applicant.contact_kana == "ヤマダ\u3000タロウ" and applicant.phone == "03-1234-5678"
        assert applicant.temp_login_id in mail.body
    # Pressing 登録する again is impossible now: the form is gone, nothing more is created.
    assert not [b for b in at.button if b.label == "登録する"] and _applicants() == 1


def test_bad_input_shows_messages_and_keeps_what_was_typed(sqlite_db):
    bad = dict(GOOD, contact_name="", phone="12-34", email_confirm="other@example.co.jp")
    at = _fill(_to_form(page(PAGE)), bad, corporate_number="1234567890123")
    errors = "\n".join(e.value for e in at.error)
    assert "入力してください" in errors and "電話番号" in errors
    assert "確認用のメールアドレスが一致しません" in errors and "法人番号が正しくありません" in errors
    assert at.text_input(key="ta_in_company_name").value == "山田通関株式会社"
    assert _applicants() == 0


def test_same_form_submitted_twice_creates_one_account(sqlite_db):
    at = _to_form(page(PAGE))
    token = at.session_state["ta_token"]
    at = _fill(at, GOOD)
    # A second run of the same form instance (the double click's twin) reuses the token.
    at2 = _fill(_to_form(page(PAGE, ta_token=token)), GOOD)
    assert not at2.exception and "仮アカウントの発行が完了しました" in texts(at2)
    assert _applicants() == 1


def test_english_labels(sqlite_db):
    at = page(PAGE, nss_lang="en")
    assert not at.exception and "Terms of use (version 1.0)" in texts(at)
    at.checkbox(key="ta_agree").check().run()
    _button(at, "Next").click().run()
    assert at.text_input(key="ta_in_contact_kana").label == "Name (katakana)"


def _limited_message(at) -> str:
    return "\n".join(e.value for e in at.error)


def test_over_the_client_limit_the_page_says_so_and_keeps_the_form(sqlite_db):
    from services import ratelimit
    for _ in range(ratelimit.TEMP_ACCOUNT_PER_CLIENT.limit):  # AppTest connects from loopback
        ratelimit.admit([(ratelimit.TEMP_ACCOUNT_PER_CLIENT, ratelimit.LOCAL_CLIENT)])
    at = _fill(_to_form(page(PAGE)), GOOD)
    assert not at.exception and "同じ接続元から短時間に多くの仮アカウント発行" in _limited_message(at)
    assert "仮アカウントの発行が完了しました" not in texts(at) and _applicants() == 0
    assert at.text_input(key="ta_in_contact_name").value == GOOD["contact_name"]  # nothing typed is lost


def test_over_the_recipient_limit_the_page_names_the_address_limit(sqlite_db):
    from services import ratelimit
    for _ in range(ratelimit.TEMP_ACCOUNT_PER_RECIPIENT.limit):
        ratelimit.admit([(ratelimit.TEMP_ACCOUNT_PER_RECIPIENT, GOOD["email"])])
    at = _fill(_to_form(page(PAGE)), GOOD)
    message = _limited_message(at)
    assert "このメールアドレス宛ての仮アカウントの発行が上限に達した" in message and "24 時間" in message
    assert _applicants() == 0
