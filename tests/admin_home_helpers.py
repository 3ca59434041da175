"""Rows the admin home counts, written directly (no SMTP, no usage file needed)."""
from __future__ import annotations

from datetime import timedelta

from db.models import LoginAttempt, MailOutbox, TermsVersion, UsageImport
from services import auth, clock
from services.mail import MailStatus
from services.uow import UnitOfWork


def mail(status: MailStatus, attempts: int) -> None:
    with UnitOfWork() as u:
        u.session.add(MailOutbox(created_at=clock.now(), template="t", sender="portal@example.jp",
                                 recipients=["x@example.jp"], subject="件名", body="本文", status=status,
                                 attempts=attempts, next_attempt_at=clock.now()))
        u.commit()


def failed_logins(login_id: str, n: int = auth.LOCK_THRESHOLD) -> None:
    with UnitOfWork() as u:
        for i in range(n):
            u.session.add(LoginAttempt(login_key=auth.login_key(login_id),
                                       at=clock.now() - timedelta(seconds=i), success=False))
        u.commit()


def usage_import(days_ago: int, *, undone: bool = False) -> None:
    at = clock.now() - timedelta(days=days_ago)
    with UnitOfWork() as u:
        u.session.add(UsageImport(file_name="u.csv", row_count=3, replace=False, imported_at=at,
                                  imported_by_login_id="adm1", undone_at=at if undone else None))
        u.commit()


def terms(version: str, body: str = "規程", *, in_days: int = 0) -> None:
    """A version taking effect now, or `in_days` days from now."""
    with UnitOfWork() as u:
        u.session.add(TermsVersion(version=version, body=body, created_at=clock.now(),
                                   effective_from=clock.now() + timedelta(days=in_days)))
        u.commit()
