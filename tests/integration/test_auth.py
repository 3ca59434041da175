from datetime import timedelta

import pytest

from services import auth, clock
from services.authz import ADMIN, REVIEWER
from services.errors import ValidationFailed
from tests.factories import PASSWORD, make_staff


def test_good_password_logs_in_and_wrong_one_does_not(db):
    make_staff("rev1", REVIEWER)
    ok = auth.authenticate("rev1", PASSWORD)
    assert ok.ok and ok.actor.login_id == "rev1" and ok.actor.roles == {REVIEWER}
    bad = auth.authenticate("rev1", PASSWORD + "x")
    assert not bad.ok and bad.code == auth.INVALID


def test_login_id_is_case_insensitive(db):
    make_staff("Rev1", REVIEWER)
    assert auth.authenticate("rEV1", PASSWORD).ok


def test_unknown_wrong_and_locked_get_the_same_answer(db):
    make_staff("rev1", REVIEWER)
    unknown = auth.authenticate("nobody", PASSWORD)
    wrong = auth.authenticate("rev1", "wrong-password")
    for _ in range(5):
        auth.authenticate("rev1", "wrong-password")
    locked = auth.authenticate("rev1", PASSWORD)  # right password, but locked
    assert unknown == wrong == locked == auth.LoginResult(False, auth.INVALID)


def test_five_failures_lock_for_fifteen_minutes_then_expire(db):
    make_staff("rev1", REVIEWER)
    for _ in range(4):
        assert not auth.authenticate("rev1", "wrong-password").ok
    assert auth.authenticate("rev1", PASSWORD).ok  # four failures do not lock; success resets
    for _ in range(5):
        auth.authenticate("rev1", "wrong-password")
    assert not auth.authenticate("rev1", PASSWORD).ok
    with clock.shifted(timedelta(minutes=14)):
        assert not auth.authenticate("rev1", PASSWORD).ok
    with clock.shifted(timedelta(minutes=15, seconds=1)):
        assert auth.authenticate("rev1", PASSWORD).ok


def test_failures_spread_over_more_than_the_window_do_not_lock(db):
    make_staff("rev1", REVIEWER)
    for minutes in (0, 4, 8, 12, 16):
        with clock.shifted(timedelta(minutes=minutes)):
            auth.authenticate("rev1", "wrong-password")
    with clock.shifted(timedelta(minutes=16, seconds=5)):
        assert auth.authenticate("rev1", PASSWORD).ok


def test_inactive_user_cannot_log_in(db):
    from db.models import User
    from services.uow import UnitOfWork
    actor = make_staff("rev1", REVIEWER)
    with UnitOfWork() as u:
        s = u.session
        s.get(User, actor.user_id).is_active = False
        u.commit()
    assert auth.authenticate("rev1", PASSWORD) == auth.LoginResult(False, auth.INVALID)


@pytest.mark.parametrize("password, code", [
    ("short1!", "password.length"),
    ("x" * 65, "password.length"),
    ("パスワードパスワード12", "password.ascii_only"),
    ("ｐａｓｓｗｏｒｄ１２３４", "password.ascii_only"),
    (" leading-space-pw", "password.edge_space"),
    ("my-rev1-password", "password.contains_login_id"),
])
def test_password_policy(db, password, code):
    actor = make_staff("rev1", REVIEWER)
    with pytest.raises(ValidationFailed) as exc:
        auth.change_password(actor, PASSWORD, password, password)
    assert exc.value.errors["new"].code == code


def test_password_change_checks_current_and_repeat(db):
    actor = make_staff("rev1", REVIEWER)
    with pytest.raises(ValidationFailed) as exc:
        auth.change_password(actor, "not-the-password", "A-New-Password-9", "A-New-Password-8")
    assert set(exc.value.errors) == {"current", "new_repeat"}
    assert auth.authenticate("rev1", PASSWORD).ok  # nothing changed


def test_sixty_four_characters_are_kept_whole(db):
    actor = make_staff("rev1", REVIEWER)
    long_pw = "Tq8#Vn2!Lr5@Hw9$Kp3%Zd6^Bm1&Xc4*Fs7(Jg0)Ny-Ue+Ai=Ob?Rt<Ws>Ql;Ek:"
    assert len(long_pw) == 64
    auth.change_password(actor, PASSWORD, long_pw, long_pw)
    assert auth.authenticate("rev1", long_pw).ok
    assert not auth.authenticate("rev1", long_pw[:-1]).ok


def test_issued_password_must_be_changed_then_flag_clears(db):
    make_staff("adm1", ADMIN, must_change=True)
    result = auth.authenticate("adm1", PASSWORD)
    assert result.ok and result.actor.must_change_password
    changed = auth.change_password(result.actor, PASSWORD, "Brand-New-Pass-7", "Brand-New-Pass-7")
    assert not changed.must_change_password
    assert auth.authenticate("adm1", "Brand-New-Pass-7").actor.must_change_password is False


def test_logout_revokes_sessions_and_cookies_issued_before_it(db):
    make_staff("rev1", REVIEWER)
    actor = auth.authenticate("rev1", PASSWORD).actor
    issued = clock.now()
    assert auth.session_actor("rev1", issued) == actor
    with clock.shifted(timedelta(seconds=1)):
        auth.logout(actor)
    assert auth.session_actor("rev1", issued) is None
    with clock.shifted(timedelta(seconds=2)):
        assert auth.session_actor("rev1", clock.now()) is not None  # a new login works


def test_password_change_revokes_earlier_cookies(db):
    actor = make_staff("rev1", REVIEWER)
    before = clock.now()
    with clock.shifted(timedelta(seconds=1)):
        auth.change_password(actor, PASSWORD, "Another-Pass-55", "Another-Pass-55")
        assert auth.session_actor("rev1", before) is None
        assert auth.session_actor("rev1", clock.now()) is not None


def test_deactivated_user_session_ends(db):
    from db.models import User
    from services.uow import UnitOfWork
    actor = make_staff("rev1", REVIEWER)
    now = clock.now()
    with UnitOfWork() as u:
        s = u.session
        s.get(User, actor.user_id).is_active = False
        u.commit()
    assert auth.session_actor("rev1", now) is None


def test_audit_never_stores_passwords(db):
    from sqlalchemy import select

    from db.models import AuditEvent
    from services.uow import UnitOfWork
    actor = make_staff("rev1", REVIEWER)
    auth.change_password(actor, PASSWORD, "Another-Pass-55", "Another-Pass-55")
    with UnitOfWork() as u:
        s = u.session
        events = s.scalars(select(AuditEvent)).all()
        dump = repr([(e.action, e.before, e.after) for e in events])
    assert "auth.password_changed" in dump
    assert "Another-Pass-55" not in dump and PASSWORD not in dump


@pytest.mark.parametrize("password", [PASSWORD, "wrong-password"])
def test_no_database_connection_is_held_while_bcrypt_runs(db, monkeypatch, password):
    """bcrypt takes ~0.25 s on purpose: a login holding a connection meanwhile starved every other
    page run of the pool when many people logged in at once."""
    from sqlalchemy import event

    from db.engine import get_engine
    make_staff("rev1", REVIEWER)
    engine, out = get_engine(db), {"n": 0}
    on_checkout = lambda *_: out.__setitem__("n", out["n"] + 1)  # noqa: E731
    on_checkin = lambda *_: out.__setitem__("n", out["n"] - 1)  # noqa: E731
    event.listen(engine, "checkout", on_checkout)
    event.listen(engine, "checkin", on_checkin)
    held_during_bcrypt: list[int] = []
    real_verify = auth.verify_password

    def verify(*args):
        held_during_bcrypt.append(out["n"])
        return real_verify(*args)
    monkeypatch.setattr(auth, "verify_password", verify)
    try:
        result = auth.authenticate("rev1", password)
    finally:
        event.remove(engine, "checkout", on_checkout)
        event.remove(engine, "checkin", on_checkin)
    assert result.ok == (password == PASSWORD)
    assert held_during_bcrypt == [0]
