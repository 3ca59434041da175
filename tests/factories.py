"""Small helpers that make users and actors for tests."""
from __future__ import annotations

from services.auth import create_user, to_actor
from services.authz import Actor
from services.uow import UnitOfWork

PASSWORD = "Correct-Horse-42"


def make_staff(login_id: str, *roles: str, password: str = PASSWORD, must_change: bool = False) -> Actor:
    with UnitOfWork() as u:
        s = u.session
        user = create_user(s, login_id=login_id, display_name=f"{login_id} name", password=password,
                           roles=set(roles), email=f"{login_id}@example.jp", must_change_password=must_change)
        u.commit()
        return to_actor(user)
