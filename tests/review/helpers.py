"""Actors and read-backs shared by the review tests."""
from __future__ import annotations

from sqlalchemy import func, select

from db.models import Application, IssuedCode, MailOutbox, Notice, User, UserCode
from services.authz import APPLICANT, Actor
from services.uow import UnitOfWork


def applicant_actor(applicant_id: int) -> Actor:
    with UnitOfWork() as u:
        s = u.session
        user = s.scalar(select(User).where(User.applicant_id == applicant_id))
        return Actor(user_id=user.id, login_id=user.login_id, display_name=user.display_name, kind=user.kind,
                     roles=frozenset({APPLICANT}), applicant_id=applicant_id)


def snapshot(application_id: int) -> dict:
    """Everything an approval writes, to compare before and after a refused or failed action."""
    with UnitOfWork() as u:
        s = u.session
        app = s.get(Application, application_id)
        return {
            "status": app.status, "version": app.version, "start_date": app.start_date,
            "users": s.scalar(select(func.count()).select_from(User)),
            "active_users": s.scalar(select(func.count()).select_from(User).where(User.is_active.is_(True))),
            "codes": s.scalar(select(func.count()).select_from(IssuedCode)),
            "user_codes": s.scalar(select(func.count()).select_from(UserCode)),
            "notices": s.scalar(select(func.count()).select_from(Notice)),
            "mails": s.scalar(select(func.count()).select_from(MailOutbox)),
        }
