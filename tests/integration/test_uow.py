import pytest
from sqlalchemy import func, select

from db.models import AuditEvent, User
from db.uow import uow
from services import audit
from services.auth import create_user


def _count(model):
    with uow() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_exception_mid_transaction_leaves_nothing(db):
    with pytest.raises(RuntimeError):
        with uow() as s:
            user = create_user(s, login_id="x1", display_name="x", password="Password-123", roles={"admin"})
            s.flush()
            audit.record(s, None, "user.created", target_type="user", target_id=user.id)
            s.flush()
            raise RuntimeError("crash between the two writes and the commit")
    assert _count(User) == 0 and _count(AuditEvent) == 0


def test_uncommitted_work_is_discarded(db):
    with uow() as s:
        create_user(s, login_id="x1", display_name="x", password="Password-123", roles={"admin"})
        s.flush()
    assert _count(User) == 0


def test_committed_work_stays(db):
    with uow() as s:
        create_user(s, login_id="x1", display_name="x", password="Password-123", roles={"admin"})
        s.commit()
    assert _count(User) == 1


def test_sqlite_connections_enforce_foreign_keys(sqlite_db):
    from sqlalchemy.exc import IntegrityError
    from db.models import UserRole
    with pytest.raises(IntegrityError):
        with uow() as s:
            s.add(UserRole(user_id=424242, role="admin"))
            s.commit()
