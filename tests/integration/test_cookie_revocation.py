"""A re-login cookie signed with the real key is still revocable (issue 8 item 10): its issue time
is checked against the user's last password change / logout / deactivation on every run."""
from __future__ import annotations

from datetime import timedelta

from config import cookie_key, settings
from services import auth, clock, users
from services.authz import ADMIN, REVIEWER
from tests.factories import PASSWORD, make_staff
from ui import auth_adapter

GOOD = "Kiso-Umbrella-Orbit-73"


def _cookie_login(login_id: str, token: str):
    """What ui.auth_ui.resolve_actor does with a cookie on a fresh browser session."""
    cfg = settings()
    issued = auth_adapter.cookie_issued_at(token, cookie_key(), cfg.cookie_hours)
    return None if issued is None else auth.session_actor(login_id, issued)


def _token(login_id: str) -> str:
    return auth_adapter.encode_cookie_token(auth.login_key(login_id), cookie_key(), settings().cookie_hours)


def test_a_cookie_from_before_a_password_change_logs_nobody_in(db):
    with clock.shifted(timedelta(seconds=-10)):
        actor = make_staff("rev1", REVIEWER)
    with clock.shifted(timedelta(seconds=-5)):
        old = _token("rev1")
    assert _cookie_login("rev1", old) is not None
    auth.change_password(actor, PASSWORD, GOOD, GOOD)
    assert _cookie_login("rev1", old) is None
    assert _cookie_login("rev1", _token("rev1")) is not None  # the one written after the change


def test_a_cookie_after_logout_or_of_a_deactivated_user_logs_nobody_in(db):
    with clock.shifted(timedelta(seconds=-10)):
        admin = make_staff("adm1", ADMIN)
        rev = make_staff("rev1", REVIEWER)
    with clock.shifted(timedelta(seconds=-5)):
        token = _token("rev1")
    assert _cookie_login("rev1", token) is not None
    auth.logout(rev)
    assert _cookie_login("rev1", token) is None
    fresh = _token("rev1")
    users.set_active(admin, rev.user_id, False)
    assert _cookie_login("rev1", fresh) is None
    assert auth.user_directory_entry("rev1") is None  # the library's lookup refuses it too


def test_a_far_future_cookie_signed_with_the_real_key_is_refused(db):
    import jwt
    make_staff("rev1", REVIEWER)
    forged = jwt.encode({"username": "rev1", "exp_date": (clock.now() + timedelta(days=3650)).timestamp()},
                        cookie_key(), algorithm=auth_adapter.COOKIE_ALGORITHM)
    assert _cookie_login("rev1", forged) is None
