from datetime import timedelta

import pytest

from services import auth, users
from services.authz import ADMIN, DESK, REVIEWER
from services.errors import DomainError, PermissionDenied, ValidationFailed
from tests.factories import PASSWORD, make_staff


def test_admin_creates_staff_with_several_roles_and_forced_change(db):
    admin = make_staff("adm1", ADMIN)
    password = users.create_staff(admin, "desk01", "窓口 一郎", "desk01@example.jp", {DESK, REVIEWER})
    result = auth.authenticate("desk01", password)
    assert result.ok and result.actor.roles == {DESK, REVIEWER} and result.actor.must_change_password


def test_bad_staff_input_is_reported_per_field(db):
    admin = make_staff("adm1", ADMIN)
    with pytest.raises(ValidationFailed) as exc:
        users.create_staff(admin, "T12345", "", "not-a-mail", set())
    assert set(exc.value.errors) == {"login_id", "display_name", "email", "roles"}
    with pytest.raises(ValidationFailed) as exc:
        users.create_staff(admin, "adm1", "x", "x@example.jp", {DESK})
    assert exc.value.errors["login_id"].code == "users.login_id_taken"


def test_only_admins_manage_staff(db):
    desk = make_staff("desk1", DESK)
    with pytest.raises(PermissionDenied):
        users.create_staff(desk, "other1", "x", "x@example.jp", {DESK})
    with pytest.raises(PermissionDenied):
        users.list_staff(desk)


def test_admin_cannot_lock_themselves_out(db):
    admin = make_staff("adm1", ADMIN)
    with pytest.raises(DomainError):
        users.set_roles(admin, admin.user_id, {DESK})
    with pytest.raises(DomainError):
        users.set_active(admin, admin.user_id, False)


def test_deactivation_and_reissue(db):
    from services import clock
    admin = make_staff("adm1", ADMIN)
    desk = make_staff("desk1", DESK)
    before = clock.now()
    users.set_active(admin, desk.user_id, False)
    assert auth.session_actor("desk1", before) is None
    users.set_active(admin, desk.user_id, True)
    new_password = users.reset_password(admin, desk.user_id)
    assert auth.authenticate("desk1", new_password).actor.must_change_password


def _staff_changes_own_password(login_id: str) -> None:
    actor = auth.authenticate(login_id, PASSWORD).actor
    auth.change_password(actor, PASSWORD, "Another-Pass-55", "Another-Pass-55")


def _admin_resets_password(login_id: str) -> None:
    admin = make_staff("adm1", ADMIN)
    users.reset_password(admin, auth.authenticate(login_id, PASSWORD).actor.user_id)


@pytest.mark.parametrize("new_password", [_staff_changes_own_password, _admin_resets_password])
def test_every_new_staff_password_is_dated_and_ends_open_sessions(db, new_password):
    from services import clock
    from tests.factories import user_by_login
    make_staff("rev1", REVIEWER)
    logged_in_at = clock.now()
    with clock.shifted(timedelta(hours=1)):
        changed_at = clock.now()
        new_password("rev1")
        user = user_by_login("rev1")
        assert user.password_changed_at >= changed_at
        assert user.sessions_valid_after >= changed_at
        assert auth.session_actor("rev1", logged_in_at) is None  # the browser of before must log in again


def test_a_reissued_office_password_is_dated_and_ends_open_sessions(db):
    """Re-issue is a mailed link now (services.reissue): asking changes nothing, using it does."""
    from urllib.parse import parse_qs, urlparse

    from services import clock
    from services.reissue import request_reissue, reset_password
    from tests.factories import CORPORATE_NUMBER, issue, mail_as_sent, raw_office, user_by_login
    result, _ = issue()
    office = raw_office(result.applicant_id, clock.today_jst(), admin_manager_email="boss@example.co.jp")
    logged_in_at = clock.now()
    with clock.shifted(timedelta(hours=1)):
        changed_at = clock.now()
        request_reissue(office, "boss@example.co.jp", CORPORATE_NUMBER)
        assert auth.session_actor(office, logged_in_at) is not None  # nothing changed by asking
        url = next(w for w in mail_as_sent("password_reset_link").split() if "token=" in w)
        reset_password(parse_qs(urlparse(url).query)["token"][0], "Linked-Pass-2026", "Linked-Pass-2026")
        user = user_by_login(office)
        assert user.must_change_password is False  # the manager chose it
        assert user.password_changed_at >= changed_at
        assert user.sessions_valid_after >= changed_at
        assert auth.session_actor(office, logged_in_at) is None
