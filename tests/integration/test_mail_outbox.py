from datetime import timedelta

import pytest
from sqlalchemy import select

from db.models import MailOutbox
from services import clock, mail
from services.authz import ADMIN
from services.uow import UnitOfWork
from tests.factories import make_staff


@pytest.fixture(autouse=True)
def by_hand(request, monkeypatch):
    """These tests drive delivery themselves: no background send after the queueing commit."""
    if "background" not in request.node.name:
        monkeypatch.setattr(mail, "deliver_in_background", lambda: None)


def _queue(address="taro@example.jp", name="山田 太郎"):
    with UnitOfWork() as u:
        s = u.session
        mail.enqueue(s, "test", [address], {"name": name})
        u.commit()


def _rows():
    with UnitOfWork() as u:
        s = u.session
        rows = s.scalars(select(MailOutbox).order_by(MailOutbox.id)).all()
        s.expunge_all()  # keep the loaded values readable after the unit of work closes
        return rows


def test_mail_is_delivered_to_a_real_smtp_server(db, smtp):
    _queue()
    assert mail.deliver_pending() == 1
    [msg] = smtp.wait_for("taro@example.jp")
    assert msg["Subject"] == "【NACCS 利用申込ポータル】テストメール"
    assert "山田 太郎 様" in msg.get_content()
    assert "http://localhost:8501" in msg.get_content()  # the configured base URL
    [row] = _rows()
    assert row.status == "SENT" and row.sent_at is not None and row.last_error is None


def test_failing_server_leaves_mail_queued_with_error_then_retry_delivers(db, smtp):
    smtp.fail_next = 1
    _queue()
    assert mail.deliver_pending() == 0
    [row] = _rows()
    assert row.status == "PENDING" and row.attempts == 1 and "451" in row.last_error
    assert mail.deliver_pending() == 0  # not due yet: back-off
    with clock.shifted(timedelta(minutes=2)):
        assert mail.deliver_pending() == 1
    [row] = _rows()
    assert row.status == "SENT" and row.attempts == 2
    assert len(smtp.to("taro@example.jp")) == 1


def test_unreachable_server_is_retried_by_hand(db, monkeypatch):
    from tests.smtp_server import free_port
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", str(free_port()))  # nothing listens there
    import config
    config.settings.cache_clear()
    _queue()
    mail.deliver_pending()
    [row] = _rows()
    assert row.status == "PENDING" and "ConnectionRefused" in row.last_error
    staff = make_staff("admin1", ADMIN)
    total, listed = mail.list_outbox(staff, status="PENDING")
    assert total == 1 and listed[0].last_error == row.last_error


def test_committing_the_queueing_transaction_delivers_in_the_background(db, smtp):
    _queue()
    [msg] = smtp.wait_for("taro@example.jp")
    assert msg["Subject"] == "【NACCS 利用申込ポータル】テストメール"
    import time
    deadline = time.monotonic() + 15
    while _rows()[0].status != "SENT" and time.monotonic() < deadline:
        time.sleep(0.05)  # the background thread records the outcome after the send
    assert _rows()[0].status == "SENT"


def test_mail_rolls_back_with_its_transaction(db):
    try:
        with UnitOfWork() as u:
            s = u.session
            mail.enqueue(s, "test", ["a@example.jp"], {"name": "x"})
            s.flush()
            raise RuntimeError("the change failed")
    except RuntimeError:
        pass
    assert _rows() == []


def test_without_smtp_mail_stays_in_the_outbox(db):
    _queue()
    assert mail.deliver_pending() == 0
    assert _rows()[0].status == "PENDING"


def test_outbox_is_for_staff_only(db):
    from services.authz import APPLICANT, Actor, UserKind
    from services.errors import PermissionDenied
    applicant = Actor(user_id=1, login_id="T1", display_name="x", kind=UserKind.TEMP,
                      roles=frozenset({APPLICANT}))
    with pytest.raises(PermissionDenied):
        mail.list_outbox(applicant)


def test_outbox_search_finds_by_recipient_and_subject(db):
    _queue("hanako@example.jp", "花子")
    _queue("jiro@example.jp", "次郎")
    staff = make_staff("admin1", ADMIN)
    assert mail.list_outbox(staff, search="hanako")[0] == 1
    assert mail.list_outbox(staff, search="テストメール")[0] == 2
