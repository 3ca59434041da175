"""Staff administration (issue 11 item 7): search, role and lock filters, paging, last login and
lock status, unlock, disabling that ends sessions, a one-time re-issued password, and the last
active administrator kept."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from db.models import AuditEvent
from services import auth, clock, users
from services.audit import AuditAction
from services.auth import create_user
from services.authz import ADMIN, DESK, REVIEWER
from services.errors import DomainError, PermissionDenied
from services.passwords import hash_password
from services.uow import UnitOfWork
from tests.factories import PASSWORD, make_staff


def _many_staff(n: int, role: str = DESK) -> None:
    """n staff accounts sharing one precomputed hash (bcrypt costs ~0.2 s each)."""
    hashed = hash_password(PASSWORD)
    with UnitOfWork() as u:
        for i in range(n):
            create_user(u.session, login_id=f"st{i:03d}", display_name=f"職員 {i:03d}", password_hash=hashed,
                        roles={role}, email=f"st{i:03d}@example.jp")
        u.commit()


def _actions(target_id: int) -> list[str]:
    with UnitOfWork() as u:
        return list(u.session.scalars(select(AuditEvent.action).where(AuditEvent.target_id == target_id,
                                                                      AuditEvent.target_type == "user")))


def test_search_by_id_name_or_mail_normalised_and_role_filter_and_paging(db):
    admin = make_staff("adm1", ADMIN)
    _many_staff(60)
    make_staff("rev1", REVIEWER)
    total, rows = users.search_staff(admin, page_size=25)
    assert total == 62 and len(rows) == 25 and rows[0].login_id == "adm1"
    total, rows = users.search_staff(admin, page=2, page_size=25)
    assert [r.login_id for r in rows][-1] == "st059" and len(rows) == 12
    # full-width letters and digits typed: NFKC-folded, case ignored
    assert [r.login_id for r in users.search_staff(admin, search="ＳＴ０４２")[1]] == ["st042"]
    assert [r.login_id for r in users.search_staff(admin, search=" 職員　042 ")[1]] == ["st042"]
    assert [r.login_id for r in users.search_staff(admin, search="ST041@EXAMPLE")[1]] == ["st041"]
    assert users.search_staff(admin, search="%")[0] == 0  # a LIKE wildcard typed is a plain character
    assert [r.login_id for r in users.search_staff(admin, role=REVIEWER)[1]] == ["rev1"]
    assert users.search_staff(admin, role=DESK)[0] == 60
    with pytest.raises(PermissionDenied):
        users.search_staff(make_staff("desk1", DESK))


def test_last_login_lock_status_filter_and_unlock(db):
    admin = make_staff("adm1", ADMIN)
    make_staff("desk1", DESK)
    make_staff("desk2", DESK)
    assert auth.authenticate("desk1", PASSWORD).ok
    for _ in range(auth.LOCK_THRESHOLD):
        assert not auth.authenticate("desk2", "Wrong-Password-9").ok
    rows = {r.login_id: r for r in users.list_staff(admin)}
    assert rows["desk1"].last_login_at is not None and not rows["desk1"].locked
    assert rows["desk2"].last_login_at is None and rows["desk2"].locked
    total, locked = users.search_staff(admin, locked_only=True)
    assert total == 1 and [r.login_id for r in locked] == ["desk2"]
    assert not auth.authenticate("desk2", PASSWORD).ok  # locked: even the right password fails
    users.unlock(admin, rows["desk2"].user_id)
    assert users.search_staff(admin, locked_only=True)[0] == 0
    assert auth.authenticate("desk2", PASSWORD).ok
    assert AuditAction.USER_UNLOCKED.value in _actions(rows["desk2"].user_id)


def test_disabling_ends_open_sessions_at_once(db):
    admin = make_staff("adm1", ADMIN)
    desk = make_staff("desk1", DESK)
    assert auth.authenticate("desk1", PASSWORD).ok
    logged_in_at = clock.now()
    assert auth.session_actor("desk1", logged_in_at) is not None
    users.set_active(admin, desk.user_id, False)
    assert auth.session_actor("desk1", logged_in_at) is None      # the open session ends on its next run
    assert not auth.authenticate("desk1", PASSWORD).ok             # and no new login
    users.set_active(admin, desk.user_id, True)
    assert auth.session_actor("desk1", logged_in_at) is None       # re-enabling brings no old session back
    assert _actions(desk.user_id)[-2:] == [AuditAction.USER_DEACTIVATED.value, AuditAction.USER_ACTIVATED.value]


def test_reissued_password_works_once_must_be_changed_and_is_not_stored_readable(db):
    admin = make_staff("adm1", ADMIN)
    desk = make_staff("desk1", DESK)
    issued = users.reset_password(admin, desk.user_id)
    assert not auth.authenticate("desk1", PASSWORD).ok             # the old password is gone
    result = auth.authenticate("desk1", issued)
    assert result.ok and result.actor.must_change_password
    with UnitOfWork() as u:
        events = [str(e.before) + str(e.after) for e in
                  u.session.scalars(select(AuditEvent).where(AuditEvent.target_id == desk.user_id))]
        stored = u.session.get(auth.User, desk.user_id).password_hash
    assert issued not in stored and not any(issued in e for e in events)
    auth.change_password(result.actor, issued, "Fresh-Staff-Pass-77", "Fresh-Staff-Pass-77")
    assert not auth.authenticate("desk1", issued).ok               # one-time: gone after the change
    assert not auth.authenticate("desk1", "Fresh-Staff-Pass-77").actor.must_change_password


def test_the_last_active_administrator_cannot_be_removed(db):
    admin = make_staff("adm1", ADMIN)
    other = make_staff("adm2", ADMIN)
    users.set_active(admin, other.user_id, False)     # adm1 is still there
    with pytest.raises(DomainError) as exc:
        users.set_active(other, admin.user_id, False)  # (a stale actor) would leave no active admin
    assert exc.value.code == "users.last_admin"
    users.set_active(admin, other.user_id, True)
    users.set_roles(admin, other.user_id, {DESK})
    with pytest.raises(DomainError) as exc:
        users.set_roles(other, admin.user_id, {DESK})
    assert exc.value.code == "users.last_admin"
    users.set_roles(admin, other.user_id, {ADMIN, DESK})  # two again: either may step down
    users.set_roles(admin, other.user_id, {DESK})
    kept = {r.login_id: r for r in users.list_staff(admin)}["adm1"]
    assert kept.is_active and ADMIN in kept.roles


def test_two_administrators_removing_each_other_at_once_leave_one(db, monkeypatch):
    """adm1 disables adm2 and pauses before committing; adm2 meanwhile disables adm1. adm2's check
    must wait for adm1's change and then refuse: one active administrator stays."""
    import threading

    from services import audit
    first, second = make_staff("adm1", ADMIN), make_staff("adm2", ADMIN)
    first_checked, second_passed, release = threading.Event(), threading.Event(), threading.Event()
    original = audit.record

    def paused(session, actor, action, **kwargs):
        if actor.login_id == "adm1":
            first_checked.set()
            release.wait(30)
        else:
            second_passed.set()
        return original(session, actor, action, **kwargs)
    monkeypatch.setattr(users.audit, "record", paused)
    outcomes: dict[str, object] = {}

    def run(actor, target):
        try:
            users.set_active(actor, target.user_id, False)
            outcomes[actor.login_id] = "done"
        except Exception as exc:
            outcomes[actor.login_id] = exc
    a = threading.Thread(target=run, args=(first, second))
    a.start()
    assert first_checked.wait(30)
    b = threading.Thread(target=run, args=(second, first))
    b.start()
    # adm2 must not get past the check while adm1's change is open (it waits for the lock).
    got_past = second_passed.wait(3)
    release.set()
    a.join(30)
    b.join(30)
    assert not got_past
    assert outcomes["adm1"] == "done"
    assert isinstance(outcomes["adm2"], DomainError) and outcomes["adm2"].code == "users.last_admin"
    active = [r.login_id for r in users.list_staff(first) if r.is_active]
    assert active == ["adm1"]
