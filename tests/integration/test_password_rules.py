"""Issue 8 item 11: password strength, the forced change of temporary and issued passwords (services
refuse such a session, not only the menu), and the 72-byte limit checked before any database work."""
from __future__ import annotations

import pytest
from sqlalchemy import event

from db.engine import get_engine
from db.models import User
from services import auth, guidance, users
from services.application.start import start_application
from services.authz import ADMIN, PASSWORD_CHANGE_REQUIRED
from services.errors import PermissionDenied, ValidationFailed
from services.uow import UnitOfWork
from tests.factories import PASSWORD, issue, make_staff

WEAK = ["aaaaaaaaaa", "1234567890", "password12", "qwertyuiop"]
GOOD = "Kiso-Umbrella-Orbit-73"


@pytest.mark.parametrize("weak", WEAK)
def test_change_password_refuses_easy_to_guess_passwords(db, weak):
    actor = make_staff("rev1", ADMIN)
    with pytest.raises(ValidationFailed) as refused:
        auth.change_password(actor, PASSWORD, weak, weak)
    assert refused.value.errors["new"].code == "password.weak"
    assert auth.authenticate("rev1", PASSWORD).ok  # nothing changed


def test_a_strong_password_is_accepted(db):
    actor = make_staff("rev1", ADMIN)
    auth.change_password(actor, PASSWORD, GOOD, GOOD)
    assert auth.authenticate("rev1", GOOD).ok


def test_set_password_itself_refuses_a_weak_password(db):
    """The re-issue and reset flows call set_password; it applies the same rules."""
    make_staff("rev1", ADMIN)
    with UnitOfWork() as u:
        user = u.session.query(User).filter_by(login_id="rev1").one()
        with pytest.raises(ValidationFailed) as refused:
            auth.set_password(user, "qwertyuiop", must_change=True, field="password")
        assert refused.value.errors["password"].code == "password.weak"
        auth.set_password(user, GOOD, must_change=True)
        u.commit()
    assert auth.authenticate("rev1", GOOD).ok


def _count_statements():
    seen: list[str] = []
    engine = get_engine()

    def listener(conn, cursor, statement, *args):
        seen.append(statement)
    event.listen(engine, "before_cursor_execute", listener)
    return seen, lambda: event.remove(engine, "before_cursor_execute", listener)


def test_passwords_over_72_bytes_are_refused_before_any_database_work(db):
    actor = make_staff("rev1", ADMIN)
    long_ascii, long_utf8 = "A" * 73, "パ" * 25  # 73 bytes; 25 characters, 75 bytes
    seen, stop = _count_statements()
    try:
        assert auth.authenticate("rev1", long_ascii) == auth.LoginResult(False, auth.INVALID)
        assert auth.authenticate("nobody", long_utf8) == auth.LoginResult(False, auth.INVALID)
        with pytest.raises(ValidationFailed) as refused:
            auth.change_password(actor, PASSWORD, long_utf8, long_utf8)
        assert refused.value.errors["new"].code == "password.length"
    finally:
        stop()
    assert seen == []


def test_temporary_password_must_be_changed_and_services_refuse_until_then(db):
    result, password = issue()
    login = auth.authenticate(result.temp_login_id, password)
    assert login.ok and login.actor.must_change_password
    for call in (lambda: start_application(login.actor, result.applicant_id, False),
                 lambda: guidance.guidance(login.actor, result.applicant_id)):
        with pytest.raises(PermissionDenied) as refused:
            call()
        assert refused.value.code == PASSWORD_CHANGE_REQUIRED
    changed = auth.change_password(login.actor, password, GOOD, GOOD)
    assert not changed.must_change_password
    assert guidance.guidance(changed, result.applicant_id) is not None
    assert auth.authenticate(result.temp_login_id, GOOD).actor.must_change_password is False


def test_issued_staff_password_session_is_refused_by_staff_services(db):
    make_staff("adm1", ADMIN, must_change=True)
    actor = auth.authenticate("adm1", PASSWORD).actor
    with pytest.raises(PermissionDenied) as refused:
        users.list_staff(actor)
    assert refused.value.code == PASSWORD_CHANGE_REQUIRED
    # The session re-read from the database carries the flag too (a cookie does not clear it).
    assert auth.session_actor("adm1", auth.clock.now()).must_change_password
    changed = auth.change_password(actor, PASSWORD, GOOD, GOOD)
    assert [r.login_id for r in users.list_staff(changed)] == ["adm1"]
