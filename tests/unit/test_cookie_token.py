"""The re-login cookie's token (issue 8 item 10): it carries its issue time, and neither a far-future
expiry nor an old issue time is accepted, even when signed with the real key."""
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from services import clock
from ui import auth_adapter as a

KEY = "unit-test-key-" + "Qm7Zx2Wv9Lp4Nk8Rb3Tc6Yh1Uj5Dg0Sa"
HOURS = 8.0


def _signed(claims: dict, key: str = KEY) -> str:
    return jwt.encode(claims, key, algorithm=a.COOKIE_ALGORITHM)


def test_a_fresh_token_carries_its_issue_time_and_is_accepted():
    token = a.encode_cookie_token("rev1", KEY, HOURS)
    data = a.decode_cookie_token(token, KEY, HOURS)
    assert data is not None and data["username"] == "rev1"
    assert data["exp_date"] == pytest.approx(data["iat"] + HOURS * 3600)
    issued = a.cookie_issued_at(token, KEY, HOURS)
    assert abs(issued - clock.now()) < timedelta(seconds=5)


def test_a_library_style_token_with_a_far_future_expiry_is_refused():
    """Before: issue time was derived from the expiry, so exp_date in 2100 meant 'issued in 2100'."""
    far = datetime(2100, 1, 1, tzinfo=UTC).timestamp()
    assert a.decode_cookie_token(_signed({"username": "rev1", "exp_date": far}), KEY, HOURS) is None
    assert a.cookie_issued_at(_signed({"username": "rev1", "exp_date": far}), KEY, HOURS) is None


def test_an_expiry_beyond_issue_plus_lifetime_is_refused():
    now = clock.now().timestamp()
    token = _signed({"username": "rev1", "iat": now, "exp_date": now + 365 * 86400})
    assert a.decode_cookie_token(token, KEY, HOURS) is None


def test_a_token_older_than_the_lifetime_is_refused_whatever_its_expiry_says():
    token = a.encode_cookie_token("rev1", KEY, HOURS)
    with clock.shifted(timedelta(hours=HOURS, seconds=1)):
        assert a.decode_cookie_token(token, KEY, HOURS) is None
    with clock.shifted(timedelta(hours=HOURS - 0.1)):
        assert a.decode_cookie_token(token, KEY, HOURS) is not None


def test_a_token_issued_in_the_future_is_refused():
    with clock.shifted(timedelta(hours=1)):
        token = a.encode_cookie_token("rev1", KEY, HOURS)
    assert a.decode_cookie_token(token, KEY, HOURS) is None


@pytest.mark.parametrize("claims", [
    {"exp_date": 1e12, "iat": 0},                       # no user
    {"username": "rev1", "iat": "now", "exp_date": 1},  # not numbers
    {"username": "rev1", "iat": True, "exp_date": True},
])
def test_malformed_claims_are_refused(claims):
    assert a.decode_cookie_token(_signed(claims), KEY, HOURS) is None


def test_another_key_or_garbage_is_refused():
    assert a.decode_cookie_token(a.encode_cookie_token("rev1", "other-" + KEY, HOURS), KEY, HOURS) is None
    for junk in ("", None, "not-a-jwt", "a.b.c"):
        assert a.decode_cookie_token(junk, KEY, HOURS) is None
