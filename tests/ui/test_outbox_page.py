from services import mail
from services.authz import ADMIN, DESK
from services.uow import UnitOfWork
from tests.factories import make_staff
from tests.ui.harness import page, texts


def _queue(n):
    with UnitOfWork() as u:
        s = u.session
        for i in range(n):
            mail.enqueue(s, "test", [f"user{i}@example.jp"], {"name": f"利用者{i}"})
        u.commit()


def test_outbox_lists_mail_with_sender_recipients_subject_body_status(sqlite_db):
    _queue(3)
    at = page("screens/admin/outbox.py", make_staff("admin1", ADMIN))
    assert not at.exception
    assert at.title[0].value == "送信メール"
    assert "3 件" in texts(at)
    labels = [e.label for e in at.expander]
    assert len(labels) == 3 and all("送信待ち" in label and "【NACCS 利用申込ポータル】テストメール" in label for label in labels)
    body = "\n".join(c.value for c in at.code)
    assert "利用者2 様" in body
    assert "宛先：user0@example.jp" in texts(at)
    assert "SMTP サーバーが設定されていないため" in texts(at)


def test_outbox_search_narrows_the_list(sqlite_db):
    _queue(3)
    at = page("screens/admin/outbox.py", make_staff("admin1", ADMIN))
    at.text_input(key="outbox_search").input("user1@").run()
    assert "1 件" in texts(at) and len(at.expander) == 1


def test_outbox_page_in_english(sqlite_db):
    _queue(1)
    at = page("screens/admin/outbox.py", make_staff("admin1", ADMIN), nss_lang="en")
    assert at.title[0].value == "Sent mail"
    assert "Waiting" in at.expander[0].label


def test_outbox_refuses_applicants(sqlite_db):
    from services.authz import APPLICANT, Actor, UserKind
    applicant = Actor(user_id=99, login_id="T1", display_name="x", kind=UserKind.TEMP,
                      roles=frozenset({APPLICANT}))
    at = page("screens/admin/outbox.py", applicant)
    assert not at.exception
    assert "この操作を行う権限がありません。" in [e.value for e in at.error]  # the service refuses
    assert not at.expander


def test_outbox_is_for_administrators_only(sqlite_db):
    """Desk and reviewers read one applicant's delivery status instead (never mail bodies)."""
    from services.authz import REVIEWER
    _queue(1)
    for staff in (make_staff("desk1", DESK), make_staff("rev1", REVIEWER)):
        at = page("screens/admin/outbox.py", staff)
        assert not at.exception
        assert "この操作を行う権限がありません。" in [e.value for e in at.error]
        assert not at.expander and not at.code


def test_administrators_see_passwords_as_asterisks(sqlite_db):
    from tests.factories import issue
    _, password = issue()
    at = page("screens/admin/outbox.py", make_staff("admin1", ADMIN))
    body = "\n".join(c.value for c in at.code)
    assert "仮パスワード  : ********" in body and password not in body + texts(at)


def test_a_mail_whose_password_was_erased_offers_no_resend(sqlite_db, monkeypatch):
    from sqlalchemy import select

    import config
    from db.models import MailOutbox
    from tests.factories import issue
    issue()
    _queue(1)
    with UnitOfWork() as u:  # the account mail failed for good: its password was erased
        for row in u.session.scalars(select(MailOutbox)):
            row.status = "FAILED"
            if row.has_secret:
                row.secret = None
        u.commit()
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    config.settings.cache_clear()
    at = page("screens/admin/outbox.py", make_staff("admin1", ADMIN))
    assert not at.exception
    assert "パスワードは消去済みで、再送できません" in texts(at)
    assert len([b for b in at.button if b.label == "再送する"]) == 1  # only the mail without a password
