import pytest

from services import auth, users
from services.authz import ADMIN, DESK, REVIEWER
from services.errors import DomainError, PermissionDenied, ValidationFailed
from tests.factories import make_staff


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
