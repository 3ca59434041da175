"""The 48-hour rule for a 仮ログイン ID, through authenticate() and session_actor()."""
from __future__ import annotations

from datetime import timedelta

from services import auth, clock
from tests.factories import issue, raw_application


def test_temp_id_logs_in_with_the_mailed_password(db):
    result, password = issue()
    login = auth.authenticate(result.temp_login_id, password)
    assert login.ok and login.actor.kind == "TEMP" and login.actor.applicant_id == result.applicant_id
    assert login.actor.must_change_password is True  # the mailed 仮パスワード is changed first (SPEC §6)


def test_temp_id_works_until_48_hours_then_gets_the_expiry_message(db):
    result, password = issue()
    with clock.shifted(timedelta(hours=47, minutes=59)):
        assert auth.authenticate(result.temp_login_id, password).ok
    with clock.shifted(timedelta(hours=48)):
        expired = auth.authenticate(result.temp_login_id, password)
        assert expired == auth.LoginResult(False, auth.TEMP_EXPIRED)
        # A wrong password learns nothing about expiry.
        assert auth.authenticate(result.temp_login_id, password + "x").code == auth.INVALID


def test_an_open_session_ends_when_the_temp_id_expires(db):
    result, password = issue()
    logged_in_at = clock.now()
    assert auth.session_actor(result.temp_login_id, logged_in_at) is not None
    with clock.shifted(timedelta(hours=49)):
        assert auth.session_actor(result.temp_login_id, logged_in_at) is None


def test_started_application_keeps_the_temp_id_working_after_48_hours(db):
    result, password = issue()
    raw_application(result.applicant_id)
    with clock.shifted(timedelta(days=10)):
        assert auth.authenticate(result.temp_login_id, password).ok


def test_temp_account_hours_come_from_settings(db, monkeypatch):
    from config import settings
    monkeypatch.setenv("NSS_TEMP_ACCOUNT_HOURS", "2")
    settings.cache_clear()
    result, password = issue()
    with clock.shifted(timedelta(hours=2, seconds=1)):
        assert auth.authenticate(result.temp_login_id, password).code == auth.TEMP_EXPIRED
