"""Demo data for sales demos and local development (NSS_DEMO, on by default when embedded).

Each seeder adds one part of the demo world; later features register theirs in SEEDERS.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from faker import Faker
from sqlalchemy import select
from sqlalchemy.orm import Session

from config import settings
from db.models import User
from db.uow import uow
from services import audit, codes
from services.auth import create_user, login_key, to_actor
from services.authz import ADMIN, DESK, REVIEWER, Actor
from services.errors import PermissionDenied
from services.passwords import hash_password

DEMO_PASSWORD = "demo-pass-2026"  # shown on the login page in demo mode only
DEMO_STAFF = [
    ("demo-desk", "窓口 花子", {DESK}),
    ("demo-reviewer", "審査 太郎", {REVIEWER}),
    ("demo-reviewer2", "審査 次郎", {REVIEWER}),
    ("demo-admin", "管理 一郎", {ADMIN}),
]
# One-click demo buttons on the login page: (label key, demo login ID). Features append theirs.
DEMO_BUTTONS: list[tuple[str, str]] = [
    ("demo.button.desk", "demo-desk"),
    ("demo.button.reviewer", "demo-reviewer"),
    ("demo.button.admin", "demo-admin"),
]


@lru_cache(maxsize=4)
def demo_password_hash(password: str = DEMO_PASSWORD) -> str:
    """bcrypt once per demo password, not once per demo user (each hash takes ~0.2 s on purpose)."""
    return hash_password(password)


def _seed_staff(s: Session, fake: Faker) -> None:
    for login_id, name, roles in DEMO_STAFF:
        create_user(s, login_id=login_id, display_name=name, password_hash=demo_password_hash(), roles=roles,
                    email=f"{login_id}@example.jp", must_change_password=False, is_demo=True)


SEEDERS: list[Callable[[Session, Faker], None]] = [_seed_staff]
# Run before a demo login, e.g. to keep a demo account's deadlines ahead of 'now'. Features append theirs.
BEFORE_DEMO_LOGIN: list[Callable[[Session, User], None]] = []


def _seed_review_queue(s: Session, fake: Faker) -> None:
    from services.review.demo_seed import seed_review_queue  # late: review imports more than demo needs
    seed_review_queue(s, fake)


SEEDERS.append(_seed_review_queue)


def seed_if_empty() -> bool:
    """Seeds once; a second server starting at the same time finds the staff users and stops."""
    with uow() as s:
        if s.scalar(select(User.id).where(User.login_key == login_key(DEMO_STAFF[0][0]))):
            return False
        fake = Faker("ja_JP")
        Faker.seed(2026)
        with codes.batch(s):  # ~1,000 codes: one flush per seeder, not one per code
            for seeder in SEEDERS:
                seeder(s, fake)
                s.flush()
        s.commit()
        return True


def demo_login(login_id: str) -> Actor:
    """The one-click demo buttons: only in demo mode, only for demo users."""
    if not settings().demo:
        raise PermissionDenied()
    with uow() as s:
        user = s.scalar(select(User).where(User.login_key == login_key(login_id), User.is_demo.is_(True),
                                           User.is_active.is_(True)))
        if user is None:
            raise PermissionDenied()
        for refresh in BEFORE_DEMO_LOGIN:
            refresh(s, user)
        actor = to_actor(user)
        audit.record(s, actor, "auth.demo_login", target_type="user", target_id=user.id)
        s.commit()
        return actor


# Feature seeders register here (imported last: they read this module's DEMO_PASSWORD).
from services import demo_entry  # noqa: E402
from services.application.demo_seed import WIZARD_DEMO_BUTTONS, seed_wizard_applicants  # noqa: E402

SEEDERS.append(demo_entry.seed_fresh_temp_account)
BEFORE_DEMO_LOGIN.append(demo_entry.refresh_demo_temp_account)
DEMO_BUTTONS.append(("temp_account.demo_button", demo_entry.DEMO_TEMP_LOGIN_ID))
SEEDERS.append(seed_wizard_applicants)
DEMO_BUTTONS.extend(WIZARD_DEMO_BUTTONS)
