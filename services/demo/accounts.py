"""Demo passwords and demo staff: what the one-click login buttons log in as."""
from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from functools import lru_cache

from faker import Faker

from services.auth import create_user
from services.authz import ADMIN, DESK, REVIEWER
from services.passwords import generate_password, hash_password, issued_ahead
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


# The seeding's approvals through the real review action (services.demo.applicants' approved
# applicant, services.demo.cutoff's office), each of which issues a generated 事業所パスワード.
ISSUED_OFFICE_PASSWORDS = 2
_pending: dict[str, Future[str]] = {}  # demo password -> its hash being made ahead (HashesAhead.used)


def demo_password_hash(password: str = DEMO_PASSWORD) -> str:
    """bcrypt once per demo password, not once per demo user (each hash takes ~0.2 s on purpose)."""
    made_ahead = _pending.get(password)
    if made_ahead is not None:
        return made_ahead.result()
    return _hash(password)  # one cache key per password, however the caller names it


@lru_cache(maxsize=4)
def _hash(password: str) -> str:
    return hash_password(password)


def _generated_pair() -> tuple[str, str]:
    password = generate_password()
    return password, hash_password(password)


class HashesAhead:
    """Every bcrypt hash the seeding needs, made in one other thread (bcrypt releases the GIL, so on
    the other core) from the start-up's first step: the demo passwords first, then the office
    passwords the seeding's approvals issue. The seeding waits only for the hash it needs next, so the
    ones not ready yet keep overlapping with the seeding itself."""

    def __init__(self, issued: int = ISSUED_OFFICE_PASSWORDS) -> None:
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nss-demo-hashes")
        self._demo = {password: pool.submit(_hash, password) for password in (DEMO_PASSWORD, DEMO_OFFICE_PASSWORD)}
        self._issued = [pool.submit(_generated_pair) for _ in range(issued)]
        pool.shutdown(wait=False)  # the queued hashes still run; nothing more is added

    def wait(self) -> None:
        """Until every hash is made (the demo seed bench times the seeders without bcrypt)."""
        for demo in self._demo.values():
            demo.exception()
        for issued in self._issued:
            issued.exception()

    def _issued_pairs(self) -> Iterator[tuple[str, str]]:
        for pair in self._issued:
            yield pair.result()

    @contextmanager
    def used(self) -> Iterator[None]:
        """Inside, in this thread: demo_password_hash and the approvals' generated passwords
        (passwords.issued_ahead) take the hashes made ahead."""
        _pending.update(self._demo)
        try:
            with issued_ahead(self._issued_pairs()):
                yield
        finally:
            _pending.clear()


def seed_staff(u: UnitOfWork, fake: Faker) -> None:
    for login_id, name, roles in DEMO_STAFF:
        create_user(u.session, login_id=login_id, display_name=name, password_hash=demo_password_hash(),
                    roles=roles, email=f"{login_id}@example.jp", must_change_password=False, is_demo=True)
