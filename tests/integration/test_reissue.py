"""Password re-issue (SPEC §2.5, §6): a match mails a single-use, hashed, expiring link to the
管理責任者; the old password works until the link is used; limits per client and per office only."""
from __future__ import annotations

import hashlib
import statistics
import time
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import func, select

from db.models import AuditEvent, MailOutbox, PasswordResetToken
from services import auth, clock, ratelimit, reissue
from services.errors import DomainError, ValidationFailed
from services.fields import corporate_number_check_digit
from services.ratelimit import REISSUE_PER_CLIENT, REISSUE_PER_OFFICE, RateLimited
from services.reissue import (
    LINK_INVALID,
    LINK_LIFETIME,
    admin_manager_email,
    check_link,
    request_reissue,
    reset_password,
)
from services.uow import UnitOfWork
from tests.factories import (
    CORPORATE_NUMBER,
    OFFICE_PASSWORD,
    issue,
    last_mail,
    mail_as_sent,
    raw_office,
    user_by_login,
)

BOSS = "boss@example.co.jp"
NEW_PASSWORD = "Brand-New-Pass-77"
TEMPLATE = "password_reset_link"


def _mails() -> int:
    with UnitOfWork() as u:
        s = u.session
        return s.scalar(select(func.count()).select_from(MailOutbox).where(MailOutbox.template == TEMPLATE))


def _token_from_mail() -> str:
    body = mail_as_sent(TEMPLATE)
    url = next(word for word in body.split() if "reset-password?token=" in word)
    return parse_qs(urlparse(url).query)["token"][0]


@pytest.fixture(autouse=True)
def no_answer_floor(monkeypatch, request):
    """Tests here do not wait for the answer-time floor, except the timing test itself."""
    if "timing" not in request.node.name:
        monkeypatch.setattr(reissue, "MIN_ANSWER_SECONDS", 0.0)


@pytest.fixture
def office(db):
    result, _ = issue()
    return raw_office(result.applicant_id, clock.today_jst(), admin_manager_email=BOSS)


def test_match_mails_a_link_to_the_registered_manager_and_changes_nothing_yet(office):
    request_reissue(office.lower(), "Boss@Example.co.jp", CORPORATE_NUMBER, client="203.0.113.1")
    mail = last_mail(TEMPLATE)
    assert mail.recipients == [BOSS] and office in mail.body and "/reset-password?token=" in mail_as_sent(TEMPLATE)
    assert "token=" not in mail.body  # the stored body keeps ******** in place of the link
    assert auth.authenticate(office, OFFICE_PASSWORD).ok  # the old password keeps working
    token = _token_from_mail()
    assert len(token) >= 43
    with UnitOfWork() as u:
        row = u.session.scalar(select(PasswordResetToken))
        assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()  # stored hashed only
        assert token not in row.token_hash
        assert row.expires_at - row.created_at == LINK_LIFETIME == timedelta(minutes=30)
        assert u.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.reissue_link_sent"))
    assert check_link(token).office_code == office


def test_the_link_sets_the_password_once(office):
    request_reissue(office, BOSS, CORPORATE_NUMBER)
    token = _token_from_mail()
    before = clock.now() - timedelta(seconds=1)
    assert reset_password(token, NEW_PASSWORD, NEW_PASSWORD) == office
    assert not auth.authenticate(office, OFFICE_PASSWORD).ok
    login = auth.authenticate(office, NEW_PASSWORD)
    assert login.ok and not login.actor.must_change_password  # chosen by the manager
    assert auth.session_actor(office, before) is None  # browsers with the old password are logged out
    for call in (lambda: check_link(token), lambda: reset_password(token, "Another-Pass-88", "Another-Pass-88")):
        with pytest.raises(DomainError) as exc:
            call()
        assert exc.value.code == LINK_INVALID
    assert auth.authenticate(office, NEW_PASSWORD).ok
    with UnitOfWork() as u:
        assert u.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.password_reissued"))


def test_the_link_expires_after_thirty_minutes(office):
    request_reissue(office, BOSS, CORPORATE_NUMBER)
    token = _token_from_mail()
    with clock.shifted(timedelta(minutes=29)):
        assert check_link(token).office_code == office
    with clock.shifted(timedelta(minutes=30, seconds=1)), pytest.raises(DomainError) as exc:
        reset_password(token, NEW_PASSWORD, NEW_PASSWORD)
    assert exc.value.code == LINK_INVALID
    assert auth.authenticate(office, OFFICE_PASSWORD).ok


def test_using_one_link_spends_the_others_and_a_password_change_spends_all(office):
    request_reissue(office, BOSS, CORPORATE_NUMBER)
    first = _token_from_mail()
    with clock.shifted(timedelta(seconds=1)):
        request_reissue(office, BOSS, CORPORATE_NUMBER)
        second = _token_from_mail()
        reset_password(second, NEW_PASSWORD, NEW_PASSWORD)
        with pytest.raises(DomainError):
            check_link(first)
        request_reissue(office, BOSS, CORPORATE_NUMBER)
        third = _token_from_mail()
    with clock.shifted(timedelta(seconds=2)):
        actor = auth.authenticate(office, NEW_PASSWORD).actor
        auth.change_password(actor, NEW_PASSWORD, "Changed-In-Menu-9", "Changed-In-Menu-9")
        with pytest.raises(DomainError):
            check_link(third)  # sent before the password changed


def test_unknown_or_forged_tokens_are_refused_alike(office):
    for token in (None, "", "x" * 43, "y" * 5000, "\x00"):
        with pytest.raises(DomainError) as exc:
            check_link(token)
        assert exc.value.code == LINK_INVALID


def test_new_password_is_checked_and_the_link_survives_a_bad_try(office):
    request_reissue(office, BOSS, CORPORATE_NUMBER)
    token = _token_from_mail()
    with pytest.raises(ValidationFailed) as exc:
        reset_password(token, "short", "other")
    assert set(exc.value.errors) == {"new", "new_repeat"}
    with pytest.raises(ValidationFailed) as exc:
        reset_password(token, f"x{office}yz1234", f"x{office}yz1234")
    assert exc.value.errors["new"].code == "password.contains_login_id"
    reset_password(token, NEW_PASSWORD, NEW_PASSWORD)
    assert auth.authenticate(office, NEW_PASSWORD).ok


OTHER_CORPORATE_NUMBER = f"{corporate_number_check_digit('111122223333')}111122223333"


@pytest.mark.parametrize("email, corporate_number", [
    ("someone@example.co.jp", CORPORATE_NUMBER),   # the mail typed is not the registered one
    (BOSS, OTHER_CORPORATE_NUMBER),                 # a valid 法人番号, but not this office's
])
def test_non_matching_data_mails_nobody(office, email, corporate_number):
    assert request_reissue(office, email, corporate_number) is None
    assert _mails() == 0 and auth.authenticate(office, OFFICE_PASSWORD).ok


def test_unknown_office_code_answers_the_same_and_mails_nobody(office):
    assert request_reissue("ZZZZ9999", BOSS, CORPORATE_NUMBER) is None
    assert _mails() == 0


def test_not_before_the_start_date(db):
    result, _ = issue()
    code = raw_office(result.applicant_id, clock.today_jst() + timedelta(days=1), admin_manager_email=BOSS)
    request_reissue(code, BOSS, CORPORATE_NUMBER)
    assert _mails() == 0
    with clock.shifted(timedelta(days=1)):
        request_reissue(code, BOSS, CORPORATE_NUMBER)
    assert _mails() == 1


def test_never_for_a_temp_login_id(db):
    result, password = issue()
    request_reissue(result.temp_login_id, "taro@example.co.jp", CORPORATE_NUMBER)
    assert _mails() == 0 and auth.authenticate(result.temp_login_id, password).ok


def test_per_office_limit_counts_misses_too_and_passes(office):
    for i in range(REISSUE_PER_OFFICE.limit):
        request_reissue(office, "someone@example.co.jp", CORPORATE_NUMBER, client=f"203.0.113.{i}")
    with pytest.raises(RateLimited) as exc:
        request_reissue(office, BOSS, CORPORATE_NUMBER, client="198.51.100.1")  # right data, but limited
    assert exc.value.limit is REISSUE_PER_OFFICE and _mails() == 0
    with clock.shifted(REISSUE_PER_OFFICE.window * 2):
        request_reissue(office, BOSS, CORPORATE_NUMBER, client="198.51.100.1")
    assert _mails() == 1


def test_per_client_limit_holds_across_sessions_and_blocks_only_that_client(office):
    for i in range(REISSUE_PER_CLIENT.limit):
        request_reissue(f"NOPE{i:04d}", BOSS, CORPORATE_NUMBER, client="203.0.113.66")
    with pytest.raises(RateLimited) as exc:
        request_reissue(office, BOSS, CORPORATE_NUMBER, client="203.0.113.66")
    assert exc.value.limit is REISSUE_PER_CLIENT and _mails() == 0
    request_reissue(office, BOSS, CORPORATE_NUMBER, client="198.51.100.2")
    assert _mails() == 1


def test_no_global_lockout(office):
    """The old overall cap: 20 junk requests blocked re-issue for everyone for an hour."""
    for i in range(40):
        request_reissue(f"JUNK{i:04d}", "x@example.jp", CORPORATE_NUMBER, client=f"203.0.113.{i}")
    request_reissue(office, BOSS, CORPORATE_NUMBER, client="198.51.100.3")
    assert _mails() == 1


def test_similar_timing_for_a_match_and_a_miss(office):
    """A match adds three inserts and a commit to a miss; both answer after MIN_ANSWER_SECONDS at the
    earliest. Medians over interleaved runs."""
    hit, miss = [], []
    for i in range(12):
        for sample, code in ((hit, office), (miss, f"NOPE{i:04d}")):
            with clock.shifted(REISSUE_PER_OFFICE.window * 2 * i):  # fresh windows: no limit interferes
                started = time.perf_counter()
                request_reissue(code, BOSS, CORPORATE_NUMBER, client=f"203.0.113.{i}")
                sample.append(time.perf_counter() - started)
    print(f"re-issue median: match {statistics.median(hit) * 1000:.1f} ms, miss {statistics.median(miss) * 1000:.1f} ms")
    assert min(hit + miss) >= reissue.MIN_ANSWER_SECONDS
    assert abs(statistics.median(hit) - statistics.median(miss)) < 0.02


def test_bad_input_is_named_per_field(db):
    with pytest.raises(ValidationFailed) as exc:
        request_reissue("", "not-a-mail", "123")
    assert {k: v.code for k, v in exc.value.errors.items()} == {
        "office_code": "field.required", "email": "field.email", "corporate_number": "field.corporate_number_format"}
    with pytest.raises(ValidationFailed) as exc:
        request_reissue("AB-12", BOSS, CORPORATE_NUMBER)
    assert exc.value.errors["office_code"].code == "reissue.code_format"


def test_admin_manager_email_reads_the_approved_applicant_contact(office):
    applicant_id = user_by_login(office).applicant_id
    with UnitOfWork() as u:
        s = u.session
        assert admin_manager_email(s, applicant_id) == BOSS
        assert admin_manager_email(s, applicant_id + 999) is None


def test_corporate_number_from_the_approved_office_screen_also_matches(db):
    from db.models import Application, ApplicationSection
    result, _ = issue(corporate_number="", sole_proprietor=True)  # none given at the temporary account
    code = raw_office(result.applicant_id, clock.today_jst(), admin_manager_email=BOSS)
    with UnitOfWork() as u:
        s = u.session
        app_id = s.scalar(select(Application.id).where(Application.applicant_id == result.applicant_id))
        s.add(ApplicationSection(application_id=app_id, section_key="office_company",
                                 data={"corporate_number": OTHER_CORPORATE_NUMBER}, status="COMPLETE",
                                 updated_at=clock.now()))
        u.commit()
    request_reissue(code, BOSS, CORPORATE_NUMBER)
    assert _mails() == 0
    request_reissue(code, BOSS, OTHER_CORPORATE_NUMBER)
    assert _mails() == 1


def test_limits_are_the_only_counters_kept(office):
    request_reissue(office, BOSS, CORPORATE_NUMBER, client="203.0.113.1")
    with UnitOfWork() as u:
        s = u.session
        assert ratelimit.used(s, REISSUE_PER_CLIENT, "203.0.113.1") == 1
        assert ratelimit.used(s, REISSUE_PER_OFFICE, office) == 1
