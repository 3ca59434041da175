"""services.uow.UnitOfWork: rolled back unless committed, nesting, stale rows, after-commit hooks."""
import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm.exc import StaleDataError

from db.models import AuditEvent, User, UserRole
from services import audit
from services.audit import AuditAction
from services.auth import create_user
from services.errors import StaleData
from services.uow import UnitOfWork, after_commit, retry_stale_once


def _count(model):
    with UnitOfWork() as u:
        return u.session.scalar(select(func.count()).select_from(model))


def _add_user(u: UnitOfWork, login_id: str = "x1") -> User:
    user = create_user(u.session, login_id=login_id, display_name="x", password="Password-123", roles={"admin"})
    u.flush()
    return user


def test_exception_mid_transaction_leaves_nothing(db):
    with pytest.raises(RuntimeError), UnitOfWork() as u:
        user = _add_user(u)
        audit.record(u.session, None, AuditAction.USER_CREATED, target_type="user", target_id=user.id)
        u.flush()
        raise RuntimeError("crash between the two writes and the commit")
    assert _count(User) == 0 and _count(AuditEvent) == 0


def test_uncommitted_work_is_discarded(db):
    with UnitOfWork() as u:
        _add_user(u)
    assert _count(User) == 0


def test_committed_work_stays(db):
    with UnitOfWork() as u:
        _add_user(u)
        u.commit()
    assert _count(User) == 1


def test_session_exists_only_inside_the_with_block(db):
    u = UnitOfWork()
    with pytest.raises(RuntimeError):
        _ = u.session
    with u:
        assert u.session is not None and not u.nested
    with pytest.raises(RuntimeError):
        _ = u.session


def test_nested_commit_only_flushes_and_the_owner_decides(db):
    with UnitOfWork() as u:
        with u as inner:  # a use case called with uow=u
            assert inner is u and u.nested
            _add_user(u)
            u.commit()  # only a flush: the row has its id, nothing is durable yet
        assert not u.nested
        assert u.session.scalar(select(func.count()).select_from(User)) == 1
    assert _count(User) == 0  # the owner never committed

    with UnitOfWork() as u:
        with u:
            _add_user(u, "x2")
            u.commit()
        u.commit()  # the owner commits: now it stays
    assert _count(User) == 1


def test_nested_use_cases_share_one_session(db):
    with UnitOfWork() as u:
        outer = u.session
        with u:
            assert u.session is outer


def _stale_update(u: UnitOfWork) -> None:
    """Make the session's pending update hit no row: what a version column that moved looks like."""
    user = _add_user(u)
    u.commit()
    with UnitOfWork() as other:  # someone else removes the row meanwhile
        other.session.execute(delete(UserRole).where(UserRole.user_id == user.id))
        other.session.execute(delete(User).where(User.id == user.id))
        other.commit()
    user.display_name = "mine"


def test_stale_row_on_commit_becomes_stale_data(db):
    with UnitOfWork() as u:
        _stale_update(u)
        with pytest.raises(StaleData) as caught:
            u.commit()
        assert isinstance(caught.value.__cause__, StaleDataError)


def test_stale_row_on_flush_becomes_stale_data(db):
    with UnitOfWork() as u:
        _stale_update(u)
        with pytest.raises(StaleData):
            u.flush()


def test_stale_row_on_a_nested_commit_becomes_stale_data(db):
    with UnitOfWork() as u:
        _stale_update(u)
        with u, pytest.raises(StaleData):
            u.commit()


def test_after_commit_hooks_run_once_after_the_outermost_commit(db):
    ran = []
    hook = lambda: ran.append("sent")  # noqa: E731
    with UnitOfWork() as u:
        with u:
            _add_user(u)
            u.after_commit(hook)
            after_commit(u.session, hook)  # the same hook twice still runs once
            u.commit()
            assert ran == []  # a nested commit is only a flush
        assert ran == []
        u.commit()
        assert ran == ["sent"]
        u.commit()  # a later commit of the same unit of work does not run it again
    assert ran == ["sent"]


def test_after_commit_hooks_are_dropped_by_a_rollback(db):
    ran = []
    with UnitOfWork() as u:
        _add_user(u)
        u.after_commit(lambda: ran.append("rollback"))
        u.rollback()
        u.commit()
    with pytest.raises(RuntimeError), UnitOfWork() as u:
        u.after_commit(lambda: ran.append("crash"))
        raise RuntimeError("the change failed")
    with UnitOfWork() as u:
        u.after_commit(lambda: ran.append("never committed"))
    with UnitOfWork() as u:
        u.commit()  # a fresh unit of work has no hooks left over
    assert ran == []


def test_retry_stale_once_tries_a_second_time(db):
    attempts = []

    def work(u: UnitOfWork) -> str:
        with u:
            attempts.append(u)
            if len(attempts) == 1:
                raise StaleData()
            return "saved"
    assert retry_stale_once(None, work) == "saved"
    assert len(attempts) == 2 and attempts[0] is not attempts[1]  # a fresh unit of work each time


def test_retry_stale_once_gives_up_after_the_second_loss(db):
    attempts = []

    def work(u: UnitOfWork) -> None:
        attempts.append(u)
        raise StaleData()
    with pytest.raises(StaleData):
        retry_stale_once(None, work)
    assert len(attempts) == 2


def test_retry_stale_once_inside_a_callers_unit_of_work_does_not_retry(db):
    attempts = []

    def work(u: UnitOfWork) -> None:
        attempts.append(u)
        raise StaleData()
    with UnitOfWork() as owner, pytest.raises(StaleData):
        retry_stale_once(owner, work)
    assert attempts == [owner]


def test_sqlite_connections_enforce_foreign_keys(sqlite_db):
    from sqlalchemy.exc import IntegrityError
    with pytest.raises(IntegrityError), UnitOfWork() as u:
        u.session.add(UserRole(user_id=424242, role="admin"))
        u.commit()
