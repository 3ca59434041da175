"""The periodic sender (issue 8, item 9): a mail whose send failed goes out once SMTP is back and its
back-off is over, without another mail being queued; several servers send each mail exactly once.
With a real SMTP server (aiosmtpd) that is down, then up; SQLite and PostgreSQL."""
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

import config
from db.models import MailOutbox
from services import clock, mail
from services.uow import UnitOfWork
from tests.smtp_server import SmtpServer, free_port


@pytest.fixture(autouse=True)
def only_the_periodic_sender(monkeypatch):
    """Nothing but the sender under test delivers: no background send after the queueing commit."""
    monkeypatch.setattr(mail, "deliver_in_background", lambda: None)
    yield
    mail.stop_periodic_sender()


@pytest.fixture
def senders():
    started: list[mail.PeriodicSender] = []

    def start(n: int = 1, interval: float = 0.05) -> list[mail.PeriodicSender]:
        new = [mail.PeriodicSender(interval, name=f"test-sender-{i}").start() for i in range(n)]
        started.extend(new)
        return new

    yield start
    for sender in started:
        sender.stop()


def _queue(*addresses: str) -> None:
    with UnitOfWork() as u:
        for address in addresses:
            mail.enqueue(u.session, "test", [address], {"name": address})
        u.commit()


def _rows() -> list[MailOutbox]:
    with UnitOfWork() as u:
        rows = u.session.scalars(select(MailOutbox).order_by(MailOutbox.id)).all()
        u.session.expunge_all()
        return rows


def _wait(condition, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.02)


def _rounds_pass(sender: mail.PeriodicSender, n: int = 3) -> None:
    target = sender.rounds + n
    _wait(lambda: sender.rounds >= target)


def test_smtp_down_keeps_the_mail_pending_with_back_off_then_up_delivers_it_unprompted(db, monkeypatch, senders):
    port = free_port()  # nothing listens there yet
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", str(port))
    config.settings.cache_clear()
    _queue("taro@example.jp")
    [sender] = senders()
    _wait(lambda: _rows()[0].attempts == 1)
    _rounds_pass(sender)
    [row] = _rows()
    assert row.status == "PENDING" and "ConnectionRefused" in row.last_error and row.attempts == 1
    assert row.next_attempt_at - clock.now() > timedelta(seconds=50)  # the first back-off: 1 minute
    assert row.claim_token is None and row.claimed_until is None

    with SmtpServer(port) as server:
        _rounds_pass(sender)  # SMTP is up, but the back-off is not over: nothing is sent
        assert server.inbox.messages == [] and _rows()[0].attempts == 1
        with clock.shifted(timedelta(minutes=2)):
            [msg] = server.inbox.wait_for("taro@example.jp")
            _wait(lambda: _rows()[0].status == "SENT")
    assert msg["Subject"] == "【NACCS 利用申込ポータル】テストメール"
    [row] = _rows()
    assert row.attempts == 2 and row.last_error is None and row.sent_at is not None
    with UnitOfWork() as u:
        assert u.session.scalar(select(func.count()).select_from(MailOutbox)) == 1  # no new mail queued


def test_two_servers_send_each_mail_exactly_once(db, smtp, senders):
    addresses = [f"user{i}@example.jp" for i in range(40)]
    _queue(*addresses)
    senders(2, interval=0.01)
    _wait(lambda: all(r.status == "SENT" for r in _rows()), timeout=60)
    received = Counter(m["To"] for m in smtp.messages)
    assert received == Counter(addresses)  # every mail once, none twice
    assert all(r.attempts == 1 for r in _rows())


def test_racing_claims_never_share_a_row(db, smtp):
    """Four servers claim at the same instant: each due row goes to exactly one of them."""
    _queue(*[f"user{i}@example.jp" for i in range(30)])
    barrier = threading.Barrier(4)
    claimed: list[list[int]] = []

    def claim() -> None:
        barrier.wait()
        claimed.append(mail._claim_due(50)[1])

    threads = [threading.Thread(target=claim) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    every = [row_id for ids in claimed for row_id in ids]
    assert len(claimed) == 4 and sorted(every) == sorted(set(every)) and len(every) == 30


def test_a_dead_servers_lease_runs_out_and_its_late_outcome_is_ignored(db, smtp):
    _queue("taro@example.jp")
    dead_token, [row_id] = mail._claim_due(50)  # that server died before sending
    assert mail.deliver_pending() == 0          # leased: nobody else sends it meanwhile
    with clock.shifted(mail.LEASE + timedelta(minutes=1)):
        assert mail.deliver_pending() == 1
    assert not mail._record(row_id, dead_token, {"status": mail.MailStatus.PENDING})  # too late
    [row] = _rows()
    assert row.status == "SENT" and row.attempts == 2
    assert len(smtp.to("taro@example.jp")) == 1


def test_one_periodic_sender_per_process_started_by_bootstrap(db, smtp, monkeypatch):
    from services.bootstrap import bootstrap
    monkeypatch.setenv("NSS_MAIL_INTERVAL_SECONDS", "0.1")
    config.settings.cache_clear()
    bootstrap()
    first = mail.start_periodic_sender()
    bootstrap()  # a second start-up in the same process (Streamlit reruns call it again)
    assert first is not None and mail.start_periodic_sender() is first and first.interval == 0.1
    assert [t.name for t in threading.enumerate()].count("nss-mail-periodic") == 1
    _queue("taro@example.jp")  # deliver_in_background is off here: only the periodic sender sends
    smtp.wait_for("taro@example.jp")


def test_without_smtp_no_sender_runs(db):
    assert mail.start_periodic_sender() is None
