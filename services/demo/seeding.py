"""The demo world: every seeder, in order, run once in one unit of work; and the one-click login.

The lists below are the whole registry: a new part of the demo world is added here, by hand.
"""
from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext

from faker import Faker
from sqlalchemy import select
from sqlalchemy.orm import Session

from config import settings
from db.models import Applicant, User
from services import audit, codes
from services.audit import AuditAction
from services.auth import login_key, to_actor
from services.authz import Actor
from services.demo import (
    accounts,
    applicants,
    board,
    cancellation,
    changes,
    cutoff,
    offices,
    review_queue,
    system_settings,
    temp_account,
    usage,
)
from services.errors import PermissionDenied
from services.uow import UnitOfWork, get_or_raise

Seeder = Callable[[UnitOfWork, Faker], None]

SEEDERS: tuple[Seeder, ...] = (
    accounts.seed_staff,
    review_queue.seed_review_queue,
    temp_account.seed_fresh_temp_account,
    applicants.seed_wizard_applicants,
    offices.seed_settings_offices,
    board.seed_board,
    cutoff.seed_cancelled_office,
    usage.seed_demo_usage,
    system_settings.seed_system_settings_waiting,
    changes.seed_change_offices,
    cancellation.seed_cancellation_waiting,
)
# Run before a demo login, e.g. to keep a demo account's deadlines ahead of 'now'.
BEFORE_DEMO_LOGIN: tuple[Callable[[Session, User], None], ...] = (temp_account.refresh_demo_temp_account,)
# One-click demo buttons on the login page: (label key, demo login ID).
DEMO_BUTTONS: tuple[tuple[str, str], ...] = (
    *accounts.STAFF_BUTTONS,
    ("temp_account.demo_button", temp_account.DEMO_TEMP_LOGIN_ID),
    *applicants.WIZARD_DEMO_BUTTONS,
    *offices.OFFICE_DEMO_BUTTONS,
    *changes.CHANGE_DEMO_BUTTONS,
    *cutoff.CUTOFF_DEMO_BUTTONS,
)
DEMO_PASSWORD = accounts.DEMO_PASSWORD


def seed_if_empty(*, uow: UnitOfWork | None = None, hashes: accounts.HashesAhead | None = None) -> bool:
    """Seeds once; a second server starting at the same time finds the staff users and stops.
    `hashes`: the bcrypt hashes the start-up began making ahead, on the other core."""
    with (uow or UnitOfWork()) as u, (hashes.used() if hashes else nullcontext()):
        s = u.session
        if s.scalar(select(User.id).where(User.login_key == login_key(accounts.DEMO_STAFF[0][0]))):
            return False
        fake = Faker("ja_JP")
        Faker.seed(2026)
        with codes.batch(s):  # ~1,000 codes: one flush per seeder, not one per code
            for seeder in SEEDERS:
                seeder(u, fake)
                u.flush()
        u.commit()
        return True


def demo_login(login_id: str, *, uow: UnitOfWork | None = None) -> Actor:
    """The one-click demo buttons: only in demo mode, only for demo users."""
    if not settings().demo:
        raise PermissionDenied("demo.unavailable")
    with (uow or UnitOfWork()) as u:
        s = u.session
        user = s.scalar(select(User).where(User.login_key == login_key(login_id), User.is_demo.is_(True)))
        if user is not None and not user.is_active and user.applicant_id is not None and get_or_raise(
                s, Applicant, user.applicant_id).cancelled_at is not None:
            raise PermissionDenied("login.error.approval_cancelled")  # as the login form would say
        if user is None or not user.is_active:
            raise PermissionDenied("demo.unavailable")
        for refresh in BEFORE_DEMO_LOGIN:
            refresh(s, user)
        actor = to_actor(user)
        audit.record(s, actor, AuditAction.AUTH_DEMO_LOGIN, target_type="user", target_id=user.id)
        u.commit()
        return actor
