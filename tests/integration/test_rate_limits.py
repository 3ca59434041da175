"""Abuse limits (issue 8 items 4 and 12) on SQLite and PostgreSQL: counters in the database,
temporary-account issuing per client, recipient, domain and overall, the desk per staff user,
mail text that is never a link, and failed logins throttled before bcrypt runs."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from db.models import Applicant, MailOutbox, RateCounter
from services import auth, clock, passwords, ratelimit
from services.authz import DESK, REVIEWER
from services.ratelimit import (
    LOGIN_FAILURES_PER_CLIENT,
    LOGIN_FAILURES_PER_ID,
    TEMP_ACCOUNT_OVERALL,
    TEMP_ACCOUNT_PER_CLIENT,
    TEMP_ACCOUNT_PER_DOMAIN,
    TEMP_ACCOUNT_PER_RECIPIENT,
    TEMP_ACCOUNT_PER_STAFF,
    Limit,
    RateLimited,
)
from services.temp_accounts import Channel, issue_temp_account
from services.uow import UnitOfWork
from tests.factories import PASSWORD, last_mail, make_staff, valid_form

PROBE = Limit("test_probe", 3, timedelta(minutes=10))


def _count(model) -> int:
    with UnitOfWork() as u:
        return u.session.scalar(select(func.count()).select_from(model))


def _issue(*, client: str = "203.0.113.1", email: str = "taro@example.co.jp", **form):
    return issue_temp_account(None, valid_form(email=email, email_confirm=email, **form), client=client)


def _at_window_start(limit: Limit):
    """clock.shifted to the start of the limit's next fixed window (so a test's hits share one)."""
    seconds = int(limit.window.total_seconds())
    now = clock.now().timestamp()
    return clock.shifted(timedelta(seconds=(seconds - now % seconds) + 1))


# ---------------------------------------------------------------- the counter itself

def test_counts_per_key_in_the_database_across_units_of_work(db):
    with _at_window_start(PROBE):
        for _ in range(3):
            ratelimit.admit([(PROBE, "a")])  # each its own transaction, as separate requests are
        with pytest.raises(RateLimited) as exc:
            ratelimit.admit([(PROBE, "A ")])  # keys are case- and edge-space-insensitive
        assert exc.value.code == "ratelimit.test_probe" and exc.value.params["minutes"] == 10
        ratelimit.admit([(PROBE, "b")])  # another key is not affected
    with UnitOfWork() as u:
        keys = list(u.session.scalars(select(RateCounter.key_hash)))
    assert keys and all(len(k) == 64 and k not in ("a", "b") for k in keys)  # only hashes are kept


def test_the_window_slides(db):
    with _at_window_start(PROBE):
        for _ in range(3):
            ratelimit.admit([(PROBE, "a")])
        with clock.shifted(timedelta(minutes=9)), pytest.raises(RateLimited):
            ratelimit.admit([(PROBE, "a")])  # next fixed window, but the hits are 9 minutes old
        with clock.shifted(timedelta(minutes=15)):
            ratelimit.admit([(PROBE, "a")])  # half of the old window still counts: 1.5 + 1 <= 3
        with clock.shifted(timedelta(minutes=20, seconds=1)):
            for _ in range(2):
                ratelimit.admit([(PROBE, "a")])  # the first window is gone


def test_concurrent_hits_never_exceed_the_limit(db):
    limit = Limit("test_race", 5, timedelta(hours=1))
    refused, barrier = [], threading.Barrier(8)

    def hit():
        barrier.wait()
        try:
            ratelimit.admit([(limit, "same")])
        except RateLimited:
            refused.append(1)

    with _at_window_start(limit):
        threads = [threading.Thread(target=hit) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert len(refused) == 3  # the upsert counts atomically: exactly 5 admitted


def test_old_windows_are_pruned(db):
    with _at_window_start(PROBE):
        ratelimit.admit([(PROBE, "a")])
    with clock.shifted(timedelta(hours=2)):
        ratelimit.admit([(PROBE, "b")])  # a new window row: expired rows of this purpose go
    assert _count(RateCounter) == 1


# ---------------------------------------------------------------- 仮アカウントの発行 (item 4)

def test_per_client_address(db):
    with _at_window_start(TEMP_ACCOUNT_PER_CLIENT):
        for i in range(TEMP_ACCOUNT_PER_CLIENT.limit):
            _issue(email=f"user{i}@a{i}.example.jp")
        with pytest.raises(RateLimited) as exc:
            _issue(email="new@other.example.jp")
        assert exc.value.limit is TEMP_ACCOUNT_PER_CLIENT
        _issue(email="new@other.example.jp", client="198.51.100.7")  # another client still can
    assert _count(Applicant) == TEMP_ACCOUNT_PER_CLIENT.limit + 1
    assert _count(MailOutbox) == TEMP_ACCOUNT_PER_CLIENT.limit + 1  # the refused one mailed nobody


def test_per_recipient_address_whatever_the_client(db):
    for i in range(TEMP_ACCOUNT_PER_RECIPIENT.limit):
        _issue(client=f"203.0.113.{i}", email="victim@example.co.jp")
    with pytest.raises(RateLimited) as exc:
        _issue(client="203.0.113.99", email="Victim@Example.co.jp")
    assert exc.value.limit is TEMP_ACCOUNT_PER_RECIPIENT
    _issue(client="203.0.113.99", email="colleague@example.co.jp")  # the same domain is fine
    with clock.shifted(TEMP_ACCOUNT_PER_RECIPIENT.window * 2):
        _issue(client="203.0.113.100", email="victim@example.co.jp")


def test_per_recipient_domain(db):
    with _at_window_start(TEMP_ACCOUNT_PER_DOMAIN):
        for _ in range(TEMP_ACCOUNT_PER_DOMAIN.limit):
            ratelimit.admit([(TEMP_ACCOUNT_PER_DOMAIN, "target.example")])  # as earlier issues did
        with pytest.raises(RateLimited) as exc:
            _issue(email="someone@TARGET.example")
        assert exc.value.limit is TEMP_ACCOUNT_PER_DOMAIN
        _issue(email="someone@other.example")
    assert _count(Applicant) == 1


def test_overall_cap(db):
    with _at_window_start(TEMP_ACCOUNT_OVERALL):
        for _ in range(TEMP_ACCOUNT_OVERALL.limit):
            ratelimit.admit([(TEMP_ACCOUNT_OVERALL, ratelimit.OVERALL_KEY)])
        with pytest.raises(RateLimited) as exc:
            _issue(email="fresh@fresh.example")
        assert exc.value.limit is TEMP_ACCOUNT_OVERALL
        # The desk on the phone is limited per staff user only: the public flood does not stop it.
        desk = make_staff("desk1", DESK)
        issue_temp_account(desk, valid_form(), via=Channel.PHONE, client="203.0.113.1")
    assert _count(Applicant) == 1


def test_a_refused_client_does_not_spend_the_shared_allowances(db):
    with _at_window_start(TEMP_ACCOUNT_PER_CLIENT):
        for i in range(TEMP_ACCOUNT_PER_CLIENT.limit):
            _issue(email=f"user{i}@flood.example")
        for _ in range(20):
            with pytest.raises(RateLimited):
                _issue(email="victim@flood.example")
        with UnitOfWork() as u:
            s = u.session
            assert ratelimit.used(s, TEMP_ACCOUNT_PER_RECIPIENT, "victim@flood.example") == 0
            assert ratelimit.used(s, TEMP_ACCOUNT_OVERALL, ratelimit.OVERALL_KEY) == TEMP_ACCOUNT_PER_CLIENT.limit


def test_desk_is_limited_per_staff_user_not_per_address(db):
    desk, other = make_staff("desk1", DESK), make_staff("desk2", DESK)
    with _at_window_start(TEMP_ACCOUNT_PER_STAFF):
        for _ in range(TEMP_ACCOUNT_PER_STAFF.limit - 1):
            ratelimit.admit([(TEMP_ACCOUNT_PER_STAFF, str(desk.user_id))])
        # far more than the public per-address limit, all from one address
        issue_temp_account(desk, valid_form(), via=Channel.PHONE, client="203.0.113.1")
        with pytest.raises(RateLimited) as exc:
            issue_temp_account(desk, valid_form(), via=Channel.PHONE, client="203.0.113.1")
        assert exc.value.limit is TEMP_ACCOUNT_PER_STAFF
        issue_temp_account(other, valid_form(), via=Channel.PHONE, client="203.0.113.1")


def test_double_click_is_not_counted_twice(db):
    form = valid_form()
    first = issue_temp_account(None, form, client="203.0.113.1")
    assert issue_temp_account(None, form, client="203.0.113.1") == first
    with UnitOfWork() as u:
        assert ratelimit.used(u.session, TEMP_ACCOUNT_PER_CLIENT, "203.0.113.1") == 1


PHISH_NAME = "【重要】本人確認はこちら http://phish.example/login"


def test_mail_starts_with_the_fixed_wording_and_typed_text_is_no_link(db):
    _issue(contact_name=PHISH_NAME, company_name="悪い会社 www.evil.example")
    mail = last_mail("temp_account_issued")
    lines = [line for line in mail.body.splitlines() if line.strip()]
    assert lines[0] == "NACCS 利用申込ポータルの仮アカウントを発行しました。"
    fixed_end = mail.body.index("NACCS センターからのお知らせやリンクは")
    assert "【重要】" not in mail.body[:fixed_end] and "悪い会社" not in mail.body[:fixed_end]
    assert "http://phish" not in mail.body and "www.evil.example" not in mail.body
    assert "http[:]//phish[.]example/login" in mail.body and "www[.]evil[.]example" in mail.body
    assert "【重要】" not in mail.subject


# ---------------------------------------------------------------- login flood (item 12)

@pytest.fixture
def bcrypt_calls(monkeypatch):
    calls = []
    real = passwords.verify_password

    def counting(password, hashed):
        calls.append(1)
        return real(password, hashed)

    monkeypatch.setattr(auth, "verify_password", counting)
    return calls


def test_junk_logins_from_one_client_are_refused_before_bcrypt(db, bcrypt_calls):
    make_staff("rev1", REVIEWER)
    with _at_window_start(LOGIN_FAILURES_PER_CLIENT):
        for i in range(LOGIN_FAILURES_PER_CLIENT.limit):
            assert auth.authenticate(f"junk{i}", "x" * 12, client="203.0.113.5").code == auth.INVALID
        assert len(bcrypt_calls) == LOGIN_FAILURES_PER_CLIENT.limit
        for i in range(16):  # 16 more junk sessions: refused, no hash computed
            assert auth.authenticate(f"more{i}", "x" * 12, client="203.0.113.5").code == auth.THROTTLED
        assert auth.authenticate("rev1", PASSWORD, client="203.0.113.5").code == auth.THROTTLED
        assert len(bcrypt_calls) == LOGIN_FAILURES_PER_CLIENT.limit
        assert auth.authenticate("rev1", PASSWORD, client="198.51.100.9").ok  # other clients log in
        with clock.shifted(LOGIN_FAILURES_PER_CLIENT.window * 2):  # two windows on: forgotten
            assert auth.authenticate("rev1", PASSWORD, client="203.0.113.5").ok


def test_many_failures_for_one_login_id_are_refused_before_bcrypt_from_any_client(db, bcrypt_calls):
    make_staff("rev1", REVIEWER)
    with _at_window_start(LOGIN_FAILURES_PER_ID):
        for i in range(LOGIN_FAILURES_PER_ID.limit):
            auth.authenticate("rev1", "wrong-password", client=f"203.0.113.{i}")
        calls = len(bcrypt_calls)
        assert auth.authenticate("REV1", PASSWORD, client="198.51.100.1").code == auth.THROTTLED
        assert len(bcrypt_calls) == calls
        assert auth.authenticate("nobody", "x" * 12, client="198.51.100.1").code == auth.INVALID


def test_successful_logins_do_not_count(db):
    make_staff("rev1", REVIEWER)
    for _ in range(LOGIN_FAILURES_PER_CLIENT.limit + 5):  # a busy office behind one address
        assert auth.authenticate("rev1", PASSWORD, client="203.0.113.5").ok
