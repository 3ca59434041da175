"""Migration 0009_mail_secrets takes the passwords out of outbox bodies written before it: a mail
still to be sent keeps its password encrypted (and is sent with it), a sent one loses it."""
import pytest
from sqlalchemy import create_engine, text

from services.mail import _compose_body
from tests.integration.conftest import upgrade as _upgrade
from tests.integration.test_migration_desk_search import NOW

TEMP_BODY = "山田通関株式会社\n\n  仮ログイン ID : T123456789\n  仮パスワード  : Old-Plain-Pass1\n  ログイン専用 URL : x\n"
REISSUE_BODY = "管理責任者 様\n\n  事業所コード     : K7ABCD23\n  再発行パスワード : Sent-Plain-Pass2\n"


@pytest.fixture
def old_outbox(fresh_url):
    _upgrade(fresh_url, "0008_review_open_queue_conn")
    engine = create_engine(fresh_url)
    with engine.begin() as conn:
        for row_id, template, body, status in ((1, "temp_account_issued", TEMP_BODY, "PENDING"),
                                               (2, "password_reissued", REISSUE_BODY, "SENT"),
                                               (3, "test", "仮パスワード : not-a-secret-mail", "SENT")):
            conn.execute(text(
                "INSERT INTO mail_outbox (id, created_at, template, sender, recipients, subject, body, status,"
                " attempts) VALUES (:id, :now, :template, 'f@x.jp', '[\"a@x.jp\"]', 's', :body, :status, 0)"),
                {"id": row_id, "now": NOW, "template": template, "body": body, "status": status})
    engine.dispose()
    _upgrade(fresh_url, "head")
    engine = create_engine(fresh_url)
    with engine.connect() as conn:
        rows = {r.id: r for r in conn.execute(text(
            "SELECT id, body, has_secret, secret FROM mail_outbox ORDER BY id"))}
    engine.dispose()
    return rows


def test_old_bodies_lose_their_passwords(old_outbox):
    pending, sent, other = old_outbox[1], old_outbox[2], old_outbox[3]
    assert "Old-Plain-Pass1" not in pending.body and "仮パスワード  : ********\n" in pending.body
    assert pending.has_secret and "Old-Plain-Pass1" not in pending.secret
    assert _compose_body(pending.body, True, pending.secret) == TEMP_BODY  # still sent as written
    assert "Sent-Plain-Pass2" not in sent.body and sent.has_secret and sent.secret is None
    assert other.body == "仮パスワード : not-a-secret-mail" and not other.has_secret  # other templates untouched
