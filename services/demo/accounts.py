"""Demo passwords and demo staff: what the one-click login buttons log in as."""
from __future__ import annotations

from functools import lru_cache

from faker import Faker

from services.auth import create_user
from services.authz import ADMIN, DESK, REVIEWER
from services.passwords import hash_password
from services.uow import UnitOfWork

DEMO_PASSWORD = "demo-pass-2026"  # shown on the login page in demo mode only
DEMO_OFFICE_PASSWORD = "demo-office-2026"  # the review queue's seeded office logins
DEMO_STAFF = [
    ("demo-desk", "窓口 花子", {DESK}),
    ("demo-reviewer", "審査 太郎", {REVIEWER}),
    ("demo-reviewer2", "審査 次郎", {REVIEWER}),
    ("demo-admin", "管理 一郎", {ADMIN}),
]
STAFF_BUTTONS: list[tuple[str, str]] = [
    ("demo.button.desk", "demo-desk"),
    ("demo.button.reviewer", "demo-reviewer"),
    ("demo.button.admin", "demo-admin"),
]


def demo_password_hash(password: str = DEMO_PASSWORD) -> str:
    """bcrypt once per demo password, not once per demo user (each hash takes ~0.2 s on purpose)."""
    return _hash(password)  # one cache key per password, however the caller names it


@lru_cache(maxsize=4)
def _hash(password: str) -> str:
    return hash_password(password)


def warm_password_hashes() -> None:
    """Hash every demo password once ahead of the seeding (start-up runs this beside the migrations)."""
    for password in (DEMO_PASSWORD, DEMO_OFFICE_PASSWORD):
        demo_password_hash(password)


def seed_staff(u: UnitOfWork, fake: Faker) -> None:
    for login_id, name, roles in DEMO_STAFF:
        create_user(u.session, login_id=login_id, display_name=name, password_hash=demo_password_hash(),
                    roles=roles, email=f"{login_id}@example.jp", must_change_password=False, is_demo=True)
